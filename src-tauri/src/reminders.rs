//! Reminders on the device: the daily reminder at the user's chosen time, a warning in the
//! evening when a streak would break at midnight, and a warning a week before points expire;
//! all held during quiet hours and each given once. A clock checks every 30 s; a settings
//! change and every sync (which may bring new progress or points) check at once.
//!
//! The daily reminder keeps the device's time zone. Streaks are judged in the account's time
//! zone, as the server counts them, so their evening is the account's evening too.

use hearth_client::engine::{Account, Engine};
use hearth_core::catalog::Challenge;
use hearth_core::home::LocalTime;
use hearth_core::i18n::{Locale, Translator};
use hearth_core::ipc::ErrorCode;
use hearth_core::ledger::WalletView;
use hearth_core::progress::{Participation, local_date, streak_at_risk};
use hearth_core::reminders::{
    ReminderSettings, ReminderState, daily_due, expiry_warning_due, streak_warning_due,
};
use tauri::{AppHandle, Manager, Runtime};

use crate::account::AccountState;
use crate::notify::{Urgency, show};
use crate::sync::EngineCell;
use crate::{Error, Result, store};

const SETTINGS_KEY: &str = "reminders";
const STATE_KEY: &str = "reminders-given";

/// Serialises reminder checks (the clock and a settings change may meet).
#[derive(Debug, Default)]
pub struct ReminderHost {
    checking: tokio::sync::Mutex<()>,
}

/// Shows every reminder and warning due now; returns how many it showed.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<usize> {
    let host = app.state::<ReminderHost>();
    let _one_at_a_time = host.checking.lock().await;
    let pool = store::pool(app).await?;
    let settings: ReminderSettings = store::setting_json(&pool, SETTINGS_KEY).await?.unwrap_or_default();
    let mut state: ReminderState = store::setting_json(&pool, STATE_KEY).await?.unwrap_or_default();
    let locale = store::settings(&pool).await?.locale.unwrap_or(Locale::En);
    let translator = Translator::new(locale);
    let mut shown = 0;
    // Each is marked given only once shown; otherwise the next check tries again.
    let mut next = state.clone();
    if daily_due(&settings, &mut next, crate::clock::local_now())
        && notify(app, &translator.t("reminder-title"), &translator.t("reminder-body"))
    {
        state = next;
        shown += 1;
    }
    let signed_in = app.state::<AccountState>().account();
    if let (Some(account), Ok(engine)) = (signed_in, app.state::<EngineCell>().inner().get()) {
        let catalog = store::list_challenges(&pool).await?;
        let alerts = Alerts { engine, account: &account, catalog: &catalog, settings: &settings, locale };
        shown += alerts.streak(app, &mut state).await?;
        shown += alerts.expiry(app, &mut state).await?;
    }
    store::set_setting_json(&pool, STATE_KEY, Some(&state)).await?;
    Ok(shown)
}

fn notify<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) -> bool {
    match show(app, title, body, Urgency::Normal) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "cannot show a reminder");
            false
        }
    }
}

/// The signed-in user's warnings, from what the last sync brought.
struct Alerts<'a> {
    engine: &'a Engine,
    account: &'a Account,
    catalog: &'a [Challenge],
    settings: &'a ReminderSettings,
    locale: Locale,
}

impl Alerts<'_> {
    /// Warns about the longest streak that breaks at midnight, if any, once an evening.
    async fn streak<R: Runtime>(&self, app: &AppHandle<R>, state: &mut ReminderState) -> Result<usize> {
        let tz = crate::profile::time_zone_of(self.engine, &self.account.user_id).await?;
        let now = hearth_client::engine::now_ms();
        let participations: Vec<(String, Participation)> =
            self.engine.confirmed(&self.account.user_id, "participation").await?;
        let at_risk = participations
            .iter()
            .filter_map(|(_, p)| {
                let challenge = self.catalog.iter().find(|c| c.id == p.challenge_id)?;
                streak_at_risk(&challenge.rule, p, &tz, now).map(|days| (days, challenge))
            })
            .max_by_key(|(days, _)| *days);
        let Some((days, challenge)) = at_risk else { return Ok(0) };
        let mut next = state.clone();
        if !streak_warning_due(self.settings, &mut next, LocalTime::at(now, &tz)) {
            return Ok(0);
        }
        let translator = Translator::new(self.locale);
        let body = translator.t_with(
            "streak-risk-body",
            &[("days", days.into()), ("title", challenge.title.get(self.locale).to_owned().into())],
        );
        if !notify(app, &translator.t("streak-risk-title"), &body) {
            return Ok(0);
        }
        *state = next;
        Ok(1)
    }

    /// Warns about points expiring within a week that the user has not heard about.
    async fn expiry<R: Runtime>(&self, app: &AppHandle<R>, state: &mut ReminderState) -> Result<usize> {
        let wallet: Vec<(String, WalletView)> =
            self.engine.confirmed(&self.account.user_id, "wallet").await?;
        let Some((_, wallet)) = wallet.into_iter().next() else { return Ok(0) };
        let now = hearth_client::engine::now_ms();
        let mut next = state.clone();
        let Some((points, soonest)) = expiry_warning_due(
            self.settings,
            &mut next,
            &wallet.expiring_soon,
            now,
            crate::clock::local_now(),
        ) else {
            return Ok(0);
        };
        let translator = Translator::new(self.locale);
        let date = self.locale.date(local_date(soonest, &jiff::tz::TimeZone::system()));
        let body = translator.t_with("expiry-body", &[("points", points.into()), ("date", date.into())]);
        if !notify(app, &translator.t("expiry-title"), &body) {
            return Ok(0);
        }
        *state = next;
        Ok(1)
    }
}

/// Starts the reminder clock (every 30 s).
pub fn spawn_clock<R: Runtime>(app: AppHandle<R>) {
    crate::clock::spawn_clock(app, std::time::Duration::from_secs(30), |app| async move {
        if let Err(error) = check(&app).await {
            tracing::warn!(%error, "cannot check the reminders");
        }
    });
}

/// The user's reminder settings.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reminder_settings<R: Runtime>(app: AppHandle<R>) -> Result<ReminderSettings> {
    Ok(store::setting_json(&store::pool(&app).await?, SETTINGS_KEY).await?.unwrap_or_default())
}

/// Changes the reminder settings (times of day; quiet hours need both ends), then checks at once.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_reminder_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: ReminderSettings,
) -> Result<ReminderSettings> {
    if !settings.is_valid() {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    store::set_setting_json(&store::pool(&app).await?, SETTINGS_KEY, Some(&settings)).await?;
    check(&app).await?;
    Ok(settings)
}
