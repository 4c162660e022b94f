//! The home screen: the app bar (brand, read aloud, senior mode, language, the account), the sync
//! bar and the wallet line, the tabs of the standard view (challenges, league, rewards, my home,
//! room preview, device setup, settings) and the screen each opens, or senior mode's four tiles.

use hearth_core::i18n::Locale;
use hearth_core::ipc::{Connectivity, SyncProblem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::account::AccountControl;
use crate::api;
use crate::challenges::{Celebration, ChallengesScreen, CompletionMoment};
use crate::devices::Devices;
use crate::i18n::{format_timestamp, use_i18n};
use crate::league::League;
use crate::preview::RoomPreview;
use crate::queue::RefusedChanges;
use crate::rewards::Rewards;
use crate::senior::SeniorHome;
use crate::settings::Settings;
use crate::setup::Setup;
use crate::state::ShellData;

/// The app's screens, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Challenges,
    League,
    Rewards,
    Devices,
    Preview,
    Setup,
    Settings,
}

/// The home screen.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let screen = RwSignal::new(Screen::Challenges);
    provide_context(Celebration::new());
    let tab = move |which: Screen, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                data-testid=testid
                aria-current=move || (screen.get() == which).then_some("page")
                on:click=move |_| screen.set(which)
            >
                {move || i18n.t(label)}
            </button>
        }
    };
    view! {
        <a class="skip-link" href="#main">{move || i18n.t("skip-to-content")}</a>
        <header class="app-bar">
            <div class="brand">
                <img src="128x128.png" alt="" width="40" height="40" />
                <div>
                    <h1>{move || i18n.t("app-title")}</h1>
                    <p class="tagline">{move || i18n.t("app-tagline")}</p>
                </div>
            </div>
            <div class="bar-actions">
                <ReadAloud />
                <SeniorToggle />
                <AccountControl />
                <LanguageSwitch />
            </div>
        </header>
        {move || if shell.senior.get() {
            view! {
                <SyncBar />
                <SeniorHome challenges=ViewFn::from(|| view! { <ChallengesScreen /> }) />
            }
            .into_any()
        } else {
            view! {
                <nav class="screens" aria-label=move || i18n.t("screens-label")>
                    {tab(Screen::Challenges, "nav-challenges", "nav-challenges")}
                    {tab(Screen::League, "nav-league", "nav-league")}
                    {tab(Screen::Rewards, "nav-rewards", "nav-rewards")}
                    {tab(Screen::Devices, "nav-home-devices", "nav-home-devices")}
                    {tab(Screen::Preview, "nav-preview", "nav-preview")}
                    {tab(Screen::Setup, "nav-setup", "nav-setup")}
                    {tab(Screen::Settings, "nav-settings", "nav-settings")}
                </nav>
                <SyncBar />
                {move || match screen.get() {
                    Screen::Challenges => view! {
                        <WalletLine />
                        <main id="main" tabindex="-1">
                            <ChallengesScreen />
                        </main>
                    }
                    .into_any(),
                    Screen::League => view! {
                        <main id="main" tabindex="-1">
                            <League />
                        </main>
                    }
                    .into_any(),
                    Screen::Rewards => view! {
                        <main id="main" tabindex="-1">
                            <Rewards />
                        </main>
                    }
                    .into_any(),
                    Screen::Devices => view! {
                        <main id="main" tabindex="-1">
                            <Devices />
                        </main>
                    }
                    .into_any(),
                    Screen::Preview => view! {
                        <main id="main" tabindex="-1">
                            <RoomPreview />
                        </main>
                    }
                    .into_any(),
                    Screen::Setup => view! {
                        <main id="main" tabindex="-1">
                            <Setup />
                        </main>
                    }
                    .into_any(),
                    Screen::Settings => view! {
                        <main id="main" tabindex="-1">
                            <Settings />
                        </main>
                    }
                    .into_any(),
                }}
            }
            .into_any()
        }}
        <CompletionMoment />
    }
}

/// Reads the screen's main content aloud through the shell's voice; says so when there is none.
#[component]
fn ReadAloud() -> impl IntoView {
    let i18n = use_i18n();
    let unavailable = RwSignal::new(false);
    let read = move |_| {
        let text = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main").ok().flatten())
            .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|main| main.inner_text())
            .unwrap_or_default();
        if text.trim().is_empty() {
            return;
        }
        let locale = i18n.locale.get_untracked();
        spawn_local(async move {
            match api::speak(text, locale).await {
                Ok(status) => unavailable.set(!status.available),
                Err(error) => {
                    leptos::logging::warn!("cannot read aloud: {}", error.message);
                    unavailable.set(true);
                }
            }
        });
    };
    view! {
        <div class="read-aloud">
            <button type="button" class="secondary" data-testid="read-aloud" on:click=read>
                {move || i18n.t("read-aloud")}
            </button>
            <Show when=move || unavailable.get()>
                <p class="note" role="status">{move || i18n.t("read-aloud-unavailable")}</p>
            </Show>
        </div>
    }
}

/// Switches the simple (senior) view on, for whoever is signed in; leaving it asks first, from
/// its home.
#[component]
fn SeniorToggle() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let switch_on = move |_| {
        spawn_local(async move {
            match api::set_senior_mode(true).await {
                Ok(senior) => shell.senior.set(senior),
                Err(error) => leptos::logging::warn!("cannot switch senior mode: {}", error.message),
            }
        });
    };
    view! {
        <Show when=move || shell.account.get().is_some() && !shell.senior.get()>
            <button type="button" class="secondary" data-testid="senior-on" on:click=switch_on>
                {move || i18n.t("senior-toggle")}
            </button>
        </Show>
    }
}

