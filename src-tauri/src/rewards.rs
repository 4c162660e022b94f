//! Rewards on the device: the catalog, redeeming one (online only: the server spends the points
//! and signs a single-use code), the user's codes with where each stands (issued, used at a
//! counter, refunded), and the code as a QR image for the counter's scanner.

use hearth_client::Page;
use hearth_core::api::ApiCode;
use hearth_core::ipc::{ErrorCode, Fetched};
use hearth_core::ledger::HistoryPage;
use hearth_core::rewards::{RedeemRequest, Redemption, Reward, RewardCatalog};
use tauri::{AppHandle, Runtime};

use crate::{Error, Result};

/// The rewards on offer (online).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn rewards<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Reward>> {
    let engine = tauri::Manager::state::<crate::sync::EngineCell>(&app).inner().get()?;
    let catalog: RewardCatalog = engine.client().rewards().await?;
    Ok(catalog.rewards)
}

/// Redeems a reward: the points are spent and a code issued (online only; a retry with the same
/// `redemption_id` returns the same code and spends nothing more).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn redeem_reward<R: Runtime>(
    app: AppHandle<R>,
    reward_id: String,
    redemption_id: String,
) -> Result<Redemption> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    if uuid::Uuid::parse_str(&redemption_id).is_err() || reward_id.is_empty() || reward_id.len() > 64 {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    let request = RedeemRequest { redemption_id };
    let redemption = match engine.client().redeem(&account.token, &reward_id, &request).await {
        // The server's own code says why: only `insufficient-points` means the wallet is short.
        Err(error) if error.code() == Some(ApiCode::InsufficientPoints) => {
            return Err(Error::Refused(ErrorCode::NotEnoughPoints));
        }
        answer => answer?,
    };
    // The wallet changed on the server: pull it now rather than at the next interval.
    tauri::Manager::state::<crate::sync::SyncState>(&app).sync_now();
    Ok(redemption)
}

/// The user's codes, newest first, with where each stands.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn redemptions<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Redemption>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    Ok(engine.client().my_redemptions(&account.token).await?)
}

/// A page of the wallet's history, newest first: `before` is the previous page's `nextCursor`.
/// The first page is kept and answered, marked as such, when the server cannot be reached.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn wallet_history<R: Runtime>(
    app: AppHandle<R>,
    before: Option<String>,
) -> Result<Fetched<HistoryPage>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    if before.as_ref().is_some_and(|b| b.is_empty() || b.len() > 200) {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    let page = Page { cursor: before.as_deref(), limit: Some(20) };
    let fetch = engine.client().wallet_history(&account.token, page);
    let now = hearth_client::engine::now_ms();
    if before.is_some() {
        // Later pages are read on demand, online.
        return Ok(Fetched { value: fetch.await?, from_cache: false, fetched_at_ms: now });
    }
    Ok(engine.fetched_or_cached(&account, "wallet-history", now, fetch).await?)
}

/// A code as a QR image (SVG), dark on light with a quiet zone, sized for a counter's scanner.
#[tauri::command]
pub fn redemption_qr(code: String) -> Result<String> {
    crate::qr::svg(&code)
}
