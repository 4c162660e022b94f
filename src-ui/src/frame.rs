//! The frame around every screen, and the route table that picks the screen: the app bar (brand,
//! read aloud, senior mode, the account, language, settings), the sync bar, the destinations (a
//! bottom bar on phones, a rail on wider windows) and the screen at the address; in senior mode,
//! its tiles and the few screens they open. Above every screen: the only module that knows them all.

use hearth_core::i18n::Locale;
use hearth_core::ipc::{Connectivity, SyncProblem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{NavigateOptions, path};
use wasm_bindgen::JsCast;

use crate::account::AccountControl;
use crate::api;
use crate::challenges::{Celebration, ChallengeDetails, ChallengesScreen, CompletionMoment};
use crate::devices::Devices;
use crate::household::HouseholdScreen;
use crate::i18n::{format_timestamp, use_i18n};
use crate::league::League;
use crate::paths;
use crate::preview::RoomPreview;
use crate::queue::RefusedChanges;
use crate::recover::Recover;
use crate::rewards::Rewards;
use crate::scroll;
use crate::senior::{HelpScreen, SeniorPage, SeniorTiles};
use crate::settings::Settings;
use crate::setup::Setup;
use crate::sign_in_code::SignInWithCode;
use crate::sign_up::{SignUp, Welcome};
use crate::state::ShellData;
use crate::your_account::YourAccount;

/// The frame, the routes, and the completion moment over whatever screen is open.
#[component]
pub fn Frame() -> impl IntoView {
    let shell = expect_context::<ShellData>();
    provide_context(Celebration::new());
    view! {
        <Router>
            <OpeningLink />
            <SkipLink />
            <AppBar />
            <SeniorSwitch />
            {move || if shell.senior.get() {
                view! {
                    <SyncBar />
                    <main id="main" tabindex="-1" class="senior-main">
                        <SeniorRoutes />
                    </main>
                }
                .into_any()
            } else {
                view! {
                    <div class="frame">
                        <Destinations />
                        <div class="frame-content">
                            <SyncBar />
                            <main id="main" tabindex="-1">
                                <StandardRoutes />
                            </main>
                        </div>
                    </div>
                }
                .into_any()
            }}
            <CompletionMoment />
        </Router>
    }
}

/// The standard view's screens. `/` opens the challenges.
#[component]
fn StandardRoutes() -> impl IntoView {
    scroll::remember();
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=|| view! { <Redirect path=paths::CHALLENGES options=replace() /> } />
            <ParentRoute path=path!("/challenges") view=|| view! { <Welcome /> <WalletLine /> <ChallengesScreen /> }>
                <Route path=path!("") view=|| () />
                <Route path=path!(":id") view=ChallengeDetails />
            </ParentRoute>
            <Route path=path!("/league") view=League />
            <Route path=path!("/rewards") view=Rewards />
            <Route path=path!("/home") view=MyHome />
            <Route path=path!("/home/preview") view=|| view! { <Up to=paths::HOME label="nav-home-devices" /> <RoomPreview /> } />
            <Route path=path!("/home/setup") view=|| view! { <Up to=paths::HOME label="nav-home-devices" /> <Setup /> } />
            <Route path=path!("/settings") view=|| view! { <YourAccount /> <Settings /> } />
            <Route path=path!("/sign-up") view=SignUp />
            <Route path=path!("/reset-password") view=Recover />
            <Route path=path!("/household") view=|| view! { <Up to=paths::SETTINGS label="settings-title" /> <HouseholdScreen /> } />
            <Route path=path!("/household/join") view=|| view! { <Up to=paths::SETTINGS label="settings-title" /> <HouseholdScreen /> } />
            <Route path=path!("/sign-in/family") view=SignInWithCode />
        </Routes>
    }
}

/// Senior mode's screens: its home of tiles at `/`, and the screens the tiles open; any other
/// address opens its home.
#[component]
fn SeniorRoutes() -> impl IntoView {
    scroll::remember();
    view! {
        <Routes fallback=|| view! { <Redirect path=paths::SENIOR_HOME options=replace() /> }>
            <Route path=path!("/") view=SeniorTiles />
            <Route path=path!("/help") view=|| view! { <SeniorPage><HelpScreen /></SeniorPage> } />
            <Route path=path!("/home/setup") view=|| view! { <SeniorPage><Setup /></SeniorPage> } />
            <ParentRoute path=path!("/challenges") view=|| view! { <SeniorPage><ChallengesScreen /></SeniorPage> }>
                <Route path=path!("") view=|| () />
                <Route path=path!(":id") view=ChallengeDetails />
            </ParentRoute>
        </Routes>
    }
}

/// A redirect that takes the place of the address it leaves, so back does not return to it.
fn replace() -> NavigateOptions {
    NavigateOptions { replace: true, ..Default::default() }
}

/// Opened with a `hearth://` link (an invitation's or a sign-in code's QR code), or given one
/// while running: its screen.
#[component]
fn OpeningLink() -> impl IntoView {
    let navigate = use_navigate();
    let on_arrival = navigate.clone();
    spawn_local(async move {
        let arrived = move |address: String| on_arrival(&address, NavigateOptions::default());
        if let Err(error) = api::on_link_opened(arrived).await {
            leptos::logging::warn!("cannot follow arriving links: {}", error.message);
        }
        match api::opening_link().await {
            Ok(Some(address)) => navigate(&address, NavigateOptions::default()),
            Ok(None) => {}
            Err(error) => leptos::logging::warn!("cannot read the opening link: {}", error.message),
        }
    });
}

