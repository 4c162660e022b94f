//! The server's configuration, from command-line flags or the environment.

use std::net::SocketAddr;

use clap::{Args, ValueEnum};

/// How to run the server. Every flag can also come from the environment variable it names.
#[derive(Clone, Args)]
pub struct Config {
    /// Where the data lives: `sqlite://path/to/file.db` (created and migrated on start) or
    /// `postgres://user:password@host/database`.
    #[arg(long, env = "HEARTH_DATABASE_URL", default_value = "sqlite://hearth-server.db")]
    pub database_url: String,

    /// Directory for uploaded photos (created if missing). Instances sharing one PostgreSQL must
    /// share this directory too (a network file system).
    #[arg(long, env = "HEARTH_MEDIA_DIR", default_value = "hearth-media")]
    pub media_dir: std::path::PathBuf,

    /// Address and port to listen on; port 0 picks a free one.
    #[arg(long, env = "HEARTH_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// Most database connections this instance holds open.
    #[arg(long, env = "HEARTH_MAX_DB_CONNECTIONS", default_value_t = 16)]
    pub max_db_connections: u32,

    /// Sign-up and sign-in attempts one client address may make in a burst.
    #[arg(long, env = "HEARTH_AUTH_BURST", default_value_t = 10)]
    pub auth_burst: u32,

    /// Seconds after which one more attempt is allowed once the burst is spent.
    #[arg(long, env = "HEARTH_AUTH_REPLENISH_SECS", default_value_t = 6.0)]
    pub auth_replenish_secs: f64,

    /// Writes (POST, PUT, PATCH, DELETE) one session, or one address without a session, may
    /// make in a burst.
    #[arg(long, env = "HEARTH_WRITE_BURST", default_value_t = 120)]
    pub write_burst: u32,

    /// Seconds after which one more write is allowed once the burst is spent.
    #[arg(long, env = "HEARTH_WRITE_REPLENISH_SECS", default_value_t = 0.25)]
    pub write_replenish_secs: f64,

    /// Base64 key (at least 32 bytes) that signs reward codes. Without it the server generates
    /// one on first start and keeps it in the database, shared by every instance.
    #[arg(long, env = "HEARTH_CODE_SIGNING_KEY", hide_env_values = true)]
    pub code_signing_key: Option<String>,

    /// People in one weekly-league group, at most.
    #[arg(long, env = "HEARTH_LEAGUE_GROUP_SIZE", default_value_t = hearth_core::league::GROUP_SIZE)]
    pub league_group_size: usize,

    /// Where outgoing mail (password-reset codes) goes: `smtp://host:port` (plain, for a relay on
    /// the same machine), `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host` (TLS). Without it, and without `--mail-dir`, no mail is sent
    /// and nobody can reset a password.
    #[arg(long, env = "HEARTH_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Writes outgoing mail as `.eml` files into this directory instead of sending it (a local
    /// run; `scripts/run.sh` uses it).
    #[arg(long, env = "HEARTH_MAIL_DIR", conflicts_with = "smtp_url")]
    pub mail_dir: Option<std::path::PathBuf>,

    /// The sender of outgoing mail.
    #[arg(long, env = "HEARTH_MAIL_FROM", default_value = "Hearth <no-reply@hearth.example>")]
    pub mail_from: String,

    /// `text` for people, `json` (one object per line) for log collectors.
    #[arg(long, env = "HEARTH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How the server writes its logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Config {
    /// A configuration for `database_url` on a free loopback port, photos under the system's
    /// temporary directory, defaults elsewhere.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            media_dir: std::env::temp_dir().join("hearth-media"),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            max_db_connections: 8,
            auth_burst: 10,
            auth_replenish_secs: 6.0,
            write_burst: 120,
            write_replenish_secs: 0.25,
            code_signing_key: None,
            league_group_size: hearth_core::league::GROUP_SIZE,
            smtp_url: None,
            mail_dir: None,
            mail_from: "Hearth <no-reply@hearth.example>".to_owned(),
            log_format: LogFormat::Text,
        }
    }
}

impl std::fmt::Debug for Config {
    // The database URL may carry a password: log it with the password masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("media_dir", &self.media_dir)
            .field("listen", &self.listen)
            .field("max_db_connections", &self.max_db_connections)
            .field("auth_burst", &self.auth_burst)
            .field("auth_replenish_secs", &self.auth_replenish_secs)
            .field("write_burst", &self.write_burst)
            .field("write_replenish_secs", &self.write_replenish_secs)
            .field("code_signing_key", &self.code_signing_key.as_ref().map(|_| "***"))
            .field("league_group_size", &self.league_group_size)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_dir", &self.mail_dir)
            .field("mail_from", &self.mail_from)
            .field("log_format", &self.log_format)
            .finish()
    }
}

/// `scheme://user:secret@host/db` → `scheme://user:***@host/db`; other URLs unchanged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_debug_output() {
        let config = Config::for_database("postgres://hearth:s3cret@db.internal/hearth");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://hearth:***@db.internal/hearth"), "{shown}");
        assert_eq!(redact_url("sqlite://hearth.db"), "sqlite://hearth.db");
    }
}
