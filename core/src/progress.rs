//! How a participant's events add up to a challenge's completion: the evaluation the server runs
//! (authoritatively) and the app runs (optimistically) over the same rules.
//!
//! Evaluation is a pure function of the rule, the time the user joined, the user's time zone and
//! the set of events: duplicates (same event id) count once and the order in which events
//! arrive does not matter, so late-arriving events simply re-evaluate to the right answer.

use std::collections::{BTreeSet, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::catalog::{Aggregation, Rule};
use crate::fields::FieldError;

/// One day, in milliseconds: challenge windows are measured in whole days from joining.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Something that happened, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Unique per event (a UUID chosen by the client): a resent event counts once.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub id: String,
    /// The event kind, dotted (`device.light.off`).
    pub kind: String,
    /// When it happened, in milliseconds since the Unix epoch.
    pub occurred_at_ms: i64,
    /// For events that last (an air conditioner in eco mode): how long, in minutes. Any whole
    /// number from 0 to 2^32 - 1 is read; an event over [`MAX_EVENT_MINUTES`] is refused on its
    /// own, in the batch's results, like an unknown kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295_u32))]
    pub duration_minutes: Option<u32>,
    /// For a self-reported task: the photo the user uploaded as proof (`POST /v1/photos`).
    /// Each photo proves one event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub proof_photo_id: Option<String>,
}

/// Event kinds the user reports themselves (`self.…`), each with a photo as proof.
pub const SELF_REPORTED_PREFIX: &str = "self.";

/// Whether events of `kind` are reported by the user (and need a proof photo).
pub fn is_self_reported(kind: &str) -> bool {
    kind.starts_with(SELF_REPORTED_PREFIX)
}

/// Events stamped further in the future than this are refused: clocks drift, but not by hours.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// Events older than this are refused: an app offline for weeks still syncs, but not for ever.
pub const MAX_EVENT_AGE_MS: i64 = 30 * DAY_MS;
/// Longest duration one event may report: a day.
pub const MAX_EVENT_MINUTES: u32 = 24 * 60;

impl Event {
    /// Checks the event as received at `now_ms`; the error says what is wrong in plain words.
    pub fn check(&self, now_ms: i64) -> Result<(), String> {
        self.check_shape().map_err(|error| error.reason)?;
        if !crate::catalog::is_valid_event_kind(&self.kind) {
            return Err(format!("`{}` is not an event kind", self.kind));
        }
        if self.occurred_at_ms > now_ms + MAX_CLOCK_SKEW_MS {
            return Err("stamped in the future: check the device's clock".into());
        }
        if self.occurred_at_ms < now_ms - MAX_EVENT_AGE_MS {
            return Err("older than 30 days".into());
        }
        if self.duration_minutes.is_some_and(|m| m > MAX_EVENT_MINUTES) {
            return Err(format!("a duration of at most {MAX_EVENT_MINUTES} minutes"));
        }
        match (&self.proof_photo_id, is_self_reported(&self.kind)) {
            (None, true) => return Err("a self-reported task needs a photo as proof".into()),
            (Some(_), false) => return Err("only self-reported tasks carry a proof photo".into()),
            _ => {}
        }
        Ok(())
    }

    /// The rules of the event's form that the API document states (the ids' lengths), the first
    /// one broken named by its field. An event that breaks one makes a
    /// malformed request, not a refused event.
    pub fn check_shape(&self) -> Result<(), FieldError> {
        if self.id.is_empty() || self.id.chars().count() > 64 {
            return Err(FieldError { field: "id", reason: "expected an id of 1 to 64 characters".into() });
        }
        if self.proof_photo_id.as_ref().is_some_and(|id| id.is_empty() || id.chars().count() > 64) {
            let reason = "expected a proof photo id of 1 to 64 characters".into();
            return Err(FieldError { field: "proofPhotoId", reason });
        }
        Ok(())
    }

    /// Whether it reports how a device is used, which needs the user's consent to collect.
    pub fn is_device_usage(&self) -> bool {
        self.kind.starts_with("device.")
    }
}

