//! Badges: milestones earned by completing challenges. They follow from the server's confirmed
//! participations and the catalog alone, so every device shows the same badges, earned at the
//! same instant (the completion that crossed the line), and nothing needs storing or syncing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{Aggregation, Challenge, Difficulty, Scene};
use crate::progress::Participation;

/// A badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Badge {
    /// A first completed challenge.
    FirstStep,
    /// A morning challenge completed.
    EarlyRiser,
    /// A leaving-home challenge completed.
    OffYouGo,
    /// A coming-home challenge completed.
    WelcomeHome,
    /// A sleep challenge completed.
    SweetDreams,
    /// A challenge completed in every scene of the day.
    RoundTheClock,
    /// A streak of a week or more completed.
    StreakKeeper,
    /// A hard challenge completed.
    HardWorker,
    /// Five challenges completed.
    HighFive,
}

impl Badge {
    /// Every badge, in the order they are shown.
    pub const ALL: [Badge; 9] = [
        Badge::FirstStep,
        Badge::EarlyRiser,
        Badge::OffYouGo,
        Badge::WelcomeHome,
        Badge::SweetDreams,
        Badge::RoundTheClock,
        Badge::StreakKeeper,
        Badge::HardWorker,
        Badge::HighFive,
    ];

    /// The stable spelling (also the key of its name and description in the translations:
    /// `badge-{id}` and `badge-{id}-how`).
    pub fn as_str(self) -> &'static str {
        match self {
            Badge::FirstStep => "first-step",
            Badge::EarlyRiser => "early-riser",
            Badge::OffYouGo => "off-you-go",
            Badge::WelcomeHome => "welcome-home",
            Badge::SweetDreams => "sweet-dreams",
            Badge::RoundTheClock => "round-the-clock",
            Badge::StreakKeeper => "streak-keeper",
            Badge::HardWorker => "hard-worker",
            Badge::HighFive => "high-five",
        }
    }
}

/// Shortest completed streak that earns [`Badge::StreakKeeper`].
pub const STREAK_KEEPER_DAYS: u32 = 7;
/// Completions that earn [`Badge::HighFive`].
pub const HIGH_FIVE_COMPLETIONS: u32 = 5;

/// Where the user stands with one badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeStatus {
    /// The badge.
    pub badge: Badge,
    /// When it was earned: the completion that earned it.
    pub earned_at_ms: Option<i64>,
    /// Steps towards it so far (never more than `target`).
    pub current: u32,
    /// Steps it takes.
    pub target: u32,
}

/// Every badge's status for a user whose participations are `participations`, judged with
/// `catalog` (completions of challenges no longer in the catalog count only towards
/// [`Badge::FirstStep`] and [`Badge::HighFive`]).
pub fn badges(catalog: &[Challenge], participations: &[Participation]) -> Vec<BadgeStatus> {
    let by_id: BTreeMap<&str, &Challenge> = catalog.iter().map(|c| (c.id.as_str(), c)).collect();
    // Completions in the order they happened (ties by id, so the answer never depends on order).
    let mut completions: Vec<(i64, &str)> = participations
        .iter()
        .filter_map(|p| p.completed_at_ms.map(|at| (at, p.challenge_id.as_str())))
        .collect();
    completions.sort_unstable();
    Badge::ALL
        .into_iter()
        .map(|badge| {
            // The completions that are steps towards it, earliest first; how many it takes.
            let (steps, target): (Vec<i64>, u32) = match badge {
                Badge::FirstStep => (completions.iter().map(|&(at, _)| at).collect(), 1),
                Badge::HighFive => (completions.iter().map(|&(at, _)| at).collect(), HIGH_FIVE_COMPLETIONS),
                Badge::EarlyRiser => (in_scene(&completions, &by_id, Scene::Morning), 1),
                Badge::OffYouGo => (in_scene(&completions, &by_id, Scene::Leaving), 1),
                Badge::WelcomeHome => (in_scene(&completions, &by_id, Scene::ComingHome), 1),
                Badge::SweetDreams => (in_scene(&completions, &by_id, Scene::Sleep), 1),
                Badge::RoundTheClock => {
                    // The first completion in each scene, in time order.
                    let mut firsts: Vec<i64> = Scene::ALL
                        .into_iter()
                        .filter_map(|scene| in_scene(&completions, &by_id, scene).first().copied())
                        .collect();
                    firsts.sort_unstable();
                    (firsts, Scene::ALL.len() as u32)
                }
                Badge::StreakKeeper => (
                    matching(&completions, &by_id, |c| {
                        matches!(c.rule.aggregation, Aggregation::Streak { days } if days >= STREAK_KEEPER_DAYS)
                    }),
                    1,
                ),
                Badge::HardWorker => (matching(&completions, &by_id, |c| c.difficulty == Difficulty::Hard), 1),
            };
            let current = u32::try_from(steps.len()).unwrap_or(u32::MAX).min(target);
            BadgeStatus { badge, earned_at_ms: steps.get(target as usize - 1).copied(), current, target }
        })
        .collect()
}

fn matching(
    completions: &[(i64, &str)],
    by_id: &BTreeMap<&str, &Challenge>,
    test: impl Fn(&Challenge) -> bool,
) -> Vec<i64> {
    completions.iter().filter(|(_, id)| by_id.get(id).is_some_and(|c| test(c))).map(|&(at, _)| at).collect()
}

fn in_scene(completions: &[(i64, &str)], by_id: &BTreeMap<&str, &Challenge>, scene: Scene) -> Vec<i64> {
    matching(completions, by_id, |c| c.scene == scene)
}

