//! The shell's one error type. Commands return it; it reaches the UI as a
//! [`CommandError`](hearth_core::ipc::CommandError) with a stable code.

use hearth_core::ipc::CommandError;

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
    /// The server could not be reached or answered unusably.
    #[error("sync: {}", .0.cause)]
    Sync(crate::engine::SyncFailure),
    /// The server (or the shell) refused the request; the code says why (`wrong-credentials`,
    /// `rate-limited`, `pending-changes`, ...).
    #[error("refused: {0}")]
    Refused(String),
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

impl From<crate::engine::EngineError> for Error {
    fn from(error: crate::engine::EngineError) -> Self {
        use crate::engine::EngineError;
        match error {
            EngineError::Store(e) => Error::Store(e),
            EngineError::CorruptRecord(what) => Error::CorruptRecord(what),
            EngineError::Config(what) => Error::Config(what),
            EngineError::Sync(failure) => Error::Sync(failure),
        }
    }
}

/// The shell's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn code(&self) -> String {
        match self {
            Error::Store(_) | Error::StoreNotLoaded(_) | Error::CorruptRecord(_) | Error::Io(_) => {
                "local-store".into()
            }
            Error::Config(_) => "config".into(),
            Error::Tauri(_) => "internal".into(),
            // The problem's message id without its prefix: `unreachable`, `timed-out`, ...
            Error::Sync(failure) => failure.problem.message_id().trim_start_matches("sync-problem-").into(),
            Error::Refused(code) => code.clone(),
            Error::SignedOut => "signed-out".into(),
            Error::Preview(error) => error.code().into(),
            Error::Render(_) => "preview-render".into(),
        }
    }
}

impl Error {
    /// Whether this is an expected state or the user's input (signed out, offline, refused by
    /// the server, an edit the preview cannot make) rather than a failure of the shell itself.
    fn is_expected(&self) -> bool {
        matches!(self, Error::Sync(_) | Error::Refused(_) | Error::SignedOut | Error::Preview(_))
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