/// Where a participant stands in a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Events, days or minutes so far, counted as the rule counts them (for a streak: the
    /// longest run of consecutive local days).
    pub current: u32,
    /// What completes the challenge.
    pub target: u32,
    /// When the event that completed it happened, if it is complete.
    pub completed_at_ms: Option<i64>,
    /// For a streak: the run of consecutive local days ending on the day of the latest counted
    /// event (the streak the user is on, if that day is today or yesterday); 0 for other rules.
    #[serde(default)]
    pub current_run: u32,
    /// When the latest counted event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_at_ms: Option<i64>,
}

/// A challenge the user takes part in, with their progress (the `participation` entity of the
/// sync protocol).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Participation {
    /// The challenge.
    pub challenge_id: String,
    /// When they joined: the window starts here.
    pub joined_at_ms: i64,
    /// Where they stand.
    pub progress: Progress,
    /// When it was completed (and its points awarded).
    pub completed_at_ms: Option<i64>,
}

/// A time zone name the rules can use: an IANA name such as `Asia/Shanghai`, spelled as the
/// bundled time zone database spells it (one of [`time_zone_names`]).
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name)
        .ok()
        .filter(|tz| tz.iana_name() == Some(name) && name != "Etc/Unknown")
        .ok_or_else(|| format!("unknown time zone `{name}`: expected an IANA name such as Asia/Shanghai"))
}

/// Every name [`time_zone`] accepts, in the database's order.
pub fn time_zone_names() -> impl Iterator<Item = String> {
    jiff::tz::db().available().map(|name| name.to_string()).filter(|name| time_zone(name).is_ok())
}

/// The API document's name for an IANA time zone: an enum of [`time_zone_names`], so clients
/// know the exact spellings the server accepts.
#[cfg(feature = "openapi")]
#[derive(Debug)]
pub struct TimeZoneName;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An IANA time zone, spelled as the IANA database spells it."))
            .examples(["Asia/Shanghai"])
            .enum_values(Some(time_zone_names()))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for TimeZoneName {}

/// Evaluates `rule` for a participant who joined at `joined_at_ms` and lives in `tz`.
/// Only events of the rule's trigger inside the window `[joined, joined + windowDays)` count.
pub fn evaluate(rule: &Rule, joined_at_ms: i64, tz: &TimeZone, events: &[Event]) -> Progress {
    let window_end = joined_at_ms.saturating_add(i64::from(rule.window_days).saturating_mul(DAY_MS));
    let mut seen = HashSet::new();
    let mut counted: Vec<&Event> = events
        .iter()
        .filter(|e| e.kind == rule.trigger && (joined_at_ms..window_end).contains(&e.occurred_at_ms))
        .filter(|e| seen.insert(e.id.as_str()))
        .collect();
    // Earliest first; ties broken by id so the answer never depends on arrival order.
    counted.sort_by(|a, b| (a.occurred_at_ms, &a.id).cmp(&(b.occurred_at_ms, &b.id)));
    let last_event_at_ms = counted.last().map(|e| e.occurred_at_ms);
    match rule.aggregation {
        Aggregation::Count { target } => {
            let completed_at_ms = counted.get(target as usize - 1).map(|e| e.occurred_at_ms);
            Progress {
                current: saturate(counted.len()),
                target,
                completed_at_ms,
                current_run: 0,
                last_event_at_ms,
            }
        }
        Aggregation::TotalDuration { minutes: target } => {
            let mut total = 0u32;
            let mut completed_at_ms = None;
            for event in &counted {
                total = total.saturating_add(event.duration_minutes.unwrap_or(0));
                if completed_at_ms.is_none() && total >= target {
                    completed_at_ms = Some(event.occurred_at_ms);
                }
            }
            Progress { current: total, target, completed_at_ms, current_run: 0, last_event_at_ms }
        }
        Aggregation::Streak { days: target } => {
            let mut days = BTreeSet::new();
            let mut completed_at_ms = None;
            let mut longest = 0;
            for event in &counted {
                days.insert(local_date(event.occurred_at_ms, tz));
                let run = longest_run(&days);
                longest = longest.max(run);
                if completed_at_ms.is_none() && run >= target {
                    completed_at_ms = Some(event.occurred_at_ms);
                }
            }
            let current_run = days.last().map_or(0, |&last| run_ending(&days, last));
            Progress { current: longest, target, completed_at_ms, current_run, last_event_at_ms }
        }
    }
}

