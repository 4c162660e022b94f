//! Senior mode, the device-usage consent and one-tap help on the device. Senior mode and the
//! consent are profile fields: changed on the device at once (offline too) and synced like any
//! other change; a family member may switch senior mode from their phone, and that arrives with
//! the next sync. Help requests need the server: asking sends one; a family member's device, at
//! every sync, shows a notification for each request addressed to them and then tells the server
//! it was reached.

use hearth_client::engine::{Account, Engine};
use hearth_core::account::ProfileChange;
use hearth_core::household::{HelpRequest, IncomingHelp};
use hearth_core::i18n::{Locale, Translator};
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Runtime};

use crate::{Result, store};

/// Whether the signed-in user's app shows senior mode (off when signed out).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn senior_mode<R: Runtime>(app: AppHandle<R>) -> Result<bool> {
    Ok(crate::profile::now(&app).await?.senior_mode)
}

/// Switches the signed-in user's senior mode (offline too: it is their profile's, and syncs).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_senior_mode<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<bool> {
    let change = ProfileChange { senior_mode: Some(enabled), ..ProfileChange::default() };
    crate::session::enqueue(&app, OpKind::ChangeProfile { change }).await?;
    Ok(crate::profile::now(&app).await?.senior_mode)
}

/// Whether the signed-in user lets their devices' use count for challenges (false when signed
/// out).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn device_usage_consent<R: Runtime>(app: AppHandle<R>) -> Result<bool> {
    Ok(crate::profile::now(&app).await?.device_usage_consent)
}

/// Grants or withdraws the consent (offline too). The server applies changes in the order they
/// were made, so device events recorded after granting it count, and those recorded after
/// withdrawing it do not; events refused before stay refused.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_device_usage_consent<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<bool> {
    let change = ProfileChange { device_usage_consent: Some(enabled), ..ProfileChange::default() };
    crate::session::enqueue(&app, OpKind::ChangeProfile { change }).await?;
    Ok(crate::profile::now(&app).await?.device_usage_consent)
}

/// Sends a help request to the user's family contacts (online only).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn ask_for_help<R: Runtime>(app: AppHandle<R>) -> Result<HelpRequest> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    // No family contacts comes back as the server's `no-family-contacts`, which the UI words.
    Ok(engine.client().ask_for_help(&account.token).await?)
}

/// The user's latest help requests, with who was reached and when.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn help_requests<R: Runtime>(app: AppHandle<R>) -> Result<Vec<HelpRequest>> {
    let (account, engine) = crate::session::signed_in_engine(&app)?;
    Ok(engine.client().help_requests(&account.token).await?)
}

/// For a family member: shows a notification for each help request addressed to them that this
/// device has not shown yet, then tells the server it reached them. Run after every sync.
pub async fn deliver_incoming<R: Runtime>(
    app: &AppHandle<R>,
    engine: &Engine,
    account: &Account,
) -> Result<usize> {
    let incoming = engine.client().incoming_help(&account.token).await?;
    let waiting: Vec<IncomingHelp> = incoming.into_iter().filter(|h| h.reached_at_ms.is_none()).collect();
    if waiting.is_empty() {
        return Ok(0);
    }
    let locale = store::settings(&store::pool(app).await?).await?.locale.unwrap_or(Locale::En);
    let translator = Translator::new(locale);
    let mut shown = 0;
    for help in waiting {
        let title =
            translator.t_with("help-notification-title", &[("name", help.senior_name.clone().into())]);
        let body = translator.t("help-notification-body");
        if let Err(error) = crate::notify::show(app, &title, &body, crate::notify::Urgency::Critical) {
            // Not shown: not reached. The next sync tries again.
            tracing::warn!(%error, "cannot show a help request");
            continue;
        }
        engine.client().help_reached(&account.token, &help.id).await?;
        shown += 1;
    }
    Ok(shown)
}
