//! Hybrid logical clock (HLC) stamps: every changed field carries one, and the later
//! stamp wins a merge.
//!
//! An [`Hlc`] is (wall time in ms, counter, device id), ordered in that order: the
//! device id breaks ties between two devices that stamped the same instant, so any two
//! stamps compare the same way on every replica. Its text form is fixed-width hex, so
//! comparing the strings (as SQL does) gives the same order as comparing the values.
//!
//! Invariant: a [`HlcGenerator`] never issues a stamp lower than or equal to one it
//! issued or observed before, even when the wall clock goes backwards.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::ids::DeviceId;

/// A stamp from some device's hybrid logical clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub device: DeviceId,
}

/// Wall times above this (year 10889) do not fit the 12 hex digits of the text form.
pub const MAX_WALL_MS: u64 = 0xFFFF_FFFF_FFFF;

/// How far ahead of the local clock a remote stamp may be before it is refused: a
/// laptop whose clock is a year off must not push everyone's clocks a year ahead.
pub const MAX_FORWARD_DRIFT_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlcError {
    #[error("malformed HLC stamp {0:?}")]
    Malformed(String),
    #[error("remote stamp is {ahead_ms} ms ahead of this device's clock (limit {MAX_FORWARD_DRIFT_MS} ms)")]
    TooFarAhead { ahead_ms: u64 },
}

impl Hlc {
    /// The smallest stamp of `device`, lower than every stamp it issues.
    pub fn zero(device: DeviceId) -> Hlc {
        Hlc { wall_ms: 0, counter: 0, device }
    }
}

/// The length of a stamp's text form.
pub const HLC_TEXT_LEN: usize = 12 + 1 + 8 + 1 + 32;

impl Hlc {
    /// The text form (as `Display` writes it) into `buf`, without allocating: for
    /// digests computed per field on every stored stamp. Only for wall times up to
    /// [`MAX_WALL_MS`] (every stamp issued or parsed; larger ones would be cut).
    pub fn encode<'b>(&self, buf: &'b mut [u8; HLC_TEXT_LEN]) -> &'b str {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for i in 0..12 {
            buf[i] = HEX[((self.wall_ms >> (4 * (11 - i))) & 0xF) as usize];
        }
        buf[12] = b'-';
        for i in 0..8 {
            buf[13 + i] = HEX[((self.counter >> (4 * (7 - i))) & 0xF) as usize];
        }
        buf[21] = b'-';
        self.device.as_uuid().simple().encode_lower(&mut buf[22..]);
        std::str::from_utf8(buf).expect("hex digits and dashes are ASCII")
    }

    /// Calls `f` with the text form, allocating only for a wall time beyond
    /// [`MAX_WALL_MS`] (which no stamp issued or parsed has).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        if self.wall_ms <= MAX_WALL_MS { f(self.encode(&mut [0; HLC_TEXT_LEN])) } else { f(&self.to_string()) }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}-{:08x}-{}", self.wall_ms, self.counter, self.device.as_uuid().simple())
    }
}

