//! Speech: the system's speech engine through the `tts` crate (speech-dispatcher on Linux, with
//! espeak-ng; the platform's own engine elsewhere), behind [`Speaker`] so tests can record what
//! would be said. Speaking waits for the engine to say it finished, within a time that fits the
//! text: an engine that never starts or never ends (no audio output, a dead daemon) is reported
//! as unavailable instead of hanging the guide.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_core::i18n::Locale;
use hearth_core::ipc::VoiceSettings;

/// Why speech failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoiceError {
    /// No speech engine could be opened.
    #[error("no speech engine: {0}")]
    Unavailable(String),
    /// The engine took the text but did not speak it in time (often: no audio output).
    #[error("the speech engine did not finish speaking in time")]
    TimedOut,
    /// The engine refused the text or a setting.
    #[error("the speech engine failed: {0}")]
    Failed(String),
}

/// Something that can say text aloud.
pub trait Speaker: Send + Sync + std::fmt::Debug {
    /// Says `text` in `locale` and returns once it has been said (or failed).
    fn speak(&self, text: &str, locale: Locale, settings: VoiceSettings) -> Result<(), VoiceError>;
    /// Stops whatever is being said.
    fn stop(&self);
}

/// How long speaking `text` may take at `rate` before it counts as stuck: generous (slow voices,
/// Chinese characters take longer), but bounded.
pub fn time_allowed(text: &str, rate: f32) -> Duration {
    let chars = text.chars().count() as f32;
    let seconds = 5.0 + chars * 0.25 / rate.clamp(0.5, 2.0);
    Duration::from_secs_f32(seconds.min(120.0))
}

enum Job {
    Speak {
        text: String,
        locale: Locale,
        settings: VoiceSettings,
        done: mpsc::Sender<Result<(), VoiceError>>,
    },
    Stop,
}

/// The system's speech engine, driven from a thread of its own (the engine's handle is not
/// meant to be shared between threads).
#[derive(Debug)]
pub struct SystemVoice {
    jobs: Mutex<mpsc::Sender<Job>>,
}

impl SystemVoice {
    /// Starts the voice's thread; the engine opens on the first request.
    pub fn new() -> Self {
        let (jobs, incoming) = mpsc::channel();
        let spawned =
            std::thread::Builder::new().name("hearth-voice".into()).spawn(move || voice_thread(incoming));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the voice thread");
        }
        SystemVoice { jobs: Mutex::new(jobs) }
    }

    fn send(&self, job: Job) -> bool {
        self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).send(job).is_ok()
    }
}

impl Default for SystemVoice {
    fn default() -> Self {
        Self::new()
    }
}

impl Speaker for SystemVoice {
    fn speak(&self, text: &str, locale: Locale, settings: VoiceSettings) -> Result<(), VoiceError> {
        let (done, answer) = mpsc::channel();
        let job = Job::Speak { text: text.to_owned(), locale, settings, done };
        if !self.send(job) {
            return Err(VoiceError::Unavailable("the voice thread has stopped".into()));
        }
        // The thread answers within the time allowed; this bound only guards against it dying.
        answer
            .recv_timeout(time_allowed(text, settings.rate) + Duration::from_secs(10))
            .unwrap_or(Err(VoiceError::TimedOut))
    }

    fn stop(&self) {
        self.send(Job::Stop);
    }
}

/// What the engine reports about an utterance.
enum Heard {
    Began,
    Ended,
}

