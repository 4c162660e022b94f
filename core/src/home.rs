//! The virtual home: simulated devices (lights, an air conditioner with an eco mode, a plug, a
//! door lock, a curtain) the user operates and schedules in the app: the plug switching on, the
//! curtain opening, every light going off, the door locking and the air conditioner starting in
//! eco mode, each at a daily time. Each
//! operation says which events it produced, with the same kinds real devices will send, so
//! challenges count them alike. Pure: the caller gives the time (and the local time of day).

use serde::{Deserialize, Serialize};

use crate::progress::MAX_EVENT_MINUTES;

/// Rooms with a light.
pub const ROOMS: [&str; 3] = ["living-room", "bedroom", "kitchen"];
/// Lights all off from this local time (minutes after midnight) counts as "by bedtime"...
pub const BEDTIME_FROM_MINUTE: u16 = 20 * 60;
/// ...up to 23:00.
pub const BEDTIME_BY_MINUTE: u16 = 23 * 60;
/// A plug switched off from 21:00 to 06:00 counts as off overnight.
pub const NIGHT: (u16, u16) = (21 * 60, 6 * 60);
/// Coolest and warmest target temperatures.
pub const TARGET_C: (i8, i8) = (16, 30);

/// The simulated devices' state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualHome {
    /// Which rooms' lights are on, in [`ROOMS`] order.
    pub lights: [bool; 3],
    /// The air conditioner is running.
    pub ac_on: bool,
    /// Its eco mode is on.
    pub ac_eco: bool,
    /// Its target temperature, °C.
    pub ac_target_c: i8,
    /// Since when it has run in eco mode (ms), while it does.
    pub eco_since_ms: Option<i64>,
    /// The plug is on.
    pub plug_on: bool,
    /// The plug switches on every day at this local minute, if set.
    pub plug_schedule_minute: Option<u16>,
    /// The local day (days since the epoch) the schedule last ran.
    pub plug_schedule_ran_day: Option<i64>,
    /// The door is locked.
    pub locked: bool,
    /// The curtain is open.
    pub curtain_open: bool,
    /// The curtain opens every day at this local minute, if set.
    #[serde(default)]
    pub curtain_schedule_minute: Option<u16>,
    /// The local day the curtain's schedule last ran.
    #[serde(default)]
    pub curtain_schedule_ran_day: Option<i64>,
    /// Every light goes off every day at this local minute, if set.
    #[serde(default)]
    pub lights_off_schedule_minute: Option<u16>,
    /// The local day the lights' schedule last ran.
    #[serde(default)]
    pub lights_off_schedule_ran_day: Option<i64>,
    /// The door locks every day at this local minute, if set.
    #[serde(default)]
    pub lock_schedule_minute: Option<u16>,
    /// The local day the lock's schedule last ran.
    #[serde(default)]
    pub lock_schedule_ran_day: Option<i64>,
    /// The air conditioner starts in eco mode every day at this local minute, if set.
    #[serde(default)]
    pub ac_eco_schedule_minute: Option<u16>,
    /// The local day the air conditioner's schedule last ran.
    #[serde(default)]
    pub ac_eco_schedule_ran_day: Option<i64>,
}

impl Default for VirtualHome {
    fn default() -> Self {
        VirtualHome {
            lights: [true, false, false],
            ac_on: false,
            ac_eco: false,
            ac_target_c: 24,
            eco_since_ms: None,
            plug_on: false,
            plug_schedule_minute: None,
            plug_schedule_ran_day: None,
            locked: false,
            curtain_open: false,
            curtain_schedule_minute: None,
            curtain_schedule_ran_day: None,
            lights_off_schedule_minute: None,
            lights_off_schedule_ran_day: None,
            lock_schedule_minute: None,
            lock_schedule_ran_day: None,
            ac_eco_schedule_minute: None,
            ac_eco_schedule_ran_day: None,
        }
    }
}

