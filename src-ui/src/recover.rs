//! Getting back into an account whose password is forgotten: the address, then the code the
//! server mails to it and a new password (with the same hint as at sign-up); then signed in on
//! this device, with every other session of the account ended. It never says whether an address
//! has an account, because the server does not.

use hearth_core::account::{RESET_CODE_TTL_MS, check_password, normalize_email, typed_mailed_code};
use hearth_core::ipc::args;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::use_i18n;
use crate::paths;
use crate::state::ShellData;
use crate::widgets::NewPassword;

/// The recovery screen.
#[component]
pub fn Recover() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    // Kept so that the handlers below stay `Copy` (the second form is rendered afresh).
    let navigate = StoredValue::new_local(use_navigate());
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The address a code was asked for: the second step shows once there is one.
    let sent_to = RwSignal::new(None::<String>);
    let email_problem = RwSignal::new(None::<&'static str>);
    let code_problem = RwSignal::new(None::<&'static str>);
    let password_problem = RwSignal::new(None::<&'static str>);
    let failure = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let minutes = RESET_CODE_TTL_MS / 60_000;

    let send = move || {
        failure.set(None);
        let address = email.get_untracked().trim().to_owned();
        if normalize_email(&address).is_err() {
            email_problem.set(Some("sign-up-email-invalid"));
            return;
        }
        email_problem.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = api::request_password_reset(address.clone()).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    code.set(String::new());
                    sent_to.set(Some(address));
                }
                Err(error) => failure.set(Some(errors::message_id(error.code, Doing::Recovering))),
            }
        });
    };
    let ask = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        send();
    };
    let reset = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        let Some(address) = sent_to.get_untracked() else { return };
        let typed = typed_mailed_code(&code.get_untracked());
        code_problem.set(typed.is_none().then_some("reset-code-invalid"));
        let new_password = password.get_untracked();
        let password_error = check_password(&new_password, &address).err().map(|error| {
            if error.reason.contains("e-mail") {
                "sign-up-password-is-email"
            } else {
                "sign-up-password-length"
            }
        });
        password_problem.set(password_error);
        let (Some(typed), None) = (typed, password_error) else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let request = args::ResetPassword { email: address, code: typed, new_password };
            let result = api::reset_password(request).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    password.set(String::new());
                    shell.account.set(Some(view));
                    shell.reload_mine();
                    navigate.with_value(|navigate| navigate(paths::CHALLENGES, NavigateOptions::default()));
                }
                Err(error) => failure.set(Some(errors::message_id(error.code, Doing::Recovering))),
            }
        });
    };

    view! {
        <section class="sign-up recover" aria-labelledby="recover-title" data-testid="recover">
            <h1 id="recover-title">{move || i18n.t("reset-title")}</h1>
            <p class="note">{move || i18n.t("reset-intro")}</p>
            <form on:submit=ask novalidate data-testid="reset-ask-form">
                <fieldset>
                    <legend>{move || i18n.t("reset-step-address")}</legend>
                    <label for="reset-email">{move || i18n.t("sign-in-email")}</label>
                    <input
                        id="reset-email"
                        type="email"
                        autocomplete="username"
                        required
                        aria-describedby="reset-email-error"
                        aria-invalid=move || email_problem.get().is_some().to_string()
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                    <p id="reset-email-error" class="problem" data-testid="reset-email-error">
                        {move || email_problem.get().map(|id| i18n.t(id))}
                    </p>
                    <div class="actions">
                        <button type="submit" data-testid="reset-send" prop:disabled=move || busy.get()>
                            {move || if sent_to.get().is_some() { i18n.t("reset-send-again") } else { i18n.t("reset-send") }}
                        </button>
                    </div>
                </fieldset>
            </form>
            {move || sent_to.get().map(|address| view! {
                <form on:submit=reset novalidate data-testid="reset-form">
                    <fieldset>
                        <legend>{move || i18n.t("reset-step-code")}</legend>
                        <p class="note" role="status" data-testid="reset-sent">
                            {move || i18n.t_with("reset-sent", &[("email", address.clone().into()), ("minutes", minutes.into())])}
                        </p>
                        <label for="reset-code">{move || i18n.t("reset-code")}</label>
                        <input
                            id="reset-code"
                            type="text"
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            maxlength="7"
                            required
                            aria-describedby="reset-code-error"
                            aria-invalid=move || code_problem.get().is_some().to_string()
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev))
                        />
                        <p id="reset-code-error" class="problem" data-testid="reset-code-error">
                            {move || code_problem.get().map(|id| i18n.t(id))}
                        </p>
                        <NewPassword
                            id="reset-password"
                            label="sign-up-password"
                            value=password
                            email=Signal::derive(move || sent_to.get().unwrap_or_default())
                            display_name=Signal::derive(String::new)
                            error=password_problem
                        />
                        <div class="actions">
                            <button type="submit" data-testid="reset-submit" prop:disabled=move || busy.get()>
                                {move || if busy.get() { i18n.t("reset-busy") } else { i18n.t("reset-submit") }}
                            </button>
                        </div>
                    </fieldset>
                </form>
            })}
            <p class="problem" role="alert" data-testid="reset-error">{move || failure.get().map(|id| i18n.t(id))}</p>
        </section>
    }
}
