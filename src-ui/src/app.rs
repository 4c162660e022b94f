//! The root component: language, sync status and the data every screen shares.

use hearth_core::i18n::Locale;
use hearth_core::ipc::SyncStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::frame::Frame;
use crate::i18n::{I18n, system_languages};
use crate::state::ShellData;

/// The app: provides [`I18n`] and [`ShellData`], keeps `<html lang>` and the title in step with
/// the language, and shows the frame with the screen at the window's address.
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

    view! { <Frame /> }
}
