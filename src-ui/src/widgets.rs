//! Widgets more than one screen uses: the confirmation sheet (asked before anything
//! destructive, always in senior mode), the offline "as it stood at" notice, the voice's speed
//! and volume, the device-usage consent, and a new password's field with its hint. Below every
//! screen; they know no feature.

use hearth_core::ipc::{PasswordStrength, PasswordWeakness, VoiceSettings, args};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{format_timestamp, use_i18n};

/// A modal question with Yes and No; Yes runs `on_yes`.
#[component]
pub fn Confirm(
    dialog: NodeRef<html::Dialog>,
    /// The question, in the reader's language.
    question: Signal<String>,
    testid: &'static str,
    on_yes: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    view! {
        <dialog node_ref=dialog class="sheet confirm" aria-labelledby=format!("{testid}-question") data-testid=testid>
            <p id=format!("{testid}-question") data-testid=format!("{testid}-question") class="question">{question}</p>
            <div class="confirm-actions">
                <button type="button" class="danger" data-testid=format!("{testid}-yes") on:click=move |_| {
                    close();
                    on_yes.run(());
                }>
                    {move || i18n.t("confirm-yes")}
                </button>
                <button type="button" class="secondary" on:click=move |_| close()>{move || i18n.t("confirm-no")}</button>
            </div>
        </dialog>
    }
}

/// "You're offline: this is how it stood at …" while a screen shows what was read last.
#[component]
pub fn KeptNotice(
    /// When what is shown was read, while it is kept rather than fresh.
    kept_from: RwSignal<Option<i64>>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        kept_from.get().map(|at| {
            view! {
                <p class="muted" data-testid=testid>
                    {move || i18n.t_with("kept-as-of", &[("time", format_timestamp(at, i18n.locale.get()).into())])}
                </p>
            }
        })
    }
}

/// The voice's speed and volume.
#[component]
pub fn VoiceControls() -> impl IntoView {
    let i18n = use_i18n();
    let settings = RwSignal::new(None::<VoiceSettings>);
    spawn_local(async move {
        match api::voice_settings().await {
            Ok(current) => settings.set(Some(current)),
            Err(error) => leptos::logging::warn!("cannot read the voice settings: {}", error.message),
        }
    });
    let change = move |update: VoiceSettings| {
        spawn_local(async move {
            match api::set_voice_settings(update).await {
                Ok(kept) => settings.set(Some(kept)),
                Err(error) => leptos::logging::warn!("cannot change the voice: {}", error.message),
            }
        });
    };
    view! {
        {move || settings.get().map(|current| view! {
            <fieldset class="voice-settings">
                <legend>{move || i18n.t("setup-voice-heading")}</legend>
                <label>
                    <span>{move || i18n.t("setup-voice-rate")}</span>
                    <input type="range" min="50" max="200" step="10" data-testid="voice-rate"
                        prop:value=(current.rate * 100.0).round().to_string()
                        on:change=move |e| {
                            if let Ok(percent) = event_target_value(&e).parse::<f32>() {
                                change(VoiceSettings { rate: percent / 100.0, ..current });
                            }
                        } />
                </label>
                <label>
                    <span>{move || i18n.t("setup-voice-volume")}</span>
                    <input type="range" min="0" max="100" step="5" data-testid="voice-volume"
                        prop:value=(current.volume * 100.0).round().to_string()
                        on:change=move |e| {
                            if let Ok(percent) = event_target_value(&e).parse::<f32>() {
                                change(VoiceSettings { volume: percent / 100.0, ..current });
                            }
                        } />
                </label>
            </fieldset>
        })}
    }
}

