//! The root component: language, sync status and the data every screen shares.

use hearth_core::catalog::Challenge;
use hearth_core::i18n::Locale;
use hearth_core::ipc::{AccountView, CommandError, GuideView, SyncStatus, WalletSummary};
use hearth_core::sync::overlay::ParticipationView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::home::Home;
use crate::i18n::{I18n, system_languages};

/// What the shell has told the UI, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct ShellData {
    /// The latest sync status.
    pub status: RwSignal<SyncStatus>,
    /// The catalog from the local store: `None` until first loaded, or the load error.
    pub challenges: RwSignal<Option<Result<Vec<Challenge>, CommandError>>>,
    /// Who is signed in on this device.
    pub account: RwSignal<Option<AccountView>>,
    /// The signed-in user's challenges, confirmed and pending (empty when signed out).
    pub mine: RwSignal<Vec<ParticipationView>>,
    /// The signed-in user's points, confirmed and pending (none when signed out).
    pub wallet: RwSignal<Option<WalletSummary>>,
    /// The setup guide being followed, if any.
    pub guide: RwSignal<Option<GuideView>>,
    /// Whether the signed-in user's app shows senior mode.
    pub senior: RwSignal<bool>,
}

impl ShellData {
    /// Re-reads who is signed in (the shell restores the session when the app starts), and their
    /// challenges.
    pub fn reload_account(self) {
        spawn_local(async move {
            match api::current_account().await {
                Ok(account) => self.account.set(account),
                Err(error) => leptos::logging::warn!("cannot read the account: {}", error.message),
            }
            self.reload_mine();
        });
    }

    /// Re-reads the signed-in user's challenges (nothing when signed out).
    pub fn reload_mine(self) {
        spawn_local(async move {
            match api::my_challenges().await {
                // Only a change re-renders the cards' progress.
                Ok(mine) if self.mine.with_untracked(|current| *current != mine) => self.mine.set(mine),
                Ok(_) => {}
                Err(error) if error.code == "signed-out" => self.mine.set(Vec::new()),
                Err(error) => leptos::logging::warn!("cannot read your challenges: {}", error.message),
            }
            match api::senior_mode().await {
                // Only on a change: the senior screens start again from home when it changes.
                Ok(senior) if senior != self.senior.get_untracked() => self.senior.set(senior),
                Ok(_) => {}
                Err(error) => leptos::logging::warn!("cannot read senior mode: {}", error.message),
            }
            match api::wallet().await {
                Ok(wallet) => self.wallet.set(Some(wallet)),
                Err(error) if error.code == "signed-out" => self.wallet.set(None),
                Err(error) => leptos::logging::warn!("cannot read your points: {}", error.message),
            }
        });
    }

    /// Runs `then` whenever a sync changes the confirmed balance (points earned or spent), for
    /// screens that show something the points move.
    pub fn on_balance_change(self, then: impl Fn() + 'static) {
        Effect::new(move |previous: Option<Option<u64>>| {
            let balance = self.wallet.get().and_then(|w| w.confirmed).map(|w| w.balance);
            if previous.is_some_and(|p| p != balance) {
                then();
            }
            balance
        });
    }

    /// Re-reads the catalog from the local store.
    pub fn reload_challenges(self) {
        spawn_local(async move {
            let result = api::list_challenges().await;
            if let Err(error) = &result {
                leptos::logging::error!("cannot list challenges: {} ({})", error.message, error.code);
            }
            // Every sync re-reads the catalog; only a change re-renders it (re-rendering would
            // replace every card under the user's finger, and an open file chooser's input).
            let result = Some(result);
            if self.challenges.with_untracked(|current| *current != result) {
                self.challenges.set(result);
            }
        });
    }
}

/// The app: provides [`I18n`] and [`ShellData`], keeps `<html lang>` and the title in step with
/// the language, and shows the home screen.
#[component]
pub fn App() -> impl IntoView {
    let i18n =
        I18n { locale: RwSignal::new(Locale::negotiate(system_languages().iter().map(String::as_str))) };
    provide_context(i18n);
    let shell = ShellData {
        status: RwSignal::new(SyncStatus::default()),
        challenges: RwSignal::new(None),
        account: RwSignal::new(None),
        mine: RwSignal::new(Vec::new()),
        wallet: RwSignal::new(None),
        guide: RwSignal::new(None),
        senior: RwSignal::new(false),
    };
    provide_context(shell);

    Effect::new(move |_| {
        let locale = i18n.locale.get();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", locale.tag());
            }
            document.set_title(&i18n.t("app-title"));
        }
    });
    // Senior mode restyles the whole page: larger text, stronger contrast, bigger targets.
    Effect::new(move |_| {
        let senior = shell.senior.get();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let classes = root.class_list();
            let _ = if senior { classes.add_1("senior") } else { classes.remove_1("senior") };
        }
    });

    spawn_local(async move {
        match api::get_settings().await {
            Ok(settings) => {
                if let Some(locale) = settings.locale {
                    i18n.locale.set(locale);
                }
            }
            Err(error) => leptos::logging::warn!("cannot read settings: {}", error.message),
        }
    });
    spawn_local(async move {
        if let Err(error) = api::on_guide_changed(move |view| shell.guide.set(view)).await {
            leptos::logging::error!("cannot follow the setup guide: {}", error.message);
        }
    });
    spawn_local(async move {
        // Subscribe first so no status emitted between the two calls is missed.
        let subscribed = api::on_sync_status(move |status| {
            let synced_again = status.last_synced_at_ms != shell.status.get_untracked().last_synced_at_ms;
            let before = shell.status.get_untracked();
            let account_changed = status.signed_in != before.signed_in;
            let queue_changed = (status.pending_changes, status.rejected_changes)
                != (before.pending_changes, before.rejected_changes);
            shell.status.set(status);
            if account_changed {
                shell.reload_account();
            } else if synced_again || queue_changed {
                shell.reload_mine();
            }
            if synced_again {
                shell.reload_challenges();
            }
        })
        .await;
        if let Err(error) = subscribed {
            leptos::logging::error!("cannot follow the sync status: {}", error.message);
        }
        match api::sync_status().await {
            Ok(status) => shell.status.set(status),
            Err(error) => leptos::logging::warn!("cannot read the sync status: {}", error.message),
        }
        shell.reload_challenges();
        shell.reload_account();
    });

    view! { <Home /> }
}
