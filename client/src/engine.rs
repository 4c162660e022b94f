//! The offline-first sync engine: the outbox of local changes, pushing it and pulling the
//! server's changes through the [`Client`], over the device's SQLite store ([`MIGRATIONS`]).
//!
//! Guarantees, each kept by where a transaction ends:
//! - A local change and its outbox op are one row written in one transaction; the op (a UUIDv7)
//!   leaves the outbox only once the server has applied it and the pull that brings its effect
//!   is written (in that pull's transaction), so killing the app at any point loses nothing and
//!   a change never disappears from view between push and pull: a push whose answer never
//!   arrived is sent again, and the server applies each (user, device, op) once and answers a
//!   repeat with its stored result.
//! - Pulled changes and the pull cursor are written in one transaction: a pull cut short is
//!   pulled again, never half-applied.
//! - Nothing the server sends is applied unless it is complete, well-formed, within the size
//!   limit, and answers exactly the ops that were sent.
//! - A clock hours off is measured against the server's `Date` header and corrected in the
//!   timestamps an op carries, so events recorded offline still land on the right day.
//! - A proof photo waits on the device beside its op and is uploaded before the push under its
//!   own id as the idempotency key: an upload whose answer was lost is answered, when sent
//!   again, with the photo the server already made, never a second one.
//!
//! The engine has no Tauri types: the worker drives it in the app, tests drive it directly
//! against a real server with faults injected.

use std::sync::Arc;
use std::time::Duration;

use hearth_core::ipc::{Fetched, SyncProblem};
use hearth_core::progress::Event;
use hearth_core::sync::protocol::{
    MAX_CHANGES_PER_PULL, MAX_OPS_PER_PUSH, Op, OpKind, OpStatus, PullResponse, PushRequest, PushResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Row, SqlitePool};

pub use crate::Account;
use crate::{Client, ClientError};

/// One step of the device store's schema: its version, name and SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its place in the order, from 1.
    pub version: i64,
    /// What it adds.
    pub description: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// The device store's schema, in order: the engine's tables (outbox, confirmed entities, sync
/// state, waiting photos) and the shell's (settings, catalog, drafts), which the shell registers
/// with tauri-plugin-sql. Never edit one that has shipped: add another.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "local_store",
        sql: include_str!("../migrations/0001_local_store.sql"),
    },
    Migration { version: 2, description: "outbox", sql: include_str!("../migrations/0002_outbox.sql") },
    Migration { version: 3, description: "drafts", sql: include_str!("../migrations/0003_drafts.sql") },
    Migration {
        version: 4,
        description: "pending_photos",
        sql: include_str!("../migrations/0004_pending_photos.sql"),
    },
    Migration {
        version: 5,
        description: "outbox_applied",
        sql: include_str!("../migrations/0005_outbox_applied.sql"),
    },
];

