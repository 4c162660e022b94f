//! The challenge catalog: what a challenge is, the rules a catalog must satisfy, and the wire
//! shape of `GET /v1/challenges`.
//!
//! Challenges are data authored on the server. The server validates its seed and every catalog
//! it serves with [`Catalog::validate`]; the shell validates what it receives the same way before
//! it replaces its local copy, so a bad catalog is rejected whole and never half-applied.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, LocalizedText};
use crate::{Error, Result};

/// Longest challenge id accepted; ids appear in URLs and database keys.
pub const MAX_ID_LEN: usize = 64;
/// Most points one challenge may award. Keeps a typo in authored data (an extra zero or three)
/// from minting a fortune; the ledger issue may revisit it with real reward pricing.
pub const MAX_POINTS: u32 = 10_000;
/// Longest title in characters: titles must fit a phone card at 360 px in two lines.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest description in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 600;
/// Longest window a challenge may run over: one year.
pub const MAX_WINDOW_DAYS: u32 = 366;
/// Most challenges one catalog may hold. The shell also bounds the response size in bytes; this
/// bounds the number of rows written to the local store in one transaction.
pub const MAX_CHALLENGES: usize = 1_000;

/// The home scene a challenge belongs to; the UI groups the catalog by scene in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Scene {
    /// Getting up and starting the day.
    Morning,
    /// Leaving the home.
    Leaving,
    /// Coming back home.
    ComingHome,
    /// Winding down and sleeping.
    Sleep,
}

impl Scene {
    /// Every scene, in display order.
    pub const ALL: [Scene; 4] = [Scene::Morning, Scene::Leaving, Scene::ComingHome, Scene::Sleep];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scene::Morning => "morning",
            Scene::Leaving => "leaving",
            Scene::ComingHome => "coming-home",
            Scene::Sleep => "sleep",
        }
    }
}

impl std::str::FromStr for Scene {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Scene::ALL.into_iter().find(|scene| scene.as_str() == s).ok_or_else(|| Error::InvalidValue {
            field: "scene",
            value: s.to_owned(),
            expected: "morning, leaving, coming-home or sleep",
        })
    }
}

/// How hard a challenge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    /// A few days of a small habit.
    Easy,
    /// A week or two of attention.
    Medium,
    /// A sustained change of routine.
    Hard,
}

impl Difficulty {
    /// Every difficulty, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

impl std::str::FromStr for Difficulty {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Difficulty::ALL.into_iter().find(|d| d.as_str() == s).ok_or_else(|| Error::InvalidValue {
            field: "difficulty",
            value: s.to_owned(),
            expected: "easy, medium or hard",
        })
    }
}

/// How the events that trigger a challenge add up to completing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Aggregation {
    /// At least `target` matching events.
    Count {
        /// Events needed.
        target: u32,
    },
    /// Matching events on `days` distinct consecutive local days.
    Streak {
        /// Consecutive days needed.
        days: u32,
    },
    /// Matching events whose durations add up to at least `minutes`.
    TotalDuration {
        /// Minutes needed.
        minutes: u32,
    },
}

impl Aggregation {
    /// What completes it: events, consecutive days or minutes.
    pub fn target(self) -> u32 {
        match self {
            Aggregation::Count { target } => target,
            Aggregation::Streak { days } => days,
            Aggregation::TotalDuration { minutes } => minutes,
        }
    }
}

/// When a challenge is complete: which events count, how they add up, and over how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The event kind that counts, dotted (`device.light.off`, `app.setup.finished`).
    pub trigger: String,
    /// How matching events add up.
    pub aggregation: Aggregation,
    /// How many days after joining the events must happen in.
    pub window_days: u32,
}

/// One challenge of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    /// Stable id: lowercase ASCII letters, digits and `-`, at most [`MAX_ID_LEN`].
    pub id: String,
    /// The home scene it belongs to.
    pub scene: Scene,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Points awarded once on completion.
    pub points: u32,
    /// Short title in every shipped locale.
    pub title: LocalizedText,
    /// What to do and why, in every shipped locale.
    pub description: LocalizedText,
    /// When it is complete.
    pub rule: Rule,
}