fn voice_thread(jobs: mpsc::Receiver<Job>) {
    let mut engine: Option<Result<(tts::Tts, mpsc::Receiver<Heard>), VoiceError>> = None;
    let mut next = None;
    loop {
        let Some(job) = next.take().or_else(|| jobs.recv().ok()) else { return };
        match job {
            Job::Stop => {
                if let Some(Ok((tts, _))) = engine.as_mut() {
                    let _ = tts.stop();
                }
            }
            Job::Speak { text, locale, settings, done } => {
                let opened = engine.get_or_insert_with(open_engine);
                let result = match opened {
                    Ok((tts, heard)) => say(tts, heard, &jobs, &mut next, &text, locale, settings),
                    Err(error) => Err(error.clone()),
                };
                if let Err(error) = &result {
                    tracing::warn!(%error, "speech failed");
                    // A dead daemon may come back: try opening again next time.
                    if matches!(error, VoiceError::Unavailable(_)) {
                        engine = None;
                    }
                }
                let _ = done.send(result);
            }
        }
    }
}

fn open_engine() -> Result<(tts::Tts, mpsc::Receiver<Heard>), VoiceError> {
    let tts = tts::Tts::default().map_err(|e| VoiceError::Unavailable(e.to_string()))?;
    let (tell, heard) = mpsc::channel();
    if tts.supported_features().utterance_callbacks {
        let began = tell.clone();
        tts.on_utterance_begin(Some(Box::new(move |_| {
            let _ = began.send(Heard::Began);
        })))
        .map_err(|e| VoiceError::Unavailable(e.to_string()))?;
        tts.on_utterance_end(Some(Box::new(move |_| {
            let _ = tell.send(Heard::Ended);
        })))
        .map_err(|e| VoiceError::Unavailable(e.to_string()))?;
    }
    Ok((tts, heard))
}

/// The engine's voice for `locale`: Mandarin for Chinese, English otherwise.
fn voice_for(tts: &tts::Tts, locale: Locale) -> Option<tts::Voice> {
    let wanted: &[&str] = locale.pick(&["en"], &["cmn", "zh"]);
    let voices = tts.voices().ok()?;
    voices.into_iter().find(|voice| wanted.contains(&voice.language().primary_language()))
}

/// Says `text` and waits for the engine to finish, giving way to the next job if one comes
/// first (the user pressed Next while a step was being read: the new step interrupts).
fn say(
    tts: &mut tts::Tts,
    heard: &mpsc::Receiver<Heard>,
    jobs: &mpsc::Receiver<Job>,
    next: &mut Option<Job>,
    text: &str,
    locale: Locale,
    settings: VoiceSettings,
) -> Result<(), VoiceError> {
    let failed = |e: tts::Error| VoiceError::Failed(e.to_string());
    while heard.try_recv().is_ok() {}
    if let Some(voice) = voice_for(tts, locale) {
        tts.set_voice(&voice).map_err(failed)?;
    }
    let features = tts.supported_features();
    if features.rate {
        // 1.0 is the engine's normal rate; 0.5 halfway to its slowest, 2.0 its fastest.
        let (min, normal, max) = (tts.min_rate(), tts.normal_rate(), tts.max_rate());
        let rate = settings.rate.clamp(0.5, 2.0);
        let value = if rate >= 1.0 {
            normal + (max - normal) * (rate - 1.0)
        } else {
            normal - (normal - min) * (1.0 - rate)
        };
        tts.set_rate(value).map_err(failed)?;
    }
    if features.volume {
        let (min, max) = (tts.min_volume(), tts.max_volume());
        tts.set_volume(min + (max - min) * settings.volume.clamp(0.0, 1.0)).map_err(failed)?;
    }
    tts.speak(text, true).map_err(failed)?;
    if !features.utterance_callbacks {
        return Ok(());
    }
    let allowed = time_allowed(text, settings.rate);
    // It must begin soon and end within the time the text takes.
    let started = std::time::Instant::now();
    let mut began = false;
    loop {
        match heard.recv_timeout(Duration::from_millis(100)) {
            Ok(Heard::Began) => began = true,
            Ok(Heard::Ended) => return Ok(()),
            Err(_) => {}
        }
        if let Ok(job) = jobs.try_recv() {
            let _ = tts.stop();
            *next = Some(job);
            return Ok(());
        }
        let waited = started.elapsed();
        if (!began && waited > Duration::from_secs(5).min(allowed)) || waited > allowed {
            let _ = tts.stop();
            explain_stuck(began);
            return Err(VoiceError::TimedOut);
        }
    }
}

