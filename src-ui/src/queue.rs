//! The changes the server refused: listed with why, each discarded only by the user.

use hearth_core::ipc::QueuedChange;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::errors;
use crate::i18n::use_i18n;
use crate::state::ShellData;

/// "Review" and the dialog it opens.
#[component]
pub fn RefusedChanges() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let dialog = NodeRef::<html::Dialog>::new();
    let refused = RwSignal::new(Vec::<QueuedChange>::new());
    let load = move || {
        spawn_local(async move {
            match api::queued_changes().await {
                Ok(queued) => refused.set(queued.into_iter().filter(|q| q.rejected.is_some()).collect()),
                Err(error) => leptos::logging::warn!("cannot list the refused changes: {}", error.message),
            }
        });
    };
    let open = move |_| {
        load();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let discard = move |op_id: String| {
        spawn_local(async move {
            match api::discard_change(op_id.clone()).await {
                Ok(()) => {
                    refused.update(|list| list.retain(|q| q.op_id != op_id));
                    shell.reload_mine();
                }
                Err(error) => leptos::logging::error!("cannot discard: {}", error.message),
            }
        });
    };
    // What the change was, in the reader's words.
    let describe = move |change: &QueuedChange| {
        // A challenge no longer in the catalog (often the very reason for the refusal) has no
        // title here any more: it is named generically rather than by its id.
        let title = change.challenge_id.as_ref().and_then(|id| {
            shell
                .challenges
                .get()
                .and_then(Result::ok)
                .and_then(|list| list.into_iter().find(|c| &c.id == id))
                .map(|c| c.title.get(i18n.locale.get()).to_owned())
        });
        match (change.kind.as_str(), title) {
            ("join-challenge", Some(title)) => i18n.t_with("change-join", &[("title", title.into())]),
            ("join-challenge", None) => i18n.t("change-join-unlisted"),
            ("leave-challenge", Some(title)) => i18n.t_with("change-leave", &[("title", title.into())]),
            ("leave-challenge", None) => i18n.t("change-leave-unlisted"),
            ("record-events", _) => i18n.t("change-events"),
            _ => i18n.t("change-profile"),
        }
    };
    let why = move |change: &QueuedChange| match change
        .rejected
        .as_ref()
        .and_then(|r| errors::refusal_id(r.code))
    {
        Some(id) => i18n.t(id),
        None => i18n.t_with(
            "refused-other",
            &[("reason", change.rejected.as_ref().map(|r| r.reason.clone()).unwrap_or_default().into())],
        ),
    };
    view! {
        <button type="button" class="secondary" data-testid="review-refused" on:click=open>
            {move || i18n.t("review-refused")}
        </button>
        <dialog node_ref=dialog class="sheet" aria-labelledby="refused-title">
            <div class="content">
                <h2 id="refused-title">{move || i18n.t("refused-title")}</h2>
                <p>{move || i18n.t("refused-explained")}</p>
                <ul class="refused" data-testid="refused-list">
                    <For each=move || refused.get() key=|q| q.op_id.clone() let:change>
                        <li>
                            <strong>{let c = change.clone(); move || describe(&c)}</strong>
                            <p data-testid="refused-reason">{let c = change.clone(); move || why(&c)}</p>
                            <button type="button" class="danger" data-testid="discard" on:click={
                                let op_id = change.op_id.clone();
                                move |_| discard(op_id.clone())
                            }>{move || i18n.t("discard")}</button>
                        </li>
                    </For>
                </ul>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| {
                        if let Some(dialog) = dialog.get() {
                            dialog.close();
                        }
                    }>{move || i18n.t("close")}</button>
                </div>
            </div>
        </dialog>
    }
}
