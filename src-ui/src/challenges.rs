//! The challenges screen: the user's badges, the catalog by home scene, each challenge's card
//! and its details (what counts, the window, progress with the streak, join and leave), and the
//! moment a challenge is completed, which the user may share to the community.

use std::collections::BTreeSet;

use hearth_core::badges::{Badge, BadgeStatus, badges, earned_by};
use hearth_core::catalog::{Aggregation, Challenge, Scene};
use hearth_core::progress::{DAY_MS, Participation, is_self_reported};
use hearth_core::sync::overlay::ParticipationView;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::{I18n, format_date, format_timestamp, use_i18n};
use crate::paths;
use crate::share_card;
use crate::state::ShellData;
use crate::widgets::Confirm;

/// The history state of a details page opened from the list, so closing it goes back to the list
/// instead of stacking the list again (a details page opened by a link replaces itself).
const FROM_LIST: &str = "from-challenge-list";

/// A link to a challenge's details, `class` styling it; the list stays where it was scrolled.
#[component]
fn DetailsLink(
    challenge_id: String,
    class: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional, into)] label: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <a
            class=class
            href=paths::challenge(&challenge_id)
            data-testid=testid
            aria-label=move || label.map(|label| label.get())
            data-noscroll="true"
            prop:state=FROM_LIST
        >
            {children()}
        </a>
    }
}

/// The completion moment: which challenge it celebrates, and its dialog. Provided by the home
/// screen so the moment comes on whatever screen the user is on when the sync brings it.
#[derive(Debug, Clone, Copy)]
pub struct Celebration {
    showing: RwSignal<Option<String>>,
    dialog: NodeRef<html::Dialog>,
}

impl Celebration {
    /// A celebration with nothing to show yet.
    pub fn new() -> Self {
        Celebration { showing: RwSignal::new(None), dialog: NodeRef::new() }
    }

    /// Shows the moment for `challenge_id`.
    pub fn show(self, challenge_id: String) {
        self.showing.set(Some(challenge_id));
        if let Some(dialog) = self.dialog.get_untracked()
            && !dialog.open()
        {
            let _ = dialog.show_modal();
        }
    }
}

impl Default for Celebration {
    fn default() -> Self {
        Self::new()
    }
}

/// The server's participations as the badge rules read them.
fn confirmed(mine: &[ParticipationView]) -> Vec<Participation> {
    mine.iter()
        .map(|p| Participation {
            challenge_id: p.challenge_id.clone(),
            joined_at_ms: p.joined_at_ms,
            progress: p.progress,
            completed_at_ms: p.completed_at_ms,
        })
        .collect()
}

fn catalog(shell: ShellData) -> Vec<Challenge> {
    shell.challenges.get().and_then(Result::ok).unwrap_or_default()
}

fn rule_text(i18n: I18n, aggregation: Aggregation) -> String {
    match aggregation {
        Aggregation::Count { target } => i18n.t_with("rule-count", &[("target", target.into())]),
        Aggregation::Streak { days } => i18n.t_with("rule-streak", &[("days", days.into())]),
        Aggregation::TotalDuration { minutes } => {
            i18n.t_with("rule-duration", &[("minutes", minutes.into())])
        }
    }
}

/// The challenges screen.
#[component]
pub fn ChallengesScreen() -> impl IntoView {
    let shell = expect_context::<ShellData>();
    view! {
        <Show when=move || shell.account.get().is_some()>
            <Badges />
            <Completed />
        </Show>
        <ChallengeCatalog />
        <Outlet />
    }
}