/// Says in the log why an utterance the engine took never finished, naming the engine's output
/// module, so that a user's bug report carries the cause.
fn explain_stuck(began: bool) {
    let engine = engine_report();
    if began {
        tracing::warn!(%engine, "the speech engine began speaking but never reported the end");
    } else {
        tracing::warn!(%engine, "the speech engine took the text but never began speaking (no audio output?)");
    }
}

/// Which speech engine and module speaking goes through, in words for the log.
#[cfg(target_os = "linux")]
pub fn engine_report() -> String {
    use speech_dispatcher::{Connection, Mode};
    // A connection of its own: the engine's is busy with the stuck utterance. Threaded, as the
    // engine's: libspeechd refuses to open a single-threaded one here.
    let connection = match Connection::open("hearth", "diagnosis", "hearth", Mode::Threaded) {
        Ok(connection) => connection,
        Err(error) => return format!("speech-dispatcher cannot be asked which module it uses: {error}"),
    };
    let chosen = connection.send_data("GET OUTPUT_MODULE\r\n", true);
    let modules = connection.list_output_modules().unwrap_or_default();
    describe_dispatcher(chosen.as_deref().and_then(module_in_reply), &modules)
}

/// Which speech engine and module speaking goes through, in words for the log.
#[cfg(not(target_os = "linux"))]
pub fn engine_report() -> String {
    "the platform's speech engine".to_owned()
}

/// The module name in speech-dispatcher's answer to `GET OUTPUT_MODULE`
/// (`251-espeak-ng\r\n251 OK GET RETURNED\r\n`).
pub fn module_in_reply(reply: &str) -> Option<&str> {
    let first = reply.lines().next()?;
    let (code, module) = first.split_once('-')?;
    (code.len() == 3 && code.starts_with('2') && !module.trim().is_empty()).then(|| module.trim())
}

/// What the log says of speech-dispatcher's modules: the one it chose, those it has, and, where
/// espeak-ng's is missing, the package that brings it. Without it speech-dispatcher falls back
/// to a generic module (which speaks but never reports the end of an utterance) or to its dummy
/// one.
pub fn describe_dispatcher(chosen: Option<&str>, modules: &[String]) -> String {
    let mut words = format!(
        "speech-dispatcher uses the output module {} (it has: {})",
        chosen.unwrap_or("(unknown)"),
        if modules.is_empty() { "none".to_owned() } else { modules.join(", ") }
    );
    if !modules.iter().any(|m| m == "espeak-ng") {
        words.push_str(
            "; its espeak-ng module is missing (Debian and Ubuntu: install speech-dispatcher-espeak-ng), \
             and the modules it falls back to (generic, dummy) never report the end of speech",
        );
    }
    words
}

/// A voice that says nothing and remembers what it was asked to say, failing on request: for
/// tests, and for checking what a guide says without an engine.
#[derive(Debug, Default)]
pub struct RecordingVoice {
    said: Mutex<Vec<(String, Locale, VoiceSettings)>>,
    fail: Option<VoiceError>,
}

impl RecordingVoice {
    /// A voice that records and succeeds.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// A voice that records and then fails with `error`, like an engine that is missing or
    /// broken.
    pub fn failing(error: VoiceError) -> Arc<Self> {
        Arc::new(Self { said: Mutex::default(), fail: Some(error) })
    }

    /// What it was asked to say, in order.
    pub fn said(&self) -> Vec<(String, Locale, VoiceSettings)> {
        self.said.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl Speaker for RecordingVoice {
    fn speak(&self, text: &str, locale: Locale, settings: VoiceSettings) -> Result<(), VoiceError> {
        self.said.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((
            text.to_owned(),
            locale,
            settings,
        ));
        self.fail.clone().map_or(Ok(()), Err)
    }

    fn stop(&self) {}
}
