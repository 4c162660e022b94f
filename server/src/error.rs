//! The server's one error type, and how each error becomes an HTTP answer.

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::api::{ApiCode, ErrorBody, ErrorDetail};

/// Everything that can go wrong starting the server or answering a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration cannot work (an unsupported database URL, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The database refused or failed a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The listening socket could not be opened, or serving failed.
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
    /// A stored row does not hold what the schema promises.
    #[error("corrupt stored data: {0}")]
    CorruptData(String),
    /// The shipped seed content is invalid (a build defect; `hearth-core`'s tests catch it).
    #[error("invalid seed content: {0}")]
    Seed(#[from] hearth_core::catalog::CatalogParseError),
    /// No route or resource at that address.
    #[error("no such resource")]
    NotFound,
    /// The route exists but not for that method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is not JSON.
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body was not sent as `application/json`.
    #[error("expected a body with Content-Type: application/json")]
    UnsupportedMediaType,
    /// The body is larger than the route accepts.
    #[error("the body is too large")]
    PayloadTooLarge,
    /// A field broke a rule (wrong type, out of range, missing, unknown).
    #[error("invalid `{field}`: {reason}")]
    InvalidField {
        /// The field's path in the request, in its wire spelling.
        field: String,
        /// What was expected.
        reason: String,
    },
    /// Every event of a synced batch was refused (`code`: `no-consent`, `proof-refused` or
    /// `invalid-event`); the first one's reason.
    #[error("no event was counted: {reason}")]
    EventsRefused {
        /// Why the first was refused, as a code.
        code: ApiCode,
        /// Why, in words.
        reason: String,
    },
    /// A field's value is already taken (an e-mail address, ...).
    #[error("`{field}` is already in use")]
    Taken {
        /// The field.
        field: &'static str,
    },
    /// No valid session came with a request that needs one.
    #[error("sign in first: no valid session token was sent")]
    Unauthenticated,
    /// The session token has expired.
    #[error("the session has expired; sign in again")]
    SessionExpired,
    /// The e-mail address or the password is wrong (deliberately not saying which).
    #[error("the e-mail address or the password is wrong")]
    WrongCredentials,
    /// Too many requests from this client; try again after the given seconds.
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited {
        /// When to try again.
        retry_after_secs: u64,
    },
    /// The signed-in user may not do this.
    #[error("not allowed for this account")]
    Forbidden,
    /// The challenge was completed already; it cannot be joined again.
    #[error("this challenge is already completed")]
    AlreadyCompleted,
    /// The user has not joined the weekly league.
    #[error("not taking part in the weekly league; join it first")]
    NotInLeague,
    /// The reward code was used already.
    #[error("this code has been used already")]
    CodeUsed,
    /// A password-reset code is wrong, has expired or was used.
    #[error("this code is wrong or no longer works; ask for a new one")]
    InvalidCode,
    /// The reward code has expired (its points went back to the customer).
    #[error("this code has expired; its points went back to the customer")]
    CodeExpired,
    /// A household's owner tried to leave it (hand it over or delete it instead).
    #[error("the owner cannot leave their own household")]
    OwnerCannotLeave,
    /// A wallet has fewer points than the transfer takes.
    #[error("not enough points")]
    InsufficientPoints,
    /// An upload is not an image in an accepted format, or is damaged.
    #[error("{0}")]
    BadImage(String),
    /// An upload would decode to more pixels than allowed.
    #[error("{0}")]
    ImageTooLarge(String),
    /// The expert session has no places left.
    #[error("this session is full")]
    SessionFull,
    /// The expert session has started or ended; places are no longer taken or given back.
    #[error("this session has already started")]
    SessionStarted,
    /// A help request from someone with no family contacts to reach.
    #[error("no family contacts to ask: a household's owner sets them up for its seniors")]
    NoFamilyContacts,
    /// Outgoing mail could not be built or sent.
    #[error("mail: {0}")]
    Mail(String),
    /// Password hashing or another blocking task failed.
    #[error("background task failed: {0}")]
    Task(String),
}

impl From<hearth_core::fields::FieldError> for Error {
    fn from(error: hearth_core::fields::FieldError) -> Self {
        Error::InvalidField { field: error.field.to_owned(), reason: error.reason }
    }
}

