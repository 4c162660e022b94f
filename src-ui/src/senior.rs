//! Senior mode: a home of four large tiles (help, device setup, challenges, the standard view),
//! every other screen one tap from home, one-tap help that shows who in the family received it
//! and when, and a confirmation before anything that cannot be undone at a glance.

use hearth_core::household::HelpRequest;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::{format_timestamp, use_i18n};
use crate::paths;
use crate::state::ShellData;
use crate::widgets::Confirm;

/// Senior mode's home: four large tiles, each opening one screen (help, device setup, the
/// challenges), and the way back to the standard view, which asks first.
#[component]
pub fn SeniorTiles() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let confirm_standard = NodeRef::<html::Dialog>::new();
    let leave = move || {
        spawn_local(async move {
            match api::set_senior_mode(false).await {
                Ok(senior) => shell.senior.set(senior),
                Err(error) => leptos::logging::warn!("cannot leave senior mode: {}", error.message),
            }
        });
    };
    let tile = move |href: &'static str, label: &'static str, testid: &'static str| {
        view! {
            <li>
                <a class="button tile" href=href data-testid=testid>{move || i18n.t(label)}</a>
            </li>
        }
    };
    view! {
        <h2 class="visually-hidden">{move || i18n.t("senior-home-label")}</h2>
        <ul class="tiles">
            {tile(paths::HELP, "senior-tile-help", "tile-help")}
            {tile(paths::SETUP, "senior-tile-setup", "tile-setup")}
            {tile(paths::CHALLENGES, "senior-tile-challenges", "tile-challenges")}
            <li>
                <button
                    type="button"
                    class="tile"
                    data-testid="tile-standard"
                    on:click=move |_| {
                        if let Some(dialog) = confirm_standard.get() {
                            let _ = dialog.show_modal();
                        }
                    }
                >
                    {move || i18n.t("senior-tile-standard")}
                </button>
            </li>
        </ul>
        <Confirm
            dialog=confirm_standard
            question=Signal::derive(move || i18n.t("senior-confirm-standard"))
            testid="confirm-standard"
            on_yes=Callback::new(move |()| leave())
        />
    }
}

/// A senior screen below home, with a large link back to it first.
#[component]
pub fn SeniorPage(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="button home-button" href=paths::SENIOR_HOME data-testid="senior-home">
            {move || i18n.t("senior-back-home")}
        </a>
        {children()}
    }
}

/// One-tap help, and who received the latest requests and when (checked every few seconds).
#[component]
pub fn HelpScreen() -> impl IntoView {
    let i18n = use_i18n();
    let requests = RwSignal::new(Vec::<HelpRequest>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let sending = RwSignal::new(false);
    let reload = move || {
        spawn_local(async move {
            match api::help_requests().await {
                Ok(list) => requests.set(list),
                Err(error) => leptos::logging::warn!("cannot read help requests: {}", error.message),
            }
        });
    };
    reload();
    // While this screen is open, see family members' devices receive the request.
    if let Ok(every) = set_interval_with_handle(reload, std::time::Duration::from_secs(3)) {
        on_cleanup(move || every.clear());
    }
    let ask = move |_| {
        sending.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::ask_for_help().await {
                Ok(request) => requests.update(|list| list.insert(0, request)),
                Err(error) => problem.set(Some(errors::message_id(error.code, Doing::AskingForHelp))),
            }
            sending.set(false);
        });
    };
    view! {
        <section class="help" aria-labelledby="help-title">
            <h2 id="help-title">{move || i18n.t("help-title")}</h2>
            <p>{move || i18n.t("help-explain")}</p>
            <button type="button" class="help-button" data-testid="help-send" disabled=move || sending.get() on:click=ask>
                {move || if sending.get() { i18n.t("help-sending") } else { i18n.t("help-send") }}
            </button>
            <p class="problem" role="alert" data-testid="help-problem">{move || problem.get().map(|id| i18n.t(id))}</p>
            <ul class="help-requests" data-testid="help-requests" aria-live="polite">
                {move || {
                    let list = requests.get();
                    if list.is_empty() {
                        return view! { <li>{move || i18n.t("help-none")}</li> }.into_any();
                    }
                    list.into_iter()
                        .take(3)
                        .map(|request| {
                            let sent = request.created_at_ms;
                            view! {
                                <li>
                                    <p class="sent">
                                        {move || i18n.t_with("help-sent", &[("time", format_timestamp(sent, i18n.locale.get()).into())])}
                                    </p>
                                    <ul>
                                        {request.contacts.into_iter().map(|contact| {
                                            let name = contact.display_name.clone();
                                            view! {
                                                <li data-testid="help-contact">
                                                    {move || match contact.reached_at_ms {
                                                        Some(at) => i18n.t_with("help-reached", &[
                                                            ("name", name.clone().into()),
                                                            ("time", format_timestamp(at, i18n.locale.get()).into()),
                                                        ]),
                                                        None => i18n.t_with("help-not-reached", &[("name", name.clone().into())]),
                                                    }}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </section>
    }
}
