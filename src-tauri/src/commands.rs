//! The commands the UI invokes. Each translates its input and delegates to the store or the sync
//! worker; names and payloads are defined in `hearth_core::ipc`.

use hearth_core::catalog::Challenge;
use hearth_core::i18n::Locale;
use hearth_core::ipc::{Settings, SyncStatus};
use tauri::{AppHandle, Runtime, State};

use crate::error::Result;
use crate::store;
use crate::sync::SyncState;

/// The catalog from the local store, in display order.
#[tauri::command]
#[tracing::instrument(skip_all, err)]
pub async fn list_challenges<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Challenge>> {
    store::list_challenges(&store::pool(&app).await?).await
}

/// Connectivity and the last successful sync.
#[tauri::command]
pub fn sync_status(state: State<'_, SyncState>) -> SyncStatus {
    state.status()
}

/// Ask the worker to sync now.
#[tauri::command]
pub fn sync_now(state: State<'_, SyncState>) {
    state.sync_now();
}

/// The user's settings on this device.
#[tauri::command]
#[tracing::instrument(skip_all, err)]
pub async fn get_settings<R: Runtime>(app: AppHandle<R>) -> Result<Settings> {
    store::settings(&store::pool(&app).await?).await
}

/// Remember the chosen language.
#[tauri::command]
#[tracing::instrument(skip(app), err)]
pub async fn set_locale<R: Runtime>(app: AppHandle<R>, locale: Locale) -> Result<Settings> {
    store::set_locale(&store::pool(&app).await?, locale).await
}