impl Challenge {
    /// Checks every field against the catalog's rules; the error names the first bad field.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &'static str, reason: String| Error::InvalidChallenge {
            id: self.id.clone(),
            field,
            reason,
        };
        if !is_valid_id(&self.id) {
            return Err(bad(
                "id",
                format!(
                    "expected 1 to {MAX_ID_LEN} lowercase ASCII letters, digits or '-', \
                     not starting or ending with '-'"
                ),
            ));
        }
        if self.points == 0 || self.points > MAX_POINTS {
            return Err(bad("points", format!("expected 1 to {MAX_POINTS}, got {}", self.points)));
        }
        for locale in Locale::ALL {
            let title = self.title.get(locale);
            if !text_fits(title, MAX_TITLE_CHARS) {
                return Err(bad(
                    locale.pick("title.en", "title.zh-CN"),
                    format!("expected 1 to {MAX_TITLE_CHARS} characters, not blank"),
                ));
            }
            let description = self.description.get(locale);
            if !text_fits(description, MAX_DESCRIPTION_CHARS) {
                return Err(bad(
                    locale.pick("description.en", "description.zh-CN"),
                    format!("expected 1 to {MAX_DESCRIPTION_CHARS} characters, not blank"),
                ));
            }
        }
        if !is_valid_event_kind(&self.rule.trigger) {
            return Err(bad(
                "rule.trigger",
                "expected dotted lowercase words such as `device.light.off`".to_owned(),
            ));
        }
        let target = self.rule.aggregation.target();
        if target == 0 {
            return Err(bad("rule.aggregation", "expected a target of at least 1".to_owned()));
        }
        if self.rule.window_days == 0 || self.rule.window_days > MAX_WINDOW_DAYS {
            return Err(bad(
                "rule.windowDays",
                format!("expected 1 to {MAX_WINDOW_DAYS}, got {}", self.rule.window_days),
            ));
        }
        if let Aggregation::Streak { days } = self.rule.aggregation
            && days > self.rule.window_days
        {
            return Err(bad(
                "rule.aggregation",
                format!("a streak of {days} days cannot fit a window of {} days", self.rule.window_days),
            ));
        }
        Ok(())
    }
}

/// The body of `GET /v1/challenges`: the whole catalog, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    /// The challenges, in the order the operators arranged them.
    pub challenges: Vec<Challenge>,
}

/// The challenges Hearth ships (demo and first-start content), as named seeds in the order they
/// were added; the server applies each once per database, so a database seeded by an earlier
/// version still receives the later ones.
pub const SHIPPED_SEEDS: [(&str, &str); 2] = [
    ("challenges-v1", include_str!("../../assets/seed/challenges.json")),
    ("challenges-v2", include_str!("../../assets/seed/challenges-v2.json")),
];

impl Catalog {
    /// Every shipped challenge, in catalog order (one catalog across the seeds, validated whole).
    pub fn shipped() -> std::result::Result<Self, CatalogParseError> {
        let mut challenges = Vec::new();
        for (_, json) in SHIPPED_SEEDS {
            challenges.extend(Catalog::from_json(json)?.challenges);
        }
        let catalog = Catalog { challenges };
        catalog.validate().map_err(CatalogParseError::Invalid)?;
        Ok(catalog)
    }

    /// Parses a catalog from JSON and validates it whole.
    pub fn from_json(json: &str) -> std::result::Result<Self, CatalogParseError> {
        let catalog: Catalog = serde_json::from_str(json).map_err(CatalogParseError::Json)?;
        catalog.validate().map_err(CatalogParseError::Invalid)?;
        Ok(catalog)
    }

    /// Checks every challenge, that ids are unique and that the catalog is not too large.
    pub fn validate(&self) -> Result<()> {
        if self.challenges.len() > MAX_CHALLENGES {
            return Err(Error::InvalidChallenge {
                id: String::new(),
                field: "challenges",
                reason: format!(
                    "expected at most {MAX_CHALLENGES} challenges, got {}",
                    self.challenges.len()
                ),
            });
        }
        let mut seen = HashSet::with_capacity(self.challenges.len());
        for challenge in &self.challenges {
            challenge.validate()?;
            if !seen.insert(challenge.id.as_str()) {
                return Err(Error::DuplicateChallenge(challenge.id.clone()));
            }
        }
        Ok(())
    }
}

/// Why a catalog document was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogParseError {
    /// Not JSON, or not the catalog's shape.
    #[error("not a catalog document: {0}")]
    Json(#[source] serde_json::Error),
    /// The shape is right but a rule is broken.
    #[error(transparent)]
    Invalid(Error),
}

pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `kind` is a dotted lowercase event kind such as `device.light.off`.
pub fn is_valid_event_kind(kind: &str) -> bool {
    kind.len() <= MAX_ID_LEN
        && kind.split('.').count() >= 2
        && kind.split('.').all(|word| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
        })
}

