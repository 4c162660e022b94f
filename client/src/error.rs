//! What a call to the server can come to other than its answer.

use hearth_core::api::ApiCode;
use hearth_core::ipc::SyncProblem;

/// Why a call to the server gave no answer of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The configured server address is not an http(s) URL.
    #[error("the server address is unusable: {0}")]
    InvalidUrl(String),
    /// No connection could be made, or it broke (no network, the server down or gone mid-answer).
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server took longer than the client's timeout.
    #[error("the server took too long to answer")]
    TimedOut,
    /// The server refused the request with an error answer.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The answer was larger than the client reads.
    #[error("the answer is larger than {limit} bytes")]
    TooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
    /// The answer could not be read as what the endpoint promises.
    #[error("the answer could not be read: {0}")]
    BadResponse(String),
}

/// An error answer, as the server sent it (`{"error": {"code", "message", "field"}}`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the server refused ({status}, {code}): {message}")]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The machine-readable code ([`ApiCode::Unknown`] for a body that is not an error body).
    pub code: ApiCode,
    /// The server's sentence for developers (never shown to users as it is).
    pub message: String,
    /// The request field to blame, when the server named one.
    pub field: Option<String>,
    /// When to try again, for `rate-limited` answers that said.
    pub retry_after_secs: Option<u64>,
}

impl ClientError {
    /// The server's code, when the server refused.
    pub fn code(&self) -> Option<ApiCode> {
        match self {
            ClientError::Api(error) => Some(error.code),
            _ => None,
        }
    }

    /// The HTTP status, when the server refused.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api(error) => Some(error.status),
            _ => None,
        }
    }

    /// Whether the session is no longer valid (signed out elsewhere, expired): sign in again.
    pub fn is_signed_out(&self) -> bool {
        self.status() == Some(401)
    }

    /// Whether the server could not be asked at all (offline, down, too slow): what was kept
    /// last may be shown instead.
    pub fn is_offline(&self) -> bool {
        matches!(self, ClientError::Unreachable(_) | ClientError::TimedOut)
    }

    /// What the user is told about a sync that failed this way.
    pub fn problem(&self) -> SyncProblem {
        match self {
            ClientError::InvalidUrl(_) => SyncProblem::InvalidServerUrl,
            ClientError::Unreachable(_) => SyncProblem::Unreachable,
            ClientError::TimedOut => SyncProblem::TimedOut,
            ClientError::Api(error) if error.status == 401 => SyncProblem::SignedOut,
            ClientError::Api(error) => SyncProblem::ServerError { status: error.status },
            ClientError::TooLarge { .. } => SyncProblem::TooLarge,
            ClientError::BadResponse(_) => SyncProblem::BadResponse,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    /// A transport failure; the URL is left out (it may hold credentials).
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            ClientError::TimedOut
        } else {
            ClientError::Unreachable(error.without_url().to_string())
        }
    }
}
