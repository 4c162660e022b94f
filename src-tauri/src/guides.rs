//! Voice-guided device setup in the shell: the guide being followed (kept in the local store so
//! it survives a restart), a clock that reminds a quiet user, the voice that speaks each step,
//! and the read-aloud control. Speech runs in the background: a guide never waits for it, and
//! when speaking fails the guide goes on in large text and says voice is unavailable.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_core::guide::{self, Guide, Input, Prompt, Run, Status};
use hearth_core::i18n::{Locale, Translator};
use hearth_core::ipc::{ErrorCode, GuideSummary, GuideView, VoiceSettings, VoiceStatus, event};
use hearth_core::progress::Event;
use hearth_core::sync::protocol::OpKind;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::voice::{Speaker, VoiceError};
use crate::{Error, Result, store};

const RUN_KEY: &str = "guide-run";
const VOICE_KEY: &str = "voice";

/// The shell's guide state.
#[derive(Debug)]
pub struct GuideHost {
    guides: Vec<Guide>,
    voice: Arc<dyn Speaker>,
    state: Mutex<GuideState>,
}

#[derive(Debug)]
struct GuideState {
    run: Option<Run>,
    prompt: Prompt,
    locale: Locale,
    settings: VoiceSettings,
    voice: VoiceStatus,
}

impl GuideHost {
    /// The shipped guides, spoken by `voice`.
    pub fn new(voice: Arc<dyn Speaker>) -> Result<Self> {
        let guides = guide::builtin().map_err(|e| Error::Config(format!("setup guides: {e}")))?;
        Ok(GuideHost {
            guides,
            voice,
            state: Mutex::new(GuideState {
                run: None,
                prompt: Prompt::Step { index: 0 },
                locale: Locale::En,
                settings: VoiceSettings::default(),
                voice: VoiceStatus::default(),
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, GuideState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn guide(&self, id: &str) -> Option<&Guide> {
        self.guides.iter().find(|g| g.id == id)
    }

    fn view(&self, state: &GuideState) -> Option<GuideView> {
        let run = state.run.as_ref()?;
        let guide = self.guide(&run.guide_id)?;
        let step = guide.steps.get(run.step)?;
        Some(GuideView {
            guide_id: guide.id.clone(),
            title: guide.title.clone(),
            step: run.step,
            step_count: guide.steps.len(),
            instruction: step.text.clone(),
            help: step.help.clone(),
            prompt: state.prompt,
            finished: run.status == Status::Finished,
            skipped: run.skipped.clone(),
            voice: state.voice.clone(),
        })
    }

    /// Restores the run and the voice settings kept in the local store.
    pub async fn restore<R: Runtime>(&self, app: &AppHandle<R>) -> Result<()> {
        let pool = store::pool(app).await?;
        let run: Option<Run> = store::setting_json(&pool, RUN_KEY).await?;
        let settings: Option<VoiceSettings> = store::setting_json(&pool, VOICE_KEY).await?;
        let mut state = self.state();
        // A guide started while this was reading is newer than what was kept: keep it.
        if state.run.is_none() {
            state.run = run.filter(|run| self.guide(&run.guide_id).is_some_and(|g| run.fits(g)));
            if let Some(run) = &state.run {
                state.prompt = if run.status == Status::Finished {
                    Prompt::Finished
                } else {
                    Prompt::Step { index: run.step }
                };
            }
        }
        if let Some(settings) = settings {
            state.settings = settings;
        }
        Ok(())
    }
}

async fn keep_run<R: Runtime>(app: &AppHandle<R>, run: Option<&Run>) -> Result<()> {
    store::set_setting_json(&store::pool(app).await?, RUN_KEY, run).await
}

/// Says `prompt` of the current guide in the background; a failure marks the voice unavailable
/// and tells the UI, a success after a failure marks it available again.
fn speak_prompt<R: Runtime>(app: &AppHandle<R>, prompt: Prompt) {
    let host = app.state::<GuideHost>();
    let (text, locale, settings) = {
        let state = host.state();
        let Some(guide) = state.run.as_ref().and_then(|run| host.guide(&run.guide_id)) else { return };
        let text = guide::prompt_text(guide, prompt, state.locale, &Translator::new(state.locale));
        (text, state.locale, state.settings)
    };
    speak_in_background(app, text, locale, settings);
}

fn speak_in_background<R: Runtime>(
    app: &AppHandle<R>,
    text: String,
    locale: Locale,
    settings: VoiceSettings,
) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let host = app.state::<GuideHost>();
        let result = host.voice.speak(&text, locale, settings);
        note_voice(&app, result);
    });
}

fn voice_status(result: &std::result::Result<(), VoiceError>) -> VoiceStatus {
    match result {
        Ok(()) => VoiceStatus::default(),
        Err(error) => VoiceStatus {
            available: false,
            problem: Some(
                match error {
                    VoiceError::Unavailable(_) => "no-engine",
                    VoiceError::TimedOut => "timed-out",
                    VoiceError::Failed(_) => "failed",
                }
                .to_owned(),
            ),
        },
    }
}

/// Records how speaking went; tells the UI when that changes.
fn note_voice<R: Runtime>(app: &AppHandle<R>, result: std::result::Result<(), VoiceError>) -> VoiceStatus {
    let host = app.state::<GuideHost>();
    let status = voice_status(&result);
    let changed = {
        let mut state = host.state();
        let changed = state.voice != status;
        state.voice = status.clone();
        changed.then(|| host.view(&state))
    };
    if let Some(view) = changed
        && let Err(error) = app.emit(event::GUIDE_CHANGED, view)
    {
        tracing::warn!(%error, "cannot tell the UI about the voice");
    }
    status
}

/// Starts the clock that reminds a quiet user (once a second; nothing happens without a guide).
pub fn spawn_clock<R: Runtime>(app: AppHandle<R>) {
    crate::clock::spawn_clock(app, Duration::from_secs(1), remind);
}

/// One tick of the guide's clock: a quiet step's reminder, kept, spoken and shown.
async fn remind<R: Runtime>(app: AppHandle<R>) {
    let host = app.state::<GuideHost>();
    let reminded = {
        let mut state = host.state();
        let now = hearth_client::engine::now_ms();
        let guide = state.run.as_ref().and_then(|run| host.guide(&run.guide_id)).cloned();
        let prompt = match (state.run.as_mut(), guide) {
            (Some(run), Some(guide)) => run.tick(&guide, now),
            _ => None,
        };
        prompt.map(|prompt| {
            state.prompt = prompt;
            (state.run.clone(), host.view(&state), prompt)
        })
    };
    if let Some((run, view, prompt)) = reminded {
        if let Err(error) = keep_run(&app, run.as_ref()).await {
            tracing::warn!(%error, "cannot keep the guide's progress");
        }
        speak_prompt(&app, prompt);
        if let Err(error) = app.emit(event::GUIDE_CHANGED, view) {
            tracing::warn!(%error, "cannot tell the UI about the reminder");
        }
    }
}

/// The setup guides.
#[tauri::command]
pub fn guides(host: State<'_, GuideHost>) -> Vec<GuideSummary> {
    host.guides
        .iter()
        .map(|g| GuideSummary { id: g.id.clone(), title: g.title.clone(), steps: g.steps.len() })
        .collect()
}

/// The guide being followed, if any.
#[tauri::command]
pub fn guide_current(host: State<'_, GuideHost>) -> Option<GuideView> {
    host.view(&host.state())
}

/// Starts a guide at its first step and speaks it.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn guide_start<R: Runtime>(
    app: AppHandle<R>,
    guide_id: String,
    locale: Locale,
) -> Result<GuideView> {
    let host = app.state::<GuideHost>();
    let guide = host.guide(&guide_id).ok_or_else(|| Error::Refused(ErrorCode::NotFound))?.clone();
    let (run, prompt) = Run::start(&guide, hearth_client::engine::now_ms());
    keep_run(&app, Some(&run)).await?;
    let view = {
        let mut state = host.state();
        state.run = Some(run);
        state.prompt = prompt;
        state.locale = locale;
        host.view(&state)
    };
    speak_prompt(&app, prompt);
    view.ok_or_else(|| Error::Refused(ErrorCode::NotFound))
}

/// Next, repeat, back, help or skip. Finishing records the finished-setup event (queued for
/// sync) when someone is signed in.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn guide_input<R: Runtime>(app: AppHandle<R>, input: Input, locale: Locale) -> Result<GuideView> {
    let host = app.state::<GuideHost>();
    let now = hearth_client::engine::now_ms();
    let (run, prompt, finished_now, view) = {
        let mut state = host.state();
        state.locale = locale;
        let guide = state.run.as_ref().and_then(|run| host.guide(&run.guide_id)).cloned();
        let (Some(run), Some(guide)) = (state.run.as_mut(), guide) else {
            return Err(Error::Refused(ErrorCode::NoGuide));
        };
        let was_active = run.status == Status::Active;
        let prompt = run.input(&guide, input, now);
        let finished_now = was_active && run.status == Status::Finished;
        let run = run.clone();
        state.prompt = prompt;
        (run, prompt, finished_now, host.view(&state))
    };
    keep_run(&app, Some(&run)).await?;
    speak_prompt(&app, prompt);
    if finished_now {
        let event = Event {
            id: uuid::Uuid::now_v7().to_string(),
            kind: guide::FINISHED_EVENT.into(),
            occurred_at_ms: now,
            duration_minutes: None,
            proof_photo_id: None,
        };
        match crate::challenges::change(&app, OpKind::RecordEvents { events: vec![event] }).await {
            Ok(_) | Err(Error::SignedOut) => {}
            Err(error) => tracing::warn!(%error, "cannot record the finished setup"),
        }
    }
    view.ok_or_else(|| Error::Refused(ErrorCode::NoGuide))
}