pub(crate) fn text_fits(text: &str, max_chars: usize) -> bool {
    !text.trim().is_empty() && text.chars().count() <= max_chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Challenge {
        Challenge {
            id: "lights-out-at-night".to_owned(),
            scene: Scene::Sleep,
            difficulty: Difficulty::Easy,
            points: 30,
            title: LocalizedText::new("Lights out", "熄灯"),
            description: LocalizedText::new("Turn every light off by 23:00.", "23:00 前关掉所有灯。"),
            rule: Rule {
                trigger: "device.light.off".to_owned(),
                aggregation: Aggregation::Streak { days: 5 },
                window_days: 7,
            },
        }
    }

    fn field_of(challenge: &Challenge) -> &'static str {
        match challenge.validate() {
            Err(Error::InvalidChallenge { field, .. }) => field,
            other => panic!("expected an invalid challenge, got {other:?}"),
        }
    }

    #[test]
    fn a_well_formed_challenge_is_valid() {
        assert_eq!(sample().validate(), Ok(()));
    }

    #[test]
    fn invalid_fields_are_named() {
        let mut c = sample();
        c.id = "Has Spaces".to_owned();
        assert_eq!(field_of(&c), "id");

        let mut c = sample();
        c.points = 0;
        assert_eq!(field_of(&c), "points");
        c.points = MAX_POINTS + 1;
        assert_eq!(field_of(&c), "points");

        let mut c = sample();
        c.title = LocalizedText::new("Lights out", "   ");
        assert_eq!(field_of(&c), "title.zh-CN");

        let mut c = sample();
        c.description = LocalizedText::new(&"x".repeat(MAX_DESCRIPTION_CHARS + 1), "说明");
        assert_eq!(field_of(&c), "description.en");

        let mut c = sample();
        c.rule.trigger = "lights".to_owned();
        assert_eq!(field_of(&c), "rule.trigger");

        let mut c = sample();
        c.rule.aggregation = Aggregation::Count { target: 0 };
        assert_eq!(field_of(&c), "rule.aggregation");

        let mut c = sample();
        c.rule.aggregation = Aggregation::Streak { days: 8 };
        assert_eq!(field_of(&c), "rule.aggregation");

        let mut c = sample();
        c.rule.window_days = 0;
        assert_eq!(field_of(&c), "rule.windowDays");
    }

    #[test]
    fn titles_are_measured_in_characters_not_bytes() {
        // 80 CJK characters are 240 bytes of UTF-8 and must still fit.
        let mut c = sample();
        c.title = LocalizedText::new("Lights out", &"灯".repeat(MAX_TITLE_CHARS));
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn scenes_and_difficulties_parse_their_storage_spelling() {
        for scene in Scene::ALL {
            assert_eq!(scene.as_str().parse::<Scene>(), Ok(scene));
            assert_eq!(serde_json::to_string(&scene).expect("serialises"), format!("\"{}\"", scene.as_str()));
        }
        for difficulty in Difficulty::ALL {
            assert_eq!(difficulty.as_str().parse::<Difficulty>(), Ok(difficulty));
        }
        assert!("evening".parse::<Scene>().is_err());
        assert!("Easy".parse::<Difficulty>().is_err());
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let catalog = Catalog { challenges: vec![sample(), sample()] };
        assert_eq!(catalog.validate(), Err(Error::DuplicateChallenge("lights-out-at-night".to_owned())));
    }

    #[test]
    fn catalog_json_round_trips_in_its_wire_spelling() {
        let catalog = Catalog { challenges: vec![sample()] };
        let json = serde_json::to_string(&catalog).expect("serialises");
        assert!(json.contains(r#""windowDays":7"#), "{json}");
        assert!(json.contains(r#""kind":"streak""#), "{json}");
        assert!(json.contains(r#""zh-CN":"熄灯""#), "{json}");
        assert_eq!(Catalog::from_json(&json).expect("parses"), catalog);
    }

    #[test]
    fn malformed_documents_are_refused_with_the_reason() {
        assert!(matches!(Catalog::from_json("{"), Err(CatalogParseError::Json(_))));
        assert!(matches!(
            Catalog::from_json(r#"{"challenges": [{"id": 3}]}"#),
            Err(CatalogParseError::Json(_))
        ));
        let mut bad = sample();
        bad.points = 0;
        let json = serde_json::to_string(&Catalog { challenges: vec![bad] }).expect("serialises");
        assert!(matches!(Catalog::from_json(&json), Err(CatalogParseError::Invalid(_))));
    }

    #[test]
    fn the_shipped_seed_catalog_is_valid_and_covers_every_scene() {
        let catalog = Catalog::shipped().expect("the shipped seeds make one valid catalog");
        for scene in Scene::ALL {
            assert!(catalog.challenges.iter().any(|c| c.scene == scene), "no seed challenge for {scene:?}");
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #[test]
            fn id_validation_accepts_exactly_slugs(id in "\\PC{0,80}") {
                let slug = !id.is_empty()
                    && id.len() <= MAX_ID_LEN
                    && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !id.starts_with('-') && !id.ends_with('-');
                prop_assert_eq!(is_valid_id(&id), slug);
            }

            #[test]
            fn any_catalog_document_parses_or_fails_without_panicking(doc in "\\PC{0,400}") {
                let _ = Catalog::from_json(&doc);
            }
        }
    }
}
