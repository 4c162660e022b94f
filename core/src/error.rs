//! The one error type of the domain crate.

/// Something in the domain's input was not what the rules allow.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A field of a challenge (or another catalog entry) broke a rule.
    #[error("invalid `{field}` in challenge `{id}`: {reason}")]
    InvalidChallenge {
        /// The challenge's id, as given (may itself be the invalid field).
        id: String,
        /// The field that broke the rule, in its wire spelling (`title.zh-CN`, `points`, ...).
        field: &'static str,
        /// What was expected, in plain words.
        reason: String,
    },
    /// A value outside its enumeration.
    #[error("invalid `{field}`: `{value}`, expected {expected}")]
    InvalidValue {
        /// The field, in its wire spelling.
        field: &'static str,
        /// The value given.
        value: String,
        /// The values allowed, in plain words.
        expected: &'static str,
    },
    /// Two challenges in one catalog share an id.
    #[error("challenge id `{0}` appears more than once in the catalog")]
    DuplicateChallenge(String),
    /// A locale tag that Hearth does not ship.
    #[error("unsupported locale `{0}`: expected `en` or `zh-CN`")]
    UnsupportedLocale(String),
    /// A translation resource failed to parse or misses a message.
    #[error("translations for {locale}: {reason}")]
    Translation {
        /// The locale whose resource is broken.
        locale: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// The domain's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
