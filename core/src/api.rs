//! Wire types of the server's HTTP API that are not tied to one resource.

use serde::{Deserialize, Serialize};

/// The body of every error answer: `{"error": {"code": ..., "message": ..., "field": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// One error answer's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code (`not-found`, `invalid-field`, `unavailable`, ...).
    pub code: ApiCode,
    /// A sentence for developers and logs; never internals such as SQL or stack traces.
    pub message: String,
    /// The offending request field, in its wire spelling, when one is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every code an error answer can carry: the server answers with these, clients match on them.
/// A code this build does not know (a newer server's) reads as [`ApiCode::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ApiCode {
    /// No route or resource at that address.
    NotFound,
    /// The route exists but not for that method.
    MethodNotAllowed,
    /// The body is not JSON.
    MalformedJson,
    /// The body was not sent with the content type the route reads.
    UnsupportedMediaType,
    /// The body is larger than the route accepts.
    PayloadTooLarge,
    /// A field broke a rule; the answer's `field` names it.
    InvalidField,
    /// A device event was refused: the user has not consented to device-use collection.
    NoConsent,
    /// A self-reported task was refused: its proof photo is missing or not the user's.
    ProofRefused,
    /// An event is not one the challenge counts.
    InvalidEvent,
    /// A field's value is already taken (an e-mail address, an id).
    Taken,
    /// No valid session came with a request that needs one.
    Unauthenticated,
    /// The session has expired.
    SessionExpired,
    /// The e-mail address or the password is wrong.
    WrongCredentials,
    /// Too many requests; the `Retry-After` header says when to try again.
    RateLimited,
    /// The signed-in account may not do this.
    Forbidden,
    /// A wallet has fewer points than the transfer takes.
    InsufficientPoints,
    /// The challenge was completed already.
    AlreadyCompleted,
    /// The user has not joined the weekly league.
    NotInLeague,
    /// The reward code was used already.
    CodeUsed,
    /// A household's owner tried to leave it.
    OwnerCannotLeave,
    /// The reward code has expired (its points went back).
    CodeExpired,
    /// An upload is not an image in an accepted format, or is damaged.
    BadImage,
    /// An upload would decode to more pixels than allowed.
    ImageTooLarge,
    /// The expert session has no places left.
    SessionFull,
    /// The expert session has started or ended.
    SessionStarted,
    /// A dependency (the database) is not answering; try again later.
    Unavailable,
    /// The server failed.
    Internal,
    /// A code this build does not know.
    #[serde(other)]
    Unknown,
}

impl ApiCode {
    /// The code as it is spelled on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiCode::NotFound => "not-found",
            ApiCode::MethodNotAllowed => "method-not-allowed",
            ApiCode::MalformedJson => "malformed-json",
            ApiCode::UnsupportedMediaType => "unsupported-media-type",
            ApiCode::PayloadTooLarge => "payload-too-large",
            ApiCode::InvalidField => "invalid-field",
            ApiCode::NoConsent => "no-consent",
            ApiCode::ProofRefused => "proof-refused",
            ApiCode::InvalidEvent => "invalid-event",
            ApiCode::Taken => "taken",
            ApiCode::Unauthenticated => "unauthenticated",
            ApiCode::SessionExpired => "session-expired",
            ApiCode::WrongCredentials => "wrong-credentials",
            ApiCode::RateLimited => "rate-limited",
            ApiCode::Forbidden => "forbidden",
            ApiCode::InsufficientPoints => "insufficient-points",
            ApiCode::AlreadyCompleted => "already-completed",
            ApiCode::NotInLeague => "not-in-league",
            ApiCode::CodeUsed => "code-used",
            ApiCode::OwnerCannotLeave => "owner-cannot-leave",
            ApiCode::CodeExpired => "code-expired",
            ApiCode::BadImage => "bad-image",
            ApiCode::ImageTooLarge => "image-too-large",
            ApiCode::SessionFull => "session-full",
            ApiCode::SessionStarted => "session-started",
            ApiCode::Unavailable => "unavailable",
            ApiCode::Internal => "internal",
            ApiCode::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ApiCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when every dependency answers, `degraded` otherwise.
    pub status: HealthState,
    /// Whether the database answered a trivial query.
    pub database: HealthState,
}

/// One dependency's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HealthState {
    /// Answering.
    Ok,
    /// Not answering in time.
    Unavailable,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_spelled_on_the_wire_as_it_names_itself() {
        let all = [
            ApiCode::NotFound,
            ApiCode::MethodNotAllowed,
            ApiCode::MalformedJson,
            ApiCode::UnsupportedMediaType,
            ApiCode::PayloadTooLarge,
            ApiCode::InvalidField,
            ApiCode::NoConsent,
            ApiCode::ProofRefused,
            ApiCode::InvalidEvent,
            ApiCode::Taken,
            ApiCode::Unauthenticated,
            ApiCode::SessionExpired,
            ApiCode::WrongCredentials,
            ApiCode::RateLimited,
            ApiCode::Forbidden,
            ApiCode::InsufficientPoints,
            ApiCode::AlreadyCompleted,
            ApiCode::NotInLeague,
            ApiCode::CodeUsed,
            ApiCode::OwnerCannotLeave,
            ApiCode::CodeExpired,
            ApiCode::BadImage,
            ApiCode::ImageTooLarge,
            ApiCode::SessionFull,
            ApiCode::SessionStarted,
            ApiCode::Unavailable,
            ApiCode::Internal,
            ApiCode::Unknown,
        ];
        for code in all {
            let wire = serde_json::to_value(code).expect("serializes");
            assert_eq!(wire, serde_json::Value::from(code.as_str()));
            assert_eq!(serde_json::from_value::<ApiCode>(wire).expect("reads back"), code);
        }
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"brand-new","message":"m"}}"#).expect("reads");
        assert_eq!(body.error.code, ApiCode::Unknown);
    }
}
