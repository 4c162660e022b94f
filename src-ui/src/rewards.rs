//! Rewards: what the user's points buy, redeeming (online only, after a confirmation), and the
//! code shown full screen as a QR image for a store counter, which updates when the counter
//! has used it.

use hearth_core::ipc::CommandError;
use hearth_core::ledger::{Transfer, TransferKind};
use hearth_core::rewards::{Redemption, RedemptionStatus, Reward};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::{format_timestamp, use_i18n};
use crate::state::ShellData;
use crate::widgets::KeptNotice;

/// A redemption id for one tap of Redeem: a retry of the same tap spends nothing more.
fn new_redemption_id() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

fn problem_of(error: &CommandError) -> &'static str {
    errors::message_id(error.code, Doing::Redeeming)
}

/// The rewards screen.
#[component]
pub fn Rewards() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let offered = RwSignal::new(None::<Result<Vec<Reward>, CommandError>>);
    let mine = RwSignal::new(Vec::<Redemption>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let asking = RwSignal::new(None::<Reward>);
    let showing = RwSignal::new(None::<Redemption>);
    let confirm = NodeRef::<html::Dialog>::new();
    let sheet = NodeRef::<html::Dialog>::new();
    let reload_mine = move || {
        spawn_local(async move {
            if let Ok(list) = api::redemptions().await {
                // Keep the code on screen up to date (the counter may just have used it).
                if let Some(shown) = showing.get_untracked()
                    && let Some(fresh) = list.iter().find(|r| r.id == shown.id)
                    && fresh.status != shown.status
                {
                    showing.set(Some(fresh.clone()));
                    shell.reload_mine();
                }
                mine.set(list);
            }
        });
    };
    spawn_local(async move { offered.set(Some(api::rewards().await)) });
    reload_mine();
    // Follow the server only while a code is on screen (the counter may use it any moment).
    let follow = move || {
        if sheet.get_untracked().is_some_and(|dialog| dialog.open()) {
            reload_mine();
        }
    };
    if let Ok(every) = set_interval_with_handle(follow, std::time::Duration::from_secs(3)) {
        on_cleanup(move || every.clear());
    }
    let ask = move |reward: Reward| {
        problem.set(None);
        asking.set(Some(reward));
        if let Some(dialog) = confirm.get() {
            let _ = dialog.show_modal();
        }
    };
    let redeem = move || {
        let Some(reward) = asking.get_untracked() else { return };
        if let Some(dialog) = confirm.get() {
            dialog.close();
        }
        let redemption_id = new_redemption_id();
        spawn_local(async move {
            match api::redeem_reward(reward.id.clone(), redemption_id).await {
                Ok(redemption) => {
                    showing.set(Some(redemption));
                    if let Some(dialog) = sheet.get() {
                        let _ = dialog.show_modal();
                    }
                    reload_mine();
                    shell.reload_mine();
                }
                Err(error) => problem.set(Some(problem_of(&error))),
            }
        });
    };
    let show = move |redemption: Redemption| {
        showing.set(Some(redemption));
        if let Some(dialog) = sheet.get() {
            let _ = dialog.show_modal();
        }
    };
    let title_of = move |reward_id: &str| {
        offered.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|r| r.id == reward_id))
                .map(|r| r.title.get(i18n.locale.get()).to_owned())
                .unwrap_or_else(|| reward_id.to_owned())
        })
    };
    let balance = move || shell.wallet.get().and_then(|w| w.confirmed).map_or(0, |w| w.balance);
    view! {
        <section class="rewards" aria-labelledby="rewards-title">
            <h2 id="rewards-title">{move || i18n.t("rewards-title")}</h2>
            <Show when=move || shell.account.get().is_some() fallback=move || view! { <p>{move || i18n.t("rewards-signed-out")}</p> }>
                <p class="balance" data-testid="rewards-balance">{move || i18n.t_with("rewards-balance", &[("points", balance().into())])}</p>
            </Show>
            <p class="problem" role="alert" data-testid="rewards-problem">{move || problem.get().map(|id| i18n.t(id))}</p>
            {move || match offered.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="problem">{move || i18n.t("rewards-unavailable")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="reward-list">
                        {list.into_iter().map(|reward| {
                            let title = reward.title.clone();
                            let description = reward.description.clone();
                            let points = reward.points;
                            let named = title.clone();
                            let id = reward.id.clone();
                            view! {
                                <li class="reward" data-reward-id=id>
                                    <h3>{move || title.get(i18n.locale.get()).to_owned()}</h3>
                                    <p class="muted">{move || description.get(i18n.locale.get()).to_owned()}</p>
                                    <p class="cost">{move || i18n.t_with("rewards-cost", &[("points", points.into())])}</p>
                                    <button
                                        type="button"
                                        data-testid="redeem"
                                        disabled=move || shell.account.get().is_none()
                                        aria-label=move || i18n.t_with("rewards-redeem-named", &[("title", named.get(i18n.locale.get()).to_owned().into())])
                                        on:click=move |_| ask(reward.clone())
                                    >
                                        {move || i18n.t("rewards-redeem")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <Show when=move || !mine.get().is_empty()>
                <h3>{move || i18n.t("rewards-mine")}</h3>
                <ul class="codes">
                    {move || mine.get().into_iter().map(|redemption| {
                        let status = status_text(i18n, &redemption);
                        let title = title_of(&redemption.reward_id);
                        let usable = redemption.status == RedemptionStatus::Issued;
                        view! {
                            <li>
                                <span class="name">{title}</span>
                                <span class="muted">{status}</span>
                                {usable.then(|| view! {
                                    <button type="button" class="secondary" on:click=move |_| show(redemption.clone())>
                                        {move || i18n.t("rewards-show")}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <dialog node_ref=confirm class="sheet confirm" aria-labelledby="redeem-question" data-testid="redeem-confirm">
                <p id="redeem-question" class="question">
                    {move || asking.get().map(|r| i18n.t_with("rewards-confirm", &[
                        ("points", r.points.into()),
                        ("title", r.title.get(i18n.locale.get()).to_owned().into()),
                    ]))}
                </p>
                <div class="confirm-actions">
                    <button type="button" data-testid="redeem-yes" on:click=move |_| redeem()>{move || i18n.t("confirm-yes")}</button>
                    <button type="button" class="secondary" on:click=move |_| { if let Some(d) = confirm.get() { d.close(); } }>
                        {move || i18n.t("confirm-no")}
                    </button>
                </div>
            </dialog>
            <dialog node_ref=sheet class="qr-sheet" aria-labelledby="qr-title" data-testid="qr-sheet">
                <h2 id="qr-title">{move || i18n.t("rewards-code-title")}</h2>
                {move || showing.get().map(|redemption| view! { <Code redemption=redemption title=title_of(&showing.get_untracked().map(|r| r.reward_id).unwrap_or_default()) /> })}
                <button type="button" data-testid="qr-done" on:click=move |_| { if let Some(d) = sheet.get() { d.close(); } }>
                    {move || i18n.t("rewards-done")}
                </button>
            </dialog>
            <Show when=move || shell.account.get().is_some()>
                <PointsHistory offered />
            </Show>
        </section>
    }
}

/// The wallet's history, newest first, a page at a time (online).
#[component]
fn PointsHistory(offered: RwSignal<Option<Result<Vec<Reward>, CommandError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let entries = RwSignal::new(Vec::<Transfer>::new());
    let cursor = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<&'static str>);
    let loaded = RwSignal::new(false);
    let kept_from = RwSignal::new(None::<i64>);
    let load = move |before: Option<String>| {
        spawn_local(async move {
            match api::wallet_history(before.clone()).await {
                Ok(fetched) => {
                    let page = fetched.value;
                    kept_from.set(fetched.from_cache.then_some(fetched.fetched_at_ms));
                    problem.set(None);
                    if before.is_some() {
                        entries.update(|list| list.extend(page.entries));
                    } else {
                        entries.set(page.entries);
                    }
                    cursor.set(page.next_cursor);
                    loaded.set(true);
                }
                Err(error) => {
                    problem.set(Some(errors::message_id(error.code, Doing::ReadingHistory)));
                }
            }
        });
    };
    load(None);
    // A sync that changed the wallet shows in the history at once.
    shell.on_balance_change(move || load(None));
    let challenge_title = move |id: &str| {
        shell.challenges.with(|c| {
            c.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|c| c.id == id))
                .map(|c| c.title.get(i18n.locale.get()).to_owned())
        })
    };
    let reward_title = move |id: &str| {
        offered.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|r| r.id == id))
                .map(|r| r.title.get(i18n.locale.get()).to_owned())
        })
    };
    let words = move |t: &Transfer| {
        let titled = |id: &str, title: Option<String>, unlisted: &str| match title {
            Some(title) => i18n.t_with(id, &[("title", title.into())]),
            None => i18n.t(unlisted),
        };
        match t.kind {
            TransferKind::Award => match &t.challenge_id {
                Some(id) => titled("history-challenge", challenge_title(id), "history-challenge-unlisted"),
                None => i18n.t_with("history-grant", &[("memo", t.memo.clone().into())]),
            },
            TransferKind::Redeem => titled(
                "history-redeem",
                t.reward_id.as_deref().and_then(reward_title),
                "history-redeem-unlisted",
            ),
            TransferKind::Refund => titled(
                "history-refund",
                t.reward_id.as_deref().and_then(reward_title),
                "history-refund-unlisted",
            ),
            TransferKind::Expire => i18n.t("history-expire"),
        }
    };
    view! {
        <section class="history" aria-labelledby="history-title" data-testid="history">
            <h3 id="history-title">{move || i18n.t("history-heading")}</h3>
            <p class="problem" role="status">{move || problem.get().map(|id| i18n.t(id))}</p>
            <KeptNotice kept_from testid="history-kept" />
            <Show when=move || loaded.get() && entries.with(Vec::is_empty)>
                <p class="muted">{move || i18n.t("history-empty")}</p>
            </Show>
            <ol class="history-list">
                {move || entries.get().into_iter().map(|t| {
                    let amount = t.signed_amount();
                    let sign = if amount > 0 { "+" } else { "−" };
                    let class = if amount > 0 { "amount in" } else { "amount out" };
                    let at = t.created_at_ms;
                    let text = words(&t);
                    view! {
                        <li data-testid="history-entry" data-kind=t.kind.as_str()>
                            <span class="what">{text}</span>
                            <span class="when muted">{move || format_timestamp(at, i18n.locale.get())}</span>
                            <span class=class>{format!("{sign}{}", amount.unsigned_abs())}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || cursor.get().is_some()>
                <button type="button" class="secondary" data-testid="history-more" on:click=move |_| load(cursor.get_untracked())>
                    {move || i18n.t("history-more")}
                </button>
            </Show>
        </section>
    }
}

fn status_text(i18n: crate::i18n::I18n, redemption: &Redemption) -> String {
    match redemption.status {
        RedemptionStatus::Issued => i18n.t_with(
            "rewards-status-issued",
            &[("date", format_timestamp(redemption.expires_at_ms, i18n.locale.get_untracked()).into())],
        ),
        RedemptionStatus::Consumed => i18n.t("rewards-status-consumed"),
        RedemptionStatus::Refunded => i18n.t("rewards-status-refunded"),
    }
}

/// The code: its QR image (from the shell), the code as text, and where it stands.
#[component]
fn Code(redemption: Redemption, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let svg = RwSignal::new(None::<String>);
    let code = redemption.code.clone();
    spawn_local(async move {
        if let Ok(image) = api::redemption_qr(code).await {
            svg.set(Some(image));
        }
    });
    let source = move || {
        svg.get().map(|image| {
            let encoded = js_sys::encode_uri_component(&image).as_string().unwrap_or_default();
            format!("data:image/svg+xml;charset=utf-8,{encoded}")
        })
    };
    let used = redemption.status == RedemptionStatus::Consumed;
    let status = status_text(i18n, &redemption);
    let code = redemption.code.clone();
    view! {
        <div class="code" class:used=used>
            <img class="qr" data-testid="qr" src=source alt=move || i18n.t_with("rewards-code-alt", &[("title", title.clone().into())]) />
            <p class="code-text">{move || i18n.t_with("rewards-code-text", &[("code", code.clone().into())])}</p>
            <p class="code-status" role="status" data-testid="qr-status">{status}</p>
        </div>
    }
}