/// What the user does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// One room's light on or off.
    Light {
        /// Index in [`ROOMS`].
        room: usize,
        /// On or off.
        on: bool,
    },
    /// Every light off.
    AllLightsOff,
    /// The air conditioner on or off.
    Ac {
        /// On or off.
        on: bool,
    },
    /// Its eco mode on or off.
    AcEco {
        /// On or off.
        on: bool,
    },
    /// Its target temperature.
    AcTarget {
        /// °C, within [`TARGET_C`].
        celsius: i8,
    },
    /// The plug on or off.
    Plug {
        /// On or off.
        on: bool,
    },
    /// The plug's daily schedule (local minute after midnight), or none.
    PlugSchedule {
        /// 0 to 1439, or `None` to clear.
        minute: Option<u16>,
    },
    /// Lock or unlock the door.
    Lock {
        /// Locked or not.
        locked: bool,
    },
    /// Open or close the curtain.
    Curtain {
        /// Open or closed.
        open: bool,
    },
    /// The curtain's daily opening time (local minute after midnight), or none.
    CurtainSchedule {
        /// 0 to 1439, or `None` to clear.
        minute: Option<u16>,
    },
    /// The daily time every light goes off (local minute after midnight), or none.
    LightsOffSchedule {
        /// 0 to 1439, or `None` to clear.
        minute: Option<u16>,
    },
    /// The daily time the door locks (local minute after midnight), or none.
    LockSchedule {
        /// 0 to 1439, or `None` to clear.
        minute: Option<u16>,
    },
    /// The daily time the air conditioner starts in eco mode (local minute after midnight), or
    /// none.
    AcEcoSchedule {
        /// 0 to 1439, or `None` to clear.
        minute: Option<u16>,
    },
    /// Leaving home: lights, air conditioner and plug off, door locked.
    Leaving,
    /// Coming home: the living-room light and the air conditioner (in eco mode) on, door unlocked.
    ComingHome,
}

/// An event an operation produced: its kind, and how long it lasted for lasting ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Produced {
    /// The event kind (`device.lock.locked`, …).
    pub kind: String,
    /// For lasting events, minutes.
    pub duration_minutes: Option<u32>,
}

/// A schedule's time checked: a minute of the day, or none.
fn time_of_day(minute: Option<u16>) -> Result<Option<u16>, String> {
    if minute.is_some_and(|m| m >= 24 * 60) {
        return Err("a time of day, 00:00 to 23:59".into());
    }
    Ok(minute)
}

/// Whether a schedule at `minute` runs at `at` (once a local day, from its minute on); marks it
/// run for the day.
fn due(minute: Option<u16>, ran_day: &mut Option<i64>, at: LocalTime) -> bool {
    let due = minute.is_some_and(|m| at.minute >= m) && *ran_day != Some(at.day);
    if due {
        *ran_day = Some(at.day);
    }
    due
}

fn event(kind: &str) -> Produced {
    Produced { kind: kind.into(), duration_minutes: None }
}

/// The local time an operation happens at: minutes after midnight and the day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Minutes after local midnight, 0 to 1439.
    pub minute: u16,
    /// The local calendar day, as days since 1970-01-01.
    pub day: i64,
}

impl LocalTime {
    /// The local time at `ms` (milliseconds since the epoch) in `tz`.
    pub fn at(ms: i64, tz: &jiff::tz::TimeZone) -> LocalTime {
        let instant = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let local = tz.to_datetime(instant);
        let seconds = instant.as_second() + i64::from(tz.to_offset(instant).seconds());
        LocalTime {
            minute: (local.hour() as u16) * 60 + local.minute() as u16,
            day: seconds.div_euclid(86_400),
        }
    }
}

impl VirtualHome {
    fn end_eco(&mut self, now_ms: i64, out: &mut Vec<Produced>) {
        if let Some(since) = self.eco_since_ms.take() {
            let minutes = ((now_ms - since).max(0) / 60_000) as u32;
            if minutes > 0 {
                out.push(Produced {
                    kind: "device.ac.eco-minutes".into(),
                    duration_minutes: Some(minutes.min(MAX_EVENT_MINUTES)),
                });
            }
        }
    }

