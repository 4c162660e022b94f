//! Rewards on the device: the catalog, redeeming one (online only: the server spends the points
//! and signs a single-use code), the user's codes with where each stands (issued, used at a
//! counter, refunded), and the code as a QR image for the counter's scanner.

use hearth_core::ipc::Fetched;
use hearth_core::ledger::HistoryPage;
use hearth_core::rewards::{RedeemRequest, Redemption, Reward, RewardCatalog};
use tauri::{AppHandle, Runtime};

use crate::engine::{EngineError, read_json};
use crate::{Error, Result};

/// Largest answer read from the reward routes.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// The rewards on offer (online).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn rewards<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Reward>> {
    let engine = tauri::Manager::state::<crate::sync::EngineCell>(&app).inner().get()?;
    let response = engine.call(reqwest::Method::GET, "v1/rewards", None, None).await?;
    let catalog: RewardCatalog = read_json(response, MAX_ANSWER_BYTES).await.map_err(Error::Sync)?;
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
        return Err(Error::Refused("invalid-argument".into()));
    }
    let path = format!("v1/rewards/{}/redeem", urlencoding_segment(&reward_id));
    let body = serde_json::to_vec(&RedeemRequest { redemption_id })
        .map_err(|e| Error::CorruptRecord(e.to_string()))?;
    let response = engine.call(reqwest::Method::POST, &path, Some(&account), Some(body)).await?;
    match response.status() {
        reqwest::StatusCode::CONFLICT => return Err(Error::Refused("not-enough-points".into())),
        reqwest::StatusCode::NOT_FOUND => return Err(Error::Refused("not-found".into())),
        _ => {}
    }
    let redemption: Redemption = read_json(response, MAX_ANSWER_BYTES).await.map_err(Error::Sync)?;
    // The wallet changed on the server: pull it now rather than at the next interval.
    tauri::Manager::state::<crate::sync::SyncState>(&app).sync_now();
    Ok(redemption)
}

/// The reward id as one path segment (ids are lowercase words and dashes; anything else is
/// percent-encoded rather than trusted).
fn urlencoding_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// The user's codes, newest first, with where each stands.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn redemptions<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Redemption>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    let response = engine.call(reqwest::Method::GET, "v1/me/redemptions", Some(&account), None).await?;
    read_json(response, MAX_ANSWER_BYTES).await.map_err(Error::Sync)
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
    let mut path = "v1/wallet/history?limit=20".to_owned();
    if let Some(before) = &before {
        if before.is_empty() || before.len() > 200 {
            return Err(Error::Refused("invalid-argument".into()));
        }
        path.push_str("&before=");
        path.extend(form_urlencoded::byte_serialize(before.as_bytes()));
    }
    let fetch = async {
        let response = engine.call(reqwest::Method::GET, &path, Some(&account), None).await?;
        read_json(response, MAX_ANSWER_BYTES).await.map_err(EngineError::Sync)
    };
    let now = crate::engine::now_ms();
    if before.is_some() {
        // Later pages are read on demand, online.
        return Ok(Fetched { value: fetch.await?, from_cache: false, fetched_at_ms: now });
    }
    Ok(engine.fetched_or_cached(&account, "wallet-history", now, fetch).await?)
}

/// A code as a QR image (SVG), dark on light with a quiet zone, sized for a counter's scanner.
#[tauri::command]
pub fn redemption_qr(code: String) -> Result<String> {
    if code.is_empty() || code.len() > 512 {
        return Err(Error::Refused("invalid-argument".into()));
    }
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::Refused(format!("invalid-argument: {e}")))?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(320, 320)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}
