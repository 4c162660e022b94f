//! The shell's one error type. Commands return it; it reaches the UI as a
//! [`CommandError`](hearth_core::ipc::CommandError) with a stable code.

use hearth_core::ipc::{CommandError, ErrorCode};

/// What can go wrong in the shell.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The local store failed a query.
    #[error("local store: {0}")]
    Store(#[from] sqlx::Error),
    /// The local store is not open (the SQL plugin did not load it).
    #[error("the local store `{0}` is not loaded")]
    StoreNotLoaded(String),
    /// A stored record does not hold what was written.
    #[error("corrupt record in the local store: {0}")]
    CorruptRecord(String),
    /// The app's configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// Reading or moving a file failed.
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// A Tauri operation failed.
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
    /// A call to the server failed: not reached, refused (the server's code says why), or
    /// answered unusably.
    #[error("server: {0}")]
    Server(#[from] hearth_client::ClientError),
    /// The shell refused the request; the code says why (`pending-changes`, `not-found`, ...).
    #[error("refused: {0}")]
    Refused(ErrorCode),
    /// Nobody is signed in.
    #[error("nobody is signed in")]
    SignedOut,
    /// The room preview refused an edit; the code says why.
    #[error("room preview: {0}")]
    Preview(hearth_preview::editor::EditError),
    /// The room preview could not render (no graphics adapter, a failed read-back).
    #[error("room preview rendering: {0}")]
    Render(String),
}

impl From<hearth_client::engine::EngineError> for Error {
    fn from(error: hearth_client::engine::EngineError) -> Self {
        use hearth_client::engine::EngineError;
        match error {
            EngineError::Store(e) => Error::Store(e),
            EngineError::CorruptRecord(what) => Error::CorruptRecord(what),
            EngineError::Config(what) => Error::Config(what),
            EngineError::Server(e) => Error::Server(e),
        }
    }
}

/// The shell's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The code the UI matches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Store(_) | Error::StoreNotLoaded(_) | Error::CorruptRecord(_) | Error::Io(_) => {
                ErrorCode::LocalStore
            }
            Error::Config(_) => ErrorCode::Config,
            Error::Tauri(_) => ErrorCode::Internal,
            // The server's refusal as what it means for the user; a failed call as its problem.
            Error::Server(hearth_client::ClientError::Api(api)) => api.code.into(),
            Error::Server(other) => other.problem().into(),
            Error::Refused(code) => *code,
            Error::SignedOut => ErrorCode::SignedOut,
            Error::Preview(error) => error.code(),
            Error::Render(_) => ErrorCode::PreviewRender,
        }
    }
}

impl Error {
    /// Whether this is an expected state or the user's input (signed out, offline, refused by
    /// the server, an edit the preview cannot make) rather than a failure of the shell itself.
    fn is_expected(&self) -> bool {
        match self {
            // The server failing is not the user's doing, nor an expected state.
            Error::Server(error) => error.status().is_none_or(|s| s < 500),
            Error::Refused(_) | Error::SignedOut | Error::Preview(_) => true,
            _ => false,
        }
    }
}

/// Every command's error passes here on its way to the UI: the one place it is logged, at debug
/// for expected states and at ERROR for the shell's own failures, so that a signed-out user
/// opening the app or a wrong password is not an alarm.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let code = self.code();
        if self.is_expected() {
            tracing::debug!(%code, error = %self, "command refused");
        } else {
            tracing::error!(%code, error = %self, "command failed");
        }
        CommandError { code, message: self.to_string() }.serialize(serializer)
    }
}
