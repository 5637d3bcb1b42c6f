//! The follow-up reminder: which follow-ups are due, and one notification a day.

mod common;

use common::*;
use saite_domain::Collection;
use serde_json::{Value, json};

fn follow_up(t: &mut TestStore, org: &str, title: &str, owner: &str, due: Option<&str>, done: bool) {
    let mut doc = json!({"title": title, "organisation": org, "owner": owner, "done": done});
    if let Some(due) = due {
        doc["dueOn"] = Value::from(due);
    }
    t.store.create(Collection::FollowUp, doc.as_object().unwrap().clone()).unwrap();
}

#[test]
fn due_follow_ups_are_counted_and_notified_once_a_day() {
    let mut t = new_store();
    let org = t
        .store
        .create(Collection::Organisation, json!({"name": "Valkas NVA", "kind": "ngo"}).as_object().unwrap().clone())
        .unwrap()
        .id
        .to_string();
    assert!(!t.store.follow_up_reminder("2026-12-08", None).unwrap().notify, "none due, no notification");
    follow_up(&mut t, &org, "Nosūtīt materiālus", "Sandra", Some("2026-12-01"), false);
    follow_up(&mut t, &org, "Piezvanīt direktorei", "Sandra", Some("2026-12-08"), false);
    follow_up(&mut t, &org, "Rīt", "Sandra", Some("2026-12-09"), false);
    follow_up(&mut t, &org, "Jau izdarīts", "Sandra", Some("2026-11-30"), true);
    follow_up(&mut t, &org, "Bez datuma", "Sandra", None, false);
    follow_up(&mut t, &org, "Ilzes", "Ilze", Some("2026-12-02"), false);

    let first = t.store.follow_up_reminder("2026-12-08", Some("Sandra")).unwrap();
    assert_eq!(first.due, 2);
    assert!(first.notify);
    let again = t.store.follow_up_reminder("2026-12-08", Some("Sandra")).unwrap();
    assert_eq!((again.due, again.notify), (2, false), "once a day");
    let anyone = t.store.follow_up_reminder("2026-12-08", None).unwrap();
    assert_eq!((anyone.due, anyone.notify), (3, false), "without a name set, anyone's");
    let next_day = t.store.follow_up_reminder("2026-12-09", Some(" Sandra ")).unwrap();
    assert_eq!((next_day.due, next_day.notify), (3, true));
}
