//! The background sync worker: fetches the catalog from the server into the local store, pushes
//! and pulls the signed-in account's changes through the engine, runs the after-sync hooks the
//! features subscribed ([`AfterSync`]), keeps the [`SyncStatus`] the UI shows (connectivity,
//! waiting and refused changes), and backs off with jitter while the server is unreachable.
//! Nothing it receives replaces local data unless it is complete and valid.

use std::sync::Mutex;

use hearth_client::engine::{Engine, EngineConfig, SyncFailure as Failure};
use hearth_client::{Client, ClientError};
use hearth_core::ipc::{Connectivity, SyncProblem, SyncStatus, event};
use sqlx::SqlitePool;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::account::{self, AccountState};
use crate::config::ShellConfig;
use crate::hooks::AfterSync;
use crate::store;

/// The worker's shared state: the status the UI reads and a bell to ring for "sync now".
#[derive(Debug, Default)]
pub struct SyncState {
    status: Mutex<SyncStatus>,
    wake: Notify,
    stopping: std::sync::atomic::AtomicBool,
}

impl SyncState {
    /// The current status.
    pub fn status(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Asks the worker to attempt a sync now rather than at its next tick.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Stops the sync worker after the attempt in flight, if any, and the app's clocks at their
    /// next tick (the app is going away).
    pub fn stop(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Whether the app is stopping: background work (the sync worker, the clocks) ends.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Records that the local store was rebuilt at start-up.
    pub fn mark_store_recovered(&self) {
        self.update(|s| s.store_recovered = true);
    }

    fn update(&self, change: impl FnOnce(&mut SyncStatus)) -> SyncStatus {
        let mut status = self.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut status);
        status.clone()
    }
}

/// The engine, once the worker has opened it (commands that need it wait for nothing: before
/// then they answer that the store is not loaded).
#[derive(Debug, Default)]
pub struct EngineCell(pub tokio::sync::OnceCell<Engine>);

impl EngineCell {
    /// The engine, or the store's not-loaded error.
    pub fn get(&self) -> crate::Result<&Engine> {
        self.0.get().ok_or_else(|| crate::Error::StoreNotLoaded("the sync engine is starting".into()))
    }
}

/// Starts the worker on Tauri's async runtime. It runs until the app exits.
pub fn spawn<R: Runtime>(app: AppHandle<R>, config: ShellConfig) {
    tauri::async_runtime::spawn(async move {
        let pool = match store::pool(&app).await {
            Ok(pool) => pool,
            Err(error) => {
                tracing::error!(%error, "sync worker cannot start without the local store");
                publish(&app, |s| {
                    s.connectivity = Connectivity::Offline;
                    s.problem = Some(SyncProblem::LocalStore);
                });
                return;
            }
        };
        match store::last_synced_at_ms(&pool).await {
            Ok(last) => publish(&app, |s| s.last_synced_at_ms = last),
            Err(error) => tracing::warn!(%error, "cannot read the last sync time"),
        }
        let engine_config = EngineConfig {
            server_url: config.server_url.clone(),
            request_timeout: config.request_timeout,
            max_response_bytes: config.max_response_bytes,
            clock: hearth_client::engine::system_clock(),
        };
        match Engine::new(pool.clone(), engine_config).await {
            Ok(engine) => {
                let _ = app.state::<EngineCell>().0.set(engine);
            }
            // A bad server URL: the catalog fetch below reports it; the app works offline.
            Err(error) => tracing::warn!(%error, "the sync engine is off"),
        }
        if let Err(error) = account::restore(&pool, &app.state::<AccountState>()).await {
            tracing::warn!(%error, "cannot restore the signed-in account");
        }
        run(app, config, pool).await;
    });
}

async fn run<R: Runtime>(app: AppHandle<R>, config: ShellConfig, pool: SqlitePool) {
    // A bad server address fails every attempt, and the UI says so; the app works offline.
    let client = Client::new(&config.server_url, config.request_timeout)
        .map(|c| c.with_max_response_bytes(config.max_response_bytes));
    let mut failures = 0u32;
    while !app.state::<SyncState>().is_stopping() {
        let outcome = match sync_once(&client, &pool).await {
            Ok(synced_at_ms) => sync_account(&app).await.map(|()| synced_at_ms),
            Err(failure) => Err(failure),
        };
        let counts = queue_counts(&app).await;
        match outcome {
            Ok(synced_at_ms) => {
                failures = 0;
                publish(&app, |s| {
                    s.connectivity = Connectivity::Online;
                    s.problem = None;
                    s.last_synced_at_ms = Some(synced_at_ms);
                    (s.signed_in, s.pending_changes, s.rejected_changes) = counts;
                });
            }
            Err(failure) => {
                failures = failures.saturating_add(1);
                tracing::warn!(problem = ?failure.problem, cause = %failure.cause, failures, "sync failed");
                publish(&app, |s| {
                    s.connectivity = match failure.problem {
                        SyncProblem::LocalStore | SyncProblem::SignedOut => s.connectivity,
                        _ => Connectivity::Offline,
                    };
                    s.problem = Some(failure.problem);
                    (s.signed_in, s.pending_changes, s.rejected_changes) = counts;
                });
            }
        }
        let delay = hearth_core::sync::next_delay(
            failures,
            config.sync_interval,
            config.max_backoff,
            fastrand::f64(),
        );
        let state = app.state::<SyncState>();
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = state.wake.notified() => {}
        }
    }
    tracing::debug!("sync worker stopped");
}

