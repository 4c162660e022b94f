//! Voice-guided device setup: the six guides, then one step at a time in large text, spoken by
//! the shell, with next, repeat, back, help and skip always on screen; the voice's speed and
//! volume. Works the same without voice, and says so.

use hearth_core::guide::{Input, Prompt};
use hearth_core::ipc::{GuideSummary, GuideView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::use_i18n;
use crate::state::ShellData;
use crate::widgets::Confirm;
use crate::widgets::VoiceControls;

/// The setup screen: the guide being followed, or the list to start one.
#[component]
pub fn Setup() -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let guides = RwSignal::new(Vec::<GuideSummary>::new());
    spawn_local(async move {
        match api::guides().await {
            Ok(list) => guides.set(list),
            Err(error) => leptos::logging::error!("cannot list the guides: {}", error.message),
        }
        match api::guide_current().await {
            Ok(current) => shell.guide.set(current),
            Err(error) => leptos::logging::warn!("cannot read the current guide: {}", error.message),
        }
    });
    let start = move |id: String| {
        let locale = i18n.locale.get_untracked();
        spawn_local(async move {
            match api::guide_start(id, locale).await {
                Ok(view) => shell.guide.set(Some(view)),
                Err(error) => leptos::logging::error!("cannot start the guide: {}", error.message),
            }
        });
    };
    view! {
        <section class="setup" aria-labelledby="setup-title">
            <h2 id="setup-title">{move || i18n.t("setup-title")}</h2>
            {move || match shell.guide.get() {
                Some(view) => view! { <GuideSteps view=view /> }.into_any(),
                None => view! {
                    <p class="intro">{move || i18n.t("setup-intro")}</p>
                    <ul class="guide-list">
                        {move || {
                            guides
                                .get()
                                .into_iter()
                                .map(|guide| {
                                    let id = guide.id.clone();
                                    let title = guide.title.clone();
                                    let steps = guide.steps;
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="guide-card"
                                                data-testid=format!("guide-{id}")
                                                on:click=move |_| start(id.clone())
                                            >
                                                <span class="name">{move || title.get(i18n.locale.get()).to_owned()}</span>
                                                <span class="steps">
                                                    {move || i18n.t_with("setup-steps", &[("count", steps.into())])}
                                                </span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                }
                .into_any(),
            }}
            <VoiceControls />
        </section>
    }
}

/// One step, large, with its controls.
#[component]
fn GuideSteps(view: GuideView) -> impl IntoView {
    let i18n = use_i18n();
    let shell = expect_context::<ShellData>();
    let press = move |input: Input| {
        let locale = i18n.locale.get_untracked();
        spawn_local(async move {
            match api::guide_input(input, locale).await {
                Ok(view) => shell.guide.set(Some(view)),
                Err(error) => leptos::logging::error!("cannot move the guide on: {}", error.message),
            }
        });
    };
    let confirm_close = NodeRef::<leptos::html::Dialog>::new();
    let close_now = move || {
        spawn_local(async move {
            match api::guide_close().await {
                Ok(()) => shell.guide.set(None),
                Err(error) => leptos::logging::error!("cannot close the guide: {}", error.message),
            }
        });
    };
    // In senior mode, stopping a guide part-way asks first.
    let close = move |_| {
        let unfinished = shell.guide.get_untracked().is_some_and(|g| !g.finished);
        match confirm_close.get() {
            Some(dialog) if shell.senior.get_untracked() && unfinished => {
                let _ = dialog.show_modal();
            }
            _ => close_now(),
        }
    };
    let title = view.title.clone();
    let heading = {
        let title = title.clone();
        move || title.get(i18n.locale.get()).to_owned()
    };
    let instruction = view.instruction.clone();
    let help = view.help.clone();
    let (step, count) = (view.step, view.step_count);
    let note = match view.prompt {
        Prompt::Help { .. } => Some(help.clone()),
        _ => None,
    };
    let nudge = match view.prompt {
        Prompt::Reminder { .. } => Some("setup-reminder"),
        Prompt::OfferHelp { .. } => Some("setup-offer-help"),
        _ => None,
    };
    let skipped = (!view.skipped.is_empty())
        .then(|| view.skipped.iter().map(|s| (s + 1).to_string()).collect::<Vec<_>>().join(", "));
    view! {
        <article class="guide" aria-labelledby="guide-title" data-testid="guide">
            <h3 id="guide-title">{heading}</h3>
            {(!view.voice.available).then(|| view! {
                <p class="voice-off" role="status" data-testid="voice-unavailable">{move || i18n.t("setup-voice-unavailable")}</p>
            })}
            {if view.finished {
                let title = title.clone();
                view! {
                    <p class="step-text" data-testid="guide-finished" aria-live="polite">
                        {move || i18n.t_with("setup-finished", &[("title", title.get(i18n.locale.get()).to_owned().into())])}
                    </p>
                    {skipped.map(|steps| view! { <p class="muted">{move || i18n.t_with("setup-skipped", &[("steps", steps.clone().into())])}</p> })}
                    <div class="guide-controls">
                        <button type="button" class="secondary" on:click=move |_| press(Input::Back)>{move || i18n.t("setup-back")}</button>
                        <button type="button" data-testid="guide-close" on:click=close>{move || i18n.t("setup-close")}</button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <p class="step-number" data-testid="guide-step">
                        {move || i18n.t_with("setup-step-of", &[("number", (step + 1).into()), ("count", count.into())])}
                    </p>
                    <p class="step-text" data-testid="guide-text" aria-live="polite">
                        {move || instruction.get(i18n.locale.get()).to_owned()}
                    </p>
                    {nudge.map(|id| view! { <p class="nudge" role="status">{move || i18n.t(id)}</p> })}
                    {note.map(|help| view! {
                        <aside class="step-help" aria-labelledby="step-help-title" data-testid="guide-help">
                            <h4 id="step-help-title">{move || i18n.t("setup-help-heading")}</h4>
                            <p>{move || help.get(i18n.locale.get()).to_owned()}</p>
                        </aside>
                    })}
                    <div class="guide-controls">
                        <button type="button" class="next" data-testid="guide-next" on:click=move |_| press(Input::Next)>
                            {move || i18n.t("setup-next")}
                        </button>
                        <button type="button" class="secondary" data-testid="guide-repeat" on:click=move |_| press(Input::Repeat)>
                            {move || i18n.t("setup-repeat")}
                        </button>
                        <button type="button" class="secondary" data-testid="guide-back" on:click=move |_| press(Input::Back)>
                            {move || i18n.t("setup-back")}
                        </button>
                        <button type="button" class="secondary" data-testid="guide-help-button" on:click=move |_| press(Input::Help)>
                            {move || i18n.t("setup-help")}
                        </button>
                        <button type="button" class="secondary" data-testid="guide-skip" on:click=move |_| press(Input::Skip)>
                            {move || i18n.t("setup-skip")}
                        </button>
                        <button type="button" class="secondary" on:click=close>{move || i18n.t("setup-close")}</button>
                    </div>
                }
                .into_any()
            }}
            <Confirm
                dialog=confirm_close
                question=Signal::derive(move || i18n.t("senior-confirm-close-guide"))
                testid="confirm-close-guide"
                on_yes=Callback::new(move |()| close_now())
            />
        </article>
    }
}
