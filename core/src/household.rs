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
    /// Set up by their family ("Set up Hearth for Mum"): they have no password of their own
    /// until they choose one, and family sign their devices in with one-time codes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub set_up_by_family: bool,
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

/// `PUT /v1/households/mine/members/{id}/role`: the owner makes a member a senior, or a senior
/// a family member again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetMemberRole {
    /// The new place (the owner stays owner).
    pub role: InviteRole,
}

/// `POST /v1/households/mine/seniors`: a family member sets Hearth up for a parent. The parent's
/// account is made in the household as a senior, in senior mode, with the caller as their family
/// contact, and with no password anyone knows; its first device signs in with the code answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetUpSenior {
    /// The parent's name, as the family calls them ("Mum", "王奶奶").
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub display_name: String,
    /// The parent's e-mail address: how they get back in (a reset code) if every device is lost.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub email: String,
    /// The parent's language; the caller's when absent.
    #[serde(default)]
    pub locale: Option<crate::i18n::Locale>,
}

/// A one-time code that signs a device in to an account set up by family: shown on the family
/// member's phone (as text and as a QR code of [`sign_in_link`]), typed or scanned on the parent's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeviceSignInCode {
    /// The account it signs in to.
    pub user_id: String,
    /// Their name, to say whose device this is for.
    pub display_name: String,
    /// The code, as [`format_sign_in_code`] shows it.
    pub code: String,
    /// When it stops working.
    pub expires_at_ms: i64,
}

/// What `POST /v1/households/mine/seniors` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SeniorSetUp {
    /// The household with its new senior.
    pub household: Household,
    /// The code for the parent's first device.
    pub sign_in: DeviceSignInCode,
}

/// `POST /v1/auth/device-sign-in`: the parent's device signs in with the code family gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceSignIn {
    /// The code, as shown or typed (case, spaces and dashes do not matter).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub code: String,
}

/// How long a device sign-in code works: long enough to walk to the parent's device.
pub const SIGN_IN_CODE_TTL_MS: i64 = 15 * 60 * 1000;
/// Random bytes in a sign-in code: 40 bits, eight characters of Crockford's base32. Codes live
/// [`SIGN_IN_CODE_TTL_MS`], single use, and the redeeming route is rate-limited per client.
pub const SIGN_IN_CODE_BYTES: usize = 5;

/// Crockford's base32 alphabet, read without regard to case, with O for 0 and I, L for 1: the
/// letters a person misreads are read as meant.
fn crockford() -> data_encoding::Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzOoIiLl");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
    spec.encoding().expect("a valid base32 specification")
}

/// Random bytes in an invitation code: 80 bits, sixteen characters, read out or typed in four
/// groups. Invitations live [`INVITE_LIFETIME_MS`]; no one guesses one among 2^80 in that time,
/// so the code is kept as a plain hash.
pub const INVITE_CODE_BYTES: usize = 10;

/// A code for `bytes` (random ones), as shown: Crockford's base32 in groups of four characters
/// ("7KQ2-M9XD" for a sign-in code's five bytes).
pub fn format_code(bytes: &[u8]) -> String {
    let plain = crockford().encode(bytes);
    let groups: Vec<&str> = plain.as_bytes().chunks(4).filter_map(|g| std::str::from_utf8(g).ok()).collect();
    groups.join("-")
}

/// The canonical form of a typed or scanned code of `bytes` random bytes (the one hashed), or
/// `None` when it cannot be one: spaces and dashes dropped, case and misread letters forgiven.
fn canonical_code(typed: &str, bytes: usize) -> Option<String> {
    let packed: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let decoded = crockford().decode(packed.as_bytes()).ok()?;
    (decoded.len() == bytes).then(|| crockford().encode(&decoded))
}

/// [`canonical_code`] of a device sign-in code.
pub fn canonical_sign_in_code(typed: &str) -> Option<String> {
    canonical_code(typed, SIGN_IN_CODE_BYTES)
}

/// [`canonical_code`] of an invitation code.
pub fn canonical_invite_code(typed: &str) -> Option<String> {
    canonical_code(typed, INVITE_CODE_BYTES)
}

/// The deep link that opens the sign-in on a parent's device with `code` filled in.
pub fn sign_in_link(code: &str) -> String {
    format!("hearth://sign-in/family?code={code}")
}

/// The deep link that opens joining a household with an invitation `code`.
pub fn join_link(code: &str) -> String {
    format!("hearth://household/join?code={code}")
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
    fn sign_in_codes_read_as_meant() {
        let shown = format_code(&[0xde, 0xad, 0xbe, 0xef, 0x01]);
        assert_eq!(shown.len(), 9, "{shown}");
        let canonical = canonical_sign_in_code(&shown).expect("its own code");
        assert_eq!(canonical, shown.replace('-', ""));
        // Typed in lower case, with spaces, and O for 0 / l for 1.
        let typed = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(canonical_sign_in_code(&typed).as_deref(), Some(canonical.as_str()));
        assert_eq!(canonical_sign_in_code("ABCD"), None);
        assert_eq!(canonical_sign_in_code("ABCD-EFGU"), None, "U is not in the alphabet");
        assert_eq!(canonical_sign_in_code(""), None);
    }

    #[test]
    fn invitation_codes_are_four_groups_read_as_meant() {
        let shown = format_code(&[7, 1, 2, 3, 250, 5, 6, 7, 8, 9]);
        assert_eq!(shown.len(), 19, "{shown}");
        assert_eq!(shown.split('-').map(str::len).collect::<Vec<_>>(), [4, 4, 4, 4]);
        let canonical = canonical_invite_code(&shown).expect("its own code");
        let typed = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(canonical_invite_code(&typed), Some(canonical));
        assert_eq!(canonical_invite_code(&shown[..14]), None, "a group short");
        assert_eq!(canonical_sign_in_code(&shown), None, "not a sign-in code");
    }

    #[test]
    fn roles_round_trip() {
        for role in [HouseholdRole::Owner, HouseholdRole::Member, HouseholdRole::Senior] {
            assert_eq!(HouseholdRole::from_storage(role.as_str()), Some(role));
        }
    }
}