/// The run of consecutive days in `days` that ends on `last`.
fn run_ending(days: &BTreeSet<Date>, last: Date) -> u32 {
    let mut run = 0;
    let mut day = Some(last);
    while let Some(d) = day.filter(|d| days.contains(d)) {
        run += 1;
        day = d.yesterday().ok();
    }
    run
}

/// Where a streak stands at a moment: the days in a row, and whether today is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StreakState {
    /// Consecutive local days so far.
    pub days: u32,
    /// Something counted today (or waits on the device to sync), so the streak holds tonight.
    pub done_today: bool,
}

/// The streak the user is on at `now_ms`, with days as the user's time zone `tz` counts them:
/// alive while its latest counted day is today or yesterday, done today when that day is today
/// or `waiting_today` (something that counts was recorded on the device and waits to sync).
/// The challenge card and the evening warning both read it, so they agree around midnight and
/// for travellers.
pub fn streak_state(
    progress: &Progress,
    waiting_today: bool,
    tz: &TimeZone,
    now_ms: i64,
) -> Option<StreakState> {
    let last_day = local_date(progress.last_event_at_ms?, tz);
    let today = local_date(now_ms, tz);
    let done_today = last_day == today || waiting_today;
    let alive = done_today || last_day.tomorrow().ok() == Some(today);
    alive.then_some(StreakState { days: progress.current_run, done_today })
}

/// A streak the user is on that breaks tonight unless something counts today: the rule is a
/// streak, not completed, its window still open, and [`streak_state`] says it is alive but not
/// done today. Returns the days the streak has run.
pub fn streak_at_risk(rule: &Rule, participation: &Participation, tz: &TimeZone, now_ms: i64) -> Option<u32> {
    if !matches!(rule.aggregation, Aggregation::Streak { .. }) || participation.completed_at_ms.is_some() {
        return None;
    }
    let progress = &participation.progress;
    let window_end =
        participation.joined_at_ms.saturating_add(i64::from(rule.window_days).saturating_mul(DAY_MS));
    if progress.completed_at_ms.is_some() || now_ms >= window_end || progress.current_run == 0 {
        return None;
    }
    streak_state(progress, false, tz, now_ms).filter(|state| !state.done_today).map(|state| state.days)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The calendar date at `ms` in `tz` (daylight-saving aware).
pub fn local_date(ms: i64, tz: &TimeZone) -> Date {
    tz.to_datetime(Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)).date()
}

fn longest_run(days: &BTreeSet<Date>) -> u32 {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<Date> = None;
    for &day in days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    longest
}

/// Body of `POST /v1/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The events, oldest first.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub events: Vec<Event>,
}

/// What happened to one event of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EventResult {
    /// The event's id.
    pub id: String,
    /// `accepted`, `duplicate` (stored before) or `rejected`.
    pub status: String,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why it was rejected, as a code: `invalid-event`, `no-consent` or `proof-refused`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<crate::api::ApiCode>,
}

