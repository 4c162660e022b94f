//! Rewards: the catalog users spend points on, and redemptions as the app and the store counter
//! see them.

use serde::{Deserialize, Serialize};

use crate::i18n::LocalizedText;

/// How long a redemption code stays valid: a week to get to a store counter. Points come back
/// if it expires unused.
pub const CODE_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// One reward of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reward {
    /// Stable id.
    pub id: String,
    /// What it costs.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000000))]
    pub points: u32,
    /// Its name.
    pub title: LocalizedText,
    /// What it is and where to use it.
    pub description: LocalizedText,
}

/// Most points one reward may cost.
pub const MAX_REWARD_POINTS: u32 = 1_000_000;
/// Longest reward title, in characters.
pub const MAX_REWARD_TITLE_CHARS: usize = 60;
/// Longest reward description, in characters.
pub const MAX_REWARD_DESCRIPTION_CHARS: usize = 300;

impl Reward {
    /// Checks every field; the error names the first bad one in its wire spelling.
    pub fn validate(&self) -> Result<(), crate::fields::FieldError> {
        use crate::catalog::{is_valid_id, text_fits};
        use crate::i18n::Locale;
        let bad = |field: &'static str, reason: String| Err(crate::fields::FieldError { field, reason });
        if !is_valid_id(&self.id) {
            return bad("id", "expected lowercase ASCII letters, digits or '-'".into());
        }
        if self.points == 0 || self.points > MAX_REWARD_POINTS {
            return bad("points", format!("expected 1 to {MAX_REWARD_POINTS}"));
        }
        for locale in Locale::ALL {
            if !text_fits(self.title.get(locale), MAX_REWARD_TITLE_CHARS) {
                return bad(
                    locale.pick("title.en", "title.zh-CN"),
                    format!("expected 1 to {MAX_REWARD_TITLE_CHARS} characters"),
                );
            }
            if !text_fits(self.description.get(locale), MAX_REWARD_DESCRIPTION_CHARS) {
                return bad(
                    locale.pick("description.en", "description.zh-CN"),
                    format!("expected 1 to {MAX_REWARD_DESCRIPTION_CHARS} characters"),
                );
            }
        }
        Ok(())
    }
}

/// The body of `GET /v1/rewards` and of `assets/seed/rewards.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardCatalog {
    /// The rewards, in display order.
    pub rewards: Vec<Reward>,
}

/// `POST /v1/rewards/{id}/redeem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedeemRequest {
    /// A UUID the app generates once per redemption, so a retry does not spend twice.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub redemption_id: String,
}

/// Where a redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RedemptionStatus {
    /// The code is valid until it expires.
    Issued,
    /// Used at a counter.
    Consumed,
    /// Expired unused; the points came back.
    Refunded,
}

impl RedemptionStatus {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RedemptionStatus::Issued => "issued",
            RedemptionStatus::Consumed => "consumed",
            RedemptionStatus::Refunded => "refunded",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [RedemptionStatus::Issued, RedemptionStatus::Consumed, RedemptionStatus::Refunded]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

/// A redemption: the code to show (the payload of a QR code) and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Redemption {
    /// Its id (the client's).
    pub id: String,
    /// The reward.
    pub reward_id: String,
    /// Points it cost.
    pub points: u32,
    /// Where it stands.
    pub status: RedemptionStatus,
    /// The signed, single-use code.
    pub code: String,
    /// When the code stops working.
    pub expires_at_ms: i64,
    /// When it was used at a counter.
    pub consumed_at_ms: Option<i64>,
}

/// `POST /v1/staff/redemptions/consume`: the code a customer shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsumeRequest {
    /// The code as scanned.
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewards_are_validated_field_by_field() {
        let reward = Reward {
            id: "coffee-voucher".into(),
            points: 300,
            title: LocalizedText { en: "Coffee".into(), zh_cn: "咖啡券".into() },
            description: LocalizedText { en: "At any store".into(), zh_cn: "全国门店可用".into() },
        };
        assert_eq!(reward.validate(), Ok(()));
        let field = |r: Reward| r.validate().expect_err("invalid").field;
        assert_eq!(field(Reward { id: "Coffee!".into(), ..reward.clone() }), "id");
        assert_eq!(field(Reward { points: 0, ..reward.clone() }), "points");
        let blank = LocalizedText { en: "Coffee".into(), zh_cn: " ".into() };
        assert_eq!(field(Reward { title: blank, ..reward.clone() }), "title.zh-CN");
    }

    #[test]
    fn the_shipped_rewards_are_complete_in_both_languages() {
        let catalog: RewardCatalog =
            serde_json::from_str(include_str!("../../assets/seed/rewards.json")).expect("valid rewards");
        assert!(!catalog.rewards.is_empty());
        for reward in &catalog.rewards {
            assert!(reward.points > 0, "{}", reward.id);
            for text in [&reward.title, &reward.description] {
                assert!(!text.en.trim().is_empty() && !text.zh_cn.trim().is_empty(), "{}", reward.id);
            }
        }
    }
}
