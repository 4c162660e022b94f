//! When to remind: a daily reminder at the user's chosen local time, held during quiet hours
//! (which may run past midnight) and given once a day. Pure: the shell gives the local time and
//! keeps the state.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::home::LocalTime;
use crate::ledger::Lot;
use crate::progress::DAY_MS;

/// Minutes in a day.
const DAY_MINUTES: u16 = 24 * 60;

/// The local time from which a streak at risk is worth a warning: late enough that the day's
/// chance has mostly passed, early enough to still act on it.
pub const STREAK_WARNING_FROM_MINUTE: u16 = 18 * 60;
/// How long before points expire the user hears about them.
pub const EXPIRY_NOTICE_MS: i64 = 7 * DAY_MS;

/// The user's reminder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettings {
    /// The daily reminder's local time (minutes after midnight); `None`: no daily reminder.
    pub daily_minute: Option<u16>,
    /// Quiet hours: from this local minute…
    pub quiet_from: Option<u16>,
    /// …to this one (exclusive); may be earlier than `quiet_from` (overnight).
    pub quiet_to: Option<u16>,
    /// Warn in the evening when a streak would break at midnight.
    #[serde(default = "on")]
    pub streak_alerts: bool,
    /// Warn a week before points expire.
    #[serde(default = "on")]
    pub expiry_alerts: bool,
}

fn on() -> bool {
    true
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            daily_minute: None,
            quiet_from: None,
            quiet_to: None,
            streak_alerts: true,
            expiry_alerts: true,
        }
    }
}

impl ReminderSettings {
    /// Whether every time given is a time of day.
    pub fn is_valid(&self) -> bool {
        [self.daily_minute, self.quiet_from, self.quiet_to].into_iter().flatten().all(|m| m < DAY_MINUTES)
            && self.quiet_from.is_some() == self.quiet_to.is_some()
    }

    /// Whether `minute` falls in the quiet hours.
    pub fn is_quiet(&self, minute: u16) -> bool {
        match (self.quiet_from, self.quiet_to) {
            (Some(from), Some(to)) if from < to => (from..to).contains(&minute),
            (Some(from), Some(to)) if from > to => minute >= from || minute < to,
            _ => false,
        }
    }
}

/// What has been reminded already.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderState {
    /// The local day the daily reminder was last given.
    pub daily_given_day: Option<i64>,
    /// The local day streaks at risk were last warned about.
    #[serde(default)]
    pub streak_warned_day: Option<i64>,
    /// The expiry instants of points already warned about (pruned once past).
    #[serde(default)]
    pub expiry_warned: BTreeSet<i64>,
}

/// Whether the daily reminder is due at `at`: its time has come today, it has not been given
/// today, and it is not quiet now (a reminder whose time falls in the quiet hours comes when
/// they end, the same day). Marks it given when due.
pub fn daily_due(settings: &ReminderSettings, state: &mut ReminderState, at: LocalTime) -> bool {
    let Some(minute) = settings.daily_minute else { return false };
    if at.minute < minute || state.daily_given_day == Some(at.day) || settings.is_quiet(at.minute) {
        return false;
    }
    state.daily_given_day = Some(at.day);
    true
}

/// Whether to warn now about a streak at risk (the caller knows one is): in the evening, not in
/// quiet hours, once a day. Marks it given when due.
pub fn streak_warning_due(settings: &ReminderSettings, state: &mut ReminderState, at: LocalTime) -> bool {
    if !settings.streak_alerts
        || at.minute < STREAK_WARNING_FROM_MINUTE
        || settings.is_quiet(at.minute)
        || state.streak_warned_day == Some(at.day)
    {
        return false;
    }
    state.streak_warned_day = Some(at.day);
    true
}