/// The answer to `POST /v1/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IngestResult {
    /// One result per event, in order.
    pub results: Vec<EventResult>,
    /// Challenges this batch completed (their points are awarded).
    pub completed: Vec<Participation>,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn time_zones_are_spelled_as_the_database_spells_them() {
        assert!(time_zone("Asia/Shanghai").is_ok());
        assert!(time_zone("UTC").is_ok());
        for bad in ["asia/shanghai", "", "Etc/Unknown", "Mars/Olympus", "+08:00"] {
            assert!(time_zone(bad).is_err(), "{bad:?}");
        }
        let names: Vec<String> = time_zone_names().collect();
        assert!(names.len() > 300, "the bundled database has every zone: {}", names.len());
        assert!(names.iter().any(|n| n == "Europe/Berlin"));
    }

    fn rule(aggregation: Aggregation, window_days: u32) -> Rule {
        Rule { trigger: "device.light.off".into(), aggregation, window_days }
    }

    fn ev(id: &str, at: &str) -> Event {
        let ms = at.parse::<Timestamp>().expect("timestamp").as_millisecond();
        Event {
            id: id.into(),
            kind: "device.light.off".into(),
            occurred_at_ms: ms,
            duration_minutes: None,
            proof_photo_id: None,
        }
    }

    fn ms(at: &str) -> i64 {
        at.parse::<Timestamp>().expect("timestamp").as_millisecond()
    }

    fn shanghai() -> TimeZone {
        time_zone("Asia/Shanghai").expect("tz")
    }

    #[test]
    fn counts_complete_at_the_target_event_and_ignore_duplicates_and_other_kinds() {
        let r = rule(Aggregation::Count { target: 3 }, 7);
        let mut other = ev("x", "2026-11-02T01:00:00Z");
        other.kind = "device.light.on".into();
        let events = [
            ev("a", "2026-11-02T01:00:00Z"),
            ev("a", "2026-11-02T01:00:00Z"),
            other,
            ev("b", "2026-11-03T01:00:00Z"),
        ];
        let p = evaluate(&r, ms("2026-11-01T00:00:00Z"), &shanghai(), &events);
        assert_eq!((p.current, p.completed_at_ms), (2, None));
        let mut more = events.to_vec();
        more.push(ev("c", "2026-11-04T01:00:00Z"));
        more.push(ev("d", "2026-11-05T01:00:00Z"));
        let p = evaluate(&r, ms("2026-11-01T00:00:00Z"), &shanghai(), &more);
        assert_eq!((p.current, p.completed_at_ms), (4, Some(ms("2026-11-04T01:00:00Z"))));
    }

    #[test]
    fn streak_days_are_local_days() {
        // 23:30 and 00:30 Shanghai time are two local days though only an hour apart (and the
        // same UTC day).
        let r = rule(Aggregation::Streak { days: 2 }, 7);
        let events = [ev("a", "2026-11-02T15:30:00Z"), ev("b", "2026-11-02T16:30:00Z")];
        let p = evaluate(&r, ms("2026-11-01T00:00:00Z"), &shanghai(), &events);
        assert_eq!((p.current, p.completed_at_ms), (2, Some(ms("2026-11-02T16:30:00Z"))));
        // In London they are the same day.
        let london = time_zone("Europe/London").expect("tz");
        assert_eq!(evaluate(&r, ms("2026-11-01T00:00:00Z"), &london, &events).current, 1);
    }

    #[test]
    fn a_streak_survives_a_daylight_saving_change() {
        // Europe/Berlin springs forward on 2026-03-29: that day has 23 hours. Events at 22:30
        // local time on the 28th, 29th and 30th are three consecutive days.
        let berlin = time_zone("Europe/Berlin").expect("tz");
        let r = rule(Aggregation::Streak { days: 3 }, 7);
        let events = [
            ev("a", "2026-03-28T21:30:00Z"),
            ev("b", "2026-03-29T20:30:00Z"),
            ev("c", "2026-03-30T20:30:00Z"),
        ];
        let p = evaluate(&r, ms("2026-03-27T00:00:00Z"), &berlin, &events);
        assert_eq!(p.current, 3);
        assert!(p.completed_at_ms.is_some());
    }

    #[test]
    fn a_gap_breaks_the_streak() {
        let r = rule(Aggregation::Streak { days: 3 }, 10);
        let events = [
            ev("a", "2026-11-02T01:00:00Z"),
            ev("b", "2026-11-03T01:00:00Z"),
            ev("c", "2026-11-05T01:00:00Z"),
        ];
        let p = evaluate(&r, ms("2026-11-01T00:00:00Z"), &shanghai(), &events);
        assert_eq!((p.current, p.completed_at_ms), (2, None));
    }

    #[test]
    fn the_window_ends_at_the_instant_it_began_plus_its_days_even_mid_day() {
        // Joined at 14:00 UTC; a 2-day window ends at 14:00 two days later.
        let r = rule(Aggregation::Count { target: 2 }, 2);
        let joined = ms("2026-11-01T14:00:00Z");
        let inside = [ev("a", "2026-11-01T14:00:00Z"), ev("b", "2026-11-03T13:59:59Z")];
        assert!(evaluate(&r, joined, &shanghai(), &inside).completed_at_ms.is_some());
        let late = [ev("a", "2026-11-01T14:00:00Z"), ev("b", "2026-11-03T14:00:00Z")];
        assert_eq!(evaluate(&r, joined, &shanghai(), &late).current, 1);
        let early = [ev("a", "2026-11-01T13:59:59Z"), ev("b", "2026-11-02T14:00:00Z")];
        assert_eq!(evaluate(&r, joined, &shanghai(), &early).current, 1);
    }

    #[test]
    fn durations_add_up() {
        let r = rule(Aggregation::TotalDuration { minutes: 90 }, 7);
        let mut a = ev("a", "2026-11-02T01:00:00Z");
        a.duration_minutes = Some(60);
        let mut b = ev("b", "2026-11-03T01:00:00Z");
        b.duration_minutes = Some(45);
        let p = evaluate(&r, ms("2026-11-01T00:00:00Z"), &shanghai(), &[b.clone(), a.clone(), a]);
        assert_eq!((p.current, p.completed_at_ms), (105, Some(b.occurred_at_ms)));
    }

    #[test]
    fn self_reported_tasks_and_only_they_carry_a_proof_photo() {
        let now = ms("2026-11-02T01:00:00Z");
        let mut task = ev("a", "2026-11-02T01:00:00Z");
        task.kind = "self.ac-filter.cleaned".into();
        assert!(task.check(now).expect_err("refused").contains("photo as proof"));
        task.proof_photo_id = Some("0193a0e0-0000-7000-8000-000000000001".into());
        assert_eq!(task.check(now), Ok(()));
        task.proof_photo_id = Some(String::new());
        assert!(task.check(now).is_err());
        let mut device = ev("b", "2026-11-02T01:00:00Z");
        device.proof_photo_id = Some("photo".into());
        assert!(device.check(now).expect_err("refused").contains("only self-reported"));
    }

    #[test]
    fn unknown_time_zones_are_refused() {
        assert!(time_zone("Mars/Olympus_Mons").is_err());
        assert!(time_zone("America/New_York").is_ok());
    }

    fn local_ms(tz: &TimeZone, date: Date, hour: i8, minute: i8) -> i64 {
        tz.to_timestamp(date.at(hour, minute, 0, 0)).expect("local time").as_millisecond()
    }

    fn participation(joined: i64, progress: Progress) -> Participation {
        Participation { challenge_id: "c".into(), joined_at_ms: joined, progress, completed_at_ms: None }
    }

    #[test]
    fn a_streak_is_at_risk_the_day_after_its_last_day_and_only_then() {
        let tz = shanghai();
        let r = rule(Aggregation::Streak { days: 5 }, 14);
        let joined = ms("2026-11-01T00:00:00Z");
        // Two evenings in a row, Shanghai time (21:00 on the 2nd and 3rd).
        let events = [ev("a", "2026-11-02T13:00:00Z"), ev("b", "2026-11-03T13:00:00Z")];
        let p = participation(joined, evaluate(&r, joined, &tz, &events));
        assert_eq!(
            (p.progress.current_run, p.progress.last_event_at_ms),
            (2, Some(ms("2026-11-03T13:00:00Z")))
        );
        // The 3rd, later that evening: done today, not at risk.
        assert_eq!(streak_at_risk(&r, &p, &tz, ms("2026-11-03T15:00:00Z")), None);
        // The 4th (Shanghai) all day: at risk, two days so far.
        assert_eq!(streak_at_risk(&r, &p, &tz, ms("2026-11-03T16:30:00Z")), Some(2));
        assert_eq!(streak_at_risk(&r, &p, &tz, ms("2026-11-04T15:59:00Z")), Some(2));
        // The 5th: already broken; nothing to warn about.
        assert_eq!(streak_at_risk(&r, &p, &tz, ms("2026-11-04T16:00:00Z")), None);
        // In New York the 3rd's event was the morning of the 3rd: at risk on the 4th there.
        let ny = time_zone("America/New_York").expect("tz");
        let p_ny = participation(joined, evaluate(&r, joined, &ny, &events));
        assert_eq!(streak_at_risk(&r, &p_ny, &ny, ms("2026-11-04T15:00:00Z")), Some(2));
        // Counts and durations have no streak; a closed window or a completion none at risk.
        let count = rule(Aggregation::Count { target: 5 }, 14);
        assert_eq!(streak_at_risk(&count, &p, &tz, ms("2026-11-04T01:00:00Z")), None);
        let short = rule(Aggregation::Streak { days: 5 }, 3);
        assert_eq!(streak_at_risk(&short, &p, &tz, ms("2026-11-04T01:00:00Z")), None);
        let done = Participation { completed_at_ms: Some(1), ..p.clone() };
        assert_eq!(streak_at_risk(&r, &done, &tz, ms("2026-11-04T01:00:00Z")), None);
    }

    #[test]
    fn the_streak_state_turns_at_local_midnight_in_the_users_time_zone() {
        let r = rule(Aggregation::Streak { days: 5 }, 14);
        let joined = ms("2026-11-01T00:00:00Z");
        let events = [ev("a", "2026-11-02T13:00:00Z"), ev("b", "2026-11-03T13:00:00Z")];
        let state = |zone: &str, at: &str, waiting: bool| {
            let tz = time_zone(zone).expect("tz");
            let p = participation(joined, evaluate(&r, joined, &tz, &events));
            (streak_state(&p.progress, waiting, &tz, ms(at)), streak_at_risk(&r, &p, &tz, ms(at)))
        };
        let done = |days| Some(StreakState { days, done_today: true });
        let open = |days| Some(StreakState { days, done_today: false });
        // Shanghai (UTC+8), last counted the 3rd at 21:00 local: 23:30 on the 3rd is done; at
        // 00:30 on the 4th the card says "not yet today" and the reminder warns, both at once.
        assert_eq!(state("Asia/Shanghai", "2026-11-03T15:30:00Z", false), (done(2), None));
        assert_eq!(state("Asia/Shanghai", "2026-11-03T16:30:00Z", false), (open(2), Some(2)));
        // New York (UTC-5): the same events were the mornings of the 2nd and 3rd; 23:30 on the
        // 3rd local is 04:30Z on the 4th, still done; 00:30 on the 4th local, at risk.
        assert_eq!(state("America/New_York", "2026-11-04T04:30:00Z", false), (done(2), None));
        assert_eq!(state("America/New_York", "2026-11-04T05:30:00Z", false), (open(2), Some(2)));
        // Something counting that waits to sync makes today done on the card.
        assert_eq!(state("Asia/Shanghai", "2026-11-03T16:30:00Z", true).0, done(2));
        // A day missed: the streak is gone from the card and from the warnings.
        assert_eq!(state("Asia/Shanghai", "2026-11-04T16:30:00Z", false), (None, None));
        // No counted event yet: no streak to show.
        assert_eq!(streak_state(&Progress::default(), false, &shanghai(), ms("2026-11-03T00:00:00Z")), None);
    }

    proptest! {
        /// Events at any local time of day on consecutive local days are one streak of that many
        /// days, across daylight-saving changes (both directions, and Lord Howe's half hour), in
        /// any zone; leaving out one day splits it in two.
        #[test]
        fn consecutive_local_days_are_a_streak_across_daylight_saving(
            tz in prop::sample::select(vec!["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Shanghai", "Pacific/Auckland"]),
            start in prop::sample::select(vec!["2026-03-05", "2026-03-25", "2026-04-01", "2026-09-24", "2026-10-20", "2026-10-30"]),
            times in proptest::collection::vec((0i8..24, 0i8..60), 2..15),
            gap in any::<prop::sample::Index>(),
        ) {
            let tz = time_zone(tz).expect("tz");
            let first: Date = start.parse().expect("date");
            let days = times.len() as u32;
            let events: Vec<Event> = times.iter().enumerate().map(|(i, &(h, m))| Event {
                id: format!("e{i}"),
                kind: "device.light.off".into(),
                occurred_at_ms: local_ms(&tz, first.checked_add(jiff::Span::new().days(i as i64)).expect("day"), h, m),
                duration_minutes: None,
                proof_photo_id: None,
            }).collect();
            let joined = local_ms(&tz, first, 0, 0) - DAY_MS;
            let r = rule(Aggregation::Streak { days }, 30);
            let p = evaluate(&r, joined, &tz, &events);
            prop_assert_eq!((p.current, p.current_run), (days, days));
            prop_assert_eq!(p.completed_at_ms, events.last().map(|e| e.occurred_at_ms));
            // Without one day in the middle: two runs, the longer counts, the later is current.
            let cut = 1 + gap.index(events.len() - 1).min(events.len() - 2);
            if cut < events.len() - 1 {
                let mut holed = events.clone();
                holed.remove(cut);
                let p = evaluate(&r, joined, &tz, &holed);
                let (before, after) = (cut as u32, days - cut as u32 - 1);
                prop_assert_eq!(p.current, before.max(after));
                prop_assert_eq!(p.current_run, after);
                prop_assert_eq!(p.completed_at_ms, None);
            }
        }

        /// A window ends at the instant it began plus its days, whatever the hour it began:
        /// the last millisecond counts and the next does not, in every rule.
        #[test]
        fn a_window_ending_mid_day_counts_to_its_last_millisecond(
            joined_offset in 0i64..DAY_MS,
            window_days in 1u32..30,
            kind in 0u8..3,
        ) {
            let joined = ms("2026-03-20T00:00:00Z") + joined_offset;
            let end = joined + i64::from(window_days) * DAY_MS;
            let aggregation = match kind {
                0 => Aggregation::Count { target: 1 },
                1 => Aggregation::Streak { days: 1 },
                _ => Aggregation::TotalDuration { minutes: 1 },
            };
            let r = rule(aggregation, window_days);
            let at = |id: &str, ms: i64| Event { id: id.into(), kind: "device.light.off".into(), occurred_at_ms: ms, duration_minutes: Some(5), proof_photo_id: None };
            let tz = time_zone("Europe/Berlin").expect("tz");
            prop_assert_eq!(evaluate(&r, joined, &tz, &[at("a", end - 1)]).completed_at_ms, Some(end - 1));
            prop_assert_eq!(evaluate(&r, joined, &tz, &[at("a", end)]).completed_at_ms, None);
            prop_assert_eq!(evaluate(&r, joined, &tz, &[at("a", joined - 1)]).completed_at_ms, None);
        }
    }

    proptest! {
        #[test]
        fn arrival_order_and_resent_events_never_change_the_result(
            offsets in proptest::collection::vec((0i64..(10 * DAY_MS), 0u32..120), 0..30),
            kind in 0u8..3,
            target in 1u32..6,
            tz in prop::sample::select(vec!["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]),
            seed in any::<u64>(),
        ) {
            let aggregation = match kind {
                0 => Aggregation::Count { target },
                1 => Aggregation::Streak { days: target },
                _ => Aggregation::TotalDuration { minutes: target * 30 },
            };
            let r = rule(aggregation, 7);
            let joined = ms("2026-03-25T10:00:00Z");
            let events: Vec<Event> = offsets.iter().enumerate().map(|(i, &(offset, minutes))| Event {
                id: format!("e{i}"),
                kind: "device.light.off".into(),
                occurred_at_ms: joined + offset,
                duration_minutes: Some(minutes),
                proof_photo_id: None,
            }).collect();
            let tz = time_zone(tz).expect("tz");
            let expected = evaluate(&r, joined, &tz, &events);
            // Shuffle and resend some: same answer.
            let mut shuffled = events.clone();
            let mut rng_state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
                shuffled.swap(i, (rng_state % (i as u64 + 1)) as usize);
            }
            shuffled.extend(events.iter().step_by(3).cloned());
            prop_assert_eq!(evaluate(&r, joined, &tz, &shuffled), expected);
            // Completion never precedes joining and never lies outside the window.
            if let Some(at) = expected.completed_at_ms {
                prop_assert!(at >= joined && at < joined + 7 * DAY_MS);
                prop_assert!(expected.current >= expected.target);
            } else {
                prop_assert!(expected.current < expected.target);
            }
        }
    }
}
