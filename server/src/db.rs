//! The database: connecting to SQLite or PostgreSQL behind one pool type, migrating, seeding.
//!
//! Queries go through sqlx's `Any` driver so one binary serves both backends. Queries use `$N`
//! placeholders, which both SQLite and PostgreSQL accept; where the dialects differ, the code
//! branches on [`Backend`].

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::error::{Error, Result};

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: the default for one machine.
    Sqlite,
    /// A PostgreSQL server: for several instances behind a load balancer.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> Result<Self> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Backend::Sqlite),
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            _ => Err(Error::Config(format!(
                "unsupported database URL scheme in `{}`: expected sqlite:// or postgres://",
                crate::config::redact_url(url)
            ))),
        }
    }
}

/// A connection pool and the backend it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// How long a request waits for a free connection before answering 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a SQLite writer waits on another's lock before failing.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

impl Db {
    /// Connects (creating a SQLite file and its directory if missing) and migrates the schema.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed during a write; foreign keys are off by
                        // default in SQLite and must be asked for on every connection.
                        // synchronous=FULL: a committed ledger transfer survives power loss
                        // (NORMAL in WAL mode may lose the last commits).
                        conn.execute(sqlx::raw_sql(&format!(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA synchronous = FULL;"
                        )))
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        // One set of migrations, written in the SQL both engines accept. When a change needs
        // dialect-specific SQL, split them into migrations/sqlite and migrations/postgres (the
        // checksums of the shared history stay the same) and pick by backend here.
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool, backend })
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection, waiting for queries in flight.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure a SQLite URL creates its file (`mode=rwc`) and that the file's directory exists.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(Error::Config(
            "an in-memory SQLite database would lose everything on restart; give a file path".into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    Ok(if query.split('&').any(|kv| kv.starts_with("mode=")) {
        url.to_owned()
    } else if query.is_empty() {
        format!("sqlite://{path}?mode=rwc")
    } else {
        format!("sqlite://{path}?{query}&mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_unless_they_choose_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a/b/hearth.db");
        let url = format!("sqlite://{}", path.display());
        assert_eq!(prepare_sqlite_url(&url).expect("ok"), format!("{url}?mode=rwc"));
        assert!(path.parent().expect("has parent").is_dir(), "parent directories are created");
        let ro = format!("{url}?mode=ro");
        assert_eq!(prepare_sqlite_url(&ro).expect("ok"), ro);
        assert!(prepare_sqlite_url("sqlite::memory:").is_err());
    }

    #[test]
    fn unknown_schemes_are_refused_without_leaking_passwords() {
        let err = Backend::from_url("mysql://root:hunter2@db/hearth").expect_err("refused");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert_eq!(Backend::from_url("postgresql://db/h").expect("ok"), Backend::Postgres);
    }
}
