//! Reminders on the device: the daily reminder at the user's chosen time, held during quiet
//! hours, shown once a day by a clock in the device's time zone (and checked at once when the
//! settings change).

use hearth_core::i18n::{Locale, Translator};
use hearth_core::reminders::{ReminderSettings, ReminderState, daily_due};
use tauri::{AppHandle, Manager, Runtime};

use crate::notify::{Urgency, show};
use crate::{Error, Result, store};

const SETTINGS_KEY: &str = "reminders";
const STATE_KEY: &str = "reminders-given";

/// Serialises reminder checks (the clock and a settings change may meet).
#[derive(Debug, Default)]
pub struct ReminderHost {
    checking: tokio::sync::Mutex<()>,
}

/// Shows the daily reminder if it is due now; says whether it did.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<bool> {
    let host = app.state::<ReminderHost>();
    let _one_at_a_time = host.checking.lock().await;
    let pool = store::pool(app).await?;
    let settings: ReminderSettings = store::setting_json(&pool, SETTINGS_KEY).await?.unwrap_or_default();
    let mut state: ReminderState = store::setting_json(&pool, STATE_KEY).await?.unwrap_or_default();
    if !daily_due(&settings, &mut state, crate::home::local_now()) {
        return Ok(false);
    }
    let locale = store::settings(&pool).await?.locale.unwrap_or(Locale::En);
    let translator = Translator::new(locale);
    if let Err(error) =
        show(app, &translator.t("reminder-title"), &translator.t("reminder-body"), Urgency::Normal)
    {
        // Not shown: try again at the next check.
        tracing::warn!(%error, "cannot show the daily reminder");
        return Ok(false);
    }
    store::set_setting_json(&pool, STATE_KEY, Some(&state)).await?;
    Ok(true)
}

/// Starts the reminder clock (every 30 s).
pub fn spawn_clock<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            every.tick().await;
            if let Err(error) = check(&app).await {
                tracing::warn!(%error, "cannot check the reminders");
            }
        }
    });
}

/// The user's reminder settings.
#[tauri::command]
#[tracing::instrument(skip_all, err)]
pub async fn reminder_settings<R: Runtime>(app: AppHandle<R>) -> Result<ReminderSettings> {
    Ok(store::setting_json(&store::pool(&app).await?, SETTINGS_KEY).await?.unwrap_or_default())
}

/// Changes the reminder settings (times of day; quiet hours need both ends), then checks at once.
#[tauri::command]
#[tracing::instrument(skip_all, err)]
pub async fn set_reminder_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: ReminderSettings,
) -> Result<ReminderSettings> {
    if !settings.is_valid() {
        return Err(Error::Refused("invalid-argument".into()));
    }
    store::set_setting_json(&store::pool(&app).await?, SETTINGS_KEY, Some(&settings)).await?;
    check(&app).await?;
    Ok(settings)
}
