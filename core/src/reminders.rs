//! When to remind: a daily reminder at the user's chosen local time, held during quiet hours
//! (which may run past midnight) and given once a day. Pure: the shell gives the local time and
//! keeps the state.

use serde::{Deserialize, Serialize};

use crate::home::LocalTime;

/// Minutes in a day.
const DAY_MINUTES: u16 = 24 * 60;

/// The user's reminder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettings {
    /// The daily reminder's local time (minutes after midnight); `None`: no daily reminder.
    pub daily_minute: Option<u16>,
    /// Quiet hours: from this local minute…
    pub quiet_from: Option<u16>,
    /// …to this one (exclusive); may be earlier than `quiet_from` (overnight).
    pub quiet_to: Option<u16>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderState {
    /// The local day the daily reminder was last given.
    pub daily_given_day: Option<i64>,
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
        };
        assert!(settings.is_quiet(23 * 60) && settings.is_quiet(3 * 60) && !settings.is_quiet(12 * 60));
        let mut state = ReminderState::default();
        assert!(!daily_due(&settings, &mut state, at(22 * 60 + 45, 1)), "quiet");
        // Same-day quiet hours: held until they end.
        let evening = ReminderSettings {
            daily_minute: Some(18 * 60),
            quiet_from: Some(17 * 60),
            quiet_to: Some(19 * 60),
        };
        assert!(!daily_due(&evening, &mut state, at(18 * 60, 5)));
        assert!(daily_due(&evening, &mut state, at(19 * 60, 5)), "when the quiet hours end");
        assert!(!ReminderSettings { daily_minute: Some(1440), ..Default::default() }.is_valid());
        assert!(!ReminderSettings { quiet_from: Some(60), ..Default::default() }.is_valid(), "both ends");
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
