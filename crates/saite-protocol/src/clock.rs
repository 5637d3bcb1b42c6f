//! A laptop's clock against the server's, and new stamps for the changes a wrong clock
//! stamped ahead of the server's.
//!
//! Glossary:
//! - **skew**: the laptop's clock minus the server's (positive: the laptop runs ahead),
//!   read from the `saite-server-time` header of an answer.
//! - **stamped ahead**: a change waiting in the outbox whose stamp is later than the
//!   server's time.
//!
//! The rule (docs/sync.md, "Clocks"): the server refuses a stamp too far ahead of its
//! clock ([`crate::push`]). The laptop then stamps again every change it stamped ahead,
//! oldest first, by the server's time and later than every stamp it keeps: the edits
//! become the latest as of now, as they would have been with a right clock. So an edit
//! is never stuck (the push goes through) and never lost (it still wins over anything
//! older). The laptop's own clock is left as it is; the user is told to set it.

use saite_domain::{DeviceId, hlc::Hlc, hlc::HlcGenerator};

/// How far the laptop's clock may be from the server's before the app says it is wrong.
pub const CLOCK_TOLERANCE_MS: u64 = 5 * 60 * 1000;

/// The skew of a laptop whose clock read `local_ms` when the server's read `server_ms`,
/// when it is beyond [`CLOCK_TOLERANCE_MS`]; `None` for a clock near enough.
pub fn clock_skew(local_ms: u64, server_ms: u64) -> Option<i64> {
    let skew = local_ms as i128 - server_ms as i128;
    (skew.unsigned_abs() > CLOCK_TOLERANCE_MS as u128).then(|| skew.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// The latest stamp any device can make at `ms`: a stamp after it is ahead of `ms`.
pub fn latest_stamp_at(ms: u64) -> Hlc {
    Hlc { wall_ms: ms, counter: u32::MAX, device: DeviceId::from_uuid(uuid::Uuid::max()) }
}

/// One waiting change's new stamp: its outbox seq, the stamp it had, the one it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restamp {
    pub seq: i64,
    pub old: Hlc,
    pub new: Hlc,
}

/// New stamps for the changes stamped ahead of `server_now_ms` (`ahead`: outbox seq and
/// stamp, in outbox order), each later than `kept` (the latest stamp the laptop keeps:
/// its own acknowledged ones and those it pulled) and than the server's time, rising in
/// outbox order as the old ones did. Returns them and the clock that issued them, to
/// stamp from next.
pub fn restamp_ahead(
    ahead: &[(i64, Hlc)],
    server_now_ms: u64,
    kept: Option<Hlc>,
    device: DeviceId,
) -> (Vec<Restamp>, HlcGenerator) {
    let base = kept.map_or(Hlc::zero(device), |k| Hlc { device, ..k });
    let mut clock = HlcGenerator::resume(device, base);
    let restamps = ahead.iter().map(|&(seq, old)| Restamp { seq, old, new: clock.tick(server_now_ms) }).collect();
    (restamps, clock)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn device(n: u128) -> DeviceId {
        DeviceId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn a_clock_within_the_tolerance_is_right() {
        assert_eq!(clock_skew(1_000_000, 1_000_000 + CLOCK_TOLERANCE_MS), None);
        assert_eq!(clock_skew(1_000_000 + CLOCK_TOLERANCE_MS + 1, 1_000_000), Some(CLOCK_TOLERANCE_MS as i64 + 1));
        assert_eq!(clock_skew(0, u64::MAX), Some(i64::MIN));
    }

    proptest! {
        /// The new stamps rise in outbox order, lie after every stamp kept and after the
        /// server's time, and none is ahead of the server's time by more than their
        /// number of milliseconds' worth of counters.
        #[test]
        fn new_stamps_rise_and_follow_everything_kept(
            offsets in proptest::collection::vec(1u64..10_000_000, 0..20),
            kept_at in proptest::option::of((0u64..2_000_000, any::<u32>())),
            server_now in 1_000_000u64..2_000_000,
        ) {
            let me = device(1);
            let ahead: Vec<(i64, Hlc)> = offsets
                .iter()
                .scan(server_now, |at, o| { *at += o; Some(*at) })
                .enumerate()
                .map(|(i, wall_ms)| (i as i64 + 1, Hlc { wall_ms, counter: 0, device: me }))
                .collect();
            let kept = kept_at.map(|(at, counter)| Hlc { wall_ms: at, counter, device: device(2) });
            let (restamps, clock) = restamp_ahead(&ahead, server_now, kept, me);
            prop_assert_eq!(restamps.len(), ahead.len());
            for (r, (seq, old)) in restamps.iter().zip(&ahead) {
                prop_assert_eq!((r.seq, r.old), (*seq, *old));
                prop_assert_eq!(r.new.device, me);
                prop_assert!(r.new.wall_ms >= server_now);
                prop_assert!(kept.is_none_or(|k| (r.new.wall_ms, r.new.counter) > (k.wall_ms, k.counter)));
                prop_assert!(r.new.wall_ms <= server_now.max(kept.map_or(0, |k| k.wall_ms)) + 1);
            }
            prop_assert!(restamps.windows(2).all(|w| w[0].new < w[1].new));
            prop_assert_eq!(clock.last(), restamps.last().map_or(clock.last(), |r| r.new));
        }
    }
}