/// The user's completed challenges, newest first, with when and what they paid (folded away
/// until opened; absent until there is one).
#[component]
fn Completed() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let done = Memo::new(move |_| {
        let catalog = catalog(shell);
        let mut done: Vec<(i64, Challenge)> = shell
            .mine
            .get()
            .into_iter()
            .filter_map(|p| {
                Some((p.completed_at_ms?, catalog.iter().find(|c| c.id == p.challenge_id)?.clone()))
            })
            .collect();
        done.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        done
    });
    view! {
        <Show when=move || !done.with(Vec::is_empty)>
            <details class="completed" data-testid="completed">
                <summary>
                    {move || i18n.t_with("completed-count", &[("count", done.with(Vec::len).into())])}
                </summary>
                <ol class="completed-list">
                    {move || done.get().into_iter().map(|(at, challenge)| {
                        let id = challenge.id.clone();
                        let title = challenge.title.clone();
                        let points = challenge.points;
                        view! {
                            <li data-testid="completed-entry">
                                <DetailsLink challenge_id=id class="link">
                                    {move || title.get(i18n.locale.get()).to_owned()}
                                </DetailsLink>
                                <span class="muted">{move || format_date(at, i18n.locale.get())}</span>
                                <span class="points">{move || i18n.t_with("history-points", &[("points", points.into())])}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </details>
        </Show>
    }
}

/// The catalog, grouped by scene, or a plain message when there is nothing to show.
#[component]
pub fn ChallengeCatalog() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let count = move || match shell.challenges.get() {
        Some(Ok(list)) => list.len(),
        _ => 0,
    };
    view! {
        <div class="catalog-heading">
            <h2>{move || i18n.t("home-heading")}</h2>
            <p class="count" data-testid="challenge-count">
                {move || i18n.t_with("challenge-count", &[("count", count().into())])}
            </p>
        </div>
        {move || match shell.challenges.get() {
            None => ().into_any(),
            Some(Err(_)) => view! {
                <div class="notice" role="alert">
                    <p>{move || i18n.t("load-error")}</p>
                    <button type="button" on:click=move |_| shell.reload_challenges()>{move || i18n.t("retry")}</button>
                </div>
            }
            .into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <p class="notice" data-testid="empty-catalog">{move || i18n.t("empty-catalog")}</p>
            }
            .into_any(),
            Some(Ok(list)) => {
                let scenes = Scene::ALL
                    .into_iter()
                    .filter_map(|scene| {
                        let in_scene: Vec<Challenge> = list.iter().filter(|c| c.scene == scene).cloned().collect();
                        (!in_scene.is_empty()).then(|| view! { <SceneSection scene challenges=in_scene /> })
                    })
                    .collect_view();
                view! { <div class="scenes">{scenes}</div> }.into_any()
            }
        }}
    }
}

/// One scene's heading and its challenges.
#[component]
fn SceneSection(
    /// The scene.
    scene: Scene,
    /// Its challenges, in display order.
    challenges: Vec<Challenge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("scene-{}", scene.as_str());
    let labelled_by = heading_id.clone();
    view! {
        <section class="scene" data-scene=scene.as_str() aria-labelledby=labelled_by>
            <h3 id=heading_id>{move || i18n.t(&format!("scene-{}", scene.as_str()))}</h3>
            <ul class="cards">
                {challenges.into_iter().map(|challenge| view! { <ChallengeCard challenge /> }).collect_view()}
            </ul>
        </section>
    }
}

/// Joins `challenge_id` and shows the answer.
fn join(shell: ShellData, challenge_id: String) {
    spawn_local(async move {
        match api::join_challenge(challenge_id).await {
            Ok(views) => shell.mine.set(views),
            Err(error) => leptos::logging::error!("cannot join: {} ({})", error.message, error.code),
        }
    });
}

/// The streak, made visible: days in a row, and whether today still needs doing.
#[component]
fn StreakLine(view: ParticipationView) -> impl IntoView {
    let i18n = use_i18n();
    // Judged by the shell in the user's time zone, by the rule the evening warning uses.
    let state = view.streak;
    let best = view.progress.current;
    let days = state.map_or(0, |s| s.days);
    let (class, note) = match state {
        Some(s) if s.done_today => ("streak done", Some("streak-done-today")),
        Some(_) => ("streak at-risk", Some("streak-at-risk")),
        None => ("streak", None),
    };
    view! {
        <p class=class data-testid="streak">
            <svg class="flame" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M12 2c1 4 5 6 5 11a5 5 0 0 1-10 0c0-3 2-4 2-7 2 1 3 3 3 5 1-2 1-5 0-9z" />
            </svg>
            <strong>{move || i18n.t_with("streak-days", &[("days", days.into())])}</strong>
            {note.map(|id| view! { <span>{move || i18n.t(id)}</span> })}
            {(best > days).then(|| view! { <span class="muted">{move || i18n.t_with("streak-best", &[("days", best.into())])}</span> })}
        </p>
    }
}

/// One challenge: title, what to do, what it takes and pays, and the user's part in it.
#[component]
fn ChallengeCard(
    /// The challenge.
    challenge: Challenge,
) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let c = StoredValue::new(challenge);
    let title = move || c.with_value(|c| c.title.get(i18n.locale.get()).to_owned());
    let description = move || c.with_value(|c| c.description.get(i18n.locale.get()).to_owned());
    let difficulty = move || c.with_value(|c| i18n.t(&format!("difficulty-{}", c.difficulty.as_str())));
    let points = move || c.with_value(|c| i18n.t_with("points", &[("points", c.points.into())]));
    let target = move || c.with_value(|c| rule_text(i18n, c.rule.aggregation));
    let window = move || c.with_value(|c| i18n.t_with("window-days", &[("days", c.rule.window_days.into())]));
    let id = c.with_value(|c| c.id.clone());
    let is_streak = c.with_value(|c| matches!(c.rule.aggregation, Aggregation::Streak { .. }));
    let self_reported = c.with_value(|c| is_self_reported(&c.rule.trigger));
    let mine = move || c.with_value(|c| shell.mine.get().into_iter().find(|p| p.challenge_id == c.id));
    let named = move |id: &'static str| {
        c.with_value(|c| i18n.t_with(id, &[("title", c.title.get(i18n.locale.get()).to_owned().into())]))
    };
    let signed_in = move || shell.account.get().is_some();
    // Only a change of joined or not re-renders the button (a tap must not land on a button
    // replaced because another challenge's progress moved).
    let joined = Memo::new(move |_| mine().is_some());
    let task_open = Memo::new(move |_| self_reported && mine().is_some_and(|p| p.completed_at_ms.is_none()));
    let difficulty_class = c.with_value(|c| format!("badge difficulty-{}", c.difficulty.as_str()));
    view! {
        <li class="card" data-testid="challenge" data-challenge-id=id>
            <article>
                <h4 data-testid="challenge-title">{title}</h4>
                <p class="description">{description}</p>
                <ul class="facts">
                    <li class=difficulty_class>{difficulty}</li>
                    <li class="badge">{target}" · "{window}</li>
                    <li class="badge points">{points}</li>
                </ul>
                {move || mine().map(|view| {
                    let open = view.completed_at_ms.is_none();
                    view! {
                        <ParticipationLine view=view.clone() />
                        {(is_streak && open).then(|| view! { <StreakLine view /> })}
                    }
                })}
                // Kept while the task is open, so what it said survives syncs that move progress.
                <Show when=move || task_open.get()>
                    <ReportTask challenge_id=c.with_value(|c| c.id.clone()) />
                </Show>
                <div class="card-actions">
                    {move || (!joined.get() && signed_in()).then(|| view! {
                        <button type="button" class="join" data-testid="join" aria-label=move || named("join-named")
                            on:click=move |_| join(shell, c.with_value(|c| c.id.clone()))>
                            {move || i18n.t("join")}
                        </button>
                    })}
                    <DetailsLink
                        challenge_id=c.with_value(|c| c.id.clone())
                        class="button secondary"
                        testid="details"
                        label=Signal::derive(move || named("details-named"))
                    >
                        {move || i18n.t("details")}
                    </DetailsLink>
                </div>
            </article>
        </li>
    }
}

