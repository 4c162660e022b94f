//! Accounts: who a user is, what they may do, and the rules their sign-up details must meet.
//! Wire types of the `/v1/auth` routes live here so the server and the app share them.

use serde::{Deserialize, Serialize};

use crate::fields::{FieldError, Lines, normalize_text};
use crate::i18n::Locale;

/// Shortest password accepted. NIST SP 800-63B asks for at least 8 characters and no other
/// composition rules.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted: long enough for any passphrase or manager, short enough that
/// hashing an attacker's megabyte-long "password" costs nothing extra.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest display name, in characters: it must fit a feed card on a phone.
pub const MAX_DISPLAY_NAME_CHARS: usize = 40;
/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_LEN: usize = 254;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A consumer: challenges, points, community.
    Consumer,
    /// Store staff: belongs to a store, runs showroom demos, redeems rewards at the counter.
    Staff,
    /// The brand's operators: author the catalog, moderate the community.
    Operator,
}

impl Role {
    /// The storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Consumer => "consumer",
            Role::Staff => "staff",
            Role::Operator => "operator",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Self> {
        [Role::Consumer, Role::Staff, Role::Operator].into_iter().find(|r| r.as_str() == s)
    }
}

/// What an e-mail address must look like: the WHATWG definition of a valid e-mail address (what
/// an HTML `<input type=email>` accepts), with a dot in the domain, and white space either side
/// (trimmed away). The API document states the same pattern, so a request it allows is never
/// refused for its address.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+",
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+",
    r"[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
);

/// An e-mail address, trimmed and lowercased so that one person has one account: at most
/// [`MAX_EMAIL_LEN`] characters as sent, matching [`EMAIL_PATTERN`].
pub fn normalize_email(email: &str) -> Result<String, FieldError> {
    static PATTERN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(EMAIL_PATTERN).expect("the e-mail pattern compiles"));
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(FieldError::new("email", format!("expected at most {MAX_EMAIL_LEN} characters")));
    }
    if !PATTERN.is_match(email) {
        return Err(FieldError::new("email", "expected an e-mail address such as name@example.com"));
    }
    Ok(email.trim().to_lowercase())
}

/// Checks a new password against the policy.
pub fn check_password(password: &str, email: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(FieldError::new(
            "password",
            format!("expected {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(FieldError::new("password", "must not be the e-mail address"));
    }
    Ok(())
}

/// A display name, trimmed: at most [`MAX_DISPLAY_NAME_CHARS`] characters as sent, one line,
/// not blank ([`crate::fields::LINE_NOT_BLANK_PATTERN`]).
pub fn normalize_display_name(name: &str) -> Result<String, FieldError> {
    normalize_text(name, "displayName", 1, MAX_DISPLAY_NAME_CHARS, Lines::One)
}

/// `POST /v1/auth/sign-up`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpRequest {
    /// The e-mail address to sign in with ([`EMAIL_PATTERN`]; trimmed and lowercased).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub email: String,
    /// The password: 8 to 128 characters, not the e-mail address.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
    /// The name others see (one line, not blank; trimmed).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub display_name: String,
    /// The language for notifications and e-mail; the app's own choice when absent.
    #[serde(default)]
    pub locale: Option<Locale>,
    /// The device's IANA time zone; `Asia/Shanghai` when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::progress::TimeZoneName>))]
    pub time_zone: Option<String>,
}

/// How long a password-reset code works after it is sent.
pub const RESET_CODE_TTL_MS: i64 = 15 * 60 * 1000;
/// Codes one address may ask for in an hour (whether or not it has an account).
pub const MAX_RESET_REQUESTS_PER_HOUR: i64 = 3;
/// Wrong tries after which a code stops working.
pub const MAX_RESET_CODE_ATTEMPTS: i64 = 5;
/// Digits in a reset code: easy to type from a phone's mail, and with five tries per code and
/// three codes an hour, one guess in 66,000 an hour.
pub const RESET_CODE_DIGITS: usize = 6;

/// A mailed code as typed or pasted, in the form the server reads ([`RESET_CODE_DIGITS`]
/// digits), or `None` when it cannot be one. People paste codes with spaces ("123 456").
pub fn typed_mailed_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == RESET_CODE_DIGITS && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// `POST /v1/auth/password-reset`: send a one-time code to this address, if it has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The address signed up with ([`EMAIL_PATTERN`]).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub email: String,
}

/// The answer to [`PasswordResetRequest`], the same whether or not the address has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetSent {
    /// How long the code works, in minutes.
    pub expires_in_minutes: u32,
}

/// `POST /v1/auth/password-reset/confirm`: the code from the mail and the new password. Every
/// other session of the account ends; the answer is a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The address the code was sent to ([`EMAIL_PATTERN`]).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub email: String,
    /// The code from the mail: six digits.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{6}$"))]
    pub code: String,
    /// The new password: 8 to 128 characters, not the e-mail address.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

