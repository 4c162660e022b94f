//! Signing a device in with a code from family: the screen a parent's device opens from the QR
//! link on their family member's phone (the code filled in), or where the code is typed. No
//! password, no e-mail: the code is the parent's way in, once.

use hearth_core::ipc::ErrorCode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::i18n::use_i18n;
use crate::paths;
use crate::state::ShellData;

/// The family sign-in screen.
#[component]
pub fn SignInWithCode() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let query = use_query_map();
    let code = RwSignal::new(String::new());
    // A link that arrives while this screen shows brings its code too.
    Effect::new(move |_| {
        if let Some(typed) = query.with(|q| q.get("code")) {
            code.set(typed);
        }
    });
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let navigate = StoredValue::new_local(use_navigate());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let result = api::sign_in_with_code(code.get_untracked()).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    shell.account.set(Some(view));
                    shell.reload_mine();
                    navigate.with_value(|go| go(paths::SENIOR_HOME, NavigateOptions::default()));
                }
                Err(error) => problem.set(Some(match error.code {
                    c if c.is_offline() => "family-sign-in-needs-server",
                    ErrorCode::RateLimited => "sign-in-error-rate-limited",
                    ErrorCode::InvalidCode => "family-sign-in-invalid",
                    _ => "family-sign-in-failed",
                })),
            }
        });
    };
    view! {
        <section class="sign-up" aria-labelledby="family-sign-in-title" data-testid="family-sign-in">
            <h2 id="family-sign-in-title">{move || i18n.t("family-sign-in-title")}</h2>
            <p>{move || i18n.t("family-sign-in-about")}</p>
            // A device already signed in is someone's: a link from outside must not switch it.
            <Show when=move || shell.account.get().is_some()>
                <p class="problem" role="alert" data-testid="family-sign-in-signed-in">{move || i18n.t("family-sign-in-signed-in")}</p>
            </Show>
            <form on:submit=submit novalidate hidden=move || shell.account.get().is_some()>
                <label for="family-sign-in-code">{move || i18n.t("family-sign-in-code")}</label>
                <input id="family-sign-in-code" type="text" data-testid="family-sign-in-code" autocomplete="one-time-code"
                    autocapitalize="characters" spellcheck="false" aria-describedby="family-sign-in-problem"
                    prop:value=move || code.get() on:input=move |e| code.set(event_target_value(&e)) />
                <p id="family-sign-in-problem" class="problem" role="alert" data-testid="family-sign-in-problem">
                    {move || problem.get().map(|id| i18n.t(id))}
                </p>
                <div class="actions">
                    <button type="submit" data-testid="family-sign-in-submit" prop:disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t("sign-in-busy") } else { i18n.t("account-sign-in") }}
                    </button>
                </div>
            </form>
        </section>
    }
}
