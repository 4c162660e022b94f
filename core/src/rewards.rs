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
    pub points: u32,
    /// Its name.
    pub title: LocalizedText,
    /// What it is and where to use it.
    pub description: LocalizedText,
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
