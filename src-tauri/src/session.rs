//! The session context every feature reaches from the app handle: who is signed in, the engine
//! that talks to the server for them, and queueing a change of theirs (offline too). Below the
//! features and the commands, above the account, the engine and the sync worker.

use hearth_client::engine::{Account, Engine};
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Manager, Runtime};

use crate::account::AccountState;
use crate::error::{Error, Result};
use crate::sync::{self, EngineCell, SyncState};

/// The signed-in account, or `signed-out`.
pub fn signed_in<R: Runtime>(app: &AppHandle<R>) -> Result<Account> {
    app.state::<AccountState>().account().ok_or(Error::SignedOut)
}

/// The signed-in account and the engine that calls the server for it (online commands).
pub fn signed_in_engine<R: Runtime>(app: &AppHandle<R>) -> Result<(Account, &Engine)> {
    let account = signed_in(app)?;
    let engine = app.state::<EngineCell>().inner().get()?;
    Ok((account, engine))
}

/// Queues `kind` for the signed-in user (offline too) and tells the worker.
pub async fn enqueue<R: Runtime>(app: &AppHandle<R>, kind: OpKind) -> Result<()> {
    let account = signed_in(app)?;
    app.state::<EngineCell>().get()?.enqueue(&account.user_id, kind).await?;
    queued(app).await;
    Ok(())
}

/// After a change was queued: a sync is asked for and the waiting count refreshed.
pub async fn queued<R: Runtime>(app: &AppHandle<R>) {
    app.state::<SyncState>().sync_now();
    sync::refresh_counts(app).await;
}