/// Switching senior mode on or off starts from that view's home.
#[component]
fn SeniorSwitch() -> impl IntoView {
    let shell = expect_context::<ShellData>();
    let navigate = use_navigate();
    Effect::new(move |before: Option<bool>| {
        let senior = shell.senior.get();
        if before.is_some_and(|before| before != senior) {
            navigate(if senior { paths::SENIOR_HOME } else { paths::CHALLENGES }, NavigateOptions::default());
        }
        senior
    });
}

/// "Skip to the content": moves the keyboard's focus to the screen, past the bars.
#[component]
fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    let skip = move |event: leptos::ev::MouseEvent| {
        // The focus moves; the address stays the screen's.
        event.prevent_default();
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>{move || i18n.t("skip-to-content")}</a> }
}

/// The brand and the actions every screen has.
#[component]
fn AppBar() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    view! {
        <header class="app-bar">
            <div class="brand">
                <img src="/128x128.png" alt="" width="40" height="40" />
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
            <Show when=move || !shell.senior.get()>
                <A href=paths::SETTINGS attr:class="button secondary icon-button" attr:data-testid="nav-settings">
                    <Icon path=SETTINGS_ICON />
                    <span>{move || i18n.t("nav-settings")}</span>
                </A>
            </Show>
        </header>
    }
}

/// The standard view's destinations, at most five (room for the community): a bottom bar on
/// phones, a rail beside the screen on wider windows. Everything else is reached from one of
/// them (the room preview and device setup from My home) or from the app bar (settings).
#[component]
fn Destinations() -> impl IntoView {
    let i18n = use_i18n();
    let destination = move |href: &'static str, label: &'static str, icon: &'static str| {
        view! {
            <A href=href attr:data-testid=label>
                <span class="icon-pill"><Icon path=icon /></span>
                <span class="label">{move || i18n.t(label)}</span>
            </A>
        }
    };
    view! {
        <nav class="destinations" aria-label=move || i18n.t("screens-label")>
            {destination(paths::CHALLENGES, "nav-challenges", CHALLENGES_ICON)}
            {destination(paths::LEAGUE, "nav-league", LEAGUE_ICON)}
            {destination(paths::REWARDS, "nav-rewards", REWARDS_ICON)}
            {destination(paths::HOME, "nav-home-devices", HOME_ICON)}
        </nav>
    }
}

/// My home: ways to add to the home first (the room preview, setting up a device), where people
/// look for them, then the devices.
#[component]
fn MyHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="home-more" aria-labelledby="home-more-title">
            <h2 id="home-more-title">{move || i18n.t("home-more-title")}</h2>
            <ul class="link-list">
                <li>
                    <a href=paths::PREVIEW data-testid="nav-preview">
                        <strong>{move || i18n.t("nav-preview")}</strong>
                        <span>{move || i18n.t("home-more-preview")}</span>
                    </a>
                </li>
                <li>
                    <a href=paths::SETUP data-testid="nav-setup">
                        <strong>{move || i18n.t("nav-setup")}</strong>
                        <span>{move || i18n.t("home-more-setup")}</span>
                    </a>
                </li>
            </ul>
        </section>
        <Devices />
    }
}

/// The way up from a screen below a destination, named after it.
#[component]
fn Up(to: &'static str, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="up-link" href=to data-testid="up">
            <Icon path=BACK_ICON />
            <span>{move || i18n.t(label)}</span>
        </a>
    }
}

/// An address the app has no screen for (an old link, a typo).
#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="not-found" data-testid="not-found" aria-labelledby="not-found-title">
            <h2 id="not-found-title">{move || i18n.t("not-found-title")}</h2>
            <p>{move || i18n.t("not-found")}</p>
            <a class="button" href=paths::CHALLENGES>{move || i18n.t("not-found-go")}</a>
        </section>
    }
}

/// A 24-pixel line icon beside a text that names it (so hidden from assistive technology).
#[component]
fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

/// A trophy.
const CHALLENGES_ICON: &str =
    "M7 4h10v4a5 5 0 0 1-10 0zM7 6H4v1a3 3 0 0 0 3 3M17 6h3v1a3 3 0 0 1-3 3M12 13v4M8 20h8M9 17h6v3H9z";
/// A podium.
const LEAGUE_ICON: &str = "M9 8h6v12H9zM3 13h6v7H3zM15 11h6v9h-6z";
/// A gift.
const REWARDS_ICON: &str =
    "M4 11h16v9H4zM3 7h18v4H3zM12 7v13M12 7c-1-3-5-4-5-1.5S10 7 12 7M12 7c1-3 5-4 5-1.5S14 7 12 7";
/// A house.
const HOME_ICON: &str = "M3 11l9-7 9 7M5 9.5V20h14V9.5M10 20v-6h4v6";
/// Two sliders.
const SETTINGS_ICON: &str = "M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4";
/// An arrow pointing back.
const BACK_ICON: &str = "M20 12H5M11 6l-6 6 6 6";

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
