//! Rules of the sync worker that need no I/O: how long to wait before the next attempt.

use std::time::Duration;

/// How long to wait before the next attempt after `failures` failed attempts in a row.
///
/// No failures: the regular `interval`. Otherwise exponential backoff from `interval`, doubling
/// per failure and capped at `max`, with "equal jitter": a uniformly random point in the upper
/// half of that delay, so that many devices that lost the server together do not all come back
/// in the same second, while none retries sooner than half the nominal delay.
/// `random` is a sample from `[0, 1)`; values outside are clamped.
pub fn next_delay(failures: u32, interval: Duration, max: Duration, random: f64) -> Duration {
    if failures == 0 {
        return interval;
    }
    let max = max.max(interval);
    // 2^(failures-1), saturating long before it could overflow.
    let factor = 1u32.checked_shl(failures.saturating_sub(1).min(31)).unwrap_or(u32::MAX);
    let nominal = interval.saturating_mul(factor).min(max);
    let half = nominal / 2;
    half + half.mul_f64(random.clamp(0.0, 1.0))
}

/// What the device shows of the user's challenges: the server's confirmed participations with
/// the changes still waiting in the outbox laid over them, each marked pending, so an optimistic
/// change is visible at once and never mistaken for a confirmed one.
pub mod overlay {
    use serde::{Deserialize, Serialize};

    use super::protocol::{Op, OpKind};
    use crate::catalog::{Aggregation, Challenge};
    use crate::progress::{Participation, Progress};

