//! Record and device identifiers: UUIDv7 newtypes, one type per record kind, so a
//! `SeminarId` can never be passed where an `OrganisationId` is meant.
//!
//! UUIDv7 ids begin with their creation time, so they sort roughly by age and index
//! well. The time comes from the injected [`Clock`](crate::Clock), never read here.

use std::{fmt, str::FromStr};

use uuid::{Timestamp, Uuid, timestamp::context::ContextV7};

/// Makes UUIDv7 ids from an injected clock. One per process; the context keeps ids made
/// in the same millisecond in order.
#[derive(Debug, Default)]
pub struct IdGenerator {
    context: ContextV7,
}

impl IdGenerator {
    pub fn new() -> IdGenerator {
        IdGenerator::default()
    }

    pub fn new_uuid(&self, now_ms: u64) -> Uuid {
        let ts = Timestamp::from_unix(&self.context, now_ms / 1000, ((now_ms % 1000) * 1_000_000) as u32);
        Uuid::new_v7(ts)
    }

    pub fn new_id<T: From<Uuid>>(&self, now_ms: u64) -> T {
        T::from(self.new_uuid(now_ms))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid id")]
pub struct InvalidId(pub String);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        // The default is the nil id, which no record has (a placeholder in an empty record).
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(transparent)]
        #[ts(type = "string")]
        pub struct $name(Uuid);

        impl $name {
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }

            /// The untyped form used by the store and the sync protocol.
            pub fn record_id(&self) -> RecordId {
                RecordId(self.0)
            }
        }

        impl crate::spec::FieldValue for $name {
            fn field_ref(&self) -> crate::spec::FieldRef<'_> {
                crate::spec::FieldRef::Id(Some(self.record_id()))
            }
        }

        impl crate::spec::FieldValue for Option<$name> {
            fn field_ref(&self) -> crate::spec::FieldRef<'_> {
                crate::spec::FieldRef::Id(self.as_ref().map(|id| id.record_id()))
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s).map(Self).map_err(|_| InvalidId(s.to_owned()))
            }
        }
    };
}

id_type!(
    /// Any record, whatever its collection (store and sync level).
    RecordId
);
id_type!(
    /// One installation of the app (a laptop), and the tie-break in HLC stamps.
    DeviceId
);
id_type!(SeminarId);
id_type!(OrganisationId);
id_type!(PersonId);
id_type!(MaterialId);
id_type!(MaterialVersionId);
id_type!(DistributionId);
id_type!(CampaignId);
id_type!(FollowUpId);
id_type!(AttachmentId);
id_type!(HotlineContactId);
id_type!(FunderId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_ordered_by_time() {
        let ids = IdGenerator::new();
        let a: SeminarId = ids.new_id(1_700_000_000_000);
        let b: SeminarId = ids.new_id(1_700_000_000_000);
        let c: SeminarId = ids.new_id(1_700_000_001_000);
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b && b < c, "same-millisecond ids keep their order");
        let ts = c.as_uuid().get_timestamp().unwrap().to_unix();
        assert_eq!(ts.0, 1_700_000_001);
    }

    #[test]
    fn text_round_trip_and_rejects_garbage() {
        let id: PersonId = IdGenerator::new().new_id(5);
        assert_eq!(id.to_string().parse::<PersonId>().unwrap(), id);
        assert!("not-an-id".parse::<PersonId>().is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    }
}

impl DeviceId {
    /// A new device id that sorts before `other`: a UUIDv7 of a millisecond earlier with
    /// fresh random bits. A store restored from `other`'s backup takes it, so that a
    /// change it sends again under `other`'s time loses the tie against the original
    /// the server may hold (`saite_store::backup`).
    pub fn sorting_before(other: DeviceId) -> DeviceId {
        let ms = other.0.get_timestamp().map_or(0, |t| {
            let (secs, nanos) = t.to_unix();
            secs * 1000 + u64::from(nanos) / 1_000_000
        });
        let earlier = ms.saturating_sub(1);
        let ts = Timestamp::from_unix(uuid::NoContext, earlier / 1000, ((earlier % 1000) * 1_000_000) as u32);
        let id = Uuid::new_v7(ts);
        // Only a nil-like `other` (no time of its own) can sort first; tests make such.
        DeviceId(if id < other.0 { id } else { Uuid::from_u128(other.0.as_u128().saturating_sub(1)) })
    }
}

#[cfg(test)]
mod sorting_before_tests {
    use super::*;

    #[test]
    fn a_device_id_made_to_sort_before_another_does() {
        let ids = IdGenerator::new();
        for at in [1_352_455_200_000u64, 1, 0, 1_796_691_945_810] {
            let other: DeviceId = ids.new_id(at);
            let before = DeviceId::sorting_before(other);
            assert!(before < other, "{before} < {other}");
            assert_ne!(DeviceId::sorting_before(other), before, "fresh random bits each time");
        }
        let tiny = DeviceId::from_uuid(Uuid::from_u128(5));
        assert!(DeviceId::sorting_before(tiny) < tiny);
    }
}
