//! The server's one error type, and how each error becomes an HTTP answer.

use std::sync::Arc;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_core::api::{ErrorBody, ErrorDetail};

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
}

/// The server's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The cause of a failed request, attached to its response so that the logging middleware (which
/// runs inside the request's trace span) can log it; the client never sees it.
#[derive(Debug, Clone)]
pub struct ErrorCause(pub Arc<String>);

impl Error {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Error::NotFound => (StatusCode::NOT_FOUND, "not-found"),
            Error::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"),
            Error::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
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
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                field: None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        response
            .extensions_mut()
            .insert(ErrorCause(Arc::new(self.to_string())));
        response
    }
}
