//! What the shell has told the UI, shared through context by every screen: the sync status,
//! the catalog, who is signed in, their challenges, their wallet, the guide being followed and
//! senior mode. Below every screen.

use hearth_core::catalog::Challenge;
use hearth_core::ipc::{AccountView, CommandError, ErrorCode, GuideView, SyncStatus, WalletSummary};
use hearth_core::sync::overlay::ParticipationView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

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
                Err(error) if error.code == ErrorCode::SignedOut => self.mine.set(Vec::new()),
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
                Err(error) if error.code == ErrorCode::SignedOut => self.wallet.set(None),
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
