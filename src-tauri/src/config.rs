//! The shell's configuration: which server to sync with and how often.

use std::time::Duration;

/// The server a build talks to unless `HEARTH_SERVER_URL` says otherwise: the local server that
/// the README's run command starts. Release builds for stores set it at compile time.
pub const DEFAULT_SERVER_URL: &str = match option_env!("HEARTH_DEFAULT_SERVER_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787/",
};

/// How the shell syncs.
#[derive(Debug, Clone)]
pub struct ShellConfig {
    /// The server's base URL, as configured (it may be invalid: the worker then reports that
    /// instead of syncing, and the app keeps working offline).
    pub server_url: String,
    /// Time between successful syncs.
    pub sync_interval: Duration,
    /// Longest wait between attempts while the server is failing.
    pub max_backoff: Duration,
    /// A request taking longer than this counts as failed.
    pub request_timeout: Duration,
    /// Largest catalog response accepted, in bytes.
    pub max_response_bytes: usize,
    /// Where the room preview saves share images (`HEARTH_EXPORT_DIR`); the user's pictures
    /// folder when unset.
    pub export_dir: Option<std::path::PathBuf>,
}

impl Default for ShellConfig {
    fn default() -> Self {
        Self {
            server_url: DEFAULT_SERVER_URL.to_owned(),
            sync_interval: Duration::from_secs(60),
            max_backoff: Duration::from_secs(300),
            request_timeout: Duration::from_secs(15),
            // The shipped catalog is ~5 KiB; the catalog's own limit of 1,000 challenges of at
            // most ~2 KiB each stays under 2 MiB.
            max_response_bytes: 2 * 1024 * 1024,
            export_dir: None,
        }
    }
}

impl ShellConfig {
    /// The defaults, overridden on desktop by `HEARTH_SERVER_URL`, `HEARTH_SYNC_INTERVAL_SECS`
    /// and `HEARTH_SYNC_MAX_BACKOFF_SECS`. A value that does not parse is logged and ignored.
    pub fn from_env() -> Self {
        let mut config = Self::default();
        #[cfg(desktop)]
        {
            if let Ok(url) = std::env::var("HEARTH_SERVER_URL") {
                config.server_url = url;
            }
            if let Some(secs) = env_secs("HEARTH_SYNC_INTERVAL_SECS") {
                config.sync_interval = secs;
            }
            if let Some(secs) = env_secs("HEARTH_SYNC_MAX_BACKOFF_SECS") {
                config.max_backoff = secs;
            }
            config.export_dir = std::env::var_os("HEARTH_EXPORT_DIR").map(Into::into);
        }
        config
    }
}

#[cfg(desktop)]
fn env_secs(name: &str) -> Option<Duration> {
    let value = std::env::var(name).ok()?;
    match value.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 => Some(Duration::from_secs_f64(secs)),
        _ => {
            tracing::warn!(name, value, "ignoring: expected a positive number of seconds");
            None
        }
    }
}
