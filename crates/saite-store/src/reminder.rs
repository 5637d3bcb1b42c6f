//! The daily reminder of follow-ups: those not done whose due date is today or past.
//!
//! Glossary:
//! - **due follow-up**: a live follow-up, not done, with `dueOn` on or before today,
//!   owned by the user (by the name set in Settings) when one is set, else anyone's;
//!   the same records the Seminars list shows for "open" and "mine".
//! - **notified day**: the last day a desktop notification was raised; at most one a
//!   day, kept in the store, so a restart the same day raises none. The notification
//!   says how many, never what: the notification service keeps its own history, and may
//!   show it on a locked screen, outside the encrypted store.

use saite_domain::Collection;

use crate::{
    ListFilter, ListQuery, Result, Store,
    store::{meta, set_meta},
};

const NOTIFIED_ON: &str = "reminder:follow_ups_notified_on";

/// The due follow-ups, and whether to raise today's notification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct FollowUpReminder {
    pub due: u32,
    /// Raise the notification now: some are due and none was raised today. Once this
    /// says so, today counts as notified.
    pub notify: bool,
}

impl Store {
    /// The follow-ups due on `today` (ISO date, the laptop's local day) of `owner` (or
    /// anyone's), and whether today's notification is still to be raised; notes today as
    /// notified when it is.
    pub fn follow_up_reminder(&self, today: &str, owner: Option<&str>) -> Result<FollowUpReminder> {
        let mut filters = vec![
            ListFilter::Flag { field: "done".into(), value: false },
            ListFilter::Period { from: None, to: Some(today.to_owned()) },
        ];
        if let Some(owner) = owner.map(str::trim).filter(|o| !o.is_empty()) {
            filters.push(ListFilter::FieldEquals { field: "owner".into(), value: owner.to_owned() });
        }
        let page = self.list(&ListQuery {
            collection: Collection::FollowUp,
            filters,
            sort: None,
            descending: false,
            offset: 0,
            limit: 1,
            with_total: true,
        })?;
        let due = page.total.unwrap_or(0);
        let notify = due > 0 && meta(&self.conn, NOTIFIED_ON)?.as_deref() != Some(today);
        if notify {
            set_meta(&self.conn, NOTIFIED_ON, today)?;
        }
        Ok(FollowUpReminder { due, notify })
    }
}
