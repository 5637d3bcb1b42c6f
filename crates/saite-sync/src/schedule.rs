//! When to try again after a failed round: exponential back-off with jitter, so 40
//! laptops coming back online together do not all knock at once, and a server that is
//! down is asked less and less often (capped, so a laptop still notices within minutes).

use std::time::Duration;

/// The first retry's delay, and the most any retry waits.
pub const FIRST_RETRY: Duration = Duration::from_secs(5);
pub const LONGEST_RETRY: Duration = Duration::from_secs(15 * 60);

/// The wait before the next round after `failures` failed rounds in a row (1 or more).
/// `jitter` in [0, 1) (from any random source; tests pass fixed values) picks a point
/// between half and all of the exponential delay.
pub fn retry_delay(failures: u32, jitter: f64) -> Duration {
    let doubled = FIRST_RETRY.saturating_mul(1u32.checked_shl(failures.saturating_sub(1).min(20)).unwrap_or(u32::MAX));
    let capped = doubled.min(LONGEST_RETRY);
    capped.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_spread_over_the_upper_half() {
        assert_eq!(retry_delay(1, 1.0), Duration::from_secs(5));
        assert_eq!(retry_delay(2, 1.0), Duration::from_secs(10));
        assert_eq!(retry_delay(4, 1.0), Duration::from_secs(40));
        assert_eq!(retry_delay(1, 0.0), Duration::from_millis(2_500));
        assert_eq!(retry_delay(30, 1.0), LONGEST_RETRY);
        assert_eq!(retry_delay(u32::MAX, 0.0), LONGEST_RETRY / 2);
        // Never shorter as failures grow (for the same jitter).
        for j in [0.0, 0.3, 0.99] {
            assert!((1..40).all(|n| retry_delay(n, j) <= retry_delay(n + 1, j)));
        }
    }
}