/// Points about to expire that the user has not heard about: the points in every open lot
/// expiring within [`EXPIRY_NOTICE_MS`] not warned about yet, and when the soonest expires.
/// Not in quiet hours. Marks those lots warned when it answers.
pub fn expiry_warning_due(
    settings: &ReminderSettings,
    state: &mut ReminderState,
    lots: &[Lot],
    now_ms: i64,
    at: LocalTime,
) -> Option<(u64, i64)> {
    state.expiry_warned.retain(|&expires| expires > now_ms);
    if !settings.expiry_alerts || settings.is_quiet(at.minute) {
        return None;
    }
    let due: Vec<Lot> = lots
        .iter()
        .copied()
        .filter(|lot| {
            lot.amount > 0 && lot.expires_at_ms > now_ms && lot.expires_at_ms - now_ms <= EXPIRY_NOTICE_MS
        })
        .filter(|lot| !state.expiry_warned.contains(&lot.expires_at_ms))
        .collect();
    let soonest = due.iter().map(|lot| lot.expires_at_ms).min()?;
    state.expiry_warned.extend(due.iter().map(|lot| lot.expires_at_ms));
    Some((due.iter().map(|lot| lot.amount).sum(), soonest))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(minute: u16, day: i64) -> LocalTime {
        LocalTime { minute, day }
    }

    #[test]
    fn the_daily_reminder_comes_once_a_day_at_its_time() {
        let settings = ReminderSettings { daily_minute: Some(19 * 60), ..Default::default() };
        let mut state = ReminderState::default();
        assert!(!daily_due(&settings, &mut state, at(18 * 60, 1)));
        assert!(daily_due(&settings, &mut state, at(19 * 60, 1)));
        assert!(!daily_due(&settings, &mut state, at(20 * 60, 1)), "once a day");
        assert!(
            daily_due(&settings, &mut state, at(21 * 60, 2)),
            "late the next day, if the app was closed at 19:00"
        );
        assert!(!daily_due(&ReminderSettings::default(), &mut state, at(23 * 60, 3)), "off");
    }

    #[test]
    fn quiet_hours_hold_it_until_they_end_even_overnight() {
        let settings = ReminderSettings {
            daily_minute: Some(22 * 60 + 30),
            quiet_from: Some(22 * 60),
            quiet_to: Some(7 * 60),
            ..Default::default()
        };
        assert!(settings.is_quiet(23 * 60) && settings.is_quiet(3 * 60) && !settings.is_quiet(12 * 60));
        let mut state = ReminderState::default();
        assert!(!daily_due(&settings, &mut state, at(22 * 60 + 45, 1)), "quiet");
        // Same-day quiet hours: held until they end.
        let evening = ReminderSettings {
            daily_minute: Some(18 * 60),
            quiet_from: Some(17 * 60),
            quiet_to: Some(19 * 60),
            ..Default::default()
        };
        assert!(!daily_due(&evening, &mut state, at(18 * 60, 5)));
        assert!(daily_due(&evening, &mut state, at(19 * 60, 5)), "when the quiet hours end");
        assert!(!ReminderSettings { daily_minute: Some(1440), ..Default::default() }.is_valid());
        assert!(!ReminderSettings { quiet_from: Some(60), ..Default::default() }.is_valid(), "both ends");
    }

    #[test]
    fn a_streak_warning_comes_in_the_evening_once_a_day_and_not_when_quiet_or_off() {
        let settings = ReminderSettings::default();
        let mut state = ReminderState::default();
        assert!(!streak_warning_due(&settings, &mut state, at(17 * 60 + 59, 1)), "too early");
        assert!(streak_warning_due(&settings, &mut state, at(18 * 60, 1)));
        assert!(!streak_warning_due(&settings, &mut state, at(21 * 60, 1)), "once a day");
        assert!(streak_warning_due(&settings, &mut state, at(23 * 60, 2)));
        let quiet = ReminderSettings { quiet_from: Some(17 * 60), quiet_to: Some(20 * 60), ..settings };
        assert!(!streak_warning_due(&quiet, &mut state, at(19 * 60, 3)), "quiet");
        assert!(streak_warning_due(&quiet, &mut state, at(20 * 60, 3)), "after the quiet hours");
        let off = ReminderSettings { streak_alerts: false, ..settings };
        assert!(!streak_warning_due(&off, &mut state, at(20 * 60, 4)));
    }

    #[test]
    fn expiring_points_are_warned_about_once_a_week_ahead() {
        let settings = ReminderSettings::default();
        let mut state = ReminderState::default();
        let now = 1_000 * DAY_MS;
        let lots = [
            Lot { amount: 20, expires_at_ms: now + 2 * DAY_MS },
            Lot { amount: 30, expires_at_ms: now + 6 * DAY_MS },
            Lot { amount: 50, expires_at_ms: now + 8 * DAY_MS },
        ];
        let noon = at(12 * 60, 1000);
        assert_eq!(expiry_warning_due(&settings, &mut state, &lots, now, noon), Some((50, now + 2 * DAY_MS)));
        assert_eq!(expiry_warning_due(&settings, &mut state, &lots, now, noon), None, "said once");
        // A day later the third lot comes within the week: only it is news.
        let later = now + DAY_MS + 1;
        assert_eq!(
            expiry_warning_due(&settings, &mut state, &lots, later, noon),
            Some((50, now + 8 * DAY_MS))
        );
        // Past lots are forgotten, so the state stays small.
        let _ = expiry_warning_due(&settings, &mut state, &lots, now + 9 * DAY_MS, noon);
        assert!(state.expiry_warned.is_empty());
        let quiet = ReminderSettings { quiet_from: Some(0), quiet_to: Some(23 * 60), ..settings };
        let mut fresh = ReminderState::default();
        assert_eq!(expiry_warning_due(&quiet, &mut fresh, &lots, now, noon), None);
        let off = ReminderSettings { expiry_alerts: false, ..settings };
        assert_eq!(expiry_warning_due(&off, &mut fresh, &lots, now, noon), None);
        assert_eq!(expiry_warning_due(&settings, &mut fresh, &lots, now, noon), Some((50, now + 2 * DAY_MS)));
    }

    #[test]
    fn settings_saved_before_the_alerts_existed_have_them_on() {
        let old: ReminderSettings =
            serde_json::from_str(r#"{"dailyMinute":540,"quietFrom":null,"quietTo":null}"#)
                .expect("old settings");
        assert!(old.streak_alerts && old.expiry_alerts);
    }

    proptest! {
        /// Whatever the settings and however the clock moves through a day, the reminder comes
        /// at most once that day and never in quiet hours.
        #[test]
        fn never_twice_a_day_never_when_quiet(
            daily in proptest::option::of(0u16..1440),
            quiet in proptest::option::of((0u16..1440, 0u16..1440)),
            mut minutes in proptest::collection::vec(0u16..1440, 1..50),
        ) {
            minutes.sort_unstable();
            let settings = ReminderSettings {
                daily_minute: daily,
                quiet_from: quiet.map(|q| q.0),
                quiet_to: quiet.map(|q| q.1),
                ..Default::default()
            };
            let mut state = ReminderState::default();
            let mut given = 0;
            for minute in minutes {
                if daily_due(&settings, &mut state, at(minute, 9)) {
                    given += 1;
                    prop_assert!(!settings.is_quiet(minute));
                    prop_assert!(daily.is_some_and(|d| minute >= d));
                }
            }
            prop_assert!(given <= 1);
        }
    }
}