/// "I did it": a photo as proof of a self-reported task, checked and sent by the shell.
#[component]
fn ReportTask(challenge_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let said = RwSignal::new(None::<(&'static str, bool)>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(challenge_id);
    let on_file = move |event: web_sys::Event| {
        use wasm_bindgen::JsCast as _;
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        busy.set(true);
        said.set(Some(("task-sending", true)));
        spawn_local(async move {
            let result = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => api::report_task(&id.get_value(), js_sys::Uint8Array::new(&buffer)).await,
                Err(_) => Err(hearth_core::ipc::CommandError {
                    code: hearth_core::ipc::ErrorCode::NotAPhoto,
                    message: String::new(),
                }),
            };
            busy.set(false);
            said.set(Some(match result {
                Ok(views) => {
                    shell.mine.set(views);
                    ("task-sent", true)
                }
                Err(error) => (errors::message_id(error.code, Doing::ReportingTask), false),
            }));
        });
    };
    view! {
        <div class="report-task">
            <label class="file-button">
                <input type="file" class="visually-hidden" accept="image/jpeg,image/png,image/webp"
                    data-testid="task-photo" disabled=move || busy.get() on:change=on_file />
                <span>{move || if busy.get() { i18n.t("task-sending") } else { i18n.t("task-report") }}</span>
            </label>
            <p class="task-said" class:problem=move || said.get().is_some_and(|(_, ok)| !ok) role="status" data-testid="task-said">
                {move || said.get().map(|(id, _)| i18n.t(id))}
            </p>
        </div>
    }
}

/// Progress, and whether the server has it yet.
#[component]
fn ParticipationLine(view: ParticipationView) -> impl IntoView {
    let i18n = use_i18n();
    let current = view.progress.current.min(view.progress.target);
    let target = view.progress.target;
    let progress =
        move || i18n.t_with("progress-of", &[("current", current.into()), ("target", target.into())]);
    let state = move || {
        if view.completed_at_ms.is_some() {
            Some(("state done", i18n.t("challenge-completed")))
        } else if view.pending {
            Some(("state pending", i18n.t("joined-pending")))
        } else if view.pending_events > 0 {
            Some(("state pending", i18n.t_with("events-waiting", &[("count", view.pending_events.into())])))
        } else {
            None
        }
    };
    view! {
        <div class="participation" data-testid="participation">
            <progress max=target value=current aria-label=progress></progress>
            <span class="progress-text">{progress}</span>
            {move || state().map(|(class, text)| view! { <span class=class data-testid="participation-state">{text}</span> })}
        </div>
    }
}

/// The details of the challenge at `/challenges/:id`, in a dialog over the list. Closing it (the
/// button, Escape) leaves the address: back to the list it was opened from, or to the list in its
/// place when a link opened it; the back button closes it too.
#[component]
pub fn ChallengeDetails() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let params = use_params_map();
    let location = use_location();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    let id = Memo::new(move |_| params.with(|p| p.get("id").map(|segment| paths::challenge_id(&segment))));
    // `None` while the catalog is read; `Some(None)` when it has no such challenge.
    let challenge = move || {
        let id = id.get()?;
        shell.challenges.with(|loaded| {
            loaded
                .as_ref()
                .map(|loaded| loaded.as_ref().ok().and_then(|list| list.iter().find(|c| c.id == id).cloned()))
        })
    };
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get()
            && !dialog.open()
        {
            let _ = dialog.show_modal();
        }
    });
    let leave = move |_| {
        // Already left (the back button): nothing to undo.
        if !location.pathname.get_untracked().starts_with(&format!("{}/", paths::CHALLENGES)) {
            return;
        }
        let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return };
        if history.state().ok().and_then(|state| state.as_string()).as_deref() == Some(FROM_LIST) {
            let _ = history.back();
        } else {
            navigate(
                paths::CHALLENGES,
                NavigateOptions { replace: true, scroll: false, ..Default::default() },
            );
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class="sheet detail"
            aria-labelledby="detail-title"
            data-testid="challenge-detail"
            on:close=leave
        >
            {move || match challenge() {
                Some(Some(challenge)) => view! { <DetailBody challenge dialog /> }.into_any(),
                Some(None) => view! {
                    <h2 id="detail-title">{move || i18n.t("challenge-not-found-title")}</h2>
                    <p data-testid="challenge-not-found">{move || i18n.t("challenge-not-found")}</p>
                }
                .into_any(),
                None => view! {
                    <h2 id="detail-title" class="loading" aria-busy="true">{move || i18n.t("challenge-loading")}</h2>
                }
                .into_any(),
            }}
            <div class="actions">
                <button type="button" class="secondary" data-testid="detail-close" on:click=close>{move || i18n.t("close")}</button>
            </div>
        </dialog>
    }
}

