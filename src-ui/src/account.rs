//! The account control in the app bar: "Sign in" opens a modal sign-in form (with the way to
//! create an account instead); once signed in, the user's name and "Sign out", which asks first
//! when changes have not synced yet.

use hearth_core::ipc::{AccountView, ErrorCode};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::use_i18n;
use crate::paths;
use crate::state::ShellData;
use crate::widgets::Confirm;

/// Sign in, or who is signed in and sign out.
#[component]
pub fn AccountControl() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let sign_in_dialog = NodeRef::<html::Dialog>::new();
    let sign_out_dialog = NodeRef::<html::Dialog>::new();
    let confirm_sign_out = NodeRef::<html::Dialog>::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let navigate = use_navigate();
    let navigate_to_reset = navigate.clone();
    let navigate_to_family = navigate.clone();

    let open = move |_| {
        error.set(None);
        if let Some(dialog) = sign_in_dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        password.set(String::new());
        if let Some(dialog) = sign_in_dialog.get() {
            dialog.close();
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::sign_in(email.get_untracked(), password.get_untracked()).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    shell.account.set(Some(view));
                    shell.reload_mine();
                    close();
                }
                Err(failure) => error.set(Some(errors::message_id(failure.code, Doing::SigningIn))),
            }
        });
    };
    let sign_out = move |discard_pending: bool| {
        spawn_local(async move {
            match api::sign_out(discard_pending).await {
                Ok(()) => {
                    shell.account.set(None);
                    shell.mine.set(Vec::new());
                    shell.wallet.set(None);
                    if let Some(dialog) = sign_out_dialog.get_untracked() {
                        dialog.close();
                    }
                }
                Err(failure) if failure.code == ErrorCode::PendingChanges => {
                    if let Some(dialog) = sign_out_dialog.get_untracked() {
                        let _ = dialog.show_modal();
                    }
                }
                Err(failure) => leptos::logging::error!("cannot sign out: {}", failure.message),
            }
        });
    };
    let pending = move || shell.status.get().pending_changes;

    view! {
        <div class="account" data-testid="account">
            {move || match shell.account.get() {
                Some(AccountView { display_name, remembered, .. }) => view! {
                    <span class="who" data-testid="signed-in-as">
                        {move || i18n.t_with("account-signed-in-as", &[("name", display_name.clone().into())])}
                    </span>
                    {(!remembered).then(|| view! { <span class="note">{move || i18n.t("sign-in-not-remembered")}</span> })}
                    <button
                        type="button"
                        class="secondary"
                        data-testid="sign-out"
                        on:click=move |_| {
                            // In senior mode, signing out always asks first.
                            if shell.senior.get_untracked() {
                                if let Some(dialog) = confirm_sign_out.get() {
                                    let _ = dialog.show_modal();
                                }
                            } else {
                                sign_out(false);
                            }
                        }
                    >
                        {move || i18n.t("account-sign-out")}
                    </button>
                }
                .into_any(),
                None => view! {
                    <button type="button" data-testid="open-sign-in" on:click=open>
                        {move || i18n.t("account-sign-in")}
                    </button>
                }
                .into_any(),
            }}
        </div>
        <dialog node_ref=sign_in_dialog class="sheet" aria-labelledby="sign-in-title">
            <form on:submit=submit data-testid="sign-in-form">
                <h2 id="sign-in-title">{move || i18n.t("sign-in-title")}</h2>
                <label for="sign-in-email">{move || i18n.t("sign-in-email")}</label>
                <input
                    id="sign-in-email"
                    type="email"
                    name="email"
                    autocomplete="username"
                    required
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
                <label for="sign-in-password">{move || i18n.t("sign-in-password")}</label>
                <input
                    id="sign-in-password"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <p class="problem" role="alert" data-testid="sign-in-error">{move || error.get().map(|id| i18n.t(id))}</p>
                <button type="button" class="link" data-testid="open-reset" on:click=move |_| {
                    close();
                    navigate_to_reset(paths::RESET_PASSWORD, NavigateOptions::default());
                }>{move || i18n.t("sign-in-forgot")}</button>
                <button type="button" class="link" data-testid="open-family-sign-in" on:click=move |_| {
                    close();
                    navigate_to_family(paths::FAMILY_SIGN_IN, NavigateOptions::default());
                }>{move || i18n.t("sign-in-by-family")}</button>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| close()>{move || i18n.t("cancel")}</button>
                    <button type="submit" data-testid="sign-in-submit" prop:disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t("sign-in-busy") } else { i18n.t("account-sign-in") }}
                    </button>
                </div>
                <p class="switch">
                    {move || i18n.t("sign-in-new-here")}
                    " "
                    <button type="button" class="link" data-testid="open-sign-up" on:click=move |_| {
                        close();
                        navigate(paths::SIGN_UP, NavigateOptions::default());
                    }>{move || i18n.t("sign-in-create-account")}</button>
                </p>
            </form>
        </dialog>
        <Confirm
            dialog=confirm_sign_out
            question=Signal::derive(move || i18n.t("senior-confirm-sign-out"))
            testid="confirm-sign-out"
            on_yes=Callback::new(move |()| sign_out(false))
        />
        <dialog node_ref=sign_out_dialog class="sheet" aria-labelledby="sign-out-title">
            <div class="content">
            <h2 id="sign-out-title">{move || i18n.t("account-sign-out")}</h2>
            <p>{move || i18n.t_with("sign-out-confirm-pending", &[("count", pending().into())])}</p>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| {
                    if let Some(dialog) = sign_out_dialog.get() {
                        dialog.close();
                    }
                }>{move || i18n.t("cancel")}</button>
                <button type="button" class="danger" on:click=move |_| sign_out(true)>
                    {move || i18n.t("sign-out-anyway")}
                </button>
            </div>
            </div>
        </dialog>
    }
}