    fn start_eco(&mut self, now_ms: i64) {
        if self.ac_on && self.ac_eco && self.eco_since_ms.is_none() {
            self.eco_since_ms = Some(now_ms);
        }
    }

    fn set_light(&mut self, room: usize, on: bool, at: LocalTime, out: &mut Vec<Produced>) {
        let was_any_on = self.lights.iter().any(|&l| l);
        self.lights[room] = on;
        let bedtime = (BEDTIME_FROM_MINUTE..BEDTIME_BY_MINUTE).contains(&at.minute);
        if was_any_on && !self.lights.iter().any(|&l| l) && bedtime {
            out.push(event("device.light.all-off-by-bedtime"));
        }
    }

    fn set_plug(&mut self, on: bool, at: LocalTime, out: &mut Vec<Produced>) {
        let was_on = self.plug_on;
        self.plug_on = on;
        let night = at.minute >= NIGHT.0 || at.minute < NIGHT.1;
        if was_on && !on && night {
            out.push(event("device.plug.off-overnight"));
        }
    }

    /// Applies `action` at `now_ms` (local time `at`); returns the events it produced. An
    /// action that changes nothing produces nothing (locking a locked door is not a new lock).
    pub fn apply(&mut self, action: &Action, now_ms: i64, at: LocalTime) -> Result<Vec<Produced>, String> {
        let mut out = Vec::new();
        match *action {
            Action::Light { room, on } => {
                if room >= ROOMS.len() {
                    return Err(format!("there is no room {room}"));
                }
                self.set_light(room, on, at, &mut out);
            }
            Action::AllLightsOff => {
                for room in 0..ROOMS.len() {
                    self.set_light(room, false, at, &mut out);
                }
            }
            Action::Ac { on } => {
                if !on {
                    self.end_eco(now_ms, &mut out);
                }
                self.ac_on = on;
                self.start_eco(now_ms);
            }
            Action::AcEco { on } => {
                if !on {
                    self.end_eco(now_ms, &mut out);
                }
                self.ac_eco = on;
                self.start_eco(now_ms);
            }
            Action::AcTarget { celsius } => {
                if !(TARGET_C.0..=TARGET_C.1).contains(&celsius) {
                    return Err(format!("a target between {} and {} °C", TARGET_C.0, TARGET_C.1));
                }
                self.ac_target_c = celsius;
            }
            Action::Plug { on } => self.set_plug(on, at, &mut out),
            Action::PlugSchedule { minute } => {
                self.plug_schedule_minute = time_of_day(minute)?;
            }
            Action::CurtainSchedule { minute } => {
                self.curtain_schedule_minute = time_of_day(minute)?;
            }
            Action::LightsOffSchedule { minute } => {
                self.lights_off_schedule_minute = time_of_day(minute)?;
            }
            Action::LockSchedule { minute } => {
                self.lock_schedule_minute = time_of_day(minute)?;
            }
            Action::AcEcoSchedule { minute } => {
                self.ac_eco_schedule_minute = time_of_day(minute)?;
            }
            Action::Lock { locked } => {
                if locked && !self.locked {
                    out.push(event("device.lock.locked"));
                }
                self.locked = locked;
            }
            Action::Curtain { open } => {
                if open && !self.curtain_open {
                    out.push(event("device.curtain.open"));
                }
                self.curtain_open = open;
            }
            Action::Leaving => {
                for room in 0..ROOMS.len() {
                    self.set_light(room, false, at, &mut out);
                }
                self.end_eco(now_ms, &mut out);
                self.ac_on = false;
                self.set_plug(false, at, &mut out);
                if !self.locked {
                    out.push(event("device.lock.locked"));
                }
                self.locked = true;
                out.push(event("scene.leaving.ran"));
            }
            Action::ComingHome => {
                self.lights[0] = true;
                self.locked = false;
                self.ac_on = true;
                self.ac_eco = true;
                self.start_eco(now_ms);
                out.push(event("scene.coming-home.ran"));
            }
        }
        Ok(out)
    }

