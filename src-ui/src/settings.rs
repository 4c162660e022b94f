//! Settings: the daily reminder's time, quiet hours, warnings, whether device use counts for
//! challenges, and how the app speaks.

use hearth_core::reminders::ReminderSettings;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::use_i18n;
use crate::state::ShellData;
use crate::widgets::DeviceUsageConsent;
use crate::widgets::VoiceControls;

/// `HH:MM` to minutes after midnight.
fn minute_of(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight to `HH:MM`.
fn text_of(minute: Option<u16>, fallback: &str) -> String {
    minute.map_or_else(|| fallback.to_owned(), |m| format!("{:02}:{:02}", m / 60, m % 60))
}

/// The settings screen.
#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let daily_on = RwSignal::new(false);
    let daily = RwSignal::new("19:00".to_owned());
    let quiet_on = RwSignal::new(false);
    let quiet_from = RwSignal::new("22:00".to_owned());
    let quiet_to = RwSignal::new("07:00".to_owned());
    let streak_alerts = RwSignal::new(true);
    let expiry_alerts = RwSignal::new(true);
    let said = RwSignal::new(None::<&'static str>);
    spawn_local(async move {
        match api::reminder_settings().await {
            Ok(current) => {
                streak_alerts.set(current.streak_alerts);
                expiry_alerts.set(current.expiry_alerts);
                daily_on.set(current.daily_minute.is_some());
                daily.set(text_of(current.daily_minute, "19:00"));
                quiet_on.set(current.quiet_from.is_some());
                quiet_from.set(text_of(current.quiet_from, "22:00"));
                quiet_to.set(text_of(current.quiet_to, "07:00"));
            }
            Err(error) => leptos::logging::warn!("cannot read the reminders: {}", error.message),
        }
    });
    let save = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let daily_minute = if daily_on.get_untracked() { minute_of(&daily.get_untracked()) } else { None };
        let (from, to) = if quiet_on.get_untracked() {
            (minute_of(&quiet_from.get_untracked()), minute_of(&quiet_to.get_untracked()))
        } else {
            (None, None)
        };
        let incomplete = (daily_on.get_untracked() && daily_minute.is_none())
            || (quiet_on.get_untracked() && (from.is_none() || to.is_none()));
        if incomplete {
            said.set(Some("settings-invalid"));
            return;
        }
        let settings = ReminderSettings {
            daily_minute,
            quiet_from: from,
            quiet_to: to,
            streak_alerts: streak_alerts.get_untracked(),
            expiry_alerts: expiry_alerts.get_untracked(),
        };
        spawn_local(async move {
            match api::set_reminder_settings(settings).await {
                Ok(_) => said.set(Some("settings-saved")),
                Err(error) => {
                    leptos::logging::warn!("cannot save the reminders: {}", error.message);
                    said.set(Some("settings-invalid"));
                }
            }
        });
    };
    let time_field = move |label: &'static str,
                           value: RwSignal<String>,
                           enabled: RwSignal<bool>,
                           testid: &'static str| {
        view! {
            <label class="time-field">
                <span>{move || i18n.t(label)}</span>
                <input type="time" data-testid=testid disabled=move || !enabled.get() prop:value=move || value.get()
                    on:input=move |e| value.set(event_target_value(&e)) />
            </label>
        }
    };
    view! {
        <section class="settings" aria-labelledby="settings-title">
            <h2 id="settings-title">{move || i18n.t("settings-title")}</h2>
            <form class="reminders" on:submit=save>
                <fieldset>
                    <legend>{move || i18n.t("settings-reminders")}</legend>
                    <label class="check">
                        <input type="checkbox" data-testid="daily-on" prop:checked=move || daily_on.get()
                            on:change=move |e| daily_on.set(event_target_checked(&e)) />
                        <span>{move || i18n.t("settings-daily")}</span>
                    </label>
                    {time_field("settings-daily-time", daily, daily_on, "daily-time")}
                </fieldset>
                <fieldset>
                    <legend>{move || i18n.t("settings-quiet")}</legend>
                    <label class="check">
                        <input type="checkbox" data-testid="quiet-on" prop:checked=move || quiet_on.get()
                            on:change=move |e| quiet_on.set(event_target_checked(&e)) />
                        <span>{move || i18n.t("settings-quiet-on")}</span>
                    </label>
                    {time_field("settings-quiet-from", quiet_from, quiet_on, "quiet-from")}
                    {time_field("settings-quiet-to", quiet_to, quiet_on, "quiet-to")}
                </fieldset>
                <fieldset>
                    <legend>{move || i18n.t("alerts-heading")}</legend>
                    <label class="check">
                        <input type="checkbox" data-testid="streak-alerts" prop:checked=move || streak_alerts.get()
                            on:change=move |e| streak_alerts.set(event_target_checked(&e)) />
                        <span>{move || i18n.t("alerts-streak")}</span>
                    </label>
                    <label class="check">
                        <input type="checkbox" data-testid="expiry-alerts" prop:checked=move || expiry_alerts.get()
                            on:change=move |e| expiry_alerts.set(event_target_checked(&e)) />
                        <span>{move || i18n.t("alerts-expiry")}</span>
                    </label>
                </fieldset>
                <button type="submit" data-testid="settings-save">{move || i18n.t("settings-save")}</button>
                <p class="saved" role="status" data-testid="settings-said">{move || said.get().map(|id| i18n.t(id))}</p>
            </form>
            <Show when=move || shell.account.get().is_some()>
                <DeviceUsageConsent />
            </Show>
            <VoiceControls />
        </section>
    }
}
