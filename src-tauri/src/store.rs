//! The device's local store: a SQLite file owned by tauri-plugin-sql (its migrations, its pool),
//! reached from Rust through the plugin's [`DbInstances`].
//!
//! Before the SQL plugin opens the file, [`guard`] checks it: a file that is not a database or
//! fails SQLite's integrity check is moved aside and a fresh store is created, so a damaged disk
//! costs a re-sync, never a crash on start-up.

use std::path::{Path, PathBuf};

use hearth_core::catalog::{Catalog, Challenge};
use hearth_core::i18n::Locale;
use hearth_core::ipc::Settings;
use sqlx::{Connection, SqlitePool};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_sql::{DbInstances, DbPool, Migration, MigrationKind};

use crate::error::{Error, Result};

/// The local store's migrations, in order: the schema the sync engine and the shell share
/// ([`hearth_client::engine::MIGRATIONS`]), as the SQL plugin registers them.
pub fn migrations() -> Vec<Migration> {
    hearth_client::engine::MIGRATIONS
        .iter()
        .map(|m| Migration {
            version: m.version,
            description: m.description,
            sql: m.sql,
            kind: MigrationKind::Up,
        })
        .collect()
}

/// The plugin URL of the local store: the first database `tauri.conf.json` preloads
/// (`plugins.sql.preload`). Relative paths are inside the app's config directory.
pub fn store_url(config: &tauri::Config) -> Result<String> {
    config
        .plugins
        .0
        .get("sql")
        .and_then(|sql| sql.get("preload"))
        .and_then(|preload| preload.get(0))
        .and_then(|url| url.as_str())
        .filter(|url| url.starts_with("sqlite:"))
        .map(str::to_owned)
        .ok_or_else(|| Error::Config("plugins.sql.preload must name a sqlite: database".into()))
}

/// Whether the store was found damaged at start-up and rebuilt. Managed by [`guard`].
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreRecovered(pub bool);

/// A plugin, registered before the SQL plugin, that sets a damaged store file aside.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::<R, ()>::new("hearth-store-guard")
        .setup(|app, _api| {
            let url = store_url(app.config())?;
            let path = store_path(app, &url)?;
            let recovered = tauri::async_runtime::block_on(set_aside_if_damaged(&path))?;
            app.manage(StoreRecovered(recovered));
            Ok(())
        })
        .build()
}

fn store_path<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<PathBuf> {
    let file = url.trim_start_matches("sqlite:");
    let file = Path::new(file);
    Ok(if file.is_absolute() { file.to_owned() } else { app.path().app_config_dir()?.join(file) })
}

/// Moves `path` (and its WAL and shared-memory files) aside if it exists and is not a healthy
/// SQLite database. Returns whether it did.
pub async fn set_aside_if_damaged(path: &Path) -> Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let verdict = check_integrity(path).await;
    if let Err(reason) = verdict {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let aside = path.with_extension(format!("db.damaged-{stamp}"));
        tracing::warn!(
            file = ?path.file_name(),
            moved_to = ?aside.file_name(),
            reason,
            "the local store is damaged; setting it aside and starting a fresh one"
        );
        std::fs::rename(path, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                let mut side_aside = aside.as_os_str().to_owned();
                side_aside.push(suffix);
                std::fs::rename(&side, PathBuf::from(side_aside))?;
            }
        }
        return Ok(true);
    }
    Ok(false)
}

async fn check_integrity(path: &Path) -> std::result::Result<(), String> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.map_err(|e| e.to_string())?;
    let verdict: String =
        sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut conn).await.map_err(|e| e.to_string())?;
    let _ = conn.close().await;
    if verdict == "ok" { Ok(()) } else { Err(verdict) }
}

/// The store's pool, once the SQL plugin has loaded it.
pub async fn pool<R: Runtime>(app: &AppHandle<R>) -> Result<SqlitePool> {
    let url = store_url(app.config())?;
    let instances = app.try_state::<DbInstances>().ok_or_else(|| Error::StoreNotLoaded(url.clone()))?;
    let instances = instances.0.read().await;
    match instances.get(&url) {
        Some(DbPool::Sqlite(pool)) => Ok(pool.clone()),
        _ => Err(Error::StoreNotLoaded(url)),
    }
}