#[component]
fn DetailBody(
    challenge: Challenge,
    /// The dialog the details are in, closed when the user shares the completion.
    dialog: NodeRef<html::Dialog>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let celebration = expect_context::<Celebration>();
    let c = StoredValue::new(challenge);
    let id = c.with_value(|c| c.id.clone());
    let mine = move || c.with_value(|c| shell.mine.get().into_iter().find(|p| p.challenge_id == c.id));
    let title = move || c.with_value(|c| c.title.get(i18n.locale.get()).to_owned());
    let trigger = move || {
        c.with_value(|c| i18n.t_or(&format!("trigger-{}", c.rule.trigger.replace('.', "-")), "trigger-other"))
    };
    let window = move || {
        c.with_value(|c| {
            let days = i18n.t_with("window-days", &[("days", c.rule.window_days.into())]);
            match mine().filter(|p| p.completed_at_ms.is_none()) {
                Some(p) => {
                    let end = p.joined_at_ms + i64::from(c.rule.window_days) * DAY_MS;
                    let ends = format_timestamp(end, i18n.locale.get());
                    format!("{days} · {}", i18n.t_with("detail-window-ends", &[("date", ends.into())]))
                }
                None => days,
            }
        })
    };
    let is_streak = c.with_value(|c| matches!(c.rule.aggregation, Aggregation::Streak { .. }));
    let leave_dialog = NodeRef::<html::Dialog>::new();
    let leave_question = Signal::derive(move || {
        c.with_value(|c| {
            i18n.t_with(
                "leave-challenge-confirm",
                &[("title", c.title.get(i18n.locale.get()).to_owned().into())],
            )
        })
    });
    let leave = Callback::new(move |()| {
        let challenge_id = c.with_value(|c| c.id.clone());
        spawn_local(async move {
            match api::leave_challenge(challenge_id).await {
                Ok(views) => shell.mine.set(views),
                Err(error) => leptos::logging::error!("cannot leave: {} ({})", error.message, error.code),
            }
        });
    });
    let share = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
        celebration.show(c.with_value(|c| c.id.clone()));
    };
    view! {
        <h2 id="detail-title">{title}</h2>
        <ul class="facts">
            <li class="badge">{move || c.with_value(|c| i18n.t(&format!("scene-{}", c.scene.as_str())))}</li>
            <li class=c.with_value(|c| format!("badge difficulty-{}", c.difficulty.as_str()))>
                {move || c.with_value(|c| i18n.t(&format!("difficulty-{}", c.difficulty.as_str())))}
            </li>
            <li class="badge points">{move || c.with_value(|c| i18n.t_with("points", &[("points", c.points.into())]))}</li>
        </ul>
        <p>{move || c.with_value(|c| c.description.get(i18n.locale.get()).to_owned())}</p>
        <dl class="detail-facts" data-challenge-id=id>
            <dt>{move || i18n.t("detail-what-counts")}</dt>
            <dd data-testid="detail-trigger">{trigger}</dd>
            <dt>{move || i18n.t("detail-goal")}</dt>
            <dd>{move || c.with_value(|c| rule_text(i18n, c.rule.aggregation))}</dd>
            <dt>{move || i18n.t("detail-window")}</dt>
            <dd data-testid="detail-window">{window}</dd>
        </dl>
        {move || mine().map(|view| {
            let completed = view.completed_at_ms;
            view! {
                <section class="detail-progress" aria-labelledby="detail-progress-title">
                    <h3 id="detail-progress-title">{move || i18n.t("detail-your-progress")}</h3>
                    <ParticipationLine view=view.clone() />
                    {(is_streak && completed.is_none()).then(|| view! { <StreakLine view=view.clone() /> })}
                    {completed.map(|at| view! {
                        <p data-testid="detail-completed">
                            {move || i18n.t_with("detail-completed-on", &[("date", format_date(at, i18n.locale.get()).into())])}
                        </p>
                        <button type="button" data-testid="detail-share" on:click=share>{move || i18n.t("share-completion")}</button>
                    })}
                    {(completed.is_none() && !view.pending).then(|| view! {
                        <button type="button" class="secondary" data-testid="leave" on:click=move |_| {
                            if let Some(dialog) = leave_dialog.get() {
                                let _ = dialog.show_modal();
                            }
                        }>
                            {move || i18n.t("leave-challenge")}
                        </button>
                    })}
                </section>
            }
        })}
        {move || (mine().is_none() && shell.account.get().is_some()).then(|| view! {
            <button type="button" class="join" data-testid="detail-join" on:click=move |_| join(shell, c.with_value(|c| c.id.clone()))>
                {move || i18n.t("join")}
            </button>
        })}
        <Confirm dialog=leave_dialog question=leave_question testid="leave-confirm" on_yes=leave />
    }
}