    /// One challenge as the device shows it.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ParticipationView {
        /// The challenge.
        pub challenge_id: String,
        /// When the user joined (the server's time once confirmed; the device's until then).
        pub joined_at_ms: i64,
        /// The server's progress (zero until the join is confirmed).
        pub progress: Progress,
        /// When it was completed and its points awarded, per the server.
        pub completed_at_ms: Option<i64>,
        /// A join or leave waits for the server.
        pub pending: bool,
        /// Matching events recorded here that the server has not counted yet.
        pub pending_events: u32,
        /// What those events add in the rule's own unit (events for a count, minutes for a
        /// total duration); 0 for a streak, which needs the event history to judge.
        pub pending_progress: u32,
        /// For a streak: where it stands now in the user's time zone
        /// ([`crate::progress::streak_state`]); set by the shell, which knows the zone.
        #[serde(default)]
        pub streak: Option<crate::progress::StreakState>,
    }

    /// Lays the waiting `ops` (oldest first) over the `confirmed` participations. A pending
    /// leave removes the challenge from view; a pending join adds it (or restarts a left one);
    /// pending events count towards the challenges whose trigger they match.
    pub fn participations(
        confirmed: &[Participation],
        ops: &[Op],
        catalog: &[Challenge],
    ) -> Vec<ParticipationView> {
        let mut views: Vec<ParticipationView> = confirmed
            .iter()
            .map(|p| ParticipationView {
                challenge_id: p.challenge_id.clone(),
                joined_at_ms: p.joined_at_ms,
                progress: p.progress,
                completed_at_ms: p.completed_at_ms,
                pending: false,
                pending_events: 0,
                pending_progress: 0,
                streak: None,
            })
            .collect();
        for op in ops {
            match &op.kind {
                OpKind::JoinChallenge { challenge_id, joined_at_ms } => {
                    if views.iter().any(|v| &v.challenge_id == challenge_id) {
                        continue;
                    }
                    let target = catalog
                        .iter()
                        .find(|c| &c.id == challenge_id)
                        .map_or(0, |c| c.rule.aggregation.target());
                    views.push(ParticipationView {
                        challenge_id: challenge_id.clone(),
                        joined_at_ms: joined_at_ms.unwrap_or_else(|| op_time(op)),
                        progress: Progress {
                            current: 0,
                            target,
                            completed_at_ms: None,
                            ..Default::default()
                        },
                        completed_at_ms: None,
                        pending: true,
                        pending_events: 0,
                        pending_progress: 0,
                        streak: None,
                    });
                }
                OpKind::LeaveChallenge { challenge_id } => views.retain(|v| &v.challenge_id != challenge_id),
                OpKind::RecordEvents { events } => {
                    for view in &mut views {
                        let Some(challenge) = catalog.iter().find(|c| c.id == view.challenge_id) else {
                            continue;
                        };
                        let matching: Vec<_> = events
                            .iter()
                            .filter(|e| {
                                e.kind == challenge.rule.trigger && e.occurred_at_ms >= view.joined_at_ms
                            })
                            .collect();
                        let count = u32::try_from(matching.len()).unwrap_or(u32::MAX);
                        view.pending_events = view.pending_events.saturating_add(count);
                        let progress = match challenge.rule.aggregation {
                            Aggregation::Count { .. } => count,
                            Aggregation::TotalDuration { .. } => matching
                                .iter()
                                .map(|e| e.duration_minutes.unwrap_or(0))
                                .fold(0u32, u32::saturating_add),
                            Aggregation::Streak { .. } => 0,
                        };
                        view.pending_progress = view.pending_progress.saturating_add(progress);
                    }
                }
                OpKind::ChangeProfile { .. } => {}
            }
        }
        views
    }

    /// Points the device expects once its waiting changes sync: challenges that the pending
    /// events complete by the rule's own count or minutes (never a streak, which the device
    /// cannot judge). Shown apart from the confirmed balance.
    pub fn pending_points(views: &[ParticipationView], catalog: &[Challenge]) -> u64 {
        views
            .iter()
            .filter(|v| v.completed_at_ms.is_none() && v.pending_progress > 0)
            .filter_map(|v| catalog.iter().find(|c| c.id == v.challenge_id).map(|c| (v, c)))
            .filter(|(v, c)| {
                v.progress.current.saturating_add(v.pending_progress) >= c.rule.aggregation.target()
            })
            .map(|(_, c)| u64::from(c.points))
            .sum()
    }

    /// The time a UUIDv7 op id carries (milliseconds since the epoch), or 0.
    fn op_time(op: &Op) -> i64 {
        uuid::Uuid::parse_str(&op.op_id).ok().and_then(|id| id.get_timestamp()).map_or(0, |t| {
            let (secs, nanos) = t.to_unix();
            i64::try_from(secs).unwrap_or(0).saturating_mul(1000) + i64::from(nanos / 1_000_000)
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn without_failures_the_regular_interval_applies() {
        assert_eq!(next_delay(0, 30 * S, 300 * S, 0.9), 30 * S);
    }

    #[test]
    fn delays_double_per_failure_up_to_the_cap() {
        // random = 1.0 gives the nominal delay.
        let at = |failures| next_delay(failures, 2 * S, 60 * S, 1.0);
        assert_eq!([at(1), at(2), at(3), at(4), at(5), at(6)], [2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S]);
        assert_eq!(at(1_000), 60 * S);
    }

    proptest! {
        #[test]
        fn jittered_delays_stay_within_half_and_all_of_the_nominal(
            failures in 1u32..100, interval_ms in 1u64..120_000, max_ms in 1u64..3_600_000, random in 0.0f64..1.0
        ) {
            let interval = Duration::from_millis(interval_ms);
            let max = Duration::from_millis(max_ms);
            let nominal = next_delay(failures, interval, max, 1.0);
            let delay = next_delay(failures, interval, max, random);
            prop_assert!(delay <= nominal);
            prop_assert!(delay >= nominal / 2);
            prop_assert!(nominal <= max.max(interval));
        }
    }
}

/// The sync protocol's wire types: `POST /v1/sync/push` and `GET /v1/sync/pull`.
pub mod protocol {
    use serde::{Deserialize, Serialize};

    use crate::account::ProfileChange;
    use crate::progress::Event;

    /// Most ops one push may carry; a device with more pushes in several batches.
    pub const MAX_OPS_PER_PUSH: usize = 500;
    /// Most changes one pull returns.
    pub const MAX_CHANGES_PER_PULL: u32 = 1_000;

    /// What an op does: the same changes the REST endpoints make, queued while offline.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    // Each variant renames its own fields: the OpenAPI derive reads a variant's `rename_all`, not
    // the enum's `rename_all_fields`, and the document would spell them in snake case.
    #[serde(tag = "kind", rename_all = "kebab-case")]
    pub enum OpKind {
        /// Join a challenge.
        #[serde(rename_all = "camelCase")]
        JoinChallenge {
            /// The challenge.
            challenge_id: String,
            /// When the user joined on the device (the window starts there, so events recorded
            /// offline after joining count); the time of the push when absent. Subject to the
            /// same clock checks as events.
            #[serde(default)]
            joined_at_ms: Option<i64>,
        },
        /// Leave a challenge.
        #[serde(rename_all = "camelCase")]
        LeaveChallenge {
            /// The challenge.
            challenge_id: String,
        },
        /// Record events (at most 100).
        #[serde(rename_all = "camelCase")]
        RecordEvents {
            /// The events.
            events: Vec<Event>,
        },
        /// Change the profile.
        #[serde(rename_all = "camelCase")]
        ChangeProfile {
            /// The fields to change.
            change: ProfileChange,
        },
    }

    /// One queued local change, identified by a UUIDv7 the device generated when it was made.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase")]
    pub struct Op {
        /// Unique per device; applying the same op id twice applies it once.
        #[cfg_attr(feature = "openapi", schema(format = Uuid))]
        pub op_id: String,
        /// What it does.
        #[serde(flatten)]
        pub kind: OpKind,
    }

    /// `POST /v1/sync/push`: ops in the order they were made on the device.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct PushRequest {
        /// The device's id (a UUID chosen at install).
        #[cfg_attr(feature = "openapi", schema(format = Uuid))]
        pub client_id: String,
        /// The ops, oldest first.
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
        pub ops: Vec<Op>,
    }

    /// What became of one op.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "kebab-case")]
    pub enum OpStatus {
        /// Applied now.
        Applied,
        /// Refused as invalid (the reason says why); the device shows it and lets the user
        /// discard it. Retrying returns the same answer.
        Rejected,
    }

    /// The result of one op of a push.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase")]
    pub struct OpResult {
        /// The op.
        pub op_id: String,
        /// What became of it.
        pub status: OpStatus,
        /// Whether it had been pushed before (this answer is the stored one).
        pub duplicate: bool,
        /// For rejected ops: the error code (`not-found`, `invalid-field`, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub code: Option<String>,
        /// For rejected ops: why, in plain words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason: Option<String>,
    }

    /// The answer to a push.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase")]
    pub struct PushResponse {
        /// The user's change sequence after the push: pull after your cursor to catch up.
        pub seq: i64,
        /// One result per op, in order.
        pub results: Vec<OpResult>,
    }

    /// One change to the user's data, in sequence.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase")]
    pub struct Change {
        /// Its position in the user's sequence (increasing, without reuse).
        pub seq: i64,
        /// What changed: `participation`, `participation-left`, `profile`, ...
        pub entity: String,
        /// Which one (a challenge id, ...).
        pub id: String,
        /// Its new state.
        pub body: serde_json::Value,
    }

    /// The answer to a pull.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "camelCase")]
    pub struct PullResponse {
        /// Changes after the cursor, in sequence.
        pub changes: Vec<Change>,
        /// Pass as `after` next time.
        pub cursor: i64,
        /// Whether more changes are waiting (pull again at once).
        pub has_more: bool,
    }

    #[cfg(test)]
    mod overlay_tests {
        use super::super::overlay::participations;
        use super::super::protocol::{Op, OpKind};
        use crate::catalog::Catalog;
        use crate::progress::{Event, Participation, Progress};

        fn catalog() -> Vec<crate::catalog::Challenge> {
            Catalog::shipped().expect("seed").challenges
        }

        fn op(id: &str, kind: OpKind) -> Op {
            Op { op_id: id.to_owned(), kind }
        }

        fn events(kind: &str, at: &[i64]) -> OpKind {
            OpKind::RecordEvents {
                events: at
                    .iter()
                    .map(|&ms| Event {
                        id: format!("e{ms}"),
                        kind: kind.into(),
                        occurred_at_ms: ms,
                        duration_minutes: None,
                        proof_photo_id: None,
                    })
                    .collect(),
            }
        }

        #[test]
        fn pending_joins_leaves_and_events_show_over_confirmed_state() {
            let confirmed = vec![Participation {
                challenge_id: "leaving-everything-off".into(),
                joined_at_ms: 1_000,
                progress: Progress { current: 2, target: 5, completed_at_ms: None, ..Default::default() },
                completed_at_ms: None,
            }];
            // A UUIDv7 made at 0x0000_0000_1388 ms = 5,000.
            let join_id = "00000000-1388-7000-8000-000000000000";
            let ops = vec![
                op(
                    join_id,
                    OpKind::JoinChallenge {
                        challenge_id: "coming-home-welcome-light".into(),
                        joined_at_ms: None,
                    },
                ),
                op("b", events("scene.leaving.ran", &[500, 2_000, 3_000])),
                op("c", events("scene.coming-home.ran", &[4_000, 6_000])),
            ];
            let views = participations(&confirmed, &ops, &catalog());
            assert_eq!(views.len(), 2);
            let leaving = &views[0];
            assert_eq!(
                (leaving.pending, leaving.pending_events, leaving.progress.current),
                (false, 2, 2),
                "the event before joining does not count"
            );
            let coming = &views[1];
            assert_eq!((coming.pending, coming.joined_at_ms, coming.progress.target), (true, 5_000, 3));
            assert_eq!(coming.pending_events, 1, "only the event after the pending join counts");

            let left = participations(
                &confirmed,
                &[op("d", OpKind::LeaveChallenge { challenge_id: "leaving-everything-off".into() })],
                &catalog(),
            );
            assert!(left.is_empty(), "a pending leave hides it");
            let rejoined = participations(
                &confirmed,
                &[op(
                    "e",
                    OpKind::JoinChallenge {
                        challenge_id: "leaving-everything-off".into(),
                        joined_at_ms: Some(9),
                    },
                )],
                &catalog(),
            );
            assert_eq!(
                (rejoined.len(), rejoined[0].pending),
                (1, false),
                "joining what is confirmed changes nothing"
            );
        }

        #[test]
        fn points_are_pending_only_for_challenges_the_waiting_events_complete() {
            use super::super::overlay::pending_points;
            let confirmed = vec![Participation {
                challenge_id: "leaving-everything-off".into(),
                joined_at_ms: 1_000,
                progress: Progress { current: 3, target: 5, completed_at_ms: None, ..Default::default() },
                completed_at_ms: None,
            }];
            let one =
                participations(&confirmed, &[op("a", events("scene.leaving.ran", &[2_000]))], &catalog());
            assert_eq!(pending_points(&one, &catalog()), 0, "4 of 5 is not done");
            let two = participations(
                &confirmed,
                &[op("a", events("scene.leaving.ran", &[2_000, 3_000]))],
                &catalog(),
            );
            assert_eq!(pending_points(&two, &catalog()), 30, "5 of 5 pays 30 once synced");
            // A streak cannot be judged without the event history: nothing pending.
            let streak = vec![Participation {
                challenge_id: "morning-let-the-light-in".into(),
                joined_at_ms: 1_000,
                progress: Progress { current: 2, target: 3, completed_at_ms: None, ..Default::default() },
                completed_at_ms: None,
            }];
            let views =
                participations(&streak, &[op("b", events("device.curtain.open", &[90_000_000]))], &catalog());
            assert_eq!(pending_points(&views, &catalog()), 0);
        }
    }
}