/// `POST /v1/me/email`: move the account to another address, given the password. A code goes
/// to the new address (proving it is the caller's); the account keeps its address until the code
/// comes back ([`EmailChangeConfirm`]). Codes work as reset codes do: [`RESET_CODE_DIGITS`] digits,
/// [`RESET_CODE_TTL_MS`], [`MAX_RESET_CODE_ATTEMPTS`] tries, [`MAX_RESET_REQUESTS_PER_HOUR`] an hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailChangeRequest {
    /// The address to move to ([`EMAIL_PATTERN`]).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 254,
            pattern = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
        )
    )]
    pub new_email: String,
    /// The account's password: a session alone does not move an account.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// The answer to [`EmailChangeRequest`]: where the code went and for how long it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EmailChangeSent {
    /// The new address, as it will be kept (trimmed, lower case).
    pub new_email: String,
    /// How long the code works, in minutes.
    pub expires_in_minutes: u32,
}

/// `POST /v1/me/email/confirm`: the code mailed to the new address. The answer is the profile
/// with its new address; the old address is told of the move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailChangeConfirm {
    /// The code from the mail: six digits.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{6}$"))]
    pub code: String,
}

/// The time zone of an account that did not say: the first market's.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// `POST /v1/auth/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    /// The e-mail address signed up with.
    pub email: String,
    /// The password.
    pub password: String,
}

/// One signed-in session of the account, as its owner sees it (`GET /v1/me/sessions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// Its id, to end it by (not the token).
    pub id: String,
    /// What the client called itself when it signed in (its User-Agent); see [`device_label`].
    pub device: Option<String>,
    /// When it began.
    pub signed_in_at_ms: i64,
    /// When it ends unless used to sign out sooner.
    pub expires_at_ms: i64,
    /// Whether it is the session the request came with (this device).
    pub current: bool,
}

/// Longest User-Agent kept for a session, in characters.
pub const MAX_DEVICE_CHARS: usize = 160;

/// The User-Agent the app sends: `Hearth/<version> (<os>; <device name>)`.
pub fn app_user_agent(version: &str, os: &str, device_name: &str) -> String {
    // The comment may not hold parentheses or control characters (RFC 9110 `comment`).
    let name: String =
        device_name.chars().filter(|c| !c.is_control() && !matches!(c, '(' | ')' | '\\')).take(60).collect();
    format!("Hearth/{version} ({os}; {})", name.trim())
}

/// How a session's device reads in a list: "mei-laptop · linux" for the app's own User-Agent
/// ([`app_user_agent`]), the User-Agent itself for anything else.
pub fn device_label(user_agent: &str) -> String {
    let app = user_agent
        .strip_prefix("Hearth/")
        .and_then(|rest| rest.split_once(" ("))
        .and_then(|(_, comment)| comment.strip_suffix(')'))
        .and_then(|comment| comment.split_once("; "));
    match app {
        Some((os, name)) if !name.trim().is_empty() => format!("{} · {os}", name.trim()),
        Some((os, _)) => format!("Hearth · {os}"),
        None => user_agent.to_owned(),
    }
}

/// An account as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The account's id (a UUIDv7).
    pub id: String,
    /// Its e-mail address, normalized.
    pub email: String,
    /// The name others see.
    pub display_name: String,
    /// What it may do.
    pub role: Role,
    /// Its language.
    pub locale: Locale,
    /// Its IANA time zone: challenge streaks count its calendar days.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::progress::TimeZoneName))]
    pub time_zone: String,
    /// Whether it lets device usage count for challenges (the "enhanced experience" tier).
    pub device_usage_consent: bool,
    /// Whether the app shows its simplified large-text mode (switched by the user or a linked
    /// family member).
    #[serde(default)]
    pub senior_mode: bool,
}

/// Longest store id, in characters.
pub const MAX_STORE_ID_CHARS: usize = 40;

/// An operator's change of someone's role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetRole {
    /// The new role.
    pub role: Role,
    /// The store, for staff (required then, refused otherwise).
    #[serde(default)]
    pub store_id: Option<String>,
}

impl SetRole {
    /// The store to record: required for staff (trimmed, 1 to [`MAX_STORE_ID_CHARS`] letters,
    /// digits or '-'), none for the other roles.
    pub fn store(&self) -> Result<Option<String>, FieldError> {
        let bad = |reason: &str| Err(FieldError { field: "storeId", reason: reason.to_owned() });
        match (self.role, self.store_id.as_deref().map(str::trim)) {
            (Role::Staff, Some(store))
                if !store.is_empty()
                    && store.chars().count() <= MAX_STORE_ID_CHARS
                    && store.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                Ok(Some(store.to_owned()))
            }
            (Role::Staff, _) => bad("staff belong to a store: expected its id (letters, digits, '-')"),
            (_, None) => Ok(None),
            (_, Some(_)) => bad("only staff belong to a store"),
        }
    }
}