/// A badge's medallion: coloured when earned, an outline when not.
#[component]
fn Medallion(badge: Badge, earned: bool) -> impl IntoView {
    let hue = match badge {
        Badge::FirstStep | Badge::HighFive => "gold",
        Badge::EarlyRiser | Badge::SweetDreams => "sky",
        Badge::OffYouGo | Badge::WelcomeHome => "leaf",
        Badge::RoundTheClock | Badge::StreakKeeper | Badge::HardWorker => "ember",
    };
    view! {
        <svg class=format!("medallion {hue}") class:earned=earned viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
            <circle cx="24" cy="24" r="21" />
            <path d="M24 11l3.9 8 8.8 1.3-6.4 6.2 1.5 8.7L24 31.1l-7.8 4.1 1.5-8.7-6.4-6.2 8.8-1.3z" />
        </svg>
    }
}

/// The user's badges: a shelf of the earned ones that opens onto every badge, earned ones with
/// their date, the rest with how far along.
#[component]
fn Badges() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let statuses = Memo::new(move |_| badges(&catalog(shell), &confirmed(&shell.mine.get())));
    let earned = move || statuses.get().into_iter().filter(|s| s.earned_at_ms.is_some()).collect::<Vec<_>>();
    view! {
        <section class="badges" aria-labelledby="badges-title" data-testid="badges">
            <div class="catalog-heading">
                <h2 id="badges-title">{move || i18n.t("badges-heading")}</h2>
                <p class="count" data-testid="badges-count">
                    {move || i18n.t_with("badges-count", &[("earned", earned().len().into()), ("total", Badge::ALL.len().into())])}
                </p>
            </div>
            <details class="badge-shelf">
                <summary data-testid="badges-open">
                    <span class="shelf" aria-hidden="true">
                        {move || earned().into_iter().map(|s| view! { <Medallion badge=s.badge earned=true /> }).collect_view()}
                    </span>
                    <span>{move || i18n.t("badges-see-all")}</span>
                </summary>
                <ul class="badge-grid">
                    {move || statuses.get().into_iter().map(|status| view! { <BadgeTile status /> }).collect_view()}
                </ul>
            </details>
        </section>
    }
}