/// Two buttons, one per shipped locale, each named in its own language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |locale: Locale| {
        i18n.locale.set(locale);
        spawn_local(async move {
            if let Err(error) = api::set_locale(locale).await {
                leptos::logging::error!("cannot remember the language: {}", error.message);
            }
        });
    };
    view! {
        <div class="language-switch" role="group" aria-label=move || i18n.t("language-label")>
            {Locale::ALL
                .into_iter()
                .rev()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            lang=locale.tag()
                            data-testid=format!("locale-{}", locale.tag())
                            aria-pressed=move || (i18n.locale.get() == locale).to_string()
                            on:click=move |_| choose(locale)
                        >
                            {locale.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Online or offline, when the catalog last synced, why the last attempt failed, "sync now".
#[component]
fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let status = move || shell.status.get();
    let connectivity = move || status().connectivity;
    let label = move || match connectivity() {
        Connectivity::Connecting => i18n.t("status-connecting"),
        Connectivity::Online => i18n.t("status-online"),
        Connectivity::Offline => i18n.t("status-offline"),
    };
    let last_synced = move || match status().last_synced_at_ms {
        Some(ms) => i18n.t_with("last-synced", &[("time", format_timestamp(ms, i18n.locale.get()).into())]),
        None => i18n.t("never-synced"),
    };
    let problem = move || {
        status().problem.map(|problem| match problem {
            SyncProblem::ServerError { status } => {
                i18n.t_with(problem.message_id(), &[("status", status.into())])
            }
            other => i18n.t(other.message_id()),
        })
    };
    let offline_note =
        move || (connectivity() == Connectivity::Offline).then(|| i18n.t("offline-showing-saved"));
    let recovered = move || status().store_recovered.then(|| i18n.t("store-recovered"));
    let waiting = move || {
        let count = status().pending_changes;
        (count > 0).then(|| i18n.t_with("changes-waiting", &[("count", count.into())]))
    };
    let refused = move || {
        let count = status().rejected_changes;
        (count > 0).then(|| i18n.t_with("changes-refused", &[("count", count.into())]))
    };
    let connectivity_attr = move || match connectivity() {
        Connectivity::Connecting => "connecting",
        Connectivity::Online => "online",
        Connectivity::Offline => "offline",
    };
    view! {
        <section
            class="sync-bar"
            data-testid="sync-status"
            data-connectivity=connectivity_attr
            aria-label=move || i18n.t("status-region")
        >
            <div class="sync-line" role="status">
                <span class="dot" aria-hidden="true"></span>
                <strong data-testid="connectivity">{label}</strong>
                <span data-testid="last-synced">{last_synced}</span>
            </div>
            <button type="button" class="secondary" on:click=move |_| {
                spawn_local(async move {
                    if let Err(error) = api::sync_now().await {
                        leptos::logging::error!("cannot ask for a sync: {}", error.message);
                    }
                });
            }>{move || i18n.t("sync-now")}</button>
            <div class="sync-notes" role="alert">
                {move || recovered().map(|text| view! { <p>{text}</p> })}
                {move || waiting().map(|text| view! { <p data-testid="changes-waiting">{text}</p> })}
                {move || refused().map(|text| view! {
                    <div class="refused-note">
                        <p class="problem" data-testid="changes-refused">{text}</p>
                        <RefusedChanges />
                    </div>
                })}
                {move || offline_note().map(|text| view! { <p data-testid="offline-note">{text}</p> })}
                {move || problem().map(|text| view! { <p class="problem" data-testid="sync-problem">{text}</p> })}
            </div>
        </section>
    }
}

/// The signed-in user's points: confirmed ones, and apart from them those waiting to sync.
/// While they are read the line is already there, so the cards below do not jump under a
/// finger about to tap them.
#[component]
fn WalletLine() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    move || {
        let Some(wallet) = shell.wallet.get() else {
            return shell.account.get().is_some().then(|| {
                view! {
                    <section class="wallet" aria-label=move || i18n.t("wallet-label") aria-busy="true">
                        <strong class="loading">{move || i18n.t("wallet-loading")}</strong>
                    </section>
                }
                .into_any()
            });
        };
        Some({
            let balance = wallet.confirmed.as_ref().map_or(0, |w| w.balance);
            let expiring = wallet.confirmed.as_ref().and_then(|w| w.expiring_soon.first().copied());
            let pending = wallet.pending_points;
            view! {
                <section class="wallet" data-testid="wallet" aria-label=move || i18n.t("wallet-label")>
                    <strong data-testid="wallet-balance">
                        {move || i18n.t_with("wallet-points", &[("points", balance.into())])}
                    </strong>
                    {(pending > 0).then(|| view! {
                        <span class="state pending" data-testid="wallet-pending">
                            {move || i18n.t_with("wallet-pending", &[("points", pending.into())])}
                        </span>
                    })}
                    {expiring.map(|lot| view! {
                        <span class="expiry">
                            {move || i18n.t_with(
                                "wallet-expiring",
                                &[("points", lot.amount.into()), ("date", format_timestamp(lot.expires_at_ms, i18n.locale.get()).into())],
                            )}
                        </span>
                    })}
                </section>
            }
            .into_any()
        })
    }
}
