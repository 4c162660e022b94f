//! The weekly league on the device: the user's group this week (as last read when offline),
//! joining and leaving (online: the table lives on the server).

use hearth_core::api::ApiCode;
use hearth_core::ipc::Fetched;
use hearth_core::league::LeagueView;
use tauri::{AppHandle, Runtime};

use crate::Result;

/// The user's league this week; `None` when they have not joined it. As last read (and marked
/// so) when the server cannot be reached.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn league<R: Runtime>(app: AppHandle<R>) -> Result<Fetched<Option<LeagueView>>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    let fetch = async {
        match engine.client().league(&account.token).await {
            Err(error) if error.code() == Some(ApiCode::NotInLeague) => Ok(None),
            answer => answer.map(Some),
        }
    };
    Ok(engine.fetched_or_cached(&account, "league", hearth_client::engine::now_ms(), fetch).await?)
}

/// Joins the league (idempotent); the user's group this week.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn join_league<R: Runtime>(app: AppHandle<R>) -> Result<LeagueView> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    Ok(engine.client().join_league(&account.token).await?)
}

/// Leaves the league.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn leave_league<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    Ok(engine.client().leave_league(&account.token).await?)
}