/// Maps a unique-constraint violation to 409 `taken` naming `field`; other errors pass through.
pub fn taken_on_unique(error: sqlx::Error, field: &'static str) -> Error {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => Error::Taken { field },
        other => other.into(),
    }
}

/// The server's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The cause of a failed request, attached to its response so that the logging middleware (which
/// runs inside the request's trace span) can log it; the client never sees it.
#[derive(Debug, Clone)]
pub struct ErrorCause(pub Arc<String>);

impl Error {
    /// Whether the request was at fault (a 4xx), as opposed to the server.
    pub fn is_client_error(&self) -> bool {
        self.status_and_code().0.is_client_error()
    }

    /// The stable code of the error's answer (`not-found`, `invalid-field`, ...).
    pub fn code(&self) -> ApiCode {
        self.status_and_code().1
    }

    fn status_and_code(&self) -> (StatusCode, ApiCode) {
        match self {
            Error::NotFound => (StatusCode::NOT_FOUND, ApiCode::NotFound),
            Error::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ApiCode::MethodNotAllowed),
            Error::MalformedJson(_) => (StatusCode::BAD_REQUEST, ApiCode::MalformedJson),
            Error::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ApiCode::UnsupportedMediaType)
            }
            Error::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ApiCode::PayloadTooLarge),
            Error::InvalidField { .. } => (StatusCode::UNPROCESSABLE_ENTITY, ApiCode::InvalidField),
            Error::EventsRefused { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            Error::Taken { .. } => (StatusCode::CONFLICT, ApiCode::Taken),
            Error::Unauthenticated => (StatusCode::UNAUTHORIZED, ApiCode::Unauthenticated),
            Error::SessionExpired => (StatusCode::UNAUTHORIZED, ApiCode::SessionExpired),
            Error::WrongCredentials => (StatusCode::UNAUTHORIZED, ApiCode::WrongCredentials),
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ApiCode::RateLimited),
            Error::Forbidden => (StatusCode::FORBIDDEN, ApiCode::Forbidden),
            Error::InsufficientPoints => (StatusCode::CONFLICT, ApiCode::InsufficientPoints),
            Error::AlreadyCompleted => (StatusCode::CONFLICT, ApiCode::AlreadyCompleted),
            Error::NotInLeague => (StatusCode::NOT_FOUND, ApiCode::NotInLeague),
            Error::CodeUsed => (StatusCode::CONFLICT, ApiCode::CodeUsed),
            Error::InvalidCode => (StatusCode::UNPROCESSABLE_ENTITY, ApiCode::InvalidCode),
            Error::OwnerCannotLeave => (StatusCode::CONFLICT, ApiCode::OwnerCannotLeave),
            Error::CodeExpired => (StatusCode::GONE, ApiCode::CodeExpired),
            Error::BadImage(_) => (StatusCode::UNPROCESSABLE_ENTITY, ApiCode::BadImage),
            Error::ImageTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ApiCode::ImageTooLarge),
            Error::SessionFull => (StatusCode::CONFLICT, ApiCode::SessionFull),
            Error::SessionStarted => (StatusCode::CONFLICT, ApiCode::SessionStarted),
            Error::NoFamilyContacts => (StatusCode::CONFLICT, ApiCode::NoFamilyContacts),
            Error::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, ApiCode::Unavailable)
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ApiCode::Internal),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // Client errors say what was wrong; server errors say only that it was the server's
        // fault, since their text could carry SQL or paths.
        let message = match status {
            StatusCode::SERVICE_UNAVAILABLE => "the service is temporarily unavailable".to_owned(),
            s if s.is_server_error() => "internal server error".to_owned(),
            _ => self.to_string(),
        };
        let field = match &self {
            Error::InvalidField { field, .. } => Some(field.clone()),
            Error::Taken { field } => Some((*field).to_owned()),
            Error::BadImage(_) | Error::ImageTooLarge(_) => Some("photo".to_owned()),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code, message, field } };
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        if let Error::RateLimited { retry_after_secs } = &self {
            headers.insert(header::RETRY_AFTER, (*retry_after_secs).into());
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(ErrorCause(Arc::new(self.to_string())));
        response
    }
}
