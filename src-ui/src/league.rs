//! The weekly league: an invitation to opt in, then the user's group this week, ranked, with
//! the promotion and demotion zones, when the week ends and how last week ended.

use hearth_core::league::{DEMOTED, GROUP_SIZE, LeagueView, PROMOTED, Standing, Zone};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{format_timestamp, use_i18n};
use crate::state::ShellData;
use crate::widgets::Confirm;
use crate::widgets::KeptNotice;

/// What the screen knows of the league.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    NotJoined,
    Joined(LeagueView),
    Offline,
}

impl Loaded {
    fn of(view: Option<LeagueView>) -> Self {
        view.map_or(Loaded::NotJoined, Loaded::Joined)
    }
}

/// The league screen.
#[component]
pub fn League() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let loaded = RwSignal::new(Loaded::Loading);
    let kept_from = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            loaded.set(match api::league().await {
                Ok(fetched) => {
                    kept_from.set(fetched.from_cache.then_some(fetched.fetched_at_ms));
                    Loaded::of(fetched.value)
                }
                Err(error) => {
                    leptos::logging::warn!("cannot read the league: {}", error.message);
                    Loaded::Offline
                }
            });
        });
    };
    load();
    // Points earned while the screen is open move the table.
    shell.on_balance_change(load);
    let join = move |_| {
        busy.set(true);
        spawn_local(async move {
            loaded.set(match api::join_league().await {
                Ok(view) => Loaded::Joined(view),
                Err(_) => Loaded::Offline,
            });
            busy.set(false);
        });
    };
    let leave_dialog = NodeRef::<html::Dialog>::new();
    let leave = Callback::new(move |()| {
        spawn_local(async move {
            match api::leave_league().await {
                Ok(()) => loaded.set(Loaded::NotJoined),
                Err(_) => loaded.set(Loaded::Offline),
            }
        });
    });
    let rules = move || {
        i18n.t_with(
            "league-rules",
            &[("size", GROUP_SIZE.into()), ("up", PROMOTED.into()), ("down", DEMOTED.into())],
        )
    };
    view! {
        <section class="league" aria-labelledby="league-title" data-testid="league">
            <h2 id="league-title">{move || i18n.t("league-title")}</h2>
            <KeptNotice kept_from testid="league-kept" />
            {move || match loaded.get() {
                Loaded::Loading => ().into_any(),
                Loaded::Offline => view! { <p class="problem" role="status">{move || i18n.t("league-offline")}</p> }.into_any(),
                Loaded::NotJoined => view! {
                    <div class="league-invite">
                        <p>{rules}</p>
                        <p class="muted">{move || i18n.t("league-privacy")}</p>
                        <button type="button" data-testid="league-join" disabled=move || busy.get() on:click=join>
                            {move || i18n.t("league-join")}
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Joined(view) => view! { <Table view leave_dialog /> }.into_any(),
            }}
            <Confirm dialog=leave_dialog question=Signal::derive(move || i18n.t("league-leave-confirm")) testid="league-leave-confirm" on_yes=leave />
        </section>
    }
}

fn ordinal_rank(i18n: crate::i18n::I18n, rank: u32) -> String {
    i18n.t_with("league-rank", &[("rank", rank.into())])
}

/// The group's table this week.
#[component]
fn Table(view: LeagueView, leave_dialog: NodeRef<html::Dialog>) -> impl IntoView {
    let i18n = use_i18n();
    let tier = view.tier.as_str();
    let ends = view.week.ends_at_ms;
    let size = view.standings.len();
    let me = view.standings.iter().find(|s| s.is_you).cloned();
    let last = view.last_week.clone();
    view! {
        <p class="league-tier" data-testid="league-tier">
            <span class=format!("tier-pill {tier}")>{move || i18n.t(&format!("tier-{tier}"))}</span>
            <span class="muted">{move || i18n.t_with("league-ends", &[("date", format_timestamp(ends, i18n.locale.get()).into())])}</span>
        </p>
        {last.map(|last| {
            let message = match last.zone {
                Zone::Promotion => "league-last-promoted",
                Zone::Safe => "league-last-stayed",
                Zone::Demotion => "league-last-demoted",
            };
            view! {
                <p class="league-last" role="status" data-testid="league-last">
                    {move || i18n.t_with(message, &[
                        ("rank", ordinal_rank(i18n, last.rank).into()),
                        ("tier", i18n.t(&format!("tier-{tier}")).into()),
                    ])}
                </p>
            }
        })}
        {me.map(|me| view! {
            <p class="league-you" data-testid="league-you">
                {move || i18n.t_with("league-you", &[("rank", ordinal_rank(i18n, me.rank).into()), ("size", size.into()), ("points", me.points.into())])}
            </p>
        })}
        <ol class="league-table" aria-label=move || i18n.t("league-table")>
            {view.standings.into_iter().map(|standing| view! { <Line standing /> }).collect_view()}
        </ol>
        <button type="button" class="secondary" data-testid="league-leave" on:click=move |_| {
            if let Some(dialog) = leave_dialog.get() {
                let _ = dialog.show_modal();
            }
        }>
            {move || i18n.t("league-leave")}
        </button>
    }
}

#[component]
fn Line(standing: Standing) -> impl IntoView {
    let i18n = use_i18n();
    let (class, zone) = match standing.zone {
        Zone::Promotion => ("zone up", Some("league-zone-up")),
        Zone::Safe => ("zone", None),
        Zone::Demotion => ("zone down", Some("league-zone-down")),
    };
    let name = standing.display_name.clone();
    view! {
        <li class=class class:you=standing.is_you data-testid="league-line">
            <span class="place">{standing.rank}</span>
            <span class="who">
                {name}
                {standing.is_you.then(|| view! { " " <span class="muted">{move || i18n.t("league-you-mark")}</span> })}
            </span>
            <span class="pts">{move || i18n.t_with("points", &[("points", standing.points.into())])}</span>
            {zone.map(|id| view! { <span class="zone-note">{move || i18n.t(id)}</span> })}
        </li>
    }
}
