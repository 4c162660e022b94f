//! The signed-in account, atop the settings: the name others see and the time zone its days
//! are counted in (changed at once, synced when online), the e-mail address (moved with a code
//! mailed to the new one), the password (given the current one; the account's other devices are
//! signed out), and signing out on every device. The account's language follows the app's
//! language switch.

use hearth_core::account::{
    MAX_DISPLAY_NAME_CHARS, RESET_CODE_TTL_MS, SessionInfo, check_password, device_label,
    normalize_display_name, normalize_email, typed_mailed_code,
};
use hearth_core::ipc::args;
use hearth_core::progress::time_zone_names;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::{format_timestamp, use_i18n};
use crate::paths;
use crate::state::ShellData;
use crate::widgets::{Confirm, NewPassword};

/// Moving the account to another address: the new address and the password, then the code
/// mailed there. The account keeps its address (and this screen says so) until the code is in.
#[component]
fn EmailChange(email: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The address a code went to: the second step shows once there is one.
    let sent_to = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<&'static str>);
    let said = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let minutes = RESET_CODE_TTL_MS / 60_000;
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        said.set(None);
        let Ok(address) = normalize_email(&new_email.get_untracked()) else {
            problem.set(Some("sign-up-email-invalid"));
            return;
        };
        if address == email.get_untracked() {
            problem.set(Some("account-email-same"));
            return;
        }
        problem.set(None);
        busy.set(true);
        let request = args::ChangeEmail { new_email: address, password: password.get_untracked() };
        spawn_local(async move {
            let result = api::change_email(request).await;
            busy.set(false);
            match result {
                Ok(sent) => {
                    password.set(String::new());
                    code.set(String::new());
                    sent_to.set(Some(sent.new_email));
                }
                Err(error) => problem.set(Some(errors::message_id(error.code, Doing::ChangingEmail))),
            }
        });
    };
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(typed) = typed_mailed_code(&code.get_untracked()) else {
            problem.set(Some("reset-code-invalid"));
            return;
        };
        problem.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = api::confirm_email(typed).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    said.set(Some(
                        i18n.t_with("account-email-changed", &[("email", view.email.clone().into())]),
                    ));
                    shell.account.set(Some(view));
                    sent_to.set(None);
                    new_email.set(String::new());
                }
                Err(error) => problem.set(Some(errors::message_id(error.code, Doing::ChangingEmail))),
            }
        });
    };
    let start_over = move |_| {
        sent_to.set(None);
        problem.set(None);
    };
    view! {
        <fieldset data-testid="email-change">
            <legend>{move || i18n.t("account-email-legend")}</legend>
            <p class="note" data-testid="account-email">
                {move || i18n.t_with("account-email", &[("email", email.get().into())])}
            </p>
            <Show
                when=move || sent_to.get().is_some()
                fallback=move || view! {
                    <form on:submit=send novalidate>
                        <label for="account-new-email">{move || i18n.t("account-email-new")}</label>
                        <input
                            id="account-new-email"
                            type="email"
                            autocomplete="email"
                            required
                            aria-describedby="account-email-problem"
                            prop:value=move || new_email.get()
                            on:input=move |ev| new_email.set(event_target_value(&ev))
                        />
                        <label for="account-email-password">{move || i18n.t("account-email-password")}</label>
                        <input
                            id="account-email-password"
                            type="password"
                            autocomplete="current-password"
                            required
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                        <div class="actions">
                            <button type="submit" data-testid="account-email-send" disabled=move || busy.get()>
                                {move || i18n.t("account-email-send")}
                            </button>
                        </div>
                    </form>
                }
            >
                <form on:submit=confirm novalidate>
                    <p class="note" role="status" data-testid="account-email-sent">
                        {move || i18n.t_with("account-email-sent", &[
                            ("email", sent_to.get().unwrap_or_default().into()),
                            ("minutes", minutes.into()),
                        ])}
                    </p>
                    <label for="account-email-code">{move || i18n.t("account-email-code")}</label>
                    <input
                        id="account-email-code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="7"
                        required
                        aria-describedby="account-email-problem"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                    <div class="actions">
                        <button type="submit" data-testid="account-email-confirm" disabled=move || busy.get()>
                            {move || i18n.t("account-email-confirm")}
                        </button>
                        <button type="button" class="secondary" on:click=start_over>
                            {move || i18n.t("account-email-cancel")}
                        </button>
                    </div>
                </form>
            </Show>
            <p id="account-email-problem" class="problem" role="alert" data-testid="account-email-problem">
                {move || problem.get().map(|id| i18n.t(id))}
            </p>
            <p class="note" role="status" data-testid="account-email-said">{move || said.get()}</p>
        </fieldset>
    }
}

