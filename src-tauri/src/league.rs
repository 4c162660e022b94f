//! The weekly league on the device: the user's group this week (as last read when offline),
//! joining and leaving (online: the table lives on the server).

use hearth_core::ipc::Fetched;
use hearth_core::league::LeagueView;
use tauri::{AppHandle, Runtime};

use crate::engine::{EngineError, read_json};
use crate::{Error, Result};

const MAX_ANSWER_BYTES: usize = 256 * 1024;

async fn call<R: Runtime>(
    app: &AppHandle<R>,
    method: reqwest::Method,
    path: &str,
) -> Result<reqwest::Response> {
    let (account, engine) = crate::session::signed_in_engine(app)?;
    Ok(engine.call(method, path, Some(&account), None).await?)
}

/// The user's league this week; `None` when they have not joined it. As last read (and marked
/// so) when the server cannot be reached.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn league<R: Runtime>(app: AppHandle<R>) -> Result<Fetched<Option<LeagueView>>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    let fetch = async {
        let response = engine.call(reqwest::Method::GET, "v1/league", Some(&account), None).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        read_json(response, MAX_ANSWER_BYTES).await.map(Some).map_err(EngineError::Sync)
    };
    Ok(engine.fetched_or_cached(&account, "league", crate::engine::now_ms(), fetch).await?)
}

/// Joins the league (idempotent); the user's group this week.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn join_league<R: Runtime>(app: AppHandle<R>) -> Result<LeagueView> {
    let response = call(&app, reqwest::Method::POST, "v1/league/join").await?;
    read_json(response, MAX_ANSWER_BYTES).await.map_err(Error::Sync)
}

/// Leaves the league.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn leave_league<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let response = call(&app, reqwest::Method::POST, "v1/league/leave").await?;
    if !response.status().is_success() {
        return Err(Error::Refused(format!("league-leave-{}", response.status().as_u16())));
    }
    Ok(())
}
