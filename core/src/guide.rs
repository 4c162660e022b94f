//! Voice-guided device setup: the guides (data in `assets/guides/guides.json`, in every shipped
//! language) and the state machine a guide runs on. The machine is pure: it takes the user's
//! input (next, repeat, back, help, skip) and the clock's ticks, and says what to speak and show;
//! the shell speaks it and keeps the run (it is serialisable) so it survives a restart.

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, LocalizedText, Translator};

/// How long a step waits for the user before a gentle reminder, unless the guide says otherwise.
pub const DEFAULT_WAIT_SECS: u32 = 45;
/// Most steps a guide may have: more is too long to follow by ear.
pub const MAX_STEPS: usize = 12;
/// The event a finished guide records (challenges can count it).
pub const FINISHED_EVENT: &str = "app.device-setup.finished";

/// One step: what to do, and more help on asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    /// The instruction, spoken and shown.
    pub text: LocalizedText,
    /// More detail, when the user asks for help.
    pub help: LocalizedText,
    /// Seconds before a reminder.
    #[serde(default = "default_wait")]
    pub wait_secs: u32,
}

fn default_wait() -> u32 {
    DEFAULT_WAIT_SECS
}

/// A device's setup guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Guide {
    /// Stable id (`plug`, `bulb`, …).
    pub id: String,
    /// What it sets up.
    pub title: LocalizedText,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// The guides shipped with the app, checked.
pub fn builtin() -> Result<Vec<Guide>, String> {
    parse(include_str!("../../assets/guides/guides.json"))
}

/// Guides from JSON, checked: unique ids, 1 to [`MAX_STEPS`] steps, no empty text in any
/// language, waits of 5 s to 10 min.
pub fn parse(json: &str) -> Result<Vec<Guide>, String> {
    let guides: Vec<Guide> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut ids = std::collections::BTreeSet::new();
    for guide in &guides {
        if !crate::catalog::is_valid_id(&guide.id) || !ids.insert(guide.id.as_str()) {
            return Err(format!("guide id `{}` is invalid or repeated", guide.id));
        }
        if guide.steps.is_empty() || guide.steps.len() > MAX_STEPS {
            return Err(format!("{}: 1 to {MAX_STEPS} steps", guide.id));
        }
        let texts = std::iter::once(&guide.title).chain(guide.steps.iter().flat_map(|s| [&s.text, &s.help]));
        if texts.flat_map(|t| [&t.en, &t.zh_cn]).any(|t| t.trim().is_empty()) {
            return Err(format!("{}: a text is empty", guide.id));
        }
        if guide.steps.iter().any(|s| !(5..=600).contains(&s.wait_secs)) {
            return Err(format!("{}: waits are 5 to 600 seconds", guide.id));
        }
    }
    Ok(guides)
}

/// What the user can ask of a running guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// Done with this step.
    Next,
    /// Say this step again.
    Repeat,
    /// Go to the step before.
    Back,
    /// Say more about this step.
    Help,
    /// Leave this step out (for example, already done).
    Skip,
}

/// What to say (and show) now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Prompt {
    /// The step's instruction.
    Step {
        /// Which step (from 0).
        index: usize,
    },
    /// The step's help.
    Help {
        /// Which step.
        index: usize,
    },
    /// A gentle reminder of the step after a quiet while.
    Reminder {
        /// Which step.
        index: usize,
    },
    /// Still quiet after the reminder: an offer of help.
    OfferHelp {
        /// Which step.
        index: usize,
    },
    /// The guide is done.
    Finished,
}

/// Whether a run is going or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Going: on a step.
    Active,
    /// Every step done or skipped.
    Finished,
}

/// A guide being followed. Kept by the shell between inputs and across restarts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// The guide's id.
    pub guide_id: String,
    /// The current step (from 0).
    pub step: usize,
    /// Going or done.
    pub status: Status,
    /// Steps the user skipped.
    pub skipped: Vec<usize>,
    /// When the current step was last spoken, in ms since the epoch.
    pub prompted_at_ms: i64,
    /// Reminders given on the current step (a reminder, then an offer of help, then quiet).
    pub reminders: u8,
}

impl Run {
    /// Starts `guide` at its first step.
    pub fn start(guide: &Guide, now_ms: i64) -> (Self, Prompt) {
        let run = Run {
            guide_id: guide.id.clone(),
            step: 0,
            status: Status::Active,
            skipped: Vec::new(),
            prompted_at_ms: now_ms,
            reminders: 0,
        };
        (run, Prompt::Step { index: 0 })
    }

    /// Whether this run still fits `guide` (it may have been kept by an older version).
    pub fn fits(&self, guide: &Guide) -> bool {
        self.guide_id == guide.id
            && self.step < guide.steps.len()
            && self.skipped.iter().all(|&s| s < guide.steps.len())
    }