/// What can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The local store failed a query.
    #[error("local store: {0}")]
    Store(#[from] sqlx::Error),
    /// A stored record does not hold what was written.
    #[error("corrupt record in the local store: {0}")]
    CorruptRecord(String),
    /// The engine's configuration is unusable (the server URL).
    #[error("configuration: {0}")]
    Config(String),
    /// A call to the server failed.
    #[error("server: {0}")]
    Server(#[from] ClientError),
}

type Error = EngineError;
/// The engine's result type.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// How an event names a proof photo still on the device: `device:{its key}`.
pub const DEVICE_PHOTO_PREFIX: &str = "device:";
/// Milliseconds since the Unix epoch, as this device believes.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Milliseconds since the Unix epoch by the device's clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The device's clock.
pub fn system_clock() -> Clock {
    Arc::new(now_ms)
}

/// Clock differences smaller than this are left alone: the server tolerates a few minutes.
const SKEW_TOLERANCE_MS: i64 = 60_000;

/// Why a sync attempt failed: what the user is told, and the cause for the log.
#[derive(Debug)]
pub struct SyncFailure {
    /// What the user is told.
    pub problem: SyncProblem,
    /// The cause, for the log (never shown, never carries the token).
    pub cause: String,
}

impl SyncFailure {
    /// A failure with its cause.
    pub fn new(problem: SyncProblem, cause: impl std::fmt::Display) -> Self {
        Self { problem, cause: cause.to_string() }
    }

    fn store(error: impl std::fmt::Display) -> Self {
        Self::new(SyncProblem::LocalStore, error)
    }
}

impl From<ClientError> for SyncFailure {
    fn from(error: ClientError) -> Self {
        Self::new(error.problem(), &error)
    }
}

/// How the engine reaches the server.
#[derive(Clone)]
pub struct EngineConfig {
    /// The server's base URL.
    pub server_url: String,
    /// A request taking longer than this counts as failed.
    pub request_timeout: Duration,
    /// Largest answer accepted, in bytes.
    pub max_response_bytes: usize,
    /// The device's clock.
    pub clock: Clock,
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("server_url", &self.server_url)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A queued op as the UI lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedOp {
    /// Its id.
    pub op_id: String,
    /// What it does.
    pub kind: OpKind,
    /// When it was made.
    pub created_at_ms: i64,
    /// `None` while waiting; the server's code and reason once it refused the op.
    pub rejected: Option<(String, String)>,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Ops the server applied (now or before).
    pub applied: usize,
    /// Ops the server refused (kept for the user to see and discard).
    pub rejected: usize,
    /// Changes pulled.
    pub pulled: usize,
}

/// The engine over the local store's pool.
#[derive(Debug, Clone)]
pub struct Engine {
    pool: SqlitePool,
    client: Client,
    client_id: String,
    config: EngineConfig,
}

impl Engine {
    /// An engine on `pool` (the local store, migrated), talking to `config.server_url`. The
    /// device's client id is made on first use and kept in the store.
    pub async fn new(pool: SqlitePool, config: EngineConfig) -> Result<Self> {
        let client = Client::new(&config.server_url, config.request_timeout)
            .map_err(|e| Error::Config(e.to_string()))?
            .with_max_response_bytes(config.max_response_bytes);
        sqlx::query(
            "INSERT INTO sync_state (key, value) VALUES ('client_id', $1) ON CONFLICT (key) DO NOTHING",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .execute(&pool)
        .await?;
        let client_id: String = sqlx::query_scalar("SELECT value FROM sync_state WHERE key = 'client_id'")
            .fetch_one(&pool)
            .await?;
        Ok(Self { pool, client, client_id, config })
    }

    /// This device's id in the sync protocol.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client of the same server (timeouts and limits set), for the shell's online calls.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Queues a local change for `user_id`; returns its op id. The op is the local change: it
    /// is written in one transaction and shown as pending until the server confirms it.
    pub async fn enqueue(&self, user_id: &str, kind: OpKind) -> Result<String> {
        let mut tx = self.pool.begin().await?;
        let op_id = self.enqueue_in(&mut tx, user_id, kind).await?;
        tx.commit().await?;
        Ok(op_id)
    }

    async fn enqueue_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        user_id: &str,
        kind: OpKind,
    ) -> Result<String> {
        let op = Op { op_id: uuid::Uuid::now_v7().to_string(), kind };
        let body = serde_json::to_string(&op).map_err(|e| Error::CorruptRecord(e.to_string()))?;
        sqlx::query("INSERT INTO outbox (user_id, op_id, body, created_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(&op.op_id)
            .bind(body)
            .bind((self.config.clock)())
            .execute(&mut **tx)
            .await?;
        Ok(op.op_id)
    }

    /// Queues `event` for `user_id` with `jpeg` (already checked and made small) as its proof
    /// photo, kept on the device until a sync uploads it; returns the op id. The photo and the
    /// op are written in one transaction: offline too, the task is recorded at once.
    pub async fn enqueue_proof(&self, user_id: &str, mut event: Event, jpeg: &[u8]) -> Result<String> {
        let key = uuid::Uuid::now_v7().to_string();
        event.proof_photo_id = Some(format!("{DEVICE_PHOTO_PREFIX}{key}"));
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO pending_photos (user_id, id, jpeg, created_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(&key)
            .bind(jpeg)
            .bind((self.config.clock)())
            .execute(&mut *tx)
            .await?;
        let op_id = self.enqueue_in(&mut tx, user_id, OpKind::RecordEvents { events: vec![event] }).await?;
        tx.commit().await?;
        Ok(op_id)
    }

    /// The user's queued ops, oldest first: waiting ones and refused ones.
    pub async fn queued(&self, user_id: &str) -> Result<Vec<QueuedOp>> {
        let rows = sqlx::query(
            "SELECT body, created_at_ms, status, code, reason FROM outbox \
             WHERE user_id = $1 AND status != 'applied' ORDER BY seq",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let body: String = row.try_get("body")?;
                let op: Op = serde_json::from_str(&body)
                    .map_err(|e| Error::CorruptRecord(format!("outbox op: {e}")))?;
                let status: String = row.try_get("status")?;
                let rejected = if status == "rejected" {
                    Some((
                        row.try_get::<Option<String>, _>("code")?.unwrap_or_default(),
                        row.try_get::<Option<String>, _>("reason")?.unwrap_or_default(),
                    ))
                } else {
                    None
                };
                Ok(QueuedOp {
                    op_id: op.op_id,
                    kind: op.kind,
                    created_at_ms: row.try_get("created_at_ms")?,
                    rejected,
                })
            })
            .collect()
    }

    /// The user's ops whose effect the device has not pulled yet, oldest first: those waiting
    /// for the server and those it applied since the last complete pull (what the UI lays over
    /// the confirmed state, so a change never vanishes between the push and the pull).
    pub async fn pending_ops(&self, user_id: &str) -> Result<Vec<Op>> {
        let bodies: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE user_id = $1 AND status IN ('pending', 'applied') ORDER BY seq",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        bodies
            .iter()
            .map(|body| {
                serde_json::from_str(body).map_err(|e| Error::CorruptRecord(format!("outbox op: {e}")))
            })
            .collect()
    }

    /// How many of the user's ops wait for the server, and how many it refused.
    pub async fn counts(&self, user_id: &str) -> Result<(u64, u64)> {
        let (pending, rejected): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'rejected'), 0) \
             FROM outbox WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(pending).unwrap_or(0), u64::try_from(rejected).unwrap_or(0)))
    }

    /// How many of the user's ops wait for the server.
    pub async fn pending_count(&self, user_id: &str) -> Result<u64> {
        Ok(self.counts(user_id).await?.0)
    }

    /// Removes an op the server refused, once the user has seen why; false if there is no such
    /// refused op (waiting ops cannot be discarded: the server may have applied them already).
    pub async fn discard(&self, user_id: &str, op_id: &str) -> Result<bool> {
        let removed =
            sqlx::query("DELETE FROM outbox WHERE user_id = $1 AND op_id = $2 AND status = 'rejected'")
                .bind(user_id)
                .bind(op_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
        Ok(removed == 1)
    }

    /// The server's confirmed state of the user's `entity` records, by id.
    pub async fn confirmed<T: DeserializeOwned>(
        &self,
        user_id: &str,
        entity: &str,
    ) -> Result<Vec<(String, T)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body FROM entities WHERE user_id = $1 AND entity = $2 ORDER BY id")
                .bind(user_id)
                .bind(entity)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(id, body)| {
                let value = serde_json::from_str(&body)
                    .map_err(|e| Error::CorruptRecord(format!("{entity} `{id}`: {e}")))?;
                Ok((id, value))
            })
            .collect()
    }

    /// Reads something from the server with `fetch` and keeps it as the user's `entity`; when
    /// the server cannot be reached, answers what was kept last instead (marked as such), or
    /// the failure if nothing was. Signed-out failures are never answered from the cache.
    pub async fn fetched_or_cached<T, F>(
        &self,
        account: &Account,
        entity: &str,
        now_ms: i64,
        fetch: F,
    ) -> Result<Fetched<T>>
    where
        T: Serialize + DeserializeOwned,
        F: std::future::Future<Output = Result<T, ClientError>>,
    {
        match fetch.await {
            Ok(value) => {
                let kept = serde_json::json!({ "value": &value, "fetchedAtMs": now_ms });
                self.put_entity(&account.user_id, entity, "latest", &kept).await?;
                Ok(Fetched { value, from_cache: false, fetched_at_ms: now_ms })
            }
            // Offline, or the server failing: what was kept. A refusal (signed out, forbidden)
            // is the answer, never covered by an old copy.
            Err(error) if !error.status().is_some_and(|s| (400..500).contains(&s)) => {
                let kept: Vec<(String, serde_json::Value)> = self.confirmed(&account.user_id, entity).await?;
                let Some((_, kept)) = kept.into_iter().find(|(id, _)| id == "latest") else {
                    return Err(error.into());
                };
                let value = serde_json::from_value(kept["value"].clone())
                    .map_err(|e| Error::CorruptRecord(format!("kept {entity}: {e}")))?;
                Ok(Fetched {
                    value,
                    from_cache: true,
                    fetched_at_ms: kept["fetchedAtMs"].as_i64().unwrap_or(0),
                })
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Stores a server document for `user_id` that is not part of the change feed (a cached
    /// feed page), replacing any before it.
    pub async fn put_entity(
        &self,
        user_id: &str,
        entity: &str,
        id: &str,
        body: &serde_json::Value,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO entities (user_id, entity, id, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, entity, id) DO UPDATE SET body = excluded.body",
        )
        .bind(user_id)
        .bind(entity)
        .bind(id)
        .bind(body.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes everything the device holds of `user_id` (sign-out). Their waiting ops go too:
    /// call it only once the user has agreed, or once the outbox is empty.
    pub async fn forget(&self, user_id: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for table in ["outbox", "entities", "user_sync", "drafts", "pending_photos"] {
            // `table` is one of the constants above, never input.
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Pushes every waiting op, then pulls every change; the report says what happened.
    pub async fn sync(&self, account: &Account) -> Result<SyncReport, SyncFailure> {
        sqlx::query("INSERT INTO user_sync (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING")
            .bind(&account.user_id)
            .execute(&self.pool)
            .await
            .map_err(SyncFailure::store)?;
        let mut report = SyncReport::default();
        if self.pending_count(&account.user_id).await.map_err(SyncFailure::store)? > 0 {
            // Know the server's time before stamping anything with ours.
            self.measure_skew(account).await?;
        }
        self.upload_photos(account, &mut report).await?;
        self.push(account, &mut report).await?;
        self.pull(account, &mut report).await?;
        Ok(report)
    }

    /// Uploads the proof photos waiting on the device, oldest first, each under its own id as
    /// the idempotency key (an upload whose answer was lost is answered with the same photo
    /// when sent again). Each upload's outcome is written in one transaction: the events that
    /// name the photo get the server's id, or, if the server refuses the photo for good, their
    /// ops are marked refused with its reason; then the photo leaves the device.
    async fn upload_photos(&self, account: &Account, report: &mut SyncReport) -> Result<(), SyncFailure> {
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT id FROM pending_photos WHERE user_id = $1 ORDER BY created_at_ms, id")
                .bind(&account.user_id)
                .fetch_all(&self.pool)
                .await
                .map_err(SyncFailure::store)?;
        for key in keys {
            // One photo in memory at a time.
            let jpeg: Vec<u8> = sqlx::query_scalar("SELECT jpeg FROM pending_photos WHERE id = $1")
                .bind(&key)
                .fetch_one(&self.pool)
                .await
                .map_err(SyncFailure::store)?;
            let outcome = match self.client.upload_photo(&account.token, jpeg, Some(&key)).await {
                Ok(photo) => Ok(photo.id),
                // Refused for good (not "sign in again", "too soon" or "try later").
                Err(ClientError::Api(error))
                    if (400..500).contains(&error.status) && ![401, 408, 429].contains(&error.status) =>
                {
                    tracing::info!(status = error.status, code = %error.code, "the server refused a proof photo");
                    let code = match error.code {
                        hearth_core::api::ApiCode::Unknown => "bad-image",
                        code => code.as_str(),
                    };
                    Err((code.to_owned(), error.message))
                }
                Err(error) => return Err(error.into()),
            };
            self.settle_photo(account, &key, outcome, report).await.map_err(SyncFailure::store)?;
        }
        Ok(())
    }

    /// Writes what became of the device's photo `key`: the server's photo id into the events
    /// that name it, or its refusal onto their ops; and forgets the photo.
    async fn settle_photo(
        &self,
        account: &Account,
        key: &str,
        outcome: Result<String, (String, String)>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let local = format!("{DEVICE_PHOTO_PREFIX}{key}");
        let mut tx = self.pool.begin().await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT op_id, body FROM outbox WHERE user_id = $1 AND status = 'pending' AND instr(body, $2) > 0",
        )
        .bind(&account.user_id)
        .bind(&local)
        .fetch_all(&mut *tx)
        .await?;
        for (op_id, body) in rows {
            let mut op: Op =
                serde_json::from_str(&body).map_err(|e| Error::CorruptRecord(format!("outbox op: {e}")))?;
            let OpKind::RecordEvents { events } = &mut op.kind else { continue };
            let naming = events.iter_mut().filter(|e| e.proof_photo_id.as_deref() == Some(local.as_str()));
            match &outcome {
                Ok(photo_id) => {
                    naming.for_each(|e| e.proof_photo_id = Some(photo_id.clone()));
                    let body = serde_json::to_string(&op).map_err(|e| Error::CorruptRecord(e.to_string()))?;
                    sqlx::query("UPDATE outbox SET body = $1 WHERE op_id = $2")
                        .bind(body)
                        .bind(&op_id)
                        .execute(&mut *tx)
                        .await?;
                }
                Err((code, reason)) => {
                    if naming.count() == 0 {
                        continue;
                    }
                    sqlx::query(
                        "UPDATE outbox SET status = 'rejected', code = $1, reason = $2 WHERE op_id = $3",
                    )
                    .bind(code)
                    .bind(reason)
                    .bind(&op_id)
                    .execute(&mut *tx)
                    .await?;
                    report.rejected += 1;
                }
            }
        }
        sqlx::query("DELETE FROM pending_photos WHERE id = $1").bind(key).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the difference between the server's clock (its `Date` header) and ours.
    async fn measure_skew(&self, account: &Account) -> Result<(), SyncFailure> {
        let sent_at = (self.config.clock)();
        let server_ms = self.client.server_time().await?;
        let received_at = (self.config.clock)();
        self.note_skew(account, server_ms, sent_at, received_at).await
    }

    async fn note_skew(
        &self,
        account: &Account,
        server_ms: Option<i64>,
        sent_at: i64,
        received_at: i64,
    ) -> Result<(), SyncFailure> {
        let Some(server_ms) = server_ms else { return Ok(()) };
        // The Date header has whole seconds: compare against the middle of the exchange.
        let local = sent_at + (received_at - sent_at) / 2;
        let skew = server_ms + 500 - local;
        let skew = if skew.abs() < SKEW_TOLERANCE_MS { 0 } else { skew };
        sqlx::query("UPDATE user_sync SET skew_ms = $1 WHERE user_id = $2")
            .bind(skew)
            .bind(&account.user_id)
            .execute(&self.pool)
            .await
            .map_err(SyncFailure::store)?;
        if skew != 0 {
            tracing::info!(skew_ms = skew, "this device's clock is off; correcting the times it sends");
        }
        Ok(())
    }

    async fn push(&self, account: &Account, report: &mut SyncReport) -> Result<(), SyncFailure> {
        // Measured before the push (and by the last pull); a push does not change it.
        let skew: i64 = sqlx::query_scalar("SELECT skew_ms FROM user_sync WHERE user_id = $1")
            .bind(&account.user_id)
            .fetch_one(&self.pool)
            .await
            .map_err(SyncFailure::store)?;
        loop {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT body FROM outbox WHERE user_id = $1 AND status = 'pending' ORDER BY seq LIMIT $2",
            )
            .bind(&account.user_id)
            .bind(MAX_OPS_PER_PUSH as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(SyncFailure::store)?;
            if rows.is_empty() {
                return Ok(());
            }
            let ops = rows
                .iter()
                .map(|(body,)| {
                    serde_json::from_str::<Op>(body).map(|op| corrected(op, skew)).map_err(SyncFailure::store)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let request = PushRequest { client_id: self.client_id.clone(), ops };
            let answer: PushResponse = self.client.push(&account.token, &request).await?;
            let answers_each_op = answer.results.len() == request.ops.len()
                && answer.results.iter().zip(&request.ops).all(|(result, op)| result.op_id == op.op_id);
            if !answers_each_op {
                return Err(SyncFailure::new(
                    SyncProblem::BadResponse,
                    "the push answer does not match the ops sent",
                ));
            }
            let mut tx = self.pool.begin().await.map_err(SyncFailure::store)?;
            for result in &answer.results {
                match result.status {
                    // Kept, marked, until the pull brings its effect (see `pull`).
                    OpStatus::Applied => {
                        sqlx::query("UPDATE outbox SET status = 'applied' WHERE op_id = $1")
                            .bind(&result.op_id)
                            .execute(&mut *tx)
                            .await
                    }
                    OpStatus::Rejected => {
                        tracing::info!(op = %result.op_id, code = ?result.code, "the server refused a queued change");
                        sqlx::query("UPDATE outbox SET status = 'rejected', code = $1, reason = $2 WHERE op_id = $3")
                            .bind(result.code.as_deref().unwrap_or("rejected"))
                            .bind(result.reason.as_deref().unwrap_or_default())
                            .bind(&result.op_id)
                            .execute(&mut *tx)
                            .await
                    }
                }
                .map_err(SyncFailure::store)?;
                match result.status {
                    OpStatus::Applied => report.applied += 1,
                    OpStatus::Rejected => report.rejected += 1,
                }
            }
            sqlx::query("UPDATE user_sync SET pushed_at_ms = $1 WHERE user_id = $2")
                .bind((self.config.clock)())
                .bind(&account.user_id)
                .execute(&mut *tx)
                .await
                .map_err(SyncFailure::store)?;
            tx.commit().await.map_err(SyncFailure::store)?;
        }
    }

    async fn pull(&self, account: &Account, report: &mut SyncReport) -> Result<(), SyncFailure> {
        loop {
            let cursor: i64 = sqlx::query_scalar("SELECT cursor FROM user_sync WHERE user_id = $1")
                .bind(&account.user_id)
                .fetch_one(&self.pool)
                .await
                .map_err(SyncFailure::store)?;
            let sent_at = (self.config.clock)();
            let answer = self.client.pull(&account.token, cursor, MAX_CHANGES_PER_PULL).await?;
            let received_at = (self.config.clock)();
            self.note_skew(account, answer.server_time_ms, sent_at, received_at).await?;
            let page: PullResponse = answer.value;
            let in_order = page.changes.windows(2).all(|w| w[0].seq < w[1].seq)
                && page.changes.iter().all(|c| c.seq > cursor && c.seq <= page.cursor)
                && page.cursor >= cursor;
            if !in_order {
                return Err(SyncFailure::new(SyncProblem::BadResponse, "the pull answer is out of sequence"));
            }
            let mut tx = self.pool.begin().await.map_err(SyncFailure::store)?;
            for change in &page.changes {
                let result = match change.entity.as_str() {
                    "participation-left" => sqlx::query(
                        "DELETE FROM entities WHERE user_id = $1 AND entity = 'participation' AND id = $2",
                    )
                    .bind(&account.user_id)
                    .bind(&change.id)
                    .execute(&mut *tx)
                    .await,
                    entity => {
                        sqlx::query(
                            "INSERT INTO entities (user_id, entity, id, body) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (user_id, entity, id) DO UPDATE SET body = excluded.body",
                        )
                        .bind(&account.user_id)
                        .bind(entity)
                        .bind(&change.id)
                        .bind(change.body.to_string())
                        .execute(&mut *tx)
                        .await
                    }
                };
                result.map_err(SyncFailure::store)?;
            }
            sqlx::query("UPDATE user_sync SET cursor = $1, pulled_at_ms = $2 WHERE user_id = $3")
                .bind(page.cursor)
                .bind((self.config.clock)())
                .bind(&account.user_id)
                .execute(&mut *tx)
                .await
                .map_err(SyncFailure::store)?;
            if !page.has_more {
                // Everything the server applied is in what was just pulled: the ops go with
                // the same commit that makes their effect the confirmed state.
                sqlx::query("DELETE FROM outbox WHERE user_id = $1 AND status = 'applied'")
                    .bind(&account.user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(SyncFailure::store)?;
            }
            tx.commit().await.map_err(SyncFailure::store)?;
            report.pulled += page.changes.len();
            if !page.has_more {
                return Ok(());
            }
        }
    }
}

/// `op` with the times it carries moved by `skew_ms`, the server's clock minus ours.
fn corrected(mut op: Op, skew_ms: i64) -> Op {
    if skew_ms == 0 {
        return op;
    }
    match &mut op.kind {
        OpKind::JoinChallenge { joined_at_ms: Some(at), .. } => *at += skew_ms,
        OpKind::RecordEvents { events } => events.iter_mut().for_each(|e| e.occurred_at_ms += skew_ms),
        _ => {}
    }
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_moves_the_times_an_op_carries_and_nothing_else() {
        let events = OpKind::RecordEvents {
            events: vec![Event {
                id: "e1".into(),
                kind: "device.light.off".into(),
                occurred_at_ms: 1_000,
                duration_minutes: None,
                proof_photo_id: None,
            }],
        };
        let op = Op { op_id: "op".into(), kind: events };
        let OpKind::RecordEvents { events } = corrected(op.clone(), -400).kind else { panic!("same kind") };
        assert_eq!((events[0].occurred_at_ms, events[0].id.as_str()), (600, "e1"));
        assert_eq!(corrected(op.clone(), 0), op);
        let join = Op {
            op_id: "j".into(),
            kind: OpKind::JoinChallenge { challenge_id: "c".into(), joined_at_ms: None },
        };
        assert_eq!(corrected(join.clone(), 5_000), join, "the server stamps a join without a time");
    }
}