    /// The clock: runs each schedule once a local day at its minute (or later that day, if the
    /// app was closed at the minute), and closes an eco-mode stretch at a day's length so it
    /// counts without waiting for the user to turn eco off.
    pub fn tick(&mut self, now_ms: i64, at: LocalTime) -> Vec<Produced> {
        let mut out = Vec::new();
        if due(self.plug_schedule_minute, &mut self.plug_schedule_ran_day, at) {
            self.plug_on = true;
            out.push(event("device.plug.schedule-ran"));
        }
        if due(self.curtain_schedule_minute, &mut self.curtain_schedule_ran_day, at) && !self.curtain_open {
            self.curtain_open = true;
            out.push(event("device.curtain.open"));
        }
        if due(self.lights_off_schedule_minute, &mut self.lights_off_schedule_ran_day, at) {
            for room in 0..ROOMS.len() {
                self.set_light(room, false, at, &mut out);
            }
        }
        if due(self.lock_schedule_minute, &mut self.lock_schedule_ran_day, at) && !self.locked {
            self.locked = true;
            out.push(event("device.lock.locked"));
        }
        if due(self.ac_eco_schedule_minute, &mut self.ac_eco_schedule_ran_day, at) {
            self.ac_on = true;
            self.ac_eco = true;
            self.start_eco(now_ms);
        }
        if self.eco_since_ms.is_some_and(|since| now_ms - since >= i64::from(MAX_EVENT_MINUTES) * 60_000) {
            self.end_eco(now_ms, &mut out);
            self.start_eco(now_ms);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MINUTE: i64 = 60_000;

    fn at(minute: u16) -> LocalTime {
        LocalTime { minute, day: 20_000 }
    }

    fn kinds(events: &[Produced]) -> Vec<&str> {
        events.iter().map(|e| e.kind.as_str()).collect()
    }

    #[test]
    fn operating_devices_produces_the_events_challenges_count() {
        let mut home = VirtualHome::default();
        let noon = at(12 * 60);
        assert_eq!(
            kinds(&home.apply(&Action::Curtain { open: true }, 0, noon).expect("applies")),
            ["device.curtain.open"]
        );
        assert!(
            home.apply(&Action::Curtain { open: true }, 0, noon).expect("applies").is_empty(),
            "already open"
        );
        assert_eq!(
            kinds(&home.apply(&Action::Lock { locked: true }, 0, noon).expect("applies")),
            ["device.lock.locked"]
        );
        assert!(
            home.apply(&Action::Lock { locked: true }, 0, noon).expect("applies").is_empty(),
            "already locked"
        );
        let leaving = home.apply(&Action::Leaving, 0, noon).expect("applies");
        assert_eq!(kinds(&leaving), ["scene.leaving.ran"], "the door was locked already");
        assert!(home.lights.iter().all(|l| !l) && !home.ac_on && home.locked);
        let back = home.apply(&Action::ComingHome, MINUTE, noon).expect("applies");
        assert_eq!(kinds(&back), ["scene.coming-home.ran"]);
        assert!(home.lights[0] && home.ac_on && home.ac_eco && !home.locked);
    }

    #[test]
    fn eco_minutes_are_counted_when_eco_ends() {
        let mut home = VirtualHome::default();
        home.apply(&Action::Ac { on: true }, 0, at(600)).expect("applies");
        home.apply(&Action::AcEco { on: true }, 10 * MINUTE, at(610)).expect("applies");
        let off = home.apply(&Action::Ac { on: false }, 100 * MINUTE, at(700)).expect("applies");
        assert_eq!(off, [Produced { kind: "device.ac.eco-minutes".into(), duration_minutes: Some(90) }]);
        // Eco stays chosen; turning the AC on again starts a new stretch.
        home.apply(&Action::Ac { on: true }, 200 * MINUTE, at(800)).expect("applies");
        let off = home.apply(&Action::AcEco { on: false }, 230 * MINUTE, at(830)).expect("applies");
        assert_eq!(off[0].duration_minutes, Some(30));
        // A whole day in eco is closed by the clock.
        home.apply(&Action::AcEco { on: true }, 0, at(0)).expect("applies");
        let day = home.tick(24 * 60 * MINUTE, at(0));
        assert_eq!(day[0].duration_minutes, Some(MAX_EVENT_MINUTES));
    }

    #[test]
    fn bedtime_and_overnight_depend_on_the_local_time() {
        let mut home = VirtualHome::default();
        assert!(home.apply(&Action::AllLightsOff, 0, at(19 * 60)).expect("applies").is_empty(), "too early");
        home.apply(&Action::Light { room: 1, on: true }, 0, at(21 * 60)).expect("applies");
        let off = home.apply(&Action::AllLightsOff, 0, at(22 * 60 + 30)).expect("applies");
        assert_eq!(kinds(&off), ["device.light.all-off-by-bedtime"]);
        home.apply(&Action::Light { room: 0, on: true }, 0, at(23 * 60)).expect("applies");
        assert!(
            home.apply(&Action::AllLightsOff, 0, at(23 * 60 + 10)).expect("applies").is_empty(),
            "too late"
        );
        home.apply(&Action::Plug { on: true }, 0, at(20 * 60)).expect("applies");
        let night = home.apply(&Action::Plug { on: false }, 0, at(23 * 60)).expect("applies");
        assert_eq!(kinds(&night), ["device.plug.off-overnight"]);
        assert!(home.apply(&Action::Light { room: 7, on: true }, 0, at(0)).is_err());
        assert!(home.apply(&Action::AcTarget { celsius: 40 }, 0, at(0)).is_err());
        assert!(home.apply(&Action::PlugSchedule { minute: Some(1440) }, 0, at(0)).is_err());
    }

    #[test]
    fn a_schedule_runs_once_a_day_even_if_the_app_was_closed_at_its_minute() {
        let mut home = VirtualHome::default();
        home.apply(&Action::PlugSchedule { minute: Some(7 * 60) }, 0, at(0)).expect("applies");
        assert!(home.tick(0, LocalTime { minute: 6 * 60, day: 1 }).is_empty());
        assert_eq!(kinds(&home.tick(0, LocalTime { minute: 9 * 60, day: 1 })), ["device.plug.schedule-ran"]);
        assert!(home.tick(0, LocalTime { minute: 10 * 60, day: 1 }).is_empty(), "once a day");
        assert_eq!(kinds(&home.tick(0, LocalTime { minute: 7 * 60, day: 2 })), ["device.plug.schedule-ran"]);
    }

    #[test]
    fn the_curtain_opens_and_the_lights_go_off_on_their_schedules() {
        let mut home = VirtualHome::default();
        home.apply(&Action::CurtainSchedule { minute: Some(7 * 60) }, 0, at(0)).expect("applies");
        home.apply(&Action::LightsOffSchedule { minute: Some(22 * 60) }, 0, at(0)).expect("applies");
        assert!(home.apply(&Action::CurtainSchedule { minute: Some(1440) }, 0, at(0)).is_err());
        assert!(home.tick(0, LocalTime { minute: 6 * 60, day: 1 }).is_empty());
        assert_eq!(kinds(&home.tick(0, LocalTime { minute: 7 * 60, day: 1 })), ["device.curtain.open"]);
        assert!(home.curtain_open);
        // At 22:00 the lights go off: by bedtime, so it counts as that too.
        assert_eq!(
            kinds(&home.tick(0, LocalTime { minute: 22 * 60, day: 1 })),
            ["device.light.all-off-by-bedtime"]
        );
        assert!(home.lights.iter().all(|on| !on));
        // The next morning the curtain is still open (nobody closed it): nothing to open.
        assert!(home.tick(0, LocalTime { minute: 8 * 60, day: 2 }).is_empty());
        home.apply(&Action::Curtain { open: false }, 0, at(20 * 60)).expect("closes");
        assert_eq!(kinds(&home.tick(0, LocalTime { minute: 7 * 60, day: 3 })), ["device.curtain.open"]);
        // Homes saved before these schedules existed still load.
        let old: VirtualHome = serde_json::from_str(
            r#"{"lights":[true,false,false],"acOn":false,"acEco":false,"acTargetC":24,"ecoSinceMs":null,"plugOn":false,"plugScheduleMinute":null,"plugScheduleRanDay":null,"locked":false,"curtainOpen":false}"#,
        )
        .expect("an older saved home");
        assert_eq!(old.curtain_schedule_minute, None);
    }

    #[test]
    fn the_door_locks_and_the_air_conditioner_starts_in_eco_mode_on_their_schedules() {
        let mut home = VirtualHome::default();
        home.apply(&Action::LockSchedule { minute: Some(23 * 60) }, 0, at(0)).expect("applies");
        home.apply(&Action::AcEcoSchedule { minute: Some(17 * 60) }, 0, at(0)).expect("applies");
        assert!(home.apply(&Action::LockSchedule { minute: Some(2000) }, 0, at(0)).is_err());
        // 17:30: the air conditioner has been on in eco mode since then (its minutes count when
        // it stops).
        assert!(home.tick(0, LocalTime { minute: 17 * 60 + 30, day: 1 }).is_empty());
        assert!(home.ac_on && home.ac_eco && home.eco_since_ms == Some(0));
        let off = home.apply(&Action::Ac { on: false }, 90 * MINUTE, at(19 * 60)).expect("off");
        assert_eq!(off, [Produced { kind: "device.ac.eco-minutes".into(), duration_minutes: Some(90) }]);
        assert_eq!(kinds(&home.tick(0, LocalTime { minute: 23 * 60, day: 1 })), ["device.lock.locked"]);
        assert!(home.locked);
        // Locked already the next night: nothing new to count.
        assert!(
            home.tick(0, LocalTime { minute: 23 * 60 + 5, day: 2 })
                .iter()
                .all(|p| p.kind != "device.lock.locked")
        );
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            (0usize..3, any::<bool>()).prop_map(|(room, on)| Action::Light { room, on }),
            Just(Action::AllLightsOff),
            any::<bool>().prop_map(|on| Action::Ac { on }),
            any::<bool>().prop_map(|on| Action::AcEco { on }),
            any::<bool>().prop_map(|on| Action::Plug { on }),
            any::<bool>().prop_map(|locked| Action::Lock { locked }),
            any::<bool>().prop_map(|open| Action::Curtain { open }),
            proptest::option::of(0u16..1440).prop_map(|minute| Action::CurtainSchedule { minute }),
            proptest::option::of(0u16..1440).prop_map(|minute| Action::LightsOffSchedule { minute }),
            proptest::option::of(0u16..1440).prop_map(|minute| Action::LockSchedule { minute }),
            proptest::option::of(0u16..1440).prop_map(|minute| Action::AcEcoSchedule { minute }),
            Just(Action::Leaving),
            Just(Action::ComingHome),
        ]
    }

    proptest! {
        /// Every event produced is a valid kind, eco stretches never overlap or run backwards,
        /// and eco is being timed exactly while the AC runs in eco mode.
        #[test]
        fn any_operations_keep_the_home_consistent(
            steps in proptest::collection::vec((action(), 0i64..600, 0u16..1440), 1..80),
        ) {
            let mut home = VirtualHome::default();
            let mut now = 0;
            for (action, wait_minutes, minute) in steps {
                now += wait_minutes * MINUTE;
                let at = LocalTime { minute, day: now / (24 * 60 * MINUTE) };
                for produced in home.apply(&action, now, at).expect("valid actions apply") {
                    prop_assert!(crate::catalog::is_valid_event_kind(&produced.kind));
                    if let Some(minutes) = produced.duration_minutes {
                        prop_assert!(minutes > 0 && minutes <= MAX_EVENT_MINUTES);
                    }
                }
                prop_assert_eq!(home.eco_since_ms.is_some(), home.ac_on && home.ac_eco);
                prop_assert!(home.eco_since_ms.is_none_or(|since| since <= now));
            }
        }
    }
}