/// An account as an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Its id.
    pub id: String,
    /// Its e-mail address.
    pub email: String,
    /// Its display name.
    pub display_name: String,
    /// What it may do.
    pub role: Role,
    /// The store, for staff.
    pub store_id: Option<String>,
}

/// `PATCH /v1/me`: the fields to change; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileChange {
    /// A new display name (one line, not blank; trimmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$"
        )
    )]
    pub display_name: Option<String>,
    /// A new language for notifications and e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// A new IANA time zone.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::progress::TimeZoneName>))]
    pub time_zone: Option<String>,
    /// Grant or revoke the device-usage consent.
    #[serde(default)]
    pub device_usage_consent: Option<bool>,
    /// Turn senior mode on or off.
    #[serde(default)]
    pub senior_mode: Option<bool>,
}

/// `POST /v1/me/password`: a new password, given the current one. Every other session of the
/// account ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub current_password: String,
    /// The new one: 8 to 128 characters, not the e-mail address.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

/// A new session: the bearer token to send as `Authorization: Bearer <token>` and when it
/// expires. The server keeps only a hash of the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The bearer token. Secret: never log it.
    pub token: String,
    /// When it stops working, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

/// The answer to sign-up and sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// Who signed in.
    pub profile: Profile,
    /// Their new session.
    pub session: Session,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_user_agent_reads_as_its_device() {
        let agent = app_user_agent("0.1.0", "linux", "Mei's laptop (work)\n");
        assert_eq!(agent, "Hearth/0.1.0 (linux; Mei's laptop work)");
        assert_eq!(device_label(&agent), "Mei's laptop work · linux");
        assert_eq!(device_label(&app_user_agent("0.1.0", "android", " ")), "Hearth · android");
        assert_eq!(device_label("curl/8.5.0"), "curl/8.5.0");
    }

    #[test]
    fn mailed_codes_are_read_as_typed_or_pasted() {
        assert_eq!(typed_mailed_code(" 123 456 ").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12345a", "", "１２３４５６"] {
            assert_eq!(typed_mailed_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(normalize_email("  Li.Wei@Example.COM ").as_deref(), Ok("li.wei@example.com"));
        for bad in ["", "li.wei", "@example.com", "li wei@example.com", "li@", "li@localhost"] {
            assert_eq!(normalize_email(bad).map_err(|e| e.field), Err("email"), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(normalize_email(&long).is_err());
        // What an HTML e-mail field accepts is accepted, with a dot in the domain.
        for good in ["o'brien+hearth@mail.example.cn", "a@b-c.d", "x_y@1.io"] {
            assert!(normalize_email(good).is_ok(), "{good:?}");
        }
        for bad in
            ["\"li\"@example.com", "li@[127.0.0.1]", "li@-example.com", "li@example-.com", "王@例子.中国"]
        {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_follow_length_rules_in_characters() {
        assert!(check_password("correct horse", "a@b.cn").is_ok());
        assert!(check_password("short", "a@b.cn").is_err());
        // Eight CJK characters are 24 bytes but eight characters: accepted.
        assert!(check_password("我的家很温暖呀", "a@b.cn").is_err());
        assert!(check_password("我的家很温暖的呀", "a@b.cn").is_ok());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1), "a@b.cn").is_err());
        assert!(check_password("Li@Example.com", "li@example.com").is_err());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(normalize_display_name("  王阿姨 ").as_deref(), Ok("王阿姨"));
        assert!(normalize_display_name("   ").is_err());
        assert!(normalize_display_name("a\u{0007}b").is_err());
        assert!(normalize_display_name(&"名".repeat(MAX_DISPLAY_NAME_CHARS + 1)).is_err());
        assert!(
            normalize_display_name("\u{3000}\u{a0}").is_err(),
            "ideographic and no-break spaces are white space"
        );
    }

    #[test]
    fn unknown_sign_up_fields_are_refused() {
        let json = r#"{"email":"a@b.cn","password":"xxxxxxxx","displayName":"A","role":"operator"}"#;
        assert!(serde_json::from_str::<SignUpRequest>(json).is_err(), "no one signs up as an operator");
    }

    #[test]
    fn roles_round_trip_their_storage_spelling() {
        for role in [Role::Consumer, Role::Staff, Role::Operator] {
            assert_eq!(Role::from_storage(role.as_str()), Some(role));
        }
        assert_eq!(Role::from_storage("admin"), None);
    }
}
