//! Office-wide settings: what an organisation's administrator sets once for every laptop
//! (`GET`/`PUT /v1/office`), delivered to each laptop with [`crate::Me`] after every
//! sync round and kept in its encrypted store.
//!
//! Glossary:
//! - **limit**: a setting that protects data when it is lower (the idle time before the
//!   app locks, the days without contact before a laptop wipes itself). A laptop
//!   applies the stricter of its own choice and the office's ([`stricter_limit`]): a
//!   thief who opens the laptop's settings cannot loosen what the office set.
//! - **contact details**: the hotline number and the office's address, shown on Home.
//! - **unsynced reminder**: a laptop reminds its user when a change neither synced nor
//!   backed up is older than [`OfficeSettings::remind_unsynced_days_in_force`] days.
//!
//! Invariant: settings that passed [`OfficeSettings::checked`] hold no empty text and
//! no limit outside its range, so the server stores and laptops apply only such.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// The longest idle time the office may allow before the app locks (minutes).
pub const MAX_IDLE_MINUTES: u32 = 240;
/// The most days without contact the office may set before a laptop wipes itself.
pub const MAX_WIPE_AFTER_DAYS: u32 = 365;
/// The most days the office may let an unsynced change wait before the reminder.
pub const MAX_REMIND_UNSYNCED_DAYS: u32 = 90;
/// The reminder's days where the office set none.
pub const DEFAULT_REMIND_UNSYNCED_DAYS: u32 = 7;
const MAX_HOTLINE_CHARS: usize = 40;
const MAX_ADDRESS_CHARS: usize = 200;

/// An organisation's settings for all its laptops; a missing value leaves each laptop
/// its own choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(rename_all = "camelCase")]
pub struct OfficeSettings {
    /// The hotline's number, shown on every laptop's Home.
    pub hotline: Option<String>,
    /// The office's address, shown on every laptop's Home.
    pub office_address: Option<String>,
    /// The longest a laptop may stay unlocked and unused (minutes).
    pub max_idle_minutes: Option<u32>,
    /// A laptop that has not reached the server for this many days destroys its data.
    pub wipe_after_days: Option<u32>,
    /// A laptop reminds its user when a change neither synced nor backed up is older
    /// than this many days.
    pub remind_unsynced_days: Option<u32>,
}

/// Why settings were refused; `field` names the setting (its camelCase name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeSettingsError {
    pub field: &'static str,
    pub reason: &'static str,
}

impl OfficeSettings {
    /// The settings trimmed (empty text as unset), or the first field out of range.
    pub fn checked(self) -> Result<OfficeSettings, OfficeSettingsError> {
        let hotline = text(self.hotline, "hotline", MAX_HOTLINE_CHARS)?;
        if let Some(number) = &hotline
            && !number.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            return Err(OfficeSettingsError { field: "hotline", reason: "digits, spaces, +, - and brackets only" });
        }
        Ok(OfficeSettings {
            hotline,
            office_address: text(self.office_address, "officeAddress", MAX_ADDRESS_CHARS)?,
            max_idle_minutes: limit(self.max_idle_minutes, "maxIdleMinutes", MAX_IDLE_MINUTES)?,
            wipe_after_days: limit(self.wipe_after_days, "wipeAfterDays", MAX_WIPE_AFTER_DAYS)?,
            remind_unsynced_days: limit(self.remind_unsynced_days, "remindUnsyncedDays", MAX_REMIND_UNSYNCED_DAYS)?,
        })
    }

    /// The days after which a laptop reminds of changes neither synced nor backed up.
    pub fn remind_unsynced_days_in_force(&self) -> u32 {
        self.remind_unsynced_days.unwrap_or(DEFAULT_REMIND_UNSYNCED_DAYS)
    }
}

fn text(value: Option<String>, field: &'static str, max: usize) -> Result<Option<String>, OfficeSettingsError> {
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else { return Ok(None) };
    if value.chars().count() > max {
        return Err(OfficeSettingsError { field, reason: "too long" });
    }
    Ok(Some(value))
}

fn limit(value: Option<u32>, field: &'static str, max: u32) -> Result<Option<u32>, OfficeSettingsError> {
    match value {
        Some(v) if v == 0 || v > max => Err(OfficeSettingsError { field, reason: "out of range" }),
        v => Ok(v),
    }
}

/// The limit a laptop applies: the lower of its own and the office's, where `None` is
/// no limit (never lock, never wipe).
pub fn stricter_limit(own: Option<u32>, office: Option<u32>) -> Option<u32> {
    match (own, office) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn settings_are_trimmed_and_checked_field_by_field() {
        let typed = OfficeSettings {
            hotline: Some(" +371 8000 2012 ".into()),
            office_address: Some("  ".into()),
            max_idle_minutes: Some(10),
            wipe_after_days: Some(30),
            remind_unsynced_days: Some(14),
        };
        let checked = typed.checked().unwrap();
        assert_eq!(checked.hotline.as_deref(), Some("+371 8000 2012"));
        assert_eq!(checked.office_address, None, "blank text is unset");

        let bad = |s: OfficeSettings| s.checked().unwrap_err().field;
        assert_eq!(bad(OfficeSettings { hotline: Some("call me".into()), ..Default::default() }), "hotline");
        assert_eq!(
            bad(OfficeSettings { office_address: Some("x".repeat(201)), ..Default::default() }),
            "officeAddress"
        );
        assert_eq!(bad(OfficeSettings { max_idle_minutes: Some(0), ..Default::default() }), "maxIdleMinutes");
        assert_eq!(bad(OfficeSettings { max_idle_minutes: Some(241), ..Default::default() }), "maxIdleMinutes");
        assert_eq!(bad(OfficeSettings { wipe_after_days: Some(366), ..Default::default() }), "wipeAfterDays");
        assert!(OfficeSettings { wipe_after_days: Some(365), ..Default::default() }.checked().is_ok());
        assert_eq!(bad(OfficeSettings { remind_unsynced_days: Some(91), ..Default::default() }), "remindUnsyncedDays");
        assert_eq!(checked.remind_unsynced_days_in_force(), 14);
        assert_eq!(OfficeSettings::default().remind_unsynced_days_in_force(), DEFAULT_REMIND_UNSYNCED_DAYS);
    }

    #[test]
    fn older_and_newer_settings_read_alike() {
        let read: OfficeSettings = serde_json::from_str(r#"{"hotline":"116006","later":true}"#).unwrap();
        assert_eq!(read, OfficeSettings { hotline: Some("116006".into()), ..Default::default() });
    }

    proptest! {
        /// The stricter limit is never looser than either side, and is one of them.
        #[test]
        fn the_stricter_limit_never_loosens(own in proptest::option::of(1u32..1000), office in proptest::option::of(1u32..1000)) {
            let applied = stricter_limit(own, office);
            for side in [own, office].into_iter().flatten() {
                prop_assert!(applied.is_some_and(|a| a <= side));
            }
            prop_assert!(applied == own || applied == office);
        }
    }
}