/// The account's signed-in devices, this one first-marked, each other one with "Sign out".
#[component]
fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let sessions = RwSignal::new(None::<Vec<SessionInfo>>);
    let said = RwSignal::new(None::<&'static str>);
    let reload = move || {
        spawn_local(async move {
            match api::sessions().await {
                Ok(now) => sessions.set(Some(now)),
                Err(error) if error.code.is_offline() => said.set(Some("account-needs-server")),
                Err(error) => leptos::logging::warn!("cannot list the sessions: {}", error.message),
            }
        });
    };
    reload();
    let end = move |id: String| {
        spawn_local(async move {
            match api::end_session(id).await {
                Ok(()) => {
                    said.set(Some("account-session-ended"));
                    reload();
                }
                Err(error) if error.code.is_offline() => said.set(Some("account-needs-server")),
                Err(_) => said.set(Some("account-session-failed")),
            }
        });
    };
    view! {
        <ul class="sessions" aria-label=move || i18n.t("account-sessions") data-testid="sessions">
            {move || sessions.get().unwrap_or_default().into_iter().map(|session| {
                let label = session.device.as_deref().map(device_label).unwrap_or_else(|| i18n.t("account-session-unknown"));
                let since = session.signed_in_at_ms;
                let id = session.id.clone();
                view! {
                    <li class="session" data-testid=if session.current { "session-current" } else { "session" }>
                        <span>
                            <strong>{label}</strong>
                            {session.current.then(|| view! { " · " <span>{move || i18n.t("account-session-this")}</span> })}
                            <br />
                            <span class="note">
                                {move || i18n.t_with("account-session-since", &[("time", format_timestamp(since, i18n.locale.get()).into())])}
                            </span>
                        </span>
                        {(!session.current).then(|| view! {
                            <button type="button" class="secondary" data-testid="session-end" on:click=move |_| end(id.clone())>
                                {move || i18n.t("account-session-end")}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="note" role="status" data-testid="sessions-said">{move || said.get().map(|id| i18n.t(id))}</p>
    }
}

/// The account section.
#[component]
pub fn YourAccount() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let name = RwSignal::new(shell.account.get_untracked().map(|a| a.display_name).unwrap_or_default());
    let name_said = RwSignal::new(None::<&'static str>);
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let password_problem = RwSignal::new(None::<&'static str>);
    let password_said = RwSignal::new(None::<&'static str>);
    let everywhere_said = RwSignal::new(None::<&'static str>);
    let confirm_everywhere = NodeRef::<html::Dialog>::new();
    let email = Signal::derive(move || shell.account.get().map(|a| a.email).unwrap_or_default());
    let zone = RwSignal::new(String::new());
    let zone_said = RwSignal::new(None::<&'static str>);
    let zones: Vec<String> = time_zone_names().collect();
    spawn_local(async move {
        match api::account_time_zone().await {
            Ok(current) => zone.set(current),
            Err(error) => leptos::logging::warn!("cannot read the time zone: {}", error.message),
        }
    });
    let save_zone = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        spawn_local(async move {
            match api::set_time_zone(zone.get_untracked()).await {
                Ok(now) => {
                    zone.set(now);
                    zone_said.set(Some("account-zone-saved"));
                }
                Err(error) => {
                    leptos::logging::warn!("cannot change the time zone: {}", error.message);
                    zone_said.set(Some("account-zone-failed"));
                }
            }
        });
    };

    let save_name = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked();
        if normalize_display_name(&typed).is_err() {
            name_said.set(Some("sign-up-name-invalid"));
            return;
        }
        spawn_local(async move {
            match api::set_display_name(typed).await {
                Ok(view) => {
                    name.set(view.display_name.clone());
                    shell.account.set(Some(view));
                    name_said.set(Some("account-name-saved"));
                }
                Err(error) => {
                    leptos::logging::warn!("cannot change the name: {}", error.message);
                    name_said.set(Some("sign-up-name-invalid"));
                }
            }
        });
    };
    let change_password = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        password_said.set(None);
        let chosen = new_password.get_untracked();
        let problem = check_password(&chosen, &email.get_untracked()).err().map(|error| {
            if error.reason.contains("e-mail") {
                "sign-up-password-is-email"
            } else {
                "sign-up-password-length"
            }
        });
        password_problem.set(problem);
        if problem.is_some() {
            return;
        }
        let request =
            args::ChangePassword { current_password: current.get_untracked(), new_password: chosen };
        spawn_local(async move {
            match api::change_password(request).await {
                Ok(()) => {
                    current.set(String::new());
                    new_password.set(String::new());
                    password_said.set(Some("account-password-changed"));
                }
                Err(error) => {
                    password_said.set(Some(errors::message_id(error.code, Doing::ChangingPassword)))
                }
            }
        });
    };
    let sign_out_everywhere = move |()| {
        spawn_local(async move {
            // Asked first, with what would be lost: changes not synced yet go with the session.
            match api::sign_out_everywhere(true).await {
                Ok(()) => {
                    shell.account.set(None);
                    shell.mine.set(Vec::new());
                    shell.wallet.set(None);
                }
                Err(error) if error.code.is_offline() => everywhere_said.set(Some("account-needs-server")),
                Err(error) => {
                    leptos::logging::warn!("cannot sign out everywhere: {}", error.message);
                    everywhere_said.set(Some("account-everywhere-failed"));
                }
            }
        });
    };
    let pending = move || shell.status.get().pending_changes;

    view! {
        <Show when=move || shell.account.get().is_some()>
            <section class="your-account sign-up" aria-labelledby="your-account-title" data-testid="your-account">
                <h2 id="your-account-title">{move || i18n.t("account-title")}</h2>
                <p>
                    <A href=paths::HOUSEHOLD attr:class="button secondary" attr:data-testid="open-household">
                        {move || i18n.t("household-open")}
                    </A>
                </p>
                <form on:submit=save_name novalidate>
                    <fieldset>
                        <legend>{move || i18n.t("account-name-legend")}</legend>
                        <label for="account-name">{move || i18n.t("sign-up-name")}</label>
                        <input
                            id="account-name"
                            type="text"
                            autocomplete="nickname"
                            maxlength=MAX_DISPLAY_NAME_CHARS.to_string()
                            aria-describedby="account-name-said"
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                        <p id="account-name-said" class="note" role="status" data-testid="account-name-said">
                            {move || name_said.get().map(|id| i18n.t(id))}
                        </p>
                        <div class="actions">
                            <button type="submit" data-testid="account-name-save">{move || i18n.t("settings-save")}</button>
                        </div>
                    </fieldset>
                </form>
                <form on:submit=save_zone>
                    <fieldset>
                        <legend>{move || i18n.t("sign-up-time-zone")}</legend>
                        <label for="account-zone">{move || i18n.t("sign-up-time-zone")}</label>
                        <select
                            id="account-zone"
                            aria-describedby="account-zone-hint account-zone-said"
                            prop:value=move || zone.get()
                            on:change=move |ev| zone.set(event_target_value(&ev))
                        >
                            {zones.iter().map(|z| {
                                let selected = z.clone();
                                view! { <option value=z.clone() selected=move || zone.get() == selected>{z.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p id="account-zone-hint" class="note">{move || i18n.t("account-zone-hint")}</p>
                        <p id="account-zone-said" class="note" role="status" data-testid="account-zone-said">
                            {move || zone_said.get().map(|id| i18n.t(id))}
                        </p>
                        <div class="actions">
                            <button type="submit" data-testid="account-zone-save">{move || i18n.t("settings-save")}</button>
                        </div>
                    </fieldset>
                </form>
                <EmailChange email=email />
                <form on:submit=change_password novalidate>
                    <fieldset>
                        <legend>{move || i18n.t("account-password")}</legend>
                        <label for="account-current-password">{move || i18n.t("account-current-password")}</label>
                        <input
                            id="account-current-password"
                            type="password"
                            autocomplete="current-password"
                            required
                            prop:value=move || current.get()
                            on:input=move |ev| current.set(event_target_value(&ev))
                        />
                        <NewPassword
                            id="account-new-password"
                            label="sign-up-password"
                            value=new_password
                            email=email
                            display_name=Signal::derive(move || name.get())
                            error=password_problem
                        />
                        <p class="note" role="status" data-testid="account-password-said">
                            {move || password_said.get().map(|id| i18n.t(id))}
                        </p>
                        <div class="actions">
                            <button type="submit" data-testid="account-password-save">{move || i18n.t("account-password-save")}</button>
                        </div>
                    </fieldset>
                </form>
                <fieldset>
                    <legend>{move || i18n.t("account-devices")}</legend>
                    <Sessions />
                    <p class="note">{move || i18n.t("account-everywhere-about")}</p>
                    <div class="actions">
                        <button type="button" class="secondary" data-testid="sign-out-everywhere" on:click=move |_| {
                            if let Some(dialog) = confirm_everywhere.get() {
                                let _ = dialog.show_modal();
                            }
                        }>{move || i18n.t("account-everywhere")}</button>
                    </div>
                    <p class="problem" role="alert">{move || everywhere_said.get().map(|id| i18n.t(id))}</p>
                </fieldset>
            </section>
        </Show>
        <Confirm
            dialog=confirm_everywhere
            question=Signal::derive(move || i18n.t_with("account-everywhere-confirm", &[("count", pending().into())]))
            testid="confirm-sign-out-everywhere"
            on_yes=Callback::new(sign_out_everywhere)
        />
    }
}
