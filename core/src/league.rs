//! The weekly league, opt-in: members are placed in groups of about [`GROUP_SIZE`] people of the
//! same tier for one week, ranked by the points they earn that week; at the week's end the top
//! [`PROMOTED`] move up a tier and the bottom [`DEMOTED`] move down. Weeks run Monday 00:00 to
//! Monday 00:00 in the league's time zone (the first market's), the same instant for everyone.
//!
//! The rules are pure: the server ranks and settles with them, the app explains them with them.

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::account::DEFAULT_TIME_ZONE;

/// People in one group, at most.
pub const GROUP_SIZE: usize = 50;
/// How many at the top of a group move up a tier at the week's end.
pub const PROMOTED: usize = 10;
/// How many at the bottom of a group move down a tier at the week's end (groups smaller than
/// [`PROMOTED`] + [`DEMOTED`] demote nobody: a small group is no contest).
pub const DEMOTED: usize = 5;

/// A league tier, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Where everyone starts.
    Bronze,
    /// One up.
    Silver,
    /// Two up.
    Gold,
    /// The top.
    Diamond,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 4] = [Tier::Bronze, Tier::Silver, Tier::Gold, Tier::Diamond];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Bronze => "bronze",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Diamond => "diamond",
        }
    }

    /// Parses the storage spelling.
    pub fn from_storage(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    fn up(self) -> Tier {
        Tier::ALL.into_iter().find(|t| *t > self).unwrap_or(self)
    }

    fn down(self) -> Tier {
        Tier::ALL.into_iter().rev().find(|t| *t < self).unwrap_or(self)
    }
}

/// One league week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Week {
    /// Its id, the ISO week of its Monday (`2026-W48`).
    pub id: String,
    /// When it starts, in milliseconds since the Unix epoch.
    pub starts_at_ms: i64,
    /// When it ends (the next week's start).
    pub ends_at_ms: i64,
}

fn league_zone() -> TimeZone {
    TimeZone::get(DEFAULT_TIME_ZONE).unwrap_or(TimeZone::UTC)
}

/// The league week that contains `ms`.
pub fn week_of(ms: i64) -> Week {
    let tz = league_zone();
    let local = tz.to_datetime(Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH));
    let back = i64::from(local.date().weekday().to_monday_zero_offset());
    let monday = local.date().checked_sub(back.days()).unwrap_or(local.date());
    let next = monday.checked_add(7.days()).unwrap_or(monday);
    let start = |d: jiff::civil::Date| tz.to_timestamp(d.at(0, 0, 0, 0)).map_or(0, |t| t.as_millisecond());
    let iso = monday.iso_week_date();
    debug_assert_eq!(monday.weekday(), Weekday::Monday);
    Week {
        id: format!("{}-W{:02}", iso.year(), iso.week()),
        starts_at_ms: start(monday),
        ends_at_ms: start(next),
    }
}

/// A member's week, as ranking needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Who.
    pub user_id: String,
    /// Points earned that week.
    pub points: u64,
    /// When they entered the group (earlier breaks a tie).
    pub joined_at_ms: i64,
}

/// What the week's end does to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// Moves up a tier.
    Promotion,
    /// Stays in the tier.
    Safe,
    /// Moves down a tier.
    Demotion,
}

/// Ranks a group: most points first; a tie goes to whoever entered the group first, then to
/// the user id (so the order never depends on how rows arrive). Returns indices into `scores`.
pub fn rank(scores: &[Score]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&scores[a], &scores[b]);
        b.points.cmp(&a.points).then(a.joined_at_ms.cmp(&b.joined_at_ms)).then(a.user_id.cmp(&b.user_id))
    });
    order
}

/// The zone of the member ranked `rank` (0-based) in a group of `size` in `tier`, with `points`
/// this week: the top [`PROMOTED`] who earned something move up (not from the top tier); the
/// bottom [`DEMOTED`] move down (not from the lowest tier, and not in small groups).
pub fn zone(tier: Tier, rank: usize, size: usize, points: u64) -> Zone {
    if rank < PROMOTED && points > 0 && tier != Tier::Diamond {
        Zone::Promotion
    } else if size >= PROMOTED + DEMOTED && rank >= size - DEMOTED && tier != Tier::Bronze {
        Zone::Demotion
    } else {
        Zone::Safe
    }
}

/// The tier after a week ended in `zone`.
pub fn next_tier(tier: Tier, zone: Zone) -> Tier {
    match zone {
        Zone::Promotion => tier.up(),
        Zone::Safe => tier,
        Zone::Demotion => tier.down(),
    }
}

/// One line of a group's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Standing {
    /// 1 for the first.
    pub rank: u32,
    /// The name the member shows others.
    pub display_name: String,
    /// Points earned this week.
    pub points: u64,
    /// Whether this line is the caller.
    pub is_you: bool,
    /// Where the week's end would put them as things stand.
    pub zone: Zone,
}

