//! Creating an account: e-mail, a new password with a hint of how guessable it is and the rules
//! the server checks, the name others see, the account's language and time zone (the device's,
//! changeable), and agreeing to the terms and the privacy notice, both readable first. Then the
//! person is signed in. Sign-up needs the server; the screen says so before and after trying.
//!
//! The form is in sections so the privacy issue's consent tiers can join as one more.

use hearth_core::account::{MAX_DISPLAY_NAME_CHARS, check_password, normalize_display_name, normalize_email};
use hearth_core::i18n::Locale;
use hearth_core::ipc::args;
use hearth_core::progress::{time_zone, time_zone_names};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::{JsCast, JsValue};

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::use_i18n;
use crate::paths;
use crate::state::ShellData;
use crate::widgets::NewPassword;

/// The device's IANA time zone as the webview reports it, when it is one the server accepts.
fn device_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let options = format.resolved_options();
    let zone = js_sys::Reflect::get(&options, &JsValue::from_str("timeZone")).ok()?.as_string()?;
    time_zone(&zone).is_ok().then_some(zone)
}

/// Which field a rule broken before sending is about, with the message id to show under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Email,
    Password(&'static str),
    Name,
    Terms,
}

/// The sign-up screen.
#[component]
pub fn SignUp() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    // The account's language follows the app's until chosen here.
    let locale = RwSignal::new(i18n.locale.get_untracked());
    let locale_chosen = RwSignal::new(false);
    Effect::new(move |_| {
        let app = i18n.locale.get();
        if !locale_chosen.get_untracked() {
            locale.set(app);
        }
    });
    let zone = RwSignal::new(
        device_time_zone().unwrap_or_else(|| hearth_core::account::DEFAULT_TIME_ZONE.to_owned()),
    );
    let agreed = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let failure = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let terms_dialog = NodeRef::<html::Dialog>::new();
    let privacy_dialog = NodeRef::<html::Dialog>::new();
    let zones: Vec<String> = time_zone_names().collect();

    let check = move || -> Option<Problem> {
        let address = email.get_untracked();
        if normalize_email(&address).is_err() {
            return Some(Problem::Email);
        }
        if let Err(error) = check_password(&password.get_untracked(), &address) {
            let id = if error.reason.contains("e-mail") {
                "sign-up-password-is-email"
            } else {
                "sign-up-password-length"
            };
            return Some(Problem::Password(id));
        }
        if normalize_display_name(&name.get_untracked()).is_err() {
            return Some(Problem::Name);
        }
        (!agreed.get_untracked()).then_some(Problem::Terms)
    };
    let focus = |id: &str| {
        let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        let found = check();
        problem.set(found);
        if let Some(found) = found {
            focus(match found {
                Problem::Email => "sign-up-email",
                Problem::Password(_) => "sign-up-password",
                Problem::Name => "sign-up-name",
                Problem::Terms => "sign-up-agree",
            });
            return;
        }
        busy.set(true);
        let request = args::SignUp {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            display_name: name.get_untracked().trim().to_owned(),
            locale: locale.get_untracked(),
            time_zone: zone.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::sign_up(request).await;
            busy.set(false);
            match result {
                Ok(view) => {
                    password.set(String::new());
                    shell.account.set(Some(view));
                    shell.reload_mine();
                    i18n.locale.set(locale.get_untracked());
                    navigate(paths::CHALLENGES, NavigateOptions::default());
                }
                Err(error) => failure.set(Some(errors::message_id(error.code, Doing::SigningUp))),
            }
        });
    };
    let open = move |dialog: NodeRef<html::Dialog>| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let field_error = move |wanted: fn(Problem) -> Option<&'static str>| {
        move || problem.get().and_then(wanted).map(|id| i18n.t(id))
    };

    view! {
        <section class="sign-up" aria-labelledby="sign-up-title" data-testid="sign-up">
            <h1 id="sign-up-title">{move || i18n.t("sign-up-title")}</h1>
            {move || shell.account.get().map(|account| view! {
                <p class="note" role="status" data-testid="sign-up-signed-in">
                    {move || i18n.t_with("sign-up-signed-in", &[("name", account.display_name.clone().into())])}
                </p>
            })}
            <p class="note">{move || i18n.t("sign-up-needs-server")}</p>
            <form class:hidden=move || shell.account.get().is_some() on:submit=submit novalidate data-testid="sign-up-form">
                <fieldset>
                    <legend>{move || i18n.t("sign-up-section-account")}</legend>
                    <label for="sign-up-email">{move || i18n.t("sign-in-email")}</label>
                    <input
                        id="sign-up-email"
                        type="email"
                        autocomplete="email"
                        required
                        aria-describedby="sign-up-email-error"
                        aria-invalid=move || (problem.get() == Some(Problem::Email)).to_string()
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                    <p id="sign-up-email-error" class="problem" data-testid="sign-up-email-error">
                        {field_error(|p| (p == Problem::Email).then_some("sign-up-email-invalid"))}
                    </p>
                    <NewPassword
                        id="sign-up-password"
                        label="sign-up-password"
                        value=password
                        email=email
                        display_name=name
                        error=Signal::derive(move || match problem.get() { Some(Problem::Password(id)) => Some(id), _ => None })
                    />
                    <label for="sign-up-name">{move || i18n.t("sign-up-name")}</label>
                    <input
                        id="sign-up-name"
                        type="text"
                        autocomplete="nickname"
                        required
                        maxlength=MAX_DISPLAY_NAME_CHARS.to_string()
                        aria-describedby="sign-up-name-hint sign-up-name-error"
                        aria-invalid=move || (problem.get() == Some(Problem::Name)).to_string()
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <p id="sign-up-name-hint" class="note">{move || i18n.t("sign-up-name-hint")}</p>
                    <p id="sign-up-name-error" class="problem" data-testid="sign-up-name-error">
                        {field_error(|p| (p == Problem::Name).then_some("sign-up-name-invalid"))}
                    </p>
                </fieldset>
                <fieldset>
                    <legend>{move || i18n.t("sign-up-section-region")}</legend>
                    <label for="sign-up-locale">{move || i18n.t("language-label")}</label>
                    <select
                        id="sign-up-locale"
                        prop:value=move || locale.get().tag()
                        on:change=move |ev| {
                            if let Ok(chosen) = Locale::from_tag(&event_target_value(&ev)) {
                                locale_chosen.set(true);
                                locale.set(chosen);
                            }
                        }
                    >
                        {Locale::ALL.into_iter().map(|l| view! {
                            <option value=l.tag() lang=l.tag() selected=move || locale.get() == l>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                    <label for="sign-up-zone">{move || i18n.t("sign-up-time-zone")}</label>
                    <select id="sign-up-zone" aria-describedby="sign-up-zone-hint" prop:value=move || zone.get() on:change=move |ev| zone.set(event_target_value(&ev))>
                        {zones.into_iter().map(|z| {
                            let selected = z.clone();
                            view! { <option value=z.clone() selected=move || zone.get() == selected>{z.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p id="sign-up-zone-hint" class="note">{move || i18n.t("sign-up-time-zone-hint")}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || i18n.t("sign-up-section-terms")}</legend>
                    <div class="actions">
                        <button type="button" class="secondary" data-testid="open-terms" on:click=move |_| open(terms_dialog)>
                            {move || i18n.t("sign-up-read-terms")}
                        </button>
                        <button type="button" class="secondary" data-testid="open-privacy" on:click=move |_| open(privacy_dialog)>
                            {move || i18n.t("sign-up-read-privacy")}
                        </button>
                    </div>
                    <label class="check">
                        <input
                            id="sign-up-agree"
                            type="checkbox"
                            data-testid="sign-up-agree"
                            aria-describedby="sign-up-agree-error"
                            prop:checked=move || agreed.get()
                            on:change=move |ev| agreed.set(event_target_checked(&ev))
                        />
                        {move || i18n.t("sign-up-agree")}
                    </label>
                    <p id="sign-up-agree-error" class="problem" data-testid="sign-up-agree-error">
                        {field_error(|p| (p == Problem::Terms).then_some("sign-up-agree-needed"))}
                    </p>
                </fieldset>
                <p class="problem" role="alert" data-testid="sign-up-error">{move || failure.get().map(|id| i18n.t(id))}</p>
                <div class="actions">
                    <button type="submit" data-testid="sign-up-submit" prop:disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t("sign-up-busy") } else { i18n.t("sign-up-submit") }}
                    </button>
                </div>
            </form>
        </section>
        <Notice dialog=terms_dialog title="terms-title" body="terms-body" testid="terms" />
        <Notice dialog=privacy_dialog title="privacy-title" body="privacy-body" testid="privacy" />
    }
}

/// A notice to read (the terms, the privacy notice): its paragraphs, one per line of its message.
#[component]
fn Notice(
    dialog: NodeRef<html::Dialog>,
    title: &'static str,
    body: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let title_id = format!("{testid}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="sheet notice" aria-labelledby=labelled_by data-testid=testid>
            <div class="content">
                <h2 id=title_id>{move || i18n.t(title)}</h2>
                {move || i18n.t(body).lines().filter(|l| !l.trim().is_empty()).map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
                <div class="actions">
                    <button type="button" on:click=move |_| {
                        if let Some(dialog) = dialog.get() {
                            dialog.close();
                        }
                    }>{move || i18n.t("close")}</button>
                </div>
            </div>
        </dialog>
    }
}

/// What a visitor who is not signed in sees above the challenges: what an account is for, and
/// the way to make one (signing in is in the app bar).
#[component]
pub fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    view! {
        <Show when=move || shell.account.get().is_none()>
            <section class="welcome" aria-labelledby="welcome-title" data-testid="welcome">
                <h2 id="welcome-title">{move || i18n.t("welcome-title")}</h2>
                <p>{move || i18n.t("welcome-body")}</p>
                <A href=paths::SIGN_UP attr:class="button" attr:data-testid="welcome-sign-up">{move || i18n.t("sign-in-create-account")}</A>
                <p class="note">{move || i18n.t("welcome-sign-in")}</p>
            </section>
        </Show>
    }
}