#[component]
fn BadgeTile(status: BadgeStatus) -> impl IntoView {
    let i18n = use_i18n();
    let id = status.badge.as_str();
    let earned = status.earned_at_ms;
    let state = move || match earned {
        Some(at) => i18n.t_with("badge-earned-on", &[("date", format_date(at, i18n.locale.get()).into())]),
        None => i18n.t_with(
            "badge-progress",
            &[("current", status.current.into()), ("target", status.target.into())],
        ),
    };
    view! {
        <li class="badge-tile" class:earned=earned.is_some() data-badge=id data-earned=earned.is_some().to_string()>
            <Medallion badge=status.badge earned=earned.is_some() />
            <div>
                <h3>{move || i18n.t(&format!("badge-{id}"))}</h3>
                <p class="how">{move || i18n.t(&format!("badge-{id}-how"))}</p>
                <p class="badge-state">{state}</p>
            </div>
        </li>
    }
}

/// The completion moment: shown when a sync brings a completion while the app is open (or
/// from a completed challenge's details), with the points, any badges it earned, and a way to
/// share it with the community.
#[component]
pub fn CompletionMoment() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let celebration = expect_context::<Celebration>();
    // Completions already known for the signed-in user: anything beyond them is news. The first
    // non-empty list after signing in is the baseline (completions from before are history).
    let known = StoredValue::new(None::<(String, BTreeSet<String>)>);
    Effect::new(move |_| {
        let mine = shell.mine.get();
        let Some(user) = shell.account.get().map(|a| a.user_id) else {
            known.set_value(None);
            return;
        };
        if mine.is_empty() {
            return;
        }
        let completed: BTreeSet<String> =
            mine.iter().filter(|p| p.completed_at_ms.is_some()).map(|p| p.challenge_id.clone()).collect();
        if let Some((who, before)) = known.get_value()
            && who == user
            && let Some(new) = completed.difference(&before).next()
        {
            celebration.show(new.clone());
        }
        known.set_value(Some((user, completed)));
    });
    let caption = RwSignal::new(String::new());
    let message = RwSignal::new(None::<&'static str>);
    let posting = RwSignal::new(false);
    let with_card = RwSignal::new(true);
    let challenge = move || {
        let id = celebration.showing.get()?;
        catalog(shell).into_iter().find(|c| c.id == id)
    };
    // A fresh caption, in the reader's language, for each challenge celebrated.
    Effect::new(move |_| {
        if let Some(c) = challenge() {
            caption.set(i18n.t_with(
                "share-caption-default",
                &[("title", c.title.get(i18n.locale.get()).to_owned().into()), ("points", c.points.into())],
            ));
            message.set(None);
        }
    });
    let new_badges = move || {
        let Some(id) = celebration.showing.get() else { return Vec::new() };
        let participations = confirmed(&shell.mine.get());
        earned_by(&badges(&catalog(shell), &participations), &participations, &id)
    };
    // The picture to share, drawn again for each challenge celebrated, in the reader's language
    // (when the dialog reads it).
    let card = Memo::new(move |_| {
        let c = challenge()?;
        let locale = i18n.locale.get();
        let completed_at = shell
            .mine
            .get()
            .iter()
            .find(|p| p.challenge_id == c.id)
            .and_then(|p| p.completed_at_ms)
            .unwrap_or_else(|| js_sys::Date::now() as i64);
        let drawn = share_card::Card {
            heading: i18n.t("completed-heading"),
            title: c.title.get(locale).to_owned(),
            points: i18n.t_with("share-card-points", &[("points", c.points.into())]),
            badges: new_badges()
                .into_iter()
                .map(|b| {
                    i18n.t_with(
                        "share-card-badge",
                        &[("badge", i18n.t(&format!("badge-{}", b.as_str())).into())],
                    )
                })
                .collect(),
            footer: i18n.t_with("share-card-footer", &[("date", format_date(completed_at, locale).into())]),
        };
        share_card::render(&drawn)
            .inspect_err(|error| leptos::logging::warn!("cannot draw the picture to share: {error:?}"))
            .ok()
    });
    let close = move |_| {
        if let Some(dialog) = celebration.dialog.get() {
            dialog.close();
        }
    };
    let post = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(challenge_id) = celebration.showing.get_untracked() else { return };
        posting.set(true);
        message.set(None);
        let text = caption.get_untracked();
        let picture = with_card.get_untracked().then(|| card.get_untracked().map(|c| c.png)).flatten();
        spawn_local(async move {
            let result = api::share_completion(&challenge_id, &text, picture.as_deref()).await;
            posting.set(false);
            message.set(Some(match result {
                Ok(_) => "shared-completion",
                Err(error) => errors::message_id(error.code, Doing::SharingCompletion),
            }));
        });
    };
    view! {
        <dialog node_ref=celebration.dialog class="sheet celebrate" aria-labelledby="celebrate-title" data-testid="celebration">
            {move || challenge().map(|c| {
                let points = c.points;
                let title = c.title.clone();
                view! {
                    <div class="burst" aria-hidden="true">
                        <svg viewBox="0 0 64 64" width="72" height="72">
                            <circle cx="32" cy="32" r="30" />
                            <path d="M20 33l8 8 16-18" />
                        </svg>
                    </div>
                    <h2 id="celebrate-title">{move || i18n.t("completed-heading")}</h2>
                    <p class="celebrate-title" data-testid="celebrate-challenge">{move || title.get(i18n.locale.get()).to_owned()}</p>
                    <p class="celebrate-points" data-testid="celebrate-points">{move || i18n.t_with("completed-points", &[("points", points.into())])}</p>
                }
            })}
            {move || {
                let earned = new_badges();
                (!earned.is_empty()).then(|| view! {
                    <h3>{move || i18n.t("completed-new-badges")}</h3>
                    <ul class="new-badges" data-testid="celebrate-badges">
                        {earned.into_iter().map(|badge| view! {
                            <li><Medallion badge earned=true /><span>{move || i18n.t(&format!("badge-{}", badge.as_str()))}</span></li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <form class="content" on:submit=post>
                {move || card.get().map(|drawn| {
                    let alt = move || challenge().map(|c| i18n.t_with(
                        "share-card-alt",
                        &[("title", c.title.get(i18n.locale.get()).to_owned().into()), ("points", c.points.into())],
                    ));
                    view! {
                        <div class="share-card">
                            <img src=drawn.url alt=alt data-testid="share-card" width="96" height="96" />
                            <label class="check">
                                <input type="checkbox" data-testid="share-with-card"
                                    prop:checked=move || with_card.get()
                                    on:change=move |e| with_card.set(event_target_checked(&e)) />
                                <span>{move || i18n.t("share-card-include")}</span>
                            </label>
                        </div>
                    }
                })}
                <label for="share-caption">{move || i18n.t("share-caption")}</label>
                <textarea id="share-caption" data-testid="share-caption" rows="3" maxlength="2000"
                    prop:value=move || caption.get()
                    on:input=move |e| caption.set(event_target_value(&e))></textarea>
                <p class="status" role="status" data-testid="share-status">{move || message.get().map(|id| i18n.t(id))}</p>
                <div class="actions">
                    <button type="submit" data-testid="share-post" disabled=move || posting.get()>
                        {move || if posting.get() { i18n.t("sharing") } else { i18n.t("share-completion") }}
                    </button>
                    <button type="button" class="secondary" data-testid="celebrate-close" on:click=close>{move || i18n.t("close")}</button>
                </div>
            </form>
        </dialog>
    }
}