/// Pushes and pulls the signed-in user's data, if someone is signed in.
async fn sync_account<R: Runtime>(app: &AppHandle<R>) -> Result<(), Failure> {
    let cell = app.state::<EngineCell>();
    let (Some(account), Ok(engine)) = (app.state::<AccountState>().account(), cell.get()) else {
        return Ok(());
    };
    let report = engine.sync(&account).await?;
    // Whatever follows a sync (celebrations, reminders, help requests) has subscribed to it.
    if let Some(hooks) = app.try_state::<AfterSync<R>>() {
        hooks.run(app, &account).await;
    }
    if report != hearth_client::engine::SyncReport::default() {
        tracing::info!(
            applied = report.applied,
            rejected = report.rejected,
            pulled = report.pulled,
            "account synced"
        );
    }
    Ok(())
}

/// Whether someone is signed in, and how many of their changes wait or were refused.
async fn queue_counts<R: Runtime>(app: &AppHandle<R>) -> (bool, u64, u64) {
    let cell = app.state::<EngineCell>();
    let (Some(account), Ok(engine)) = (app.state::<AccountState>().account(), cell.get()) else {
        return (app.state::<AccountState>().account().is_some(), 0, 0);
    };
    match engine.counts(&account.user_id).await {
        Ok((pending, rejected)) => (true, pending, rejected),
        Err(error) => {
            tracing::warn!(%error, "cannot count the queued changes");
            (true, 0, 0)
        }
    }
}

/// Tells the UI the current counts (after a local change or a discard) without waiting for
/// the next sync.
pub async fn refresh_counts<R: Runtime>(app: &AppHandle<R>) {
    let counts = queue_counts(app).await;
    publish(app, |s| (s.signed_in, s.pending_changes, s.rejected_changes) = counts);
}

fn publish<R: Runtime>(app: &AppHandle<R>, change: impl FnOnce(&mut SyncStatus)) {
    let status = app.state::<SyncState>().update(change);
    if let Err(error) = app.emit(event::SYNC_STATUS, status) {
        tracing::warn!(%error, "cannot tell the UI about the sync status");
    }
}

/// One attempt: fetch, validate, store. Returns the sync time.
async fn sync_once(client: &Result<Client, ClientError>, pool: &SqlitePool) -> Result<i64, Failure> {
    let client = client.as_ref().map_err(|e| Failure::from(e.clone()))?;
    let catalog = client.challenges().await?;
    // The shape parsed; the rules (ids, texts, targets) are checked before anything is stored.
    catalog.validate().map_err(|e| Failure::new(SyncProblem::BadResponse, e))?;
    let synced_at_ms = hearth_client::engine::now_ms();
    let changed = store::replace_catalog(pool, &catalog, synced_at_ms)
        .await
        .map_err(|e| Failure::new(SyncProblem::LocalStore, e))?;
    tracing::info!(challenges = catalog.challenges.len(), changed, "catalog synced");
    Ok(synced_at_ms)
}