/// How the caller's previous league week ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LastWeek {
    /// The week.
    pub week: String,
    /// Their final rank (1 for the first).
    pub rank: u32,
    /// The tier they played in.
    pub tier: Tier,
    /// What it did.
    pub zone: Zone,
}

/// The caller's league this week (`GET /v1/league`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LeagueView {
    /// This week.
    pub week: Week,
    /// Their tier this week.
    pub tier: Tier,
    /// Their group, ranked.
    pub standings: Vec<Standing>,
    /// How their previous week ended, if they played one.
    pub last_week: Option<LastWeek>,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ms(at: &str) -> i64 {
        at.parse::<Timestamp>().expect("timestamp").as_millisecond()
    }

    #[test]
    fn weeks_run_monday_to_monday_in_shanghai() {
        // Wednesday 25 November 2026; Monday the 23rd 00:00 in Shanghai is 16:00 UTC on the 22nd.
        let week = week_of(ms("2026-11-25T12:00:00Z"));
        assert_eq!(week.id, "2026-W48");
        assert_eq!(week.starts_at_ms, ms("2026-11-22T16:00:00Z"));
        assert_eq!(week.ends_at_ms, ms("2026-11-29T16:00:00Z"));
        // Sunday 23:59 in Shanghai is still that week; a minute later is the next.
        assert_eq!(week_of(ms("2026-11-29T15:59:00Z")).id, "2026-W48");
        assert_eq!(week_of(ms("2026-11-29T16:00:00Z")).id, "2026-W49");
        // Across the year's end: the ISO year of the Monday.
        assert_eq!(week_of(ms("2027-01-01T12:00:00Z")).id, "2026-W53");
    }

    fn score(user: &str, points: u64, joined: i64) -> Score {
        Score { user_id: user.into(), points, joined_at_ms: joined }
    }

    #[test]
    fn most_points_first_and_ties_to_the_earlier_member() {
        let scores = [score("a", 10, 5), score("b", 30, 9), score("c", 10, 1), score("d", 0, 0)];
        assert_eq!(rank(&scores), vec![1, 2, 0, 3]);
    }

    #[test]
    fn the_top_move_up_with_points_and_the_bottom_move_down_in_full_groups() {
        assert_eq!(zone(Tier::Bronze, 0, 50, 20), Zone::Promotion);
        assert_eq!(zone(Tier::Bronze, 9, 50, 1), Zone::Promotion);
        assert_eq!(zone(Tier::Bronze, 10, 50, 80), Zone::Safe);
        assert_eq!(zone(Tier::Bronze, 0, 50, 0), Zone::Safe, "nothing earned, nothing won");
        assert_eq!(zone(Tier::Bronze, 49, 50, 0), Zone::Safe, "nowhere lower than bronze");
        assert_eq!(zone(Tier::Silver, 45, 50, 0), Zone::Demotion);
        assert_eq!(zone(Tier::Silver, 44, 50, 0), Zone::Safe);
        assert_eq!(zone(Tier::Silver, 13, 14, 0), Zone::Safe, "a small group demotes nobody");
        assert_eq!(zone(Tier::Diamond, 0, 50, 500), Zone::Safe, "nowhere higher than diamond");
        assert_eq!(next_tier(Tier::Gold, Zone::Promotion), Tier::Diamond);
        assert_eq!(next_tier(Tier::Gold, Zone::Demotion), Tier::Silver);
        assert_eq!(next_tier(Tier::Bronze, Zone::Demotion), Tier::Bronze);
    }

    proptest! {
        /// The ranking is a permutation, ordered by points, whatever order the rows came in;
        /// never more promoted than PROMOTED, never more demoted than DEMOTED.
        #[test]
        fn ranking_is_total_and_zones_are_bounded(
            points in proptest::collection::vec((0u64..200, 0i64..1000), 1..60),
            tier in prop::sample::select(Tier::ALL.to_vec()),
        ) {
            let scores: Vec<Score> = points.iter().enumerate().map(|(i, &(p, j))| score(&format!("u{i:02}"), p, j)).collect();
            let order = rank(&scores);
            let mut seen = order.clone();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..scores.len()).collect::<Vec<_>>());
            prop_assert!(order.windows(2).all(|w| scores[w[0]].points >= scores[w[1]].points));
            let mut reversed = scores.clone();
            reversed.reverse();
            let again: Vec<&str> = rank(&reversed).iter().map(|&i| reversed[i].user_id.as_str()).collect();
            let first: Vec<&str> = order.iter().map(|&i| scores[i].user_id.as_str()).collect();
            prop_assert_eq!(again, first);
            let zones: Vec<Zone> = order.iter().enumerate().map(|(r, &i)| zone(tier, r, scores.len(), scores[i].points)).collect();
            prop_assert!(zones.iter().filter(|z| **z == Zone::Promotion).count() <= PROMOTED);
            prop_assert!(zones.iter().filter(|z| **z == Zone::Demotion).count() <= DEMOTED);
        }
    }
}