/// The badges earned by the completion of `challenge_id` (those earned at its completion time).
pub fn earned_by(
    statuses: &[BadgeStatus],
    participations: &[Participation],
    challenge_id: &str,
) -> Vec<Badge> {
    let Some(at) =
        participations.iter().find(|p| p.challenge_id == challenge_id).and_then(|p| p.completed_at_ms)
    else {
        return Vec::new();
    };
    statuses.iter().filter(|s| s.earned_at_ms == Some(at)).map(|s| s.badge).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Rule;
    use crate::i18n::LocalizedText;
    use crate::progress::Progress;

    fn challenge(id: &str, scene: Scene, difficulty: Difficulty, aggregation: Aggregation) -> Challenge {
        Challenge {
            id: id.into(),
            scene,
            difficulty,
            points: 10,
            title: LocalizedText { en: id.into(), zh_cn: id.into() },
            description: LocalizedText { en: id.into(), zh_cn: id.into() },
            rule: Rule { trigger: "device.light.off".into(), aggregation, window_days: 14 },
        }
    }

    fn done(id: &str, at: i64) -> Participation {
        Participation {
            challenge_id: id.into(),
            joined_at_ms: 0,
            progress: Progress::default(),
            completed_at_ms: Some(at),
        }
    }

    fn catalog() -> Vec<Challenge> {
        vec![
            challenge("m", Scene::Morning, Difficulty::Easy, Aggregation::Count { target: 3 }),
            challenge("l", Scene::Leaving, Difficulty::Medium, Aggregation::Streak { days: 7 }),
            challenge("c", Scene::ComingHome, Difficulty::Easy, Aggregation::Streak { days: 3 }),
            challenge("s", Scene::Sleep, Difficulty::Hard, Aggregation::TotalDuration { minutes: 60 }),
            challenge("s2", Scene::Sleep, Difficulty::Easy, Aggregation::Count { target: 1 }),
        ]
    }

    fn status(all: &[BadgeStatus], badge: Badge) -> BadgeStatus {
        *all.iter().find(|s| s.badge == badge).expect("every badge is listed")
    }

    #[test]
    fn nothing_completed_nothing_earned() {
        let all = badges(&catalog(), &[Participation { completed_at_ms: None, ..done("m", 1) }]);
        assert_eq!(all.len(), Badge::ALL.len());
        assert!(all.iter().all(|s| s.earned_at_ms.is_none() && s.current == 0));
        assert_eq!(status(&all, Badge::RoundTheClock).target, 4);
    }

    #[test]
    fn each_badge_is_earned_by_the_completion_that_crosses_its_line() {
        let ps = [done("m", 100), done("c", 200), done("s", 300), done("s2", 400), done("l", 500)];
        let all = badges(&catalog(), &ps);
        assert_eq!(status(&all, Badge::FirstStep).earned_at_ms, Some(100));
        assert_eq!(status(&all, Badge::EarlyRiser).earned_at_ms, Some(100));
        assert_eq!(status(&all, Badge::WelcomeHome).earned_at_ms, Some(200));
        assert_eq!(status(&all, Badge::HardWorker).earned_at_ms, Some(300));
        assert_eq!(status(&all, Badge::SweetDreams).earned_at_ms, Some(300));
        assert_eq!(status(&all, Badge::HighFive).earned_at_ms, Some(500));
        assert_eq!(status(&all, Badge::RoundTheClock).earned_at_ms, Some(500), "the leaving one came last");
        assert_eq!(status(&all, Badge::StreakKeeper).earned_at_ms, Some(500), "7 days");
        assert_eq!(
            earned_by(&all, &ps, "l"),
            vec![Badge::OffYouGo, Badge::RoundTheClock, Badge::StreakKeeper, Badge::HighFive]
        );
        assert_eq!(earned_by(&all, &ps, "s2"), Vec::<Badge>::new());
        // Four of five: progress shown, not earned.
        let all = badges(&catalog(), &ps[..4]);
        let five = status(&all, Badge::HighFive);
        assert_eq!((five.current, five.earned_at_ms), (4, None));
        assert_eq!(status(&all, Badge::RoundTheClock).current, 3);
        assert_eq!(status(&all, Badge::StreakKeeper).earned_at_ms, None, "a 3-day streak is too short");
    }

    #[test]
    fn retired_challenges_still_count_as_completions() {
        let all = badges(&catalog(), &[done("gone", 50)]);
        assert_eq!(status(&all, Badge::FirstStep).earned_at_ms, Some(50));
        assert_eq!(status(&all, Badge::EarlyRiser).earned_at_ms, None);
    }

    proptest! {
        /// Order and repeats of the participations never change the badges, and a badge is
        /// earned exactly when its steps reach its target.
        #[test]
        fn badges_depend_on_completions_not_on_order(
            picks in proptest::collection::vec((0usize..5, proptest::option::of(0i64..1000)), 0..12),
        ) {
            let cat = catalog();
            let ps: Vec<Participation> = picks.iter().map(|&(i, at)| Participation {
                completed_at_ms: at,
                ..done(&cat[i].id, 0)
            }).collect();
            // One participation per challenge, as the server keeps them.
            let mut unique: Vec<Participation> = Vec::new();
            for p in ps {
                if !unique.iter().any(|u| u.challenge_id == p.challenge_id) {
                    unique.push(p);
                }
            }
            let expected = badges(&cat, &unique);
            let mut reversed = unique.clone();
            reversed.reverse();
            prop_assert_eq!(badges(&cat, &reversed), expected.clone());
            for s in expected {
                prop_assert_eq!(s.earned_at_ms.is_some(), s.current == s.target);
            }
        }
    }
}