/// Whether the use of the user's devices (real or virtual) counts for challenges: their consent,
/// kept on their profile, changed on the device at once (offline too) and synced.
#[component]
pub fn DeviceUsageConsent() -> impl IntoView {
    let i18n = use_i18n();
    let granted = RwSignal::new(false);
    let said = RwSignal::new(None::<&'static str>);
    spawn_local(async move {
        if let Ok(current) = api::device_usage_consent().await {
            granted.set(current);
        }
    });
    let change = move |enabled: bool| {
        spawn_local(async move {
            match api::set_device_usage_consent(enabled).await {
                Ok(now) => {
                    granted.set(now);
                    said.set(Some("consent-saved"));
                }
                Err(error) => {
                    leptos::logging::warn!("cannot change the consent: {}", error.message);
                    granted.set(!enabled);
                    said.set(Some("consent-error"));
                }
            }
        });
    };
    view! {
        <section class="consent" aria-labelledby="consent-title">
            <h3 id="consent-title">{move || i18n.t("consent-heading")}</h3>
            <p id="consent-explain" class="muted">{move || i18n.t("consent-explain")}</p>
            <label class="check">
                <input type="checkbox" data-testid="device-consent" aria-describedby="consent-explain"
                    prop:checked=move || granted.get()
                    on:change=move |e| change(event_target_checked(&e)) />
                <span>{move || i18n.t("consent-label")}</span>
            </label>
            <p class="saved" role="status" data-testid="consent-said">{move || said.get().map(|id| i18n.t(id))}</p>
        </section>
    }
}

/// The message for a password's strength score.
fn strength_id(strength: PasswordStrength) -> &'static str {
    match strength.score {
        0 | 1 => "sign-up-strength-weak",
        2 => "sign-up-strength-fair",
        3 => "sign-up-strength-good",
        _ => "sign-up-strength-strong",
    }
}

/// The advice for what makes a password weak.
fn weakness_id(weakness: PasswordWeakness) -> &'static str {
    match weakness {
        PasswordWeakness::Common => "sign-up-weak-common",
        PasswordWeakness::Word => "sign-up-weak-word",
        PasswordWeakness::Pattern => "sign-up-weak-pattern",
        PasswordWeakness::Date => "sign-up-weak-date",
    }
}

/// A new password's field: its label, a "show password" switch, the rules the server checks,
/// and a hint of how guessable it is (worked out by the shell as the person types, judged with
/// the `email` and `display_name` typed so far), then `error` when a rule is broken. Parts are
/// identified from `id`: `{id}-rules`, `{id}-strength`, `{id}-error`, `{id}-show`.
#[component]
pub fn NewPassword(
    id: &'static str,
    /// The label's message id.
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] email: Signal<String>,
    #[prop(into)] display_name: Signal<String>,
    /// The broken rule's message id, if any.
    #[prop(into)]
    error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let show = RwSignal::new(false);
    let strength = RwSignal::new(None::<PasswordStrength>);
    Effect::new(move |_| {
        let hint = args::PasswordHint {
            password: value.get(),
            email: email.get(),
            display_name: display_name.get(),
        };
        if hint.password.is_empty() {
            strength.set(None);
            return;
        }
        spawn_local(async move {
            let typed = hint.password.clone();
            match api::password_strength(hint).await {
                // A late answer for a password since changed is dropped.
                Ok(answer) if value.get_untracked() == typed => strength.set(Some(answer)),
                Ok(_) => {}
                Err(error) => leptos::logging::warn!("no password hint: {}", error.message),
            }
        });
    });
    let described = format!("{id}-rules {id}-strength {id}-error");
    view! {
        <label for=id>{move || i18n.t(label)}</label>
        <input
            id=id
            type=move || if show.get() { "text" } else { "password" }
            autocomplete="new-password"
            required
            aria-describedby=described
            aria-invalid=move || error.get().is_some().to_string()
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
        <label class="check">
            <input
                type="checkbox"
                data-testid=format!("{id}-show")
                prop:checked=move || show.get()
                on:change=move |ev| show.set(event_target_checked(&ev))
            />
            {move || i18n.t("sign-up-show-password")}
        </label>
        <p id=format!("{id}-rules") class="note">{move || i18n.t("sign-up-password-rules")}</p>
        <div id=format!("{id}-strength") class="strength" aria-live="polite" data-testid=format!("{id}-strength")>
            {move || strength.get().map(|s| view! {
                <meter min="0" max="4" low="2" high="3" optimum="4" value=s.score.to_string()
                    aria-label=move || i18n.t("sign-up-strength-label")></meter>
                <span>{move || i18n.t(strength_id(s))}</span>
                {s.weakness.filter(|_| s.score < 3).map(|w| view! { <span class="note">{move || i18n.t(weakness_id(w))}</span> })}
            })}
        </div>
        <p id=format!("{id}-error") class="problem" data-testid=format!("{id}-error")>
            {move || error.get().map(|id| i18n.t(id))}
        </p>
    }
}
