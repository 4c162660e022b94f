//! Households: who lives together, who is a senior, and which family members a senior's help
//! request reaches.

use serde::{Deserialize, Serialize};

/// Longest household name, in characters.
pub const MAX_HOUSEHOLD_NAME_CHARS: usize = 40;
/// How long an invitation code works: a week to pass it on.
pub const INVITE_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A member's place in the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HouseholdRole {
    /// Created it; invites and removes members, sets up seniors' contacts.
    Owner,
    /// A family member.
    Member,
    /// A senior: uses senior mode; their help requests reach their family contacts.
    Senior,
}

impl HouseholdRole {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdRole::Owner => "owner",
            HouseholdRole::Member => "member",
            HouseholdRole::Senior => "senior",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [HouseholdRole::Owner, HouseholdRole::Member, HouseholdRole::Senior]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// One member as the household sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Their account.
    pub user_id: String,
    /// Their display name.
    pub display_name: String,
    /// Their place.
    pub role: HouseholdRole,
    /// For seniors: the members their help requests reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub family_contacts: Vec<String>,
}

/// A household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Household {
    /// Its id.
    pub id: String,
    /// Its name ("The Wangs").
    pub name: String,
    /// Its members, owner first.
    pub members: Vec<Member>,
}

/// `POST /v1/households`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateHousehold {
    /// Its name.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub name: String,
}

/// `POST /v1/households/mine/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateInvite {
    /// The place the invited person takes.
    pub role: InviteRole,
}

/// The places an invitation can offer: a household has one owner, its creator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum InviteRole {
    /// A family member.
    Member,
    /// A senior.
    Senior,
}

impl From<InviteRole> for HouseholdRole {
    fn from(role: InviteRole) -> Self {
        match role {
            InviteRole::Member => HouseholdRole::Member,
            InviteRole::Senior => HouseholdRole::Senior,
        }
    }
}

/// An invitation: a single-use code to pass on (shown once; the server keeps its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    /// The code.
    pub code: String,
    /// The place it grants.
    pub role: HouseholdRole,
    /// When it stops working.
    pub expires_at_ms: i64,
}

/// `POST /v1/households/join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JoinHousehold {
    /// The invitation code.
    pub code: String,
}

/// `PUT /v1/households/mine/seniors/{id}/contacts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetFamilyContacts {
    /// The members the senior's help requests reach (other members of the household).
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub contact_ids: Vec<String>,
}

/// `PUT /v1/households/mine/members/{id}/senior-mode`: a family member switches a senior's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetSeniorMode {
    /// On or off.
    pub enabled: bool,
}

/// A family contact a help request went to, and when their device showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HelpContact {
    /// Their account.
    pub user_id: String,
    /// Their name.
    pub display_name: String,
    /// When their device showed the request (`None`: not yet).
    pub reached_at_ms: Option<i64>,
}

/// A senior's request for help, as the senior sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HelpRequest {
    /// Its id.
    pub id: String,
    /// When it was sent.
    pub created_at_ms: i64,
    /// Who it went to.
    pub contacts: Vec<HelpContact>,
}

/// A help request addressed to the caller, as a family member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IncomingHelp {
    /// The request's id.
    pub id: String,
    /// Who asked.
    pub senior_id: String,
    /// Their name.
    pub senior_name: String,
    /// When they asked.
    pub created_at_ms: i64,
    /// When the caller's device showed it (`None`: not yet).
    pub reached_at_ms: Option<i64>,
}

/// A household name, trimmed: one line, not blank, at most [`MAX_HOUSEHOLD_NAME_CHARS`]
/// characters as sent.
pub fn normalize_name(name: &str) -> Result<String, crate::fields::FieldError> {
    crate::fields::normalize_text(name, "name", 1, MAX_HOUSEHOLD_NAME_CHARS, crate::fields::Lines::One)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(normalize_name(" 王家 ").as_deref(), Ok("王家"));
        assert!(normalize_name("").is_err());
        assert!(normalize_name(&"家".repeat(MAX_HOUSEHOLD_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in [HouseholdRole::Owner, HouseholdRole::Member, HouseholdRole::Senior] {
            assert_eq!(HouseholdRole::from_storage(role.as_str()), Some(role));
        }
    }
}