    fn go_to(&mut self, step: usize, now_ms: i64) -> Prompt {
        self.step = step;
        self.reminders = 0;
        self.prompted_at_ms = now_ms;
        Prompt::Step { index: step }
    }

    fn finish(&mut self, now_ms: i64) -> Prompt {
        self.status = Status::Finished;
        self.reminders = 0;
        self.prompted_at_ms = now_ms;
        Prompt::Finished
    }

    /// Applies the user's `input`; returns what to say now.
    pub fn input(&mut self, guide: &Guide, input: Input, now_ms: i64) -> Prompt {
        let last = guide.steps.len().saturating_sub(1);
        if self.status == Status::Finished {
            // Back reopens the last step; anything else says it is done.
            return match input {
                Input::Back => {
                    self.status = Status::Active;
                    self.go_to(last, now_ms)
                }
                _ => Prompt::Finished,
            };
        }
        match input {
            Input::Next | Input::Skip => {
                if input == Input::Skip && !self.skipped.contains(&self.step) {
                    self.skipped.push(self.step);
                } else if input == Input::Next {
                    self.skipped.retain(|&s| s != self.step);
                }
                if self.step >= last { self.finish(now_ms) } else { self.go_to(self.step + 1, now_ms) }
            }
            Input::Back => self.go_to(self.step.saturating_sub(1), now_ms),
            Input::Repeat => self.go_to(self.step, now_ms),
            Input::Help => {
                // Help restarts the quiet time, as any answer does.
                self.prompted_at_ms = now_ms;
                Prompt::Help { index: self.step }
            }
        }
    }

    /// The clock: after a step's wait with no input, a reminder; after another, an offer of
    /// help; then quiet, so a guide left alone does not talk for ever.
    pub fn tick(&mut self, guide: &Guide, now_ms: i64) -> Option<Prompt> {
        if self.status != Status::Active {
            return None;
        }
        let wait_ms = i64::from(guide.steps.get(self.step)?.wait_secs) * 1000;
        if now_ms - self.prompted_at_ms < wait_ms || self.reminders >= 2 {
            return None;
        }
        self.reminders += 1;
        self.prompted_at_ms = now_ms;
        Some(if self.reminders == 1 {
            Prompt::Reminder { index: self.step }
        } else {
            Prompt::OfferHelp { index: self.step }
        })
    }
}

