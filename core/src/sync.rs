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
    #[serde(tag = "kind", rename_all = "kebab-case", rename_all_fields = "camelCase")]
    pub enum OpKind {
        /// Join a challenge.
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
        LeaveChallenge {
            /// The challenge.
            challenge_id: String,
        },
        /// Record events (at most 100).
        RecordEvents {
            /// The events.
            events: Vec<Event>,
        },
        /// Change the profile.
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
        pub client_id: String,
        /// The ops, oldest first.
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
}