impl FromStr for Hlc {
    type Err = HlcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HlcError::Malformed(s.to_owned());
        let mut parts = s.split('-');
        let (Some(wall), Some(counter), Some(device), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if wall.len() != 12 || counter.len() != 8 || device.len() != 32 {
            return Err(bad());
        }
        Ok(Hlc {
            wall_ms: u64::from_str_radix(wall, 16).map_err(|_| bad())?,
            counter: u32::from_str_radix(counter, 16).map_err(|_| bad())?,
            device: DeviceId::from_uuid(uuid::Uuid::try_parse(device).map_err(|_| bad())?),
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_text(|text| s.serialize_str(text))
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Issues stamps for one device.
#[derive(Debug, Clone)]
pub struct HlcGenerator {
    device: DeviceId,
    last: Hlc,
}

impl HlcGenerator {
    pub fn new(device: DeviceId) -> HlcGenerator {
        HlcGenerator { device, last: Hlc::zero(device) }
    }

    /// Resumes after a restart from the highest stamp this device issued or observed.
    pub fn resume(device: DeviceId, last: Hlc) -> HlcGenerator {
        HlcGenerator { device, last: Hlc { device, ..last } }
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// The highest stamp issued or observed so far (persist it to resume).
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new stamp, greater than every earlier one.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let now_ms = now_ms.min(MAX_WALL_MS);
        let next = if now_ms > self.last.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0, device: self.device }
        } else if self.last.counter < u32::MAX {
            Hlc { wall_ms: self.last.wall_ms, counter: self.last.counter + 1, device: self.device }
        } else {
            // 4 billion stamps in one millisecond: borrow the next millisecond.
            Hlc { wall_ms: self.last.wall_ms + 1, counter: 0, device: self.device }
        };
        self.last = next;
        next
    }

    /// Takes in a stamp from another device so later local stamps sort after it.
    pub fn observe(&mut self, remote: Hlc, now_ms: u64) -> Result<(), HlcError> {
        if remote.wall_ms > now_ms.saturating_add(MAX_FORWARD_DRIFT_MS) {
            return Err(HlcError::TooFarAhead { ahead_ms: remote.wall_ms - now_ms });
        }
        if (remote.wall_ms, remote.counter) > (self.last.wall_ms, self.last.counter) {
            self.last = Hlc { wall_ms: remote.wall_ms, counter: remote.counter, device: self.device };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn device(n: u128) -> DeviceId {
        DeviceId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn text_form_round_trips_and_is_fixed_width() {
        let h = Hlc { wall_ms: 1_700_000_000_123, counter: 7, device: device(0xabc) };
        let text = h.to_string();
        assert_eq!(text.len(), 12 + 1 + 8 + 1 + 32);
        assert_eq!(text.parse::<Hlc>().unwrap(), h);
        assert!("nonsense".parse::<Hlc>().is_err());
        assert!("0000000000001-00000000-00000000000000000000000000000abc".parse::<Hlc>().is_err());
    }

    #[test]
    fn same_instant_on_two_devices_is_ordered_by_device() {
        let a = Hlc { wall_ms: 5, counter: 0, device: device(1) };
        let b = Hlc { wall_ms: 5, counter: 0, device: device(2) };
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
    }

    #[test]
    fn a_clock_going_backwards_still_yields_increasing_stamps() {
        let mut g = HlcGenerator::new(device(1));
        let a = g.tick(1000);
        let b = g.tick(500);
        let c = g.tick(500);
        assert!(a < b && b < c);
        assert_eq!((b.wall_ms, b.counter), (1000, 1));
    }

    #[test]
    fn observing_a_later_remote_stamp_moves_the_clock_past_it() {
        let mut g = HlcGenerator::new(device(1));
        g.tick(1000);
        let remote = Hlc { wall_ms: 5000, counter: 3, device: device(9) };
        g.observe(remote, 1000).unwrap();
        let next = g.tick(1000);
        assert!(next > remote);
        assert_eq!((next.wall_ms, next.counter), (5000, 4));
    }

    #[test]
    fn a_stamp_far_in_the_future_is_refused() {
        let mut g = HlcGenerator::new(device(1));
        let remote = Hlc { wall_ms: 1000 + MAX_FORWARD_DRIFT_MS + 1, counter: 0, device: device(9) };
        assert!(matches!(g.observe(remote, 1000), Err(HlcError::TooFarAhead { .. })));
        assert_eq!(g.tick(1000).wall_ms, 1000, "the refused stamp did not move the clock");
    }

    #[test]
    fn resume_continues_after_the_persisted_stamp() {
        let mut g = HlcGenerator::new(device(1));
        let last = g.tick(9000);
        let mut resumed = HlcGenerator::resume(device(1), last);
        assert!(resumed.tick(10) > last);
    }

    proptest! {
        #[test]
        fn ticks_strictly_increase_whatever_the_clock_does(
            times in proptest::collection::vec(0u64..10_000, 1..200),
            remotes in proptest::collection::vec((0u64..10_000, 0u32..5, 0u128..4), 0..50),
        ) {
            let mut g = HlcGenerator::new(device(7));
            let mut last: Option<Hlc> = None;
            let mut remotes = remotes.into_iter();
            for t in times {
                if let Some((w, c, d)) = remotes.next() {
                    let remote = Hlc { wall_ms: w, counter: c, device: device(d) };
                    g.observe(remote, t).unwrap();
                    let next = g.tick(t);
                    prop_assert!(next > remote || (next.wall_ms, next.counter) > (remote.wall_ms, remote.counter));
                }
                let h = g.tick(t);
                if let Some(prev) = last {
                    prop_assert!(h > prev);
                    prop_assert!(h.to_string() > prev.to_string(), "text order follows value order");
                }
                last = Some(h);
            }
        }

        #[test]
        fn text_order_equals_value_order(
            a in (0u64..=MAX_WALL_MS, any::<u32>(), any::<u128>()),
            b in (0u64..=MAX_WALL_MS, any::<u32>(), any::<u128>()),
        ) {
            let ha = Hlc { wall_ms: a.0, counter: a.1, device: device(a.2) };
            let hb = Hlc { wall_ms: b.0, counter: b.1, device: device(b.2) };
            prop_assert_eq!(ha.cmp(&hb), ha.to_string().cmp(&hb.to_string()));
            prop_assert_eq!(ha.to_string().parse::<Hlc>().unwrap(), ha);
            let mut buf = [0; HLC_TEXT_LEN];
            prop_assert_eq!(ha.encode(&mut buf), ha.to_string());
        }
    }
}