/// Stops following the guide.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn guide_close<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let host = app.state::<GuideHost>();
    host.state().run = None;
    host.voice.stop();
    keep_run(&app, None).await
}

/// How the app speaks.
#[tauri::command]
pub fn voice_settings(host: State<'_, GuideHost>) -> VoiceSettings {
    host.state().settings
}

/// Changes how the app speaks (rate 0.5 to 2.0, volume 0 to 1).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_voice_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: VoiceSettings,
) -> Result<VoiceSettings> {
    if !(0.5..=2.0).contains(&settings.rate) || !(0.0..=1.0).contains(&settings.volume) {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    store::set_setting_json(&store::pool(&app).await?, VOICE_KEY, Some(&settings)).await?;
    app.state::<GuideHost>().state().settings = settings;
    Ok(settings)
}

/// Reads `text` aloud (the read-aloud control) and says whether it could.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn speak<R: Runtime>(app: AppHandle<R>, text: String, locale: Locale) -> Result<VoiceStatus> {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || text.chars().count() > 5_000 {
        return Err(Error::Refused(ErrorCode::InvalidArgument));
    }
    let settings = app.state::<GuideHost>().state().settings;
    let speaking = app.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        speaking.state::<GuideHost>().voice.speak(&text, locale, settings)
    })
    .await
    .map_err(|e| Error::Config(e.to_string()))?;
    Ok(note_voice(&app, result))
}
