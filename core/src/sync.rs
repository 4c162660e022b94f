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