/// The words for `prompt` in `locale`, as spoken and shown.
pub fn prompt_text(guide: &Guide, prompt: Prompt, locale: Locale, translator: &Translator) -> String {
    let step = |index: usize| guide.steps.get(index);
    match prompt {
        Prompt::Step { index } => match step(index) {
            Some(step) => translator.t_with(
                "guide-step-spoken",
                &[
                    ("number", (index + 1).into()),
                    ("count", guide.steps.len().into()),
                    ("text", step.text.get(locale).to_owned().into()),
                ],
            ),
            None => String::new(),
        },
        Prompt::Help { index } => step(index).map(|s| s.help.get(locale).to_owned()).unwrap_or_default(),
        Prompt::Reminder { index } => step(index)
            .map(|s| translator.t_with("guide-reminder", &[("text", s.text.get(locale).to_owned().into())]))
            .unwrap_or_default(),
        Prompt::OfferHelp { .. } => translator.t("guide-offer-help"),
        Prompt::Finished => {
            translator.t_with("guide-finished", &[("title", guide.title.get(locale).to_owned().into())])
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn plug() -> Guide {
        builtin().expect("the shipped guides").into_iter().find(|g| g.id == "plug").expect("plug")
    }

    #[test]
    fn the_shipped_guides_cover_six_devices_in_both_languages() {
        let guides = builtin().expect("valid");
        let ids: Vec<&str> = guides.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["plug", "bulb", "thermostat", "lock", "camera", "speaker"]);
    }

    #[test]
    fn broken_guides_are_refused() {
        assert!(parse("[").is_err());
        let empty = r#"[{"id":"plug","title":{"en":"Plug","zh-CN":"插座"},"steps":[]}]"#;
        assert!(parse(empty).is_err());
        let blank = r#"[{"id":"plug","title":{"en":"Plug","zh-CN":" "},"steps":[{"text":{"en":"a","zh-CN":"b"},"help":{"en":"a","zh-CN":"b"}}]}]"#;
        assert!(parse(blank).is_err());
    }

    #[test]
    fn next_back_repeat_help_and_skip_walk_the_steps() {
        let guide = plug();
        let (mut run, prompt) = Run::start(&guide, 0);
        assert_eq!(prompt, Prompt::Step { index: 0 });
        assert_eq!(
            run.input(&guide, Input::Back, 1),
            Prompt::Step { index: 0 },
            "back on the first step stays"
        );
        assert_eq!(run.input(&guide, Input::Next, 2), Prompt::Step { index: 1 });
        assert_eq!(run.input(&guide, Input::Help, 3), Prompt::Help { index: 1 });
        assert_eq!(run.input(&guide, Input::Repeat, 4), Prompt::Step { index: 1 });
        assert_eq!(run.input(&guide, Input::Skip, 5), Prompt::Step { index: 2 });
        assert_eq!(run.input(&guide, Input::Back, 6), Prompt::Step { index: 1 });
        assert_eq!(run.input(&guide, Input::Next, 7), Prompt::Step { index: 2 });
        assert!(run.skipped.is_empty(), "a skipped step done after all is no longer skipped");
        assert_eq!(run.input(&guide, Input::Next, 8), Prompt::Step { index: 3 });
        assert_eq!(run.input(&guide, Input::Next, 9), Prompt::Finished);
        assert_eq!(run.status, Status::Finished);
        assert_eq!(run.input(&guide, Input::Next, 10), Prompt::Finished);
        assert_eq!(run.input(&guide, Input::Back, 11), Prompt::Step { index: 3 });
        assert_eq!(run.status, Status::Active);
    }

    #[test]
    fn a_quiet_step_gets_one_reminder_then_an_offer_of_help_then_quiet() {
        let guide = plug();
        let wait = i64::from(guide.steps[0].wait_secs) * 1000;
        let (mut run, _) = Run::start(&guide, 0);
        assert_eq!(run.tick(&guide, wait - 1), None);
        assert_eq!(run.tick(&guide, wait), Some(Prompt::Reminder { index: 0 }));
        assert_eq!(run.tick(&guide, wait + 10), None);
        assert_eq!(run.tick(&guide, 2 * wait), Some(Prompt::OfferHelp { index: 0 }));
        assert_eq!(run.tick(&guide, 10 * wait), None, "then it stays quiet");
        // Any answer starts the count again.
        run.input(&guide, Input::Next, 10 * wait);
        assert_eq!(run.tick(&guide, 11 * wait), Some(Prompt::Reminder { index: 1 }));
    }

    #[test]
    fn a_run_survives_a_restart_as_json_and_a_stale_one_is_recognised() {
        let guide = plug();
        let (mut run, _) = Run::start(&guide, 0);
        run.input(&guide, Input::Next, 5);
        let kept = serde_json::to_string(&run).expect("serialises");
        let back: Run = serde_json::from_str(&kept).expect("deserialises");
        assert_eq!(back, run);
        assert!(back.fits(&guide));
        let stale = Run { step: 99, ..back };
        assert!(!stale.fits(&guide));
    }

    #[test]
    fn prompts_read_in_both_languages() {
        let guide = plug();
        let en = prompt_text(&guide, Prompt::Step { index: 0 }, Locale::En, &Translator::new(Locale::En));
        assert!(en.starts_with("Step 1 of 4."), "{en}");
        assert!(en.contains("wall socket"), "{en}");
        let zh = prompt_text(&guide, Prompt::Finished, Locale::ZhCn, &Translator::new(Locale::ZhCn));
        assert!(zh.contains("设置智能插座"), "{zh}");
        for prompt in
            [Prompt::Reminder { index: 1 }, Prompt::OfferHelp { index: 1 }, Prompt::Help { index: 1 }]
        {
            for locale in Locale::ALL {
                assert!(!prompt_text(&guide, prompt, locale, &Translator::new(locale)).is_empty());
            }
        }
    }

    fn input() -> impl Strategy<Value = Input> {
        prop_oneof![
            Just(Input::Next),
            Just(Input::Repeat),
            Just(Input::Back),
            Just(Input::Help),
            Just(Input::Skip)
        ]
    }

    proptest! {
        /// Whatever the user presses and however long they wait, the run stays on a real step,
        /// finishes only by passing the last step, and never reminds more than twice a step.
        #[test]
        fn any_sequence_of_inputs_and_waits_keeps_the_run_sound(
            steps in proptest::collection::vec((input(), 0i64..200_000), 0..60),
        ) {
            let guide = plug();
            let (mut run, _) = Run::start(&guide, 0);
            let mut now = 0;
            for (pressed, wait) in steps {
                now += wait;
                let mut reminders = 0;
                while let Some(prompt) = run.tick(&guide, now) {
                    let reminder = matches!(prompt, Prompt::Reminder { .. } | Prompt::OfferHelp { .. });
                    prop_assert!(reminder, "ticks only remind: {:?}", prompt);
                    reminders += 1;
                    prop_assert!(reminders <= 2);
                }
                let was_active = run.status == Status::Active;
                let was_last = was_active && run.step == guide.steps.len() - 1;
                run.input(&guide, pressed, now);
                prop_assert!(run.fits(&guide));
                let finished_now = was_active && run.status == Status::Finished;
                prop_assert_eq!(finished_now, was_last && matches!(pressed, Input::Next | Input::Skip));
            }
        }
    }
}
