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

wire_codes! {
    /// Every code an error answer can carry: the server answers with these, clients match on
    /// them. A code this build does not know (a newer server's) reads as [`ApiCode::Unknown`].
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ApiCode {
        /// No route or resource at that address.
        NotFound = "not-found",
        /// The route exists but not for that method.
        MethodNotAllowed = "method-not-allowed",
        /// The body is not JSON.
        MalformedJson = "malformed-json",
        /// The body was not sent with the content type the route reads.
        UnsupportedMediaType = "unsupported-media-type",
        /// The body is larger than the route accepts.
        PayloadTooLarge = "payload-too-large",
        /// A field broke a rule; the answer's `field` names it.
        InvalidField = "invalid-field",
        /// A device event was refused: the user has not consented to device-use collection.
        NoConsent = "no-consent",
        /// A self-reported task was refused: its proof photo is missing or not the user's.
        ProofRefused = "proof-refused",
        /// An event is not one the challenge counts.
        InvalidEvent = "invalid-event",
        /// A field's value is already taken (an e-mail address, an id).
        Taken = "taken",
        /// No valid session came with a request that needs one.
        Unauthenticated = "unauthenticated",
        /// The session has expired.
        SessionExpired = "session-expired",
        /// The e-mail address or the password is wrong.
        WrongCredentials = "wrong-credentials",
        /// Too many requests; the `Retry-After` header says when to try again.
        RateLimited = "rate-limited",
        /// The signed-in account may not do this.
        Forbidden = "forbidden",
        /// A wallet has fewer points than the transfer takes.
        InsufficientPoints = "insufficient-points",
        /// The challenge was completed already.
        AlreadyCompleted = "already-completed",
        /// The user has not joined the weekly league.
        NotInLeague = "not-in-league",
        /// The reward code was used already.
        CodeUsed = "code-used",
        /// A password-reset code is wrong, has expired, or was used (deliberately not saying
        /// which, nor whether the address has an account).
        InvalidCode = "invalid-code",
        /// A household's owner tried to leave it.
        OwnerCannotLeave = "owner-cannot-leave",
        /// The reward code has expired (its points went back).
        CodeExpired = "code-expired",
        /// An upload is not an image in an accepted format, or is damaged.
        BadImage = "bad-image",
        /// An upload would decode to more pixels than allowed.
        ImageTooLarge = "image-too-large",
        /// The expert session has no places left.
        SessionFull = "session-full",
        /// The expert session has started or ended.
        SessionStarted = "session-started",
        /// A help request from someone whose household has set up no family contacts for them.
        NoFamilyContacts = "no-family-contacts",
        /// A dependency (the database) is not answering; try again later.
        Unavailable = "unavailable",
        /// The server failed.
        Internal = "internal",
        ..
        /// A code this build does not know.
        Unknown = "unknown",
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
        for &code in ApiCode::ALL {
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