/// The catalog as last synced, in display order.
pub async fn list_challenges(pool: &SqlitePool) -> Result<Vec<Challenge>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM challenges ORDER BY position, id").fetch_all(pool).await?;
    rows.into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).map_err(|e| Error::CorruptRecord(format!("challenge `{id}`: {e}")))
        })
        .collect()
}

/// Replaces the local catalog with `catalog` and records the sync time, in one transaction.
/// Returns whether the catalog's content changed.
pub async fn replace_catalog(pool: &SqlitePool, catalog: &Catalog, synced_at_ms: i64) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let existing: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM challenges ORDER BY position, id").fetch_all(&mut *tx).await?;
    let incoming = catalog
        .challenges
        .iter()
        .map(|c| {
            Ok((c.id.clone(), serde_json::to_string(c).map_err(|e| Error::CorruptRecord(e.to_string()))?))
        })
        .collect::<Result<Vec<_>>>()?;
    let changed = existing != incoming;
    if changed {
        sqlx::query("DELETE FROM challenges").execute(&mut *tx).await?;
        for (position, (id, body)) in incoming.iter().enumerate() {
            sqlx::query("INSERT INTO challenges (id, position, body) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(position as i64)
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
    }
    put(&mut tx, "sync_state", "catalog_synced_at_ms", &synced_at_ms.to_string()).await?;
    tx.commit().await?;
    Ok(changed)
}

/// When the catalog was last synced, in milliseconds since the Unix epoch.
pub async fn last_synced_at_ms(pool: &SqlitePool) -> Result<Option<i64>> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM sync_state WHERE key = 'catalog_synced_at_ms'")
            .fetch_optional(pool)
            .await?;
    value.map(|v| v.parse().map_err(|_| Error::CorruptRecord(format!("sync time `{v}`")))).transpose()
}

/// The user's settings on this device.
pub async fn settings(pool: &SqlitePool) -> Result<Settings> {
    let locale: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'locale'").fetch_optional(pool).await?;
    let locale = match locale {
        Some(tag) => match Locale::from_tag(&tag) {
            Ok(locale) => Some(locale),
            Err(error) => {
                // An unknown stored tag falls back to the system language rather than failing.
                tracing::warn!(%error, "ignoring the stored locale");
                None
            }
        },
        None => None,
    };
    Ok(Settings { locale })
}

/// Remembers the chosen language.
pub async fn set_locale(pool: &SqlitePool, locale: Locale) -> Result<Settings> {
    let mut conn = pool.acquire().await?;
    put(&mut conn, "settings", "locale", locale.tag()).await?;
    drop(conn);
    settings(pool).await
}

/// A device setting kept as text (`None` when never set).
pub async fn setting(pool: &SqlitePool, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(pool).await?)
}

/// Keeps a device setting; `None` removes it.
pub async fn set_setting(pool: &SqlitePool, key: &str, value: Option<&str>) -> Result<()> {
    let mut conn = pool.acquire().await?;
    match value {
        Some(value) => put(&mut conn, "settings", key, value).await,
        None => {
            sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(&mut *conn).await?;
            Ok(())
        }
    }
}

/// A device setting kept as JSON: `None` when never set, or when what is kept no longer reads
/// as a `T` (an older version's; logged and dropped rather than fatal).
pub async fn setting_json<T: serde::de::DeserializeOwned>(pool: &SqlitePool, key: &str) -> Result<Option<T>> {
    Ok(setting(pool, key).await?.and_then(|json| {
        serde_json::from_str(&json)
            .map_err(|e| tracing::warn!(key, error = %e, "dropping an unreadable setting"))
            .ok()
    }))
}

/// Keeps a device setting as JSON; `None` removes it.
pub async fn set_setting_json<T: serde::Serialize>(
    pool: &SqlitePool,
    key: &str,
    value: Option<&T>,
) -> Result<()> {
    let json =
        value.map(serde_json::to_string).transpose().map_err(|e| Error::CorruptRecord(e.to_string()))?;
    set_setting(pool, key, json.as_deref()).await
}

async fn put(conn: &mut sqlx::SqliteConnection, table: &str, key: &str, value: &str) -> Result<()> {
    // `table` is one of this module's constants, never user input.
    sqlx::query(&format!(
        "INSERT INTO {table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    ))
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}
