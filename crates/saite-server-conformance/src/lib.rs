//! The storage conformance suite: every test here runs against every backend, through
//! [`conformance_tests!`], so SQLite and PostgreSQL are held to one behaviour.
//!
//! Each test takes a fresh, empty storage. Glossary: a **model** is a plain in-memory
//! map of what the stored state must be, computed with the shared merge rule; the
//! tests compare what the backend returns with it.

use std::collections::BTreeMap;

use saite_domain::{Collection, DeviceId, RecordId, content_address, hlc::Hlc};
use saite_protocol::{
    PullPage, PushRequest, PushResponse, RecordChange, Role, SeqRange, TenantId, UserId,
    merge::{FieldDigest, field_digest, incoming_wins},
    office::OfficeSettings,
};
use saite_server_storage::{
    AuditContext, AuditFilter, AuditRecord, BlobPart, ChainFault, Contact, Device, NewDevice, NewUser, PushRules,
    RefusalKind, ServerStorage, StorageError, StoredField, User, UserChange, verify_chain,
};
use serde_json::{Value, json};

/// Declares one `#[tokio::test]` per conformance test. `$make` is an async function
/// returning `(storage, guard)`; the guard (a temporary directory, a throwaway
/// database) lives until the test ends.
#[macro_export]
macro_rules! conformance_tests {
    ($make:path) => {
        $crate::conformance_tests!(@each $make;
            accounts_users_and_devices,
            push_applies_each_change_exactly_once,
            a_push_after_a_gap_is_refused_and_writes_nothing,
            a_push_its_check_refuses_writes_nothing,
            a_stored_null_never_switches_checks_off,
            an_unreadable_value_is_refused_by_name,
            stamps_ahead_or_of_another_device_are_refused,
            a_change_of_several_fields_merges_field_by_field,
            the_later_stamp_wins_in_any_arrival_order,
            a_text_edit_is_stored_only_over_the_version_it_was_made_from,
            pull_pages_cover_every_value_once,
            tenants_never_see_each_other,
            checksums_equal_the_digest_of_the_stored_fields,
            a_revoked_device_can_neither_push_nor_pull,
            the_audit_chain_records_every_write_and_detects_tampering,
            audit_entries_narrow_by_user_device_action_and_time,
            each_pushed_change_is_audited_with_the_laptops_time_and_the_arrival,
            a_laptops_events_are_audited_once_with_its_time,
            a_laptops_contact_is_noted_and_never_moves_back,
            an_organisation_keeps_an_active_administrator,
            office_settings_reach_every_caller_of_their_organisation,
            export_then_import_gives_identical_state,
            concurrent_pushes_from_many_devices_lose_nothing,
            random_histories_converge_to_the_model,
            blobs_upload_in_parts_resume_and_are_stored_once,
            a_blob_that_does_not_match_its_address_is_discarded,
            blobs_belong_to_one_tenant,
            concurrent_uploads_of_one_blob_store_it_once,
            concurrent_sign_ins_and_uploads_in_one_tenant_all_succeed,
            one_collection_can_be_pulled_again_on_request
        );
    };
    (@each $make:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (storage, _guard) = $make().await;
                $crate::$name(storage).await;
            }
        )*
    };
}

// ---- fixtures ----------------------------------------------------------------------

fn id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn tenant_id(n: u128) -> TenantId {
    TenantId(id(0x7E_0000 + n))
}

fn record(n: u128) -> RecordId {
    RecordId::from_uuid(id(0x8EC_0000 + n))
}

fn device_id(n: u128) -> DeviceId {
    DeviceId::from_uuid(id(0xDE_0000 + n))
}

fn stamp(wall_ms: u64, counter: u32, device: DeviceId) -> Hlc {
    Hlc { wall_ms, counter, device }
}

fn admin(at_ms: u64, action: &str) -> AuditContext {
    AuditContext::admin(at_ms, action, json!({}))
}

struct Account {
    tenant: TenantId,
    user: User,
    device: Device,
}

async fn account<S: ServerStorage>(s: &S, tenant_n: u128, user_n: u128, device_n: u128) -> Account {
    let tenant = tenant_id(tenant_n);
    if s.tenant(tenant).await.unwrap().is_none() {
        s.create_tenant(tenant, &format!("Biedrība {tenant_n}"), admin(1_000, "tenant-add")).await.unwrap();
    }
    let user = s
        .create_user(
            NewUser {
                id: UserId(id(0xA5_0000 + user_n)),
                tenant,
                email: format!("user{user_n}@example.lv"),
                name: format!("Konsultante {user_n}"),
                role: Role::Consultant,
                password_hash: "$argon2id$placeholder".into(),
            },
            admin(2_000, "user-add"),
        )
        .await
        .unwrap();
    let device = register(s, &user, device_n).await;
    Account { tenant, user, device }
}

async fn register<S: ServerStorage>(s: &S, user: &User, device_n: u128) -> Device {
    s.register_device(
        NewDevice {
            id: device_id(device_n),
            tenant: user.tenant,
            user: user.id,
            name: format!("Klēpjdators {device_n}"),
            token_hash: format!("hash-{device_n}-{}", user.id),
        },
        admin(3_000, "device-add"),
    )
    .await
    .unwrap()
}

/// One field set by one change. Most tests push fields one by one, each its own
/// change (its own seq and stamp); [`batch`] makes a [`RecordChange`] of each.
struct FieldChange {
    seq: u64,
    field: String,
    value: Value,
    hlc: Hlc,
    expect: Option<saite_protocol::Expected>,
}

fn change(seq: u64, field: &str, value: Value, hlc: Hlc) -> FieldChange {
    FieldChange { seq, field: field.to_owned(), value, hlc, expect: None }
}

fn batch(after_seq: u64, records: Vec<(RecordId, Collection, Vec<FieldChange>)>) -> PushRequest {
    let mut changes = Vec::new();
    for (record, collection, fields) in records {
        for f in fields {
            let mut c = RecordChange::from_fields(f.seq, record, collection, [(f.field.clone(), f.value, f.hlc)]);
            if let Some(expect) = f.expect {
                c.expect.insert(f.field, expect);
            }
            changes.push(c);
        }
    }
    PushRequest { after_seq, changes }
}

/// A push as the server makes it: the rules of [`PushRules::at`] the audit's time.
async fn push<S: ServerStorage>(
    s: &S,
    device: DeviceId,
    batch: &PushRequest,
    audit: AuditContext,
) -> Result<PushResponse, StorageError> {
    s.push(device, batch.clone(), PushRules::at(audit.at_ms), audit).await
}

/// Fields of a collection that take any short text, for tests that need several.
fn text_field(collection: Collection, n: usize) -> &'static str {
    match collection {
        Collection::Organisation => ["name", "address", "website", "notes"][n % 4],
        _ => ["title", "venue", "notes"][n % 3],
    }
}

fn push_ctx(at_ms: u64, device: DeviceId) -> AuditContext {
    AuditContext {
        at_ms,
        device_time_ms: Some(at_ms - 5),
        user: None,
        device: Some(device),
        action: "push".into(),
        detail: json!({}),
    }
}

/// A record's stored fields, ordered by name (none when the record is not stored).
async fn stored_fields<S: ServerStorage>(
    s: &S,
    tenant: TenantId,
    record: RecordId,
) -> Vec<saite_server_storage::StoredField> {
    s.record(tenant, record).await.unwrap().map(|r| StoredField::of_record(&r, tenant).collect()).unwrap_or_default()
}

/// Pulls everything after `after` in pages of `limit`; returns the pages.
async fn pull_all<S: ServerStorage>(s: &S, device: DeviceId, mut after: u64, limit: u32) -> Vec<PullPage> {
    let mut pages = Vec::new();
    loop {
        let page = s.pull(device, after, limit).await.unwrap();
        assert!(page.records.len() <= limit as usize);
        assert!(page.end_cursor >= after, "the cursor never goes back");
        after = page.end_cursor;
        let more = page.more;
        pages.push(page);
        if !more {
            return pages;
        }
    }
}

/// Every (record, field) → (value, hlc) a device sees.
type PulledState = BTreeMap<(RecordId, String), (Value, Hlc)>;

/// The [`PulledState`] a device sees by pulling from zero.
async fn pulled_state<S: ServerStorage>(s: &S, device: DeviceId) -> PulledState {
    let mut state = BTreeMap::new();
    for page in pull_all(s, device, 0, 7).await {
        for r in page.records {
            for (field, value) in &r.fields.to_values().unwrap() {
                assert!(
                    state.insert((r.record, field.clone()), (value.clone(), *r.stamp_of(field))).is_none(),
                    "each value once in a full pull"
                );
            }
        }
    }
    state
}

// ---- the tests ------------------------------------------------------------------------

pub async fn accounts_users_and_devices<S: ServerStorage>(s: S) {
    s.ping().await.unwrap();
    let a = account(&s, 1, 1, 1).await;
    assert_eq!(s.tenants().await.unwrap().len(), 1);
    assert_eq!(a.user.email, "user1@example.lv");
    assert_eq!(a.user.role, Role::Consultant);
    assert!(!a.user.disabled);

    // E-mail addresses are unique whatever their case.
    let twin = s
        .create_user(
            NewUser {
                id: UserId(id(0xA5_0099)),
                tenant: a.tenant,
                email: " USER1@Example.LV ".into(),
                name: "Dublikāts".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            },
            admin(2_500, "user-add"),
        )
        .await;
    assert!(matches!(twin, Err(StorageError::EmailTaken)), "{twin:?}");
    assert_eq!(s.user_by_email("User1@EXAMPLE.lv").await.unwrap().unwrap().id, a.user.id);
    assert!(s.user_by_email("nobody@example.lv").await.unwrap().is_none());

    let u = s
        .update_user(a.user.id, UserChange::SetRole(Role::Coordinator), Some(admin(4_000, "user-role")))
        .await
        .unwrap();
    assert_eq!(u.role, Role::Coordinator);
    let u = s.update_user(a.user.id, UserChange::SignInFailed { lock_until_ms: None }, None).await.unwrap();
    assert_eq!((u.failed_sign_ins, u.locked_until_ms), (1, None));
    let u = s.update_user(a.user.id, UserChange::SignInFailed { lock_until_ms: Some(99_000) }, None).await.unwrap();
    assert_eq!((u.failed_sign_ins, u.locked_until_ms), (2, Some(99_000)));
    let u = s
        .update_user(a.user.id, UserChange::SetPasswordHash("new".into()), Some(admin(5_000, "user-password")))
        .await
        .unwrap();
    assert_eq!((u.failed_sign_ins, u.locked_until_ms, u.password_hash.as_str()), (0, None, "new"));
    let u = s.update_user(a.user.id, UserChange::SetDisabled(true), Some(admin(6_000, "user-disable"))).await.unwrap();
    assert!(u.disabled);
    assert_eq!(s.users(a.tenant).await.unwrap(), vec![u.clone()]);

    // Devices: found by token hash; re-registering rotates the token; another user
    // cannot take the id; a revoked device stays revoked.
    assert_eq!(s.device_by_token_hash(&a.device.token_hash).await.unwrap().unwrap().id, a.device.id);
    let (device, user, tenant) = s.caller_by_token_hash(&a.device.token_hash).await.unwrap().unwrap();
    assert_eq!((device, user.id, tenant.id), (a.device.clone(), a.user.id, a.tenant));
    assert!(s.caller_by_token_hash("no such hash").await.unwrap().is_none());
    let again = s
        .register_device(
            NewDevice {
                id: a.device.id,
                tenant: a.tenant,
                user: a.user.id,
                name: "Jauns nosaukums".into(),
                token_hash: "rotated".into(),
            },
            admin(7_000, "device-add"),
        )
        .await
        .unwrap();
    assert_eq!(again.token_hash, "rotated");
    assert!(s.device_by_token_hash(&a.device.token_hash).await.unwrap().is_none(), "the old token no longer works");
    let b = account(&s, 1, 2, 2).await;
    let stolen = s
        .register_device(
            NewDevice {
                id: a.device.id,
                tenant: b.tenant,
                user: b.user.id,
                name: "x".into(),
                token_hash: "other".into(),
            },
            admin(7_500, "device-add"),
        )
        .await;
    assert!(matches!(stolen, Err(StorageError::DeviceTaken)), "{stolen:?}");
    let revoked = s.revoke_device(a.device.id, admin(8_000, "device-revoke")).await.unwrap();
    assert_eq!(revoked.revoked_at_ms, Some(8_000));
    assert_eq!(s.revoke_device(a.device.id, admin(9_000, "device-revoke")).await.unwrap().revoked_at_ms, Some(8_000));
    let back = s
        .register_device(
            NewDevice {
                id: a.device.id,
                tenant: a.tenant,
                user: a.user.id,
                name: "x".into(),
                token_hash: "again".into(),
            },
            admin(9_500, "device-add"),
        )
        .await;
    assert!(matches!(back, Err(StorageError::DeviceRevoked)), "{back:?}");
    assert_eq!(s.devices(a.tenant).await.unwrap().len(), 2);
    assert!(s.device(device_id(77)).await.unwrap().is_none());
}

pub async fn push_applies_each_change_exactly_once<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let (r1, r2) = (record(1), record(2));
    let first = batch(
        0,
        vec![
            (
                r1,
                Collection::Organisation,
                vec![
                    change(1, "name", json!("NVA Rēzekne"), stamp(10, 0, dev)),
                    change(2, "kind", json!("nva-branch"), stamp(10, 1, dev)),
                ],
            ),
            (r2, Collection::Person, vec![change(3, "fullName", json!("Anna"), stamp(11, 0, dev))]),
        ],
    );
    let answer = push(&s, dev, &first, push_ctx(20, dev)).await.unwrap();
    assert_eq!(answer.applied_seq, 3);
    assert_eq!(answer.stored, Some(SeqRange { after: 0, to: 3 }), "the server seqs the stored values took");
    let state = pulled_state(&s, dev).await;
    let checksums = s.checksums(a.tenant).await.unwrap();
    assert_eq!(state.len(), 3);
    assert_eq!(checksums.cursor, 3);

    // The same batch again (the answer was lost): acknowledged, nothing changes.
    let again = push(&s, dev, &first, push_ctx(21, dev)).await.unwrap();
    assert_eq!(again.applied_seq, 3);
    assert_eq!(again.stored, Some(SeqRange { after: 3, to: 3 }), "nothing stored: an empty range");
    assert_eq!(pulled_state(&s, dev).await, state);
    assert_eq!(s.checksums(a.tenant).await.unwrap(), checksums, "no new server seqs either");

    // A retry that overlaps: seqs 1-3 again plus 4-5; only 4 and 5 take effect. Seq 2
    // now carries a different value: it must still be ignored (already applied).
    let overlap = batch(
        0,
        vec![(
            r1,
            Collection::Organisation,
            vec![
                change(2, "kind", json!("ngo"), stamp(30, 0, dev)),
                change(4, "address", json!("Atbrīvošanas aleja 1"), stamp(31, 0, dev)),
                change(5, "name", json!("NVA Rēzeknes filiāle"), stamp(32, 0, dev)),
            ],
        )],
    );
    let overlapping = push(&s, dev, &overlap, push_ctx(33, dev)).await.unwrap();
    assert_eq!(overlapping.applied_seq, 5);
    let range = overlapping.stored.expect("a range");
    assert_eq!(range.to - range.after, 2, "two of the three changes stored, a seq each");
    let echo: Vec<_> = pull_all(&s, dev, range.after, 100).await.into_iter().flat_map(|p| p.records).collect();
    assert_eq!(
        echo.iter().map(|r| r.record).collect::<Vec<_>>(),
        vec![r1],
        "the range holds exactly the push's record: {echo:?}"
    );
    let after = pulled_state(&s, dev).await;
    assert_eq!(after[&(r1, "kind".to_owned())].0, json!("nva-branch"), "seq 2 was applied before: not again");
    assert_eq!(after[&(r1, "address".to_owned())].0, json!("Atbrīvošanas aleja 1"));
    assert_eq!(after[&(r1, "name".to_owned())].0, json!("NVA Rēzeknes filiāle"));
    assert_eq!(s.device(dev).await.unwrap().unwrap().applied_seq, 5);

    // An empty batch is a no-op that still answers the applied seq.
    assert_eq!(push(&s, dev, &batch(5, vec![]), push_ctx(40, dev)).await.unwrap().applied_seq, 5);
    // Pulling its own values: the device gets the server's current values.
    assert_eq!(stored_fields(&s, a.tenant, r1).await.len(), 3);
}

pub async fn a_push_after_a_gap_is_refused_and_writes_nothing<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let b1 =
        batch(0, vec![(record(1), Collection::Organisation, vec![change(1, "name", json!("A"), stamp(1, 0, dev))])]);
    let b2 =
        batch(1, vec![(record(1), Collection::Organisation, vec![change(2, "name", json!("B"), stamp(2, 0, dev))])]);
    // The second batch arrives first: the server has not applied seq 1, so it refuses.
    let refused = push(&s, dev, &b2, push_ctx(10, dev)).await;
    assert!(matches!(refused, Err(StorageError::SeqGap { after_seq: 1, applied_seq: 0 })), "{refused:?}");
    assert!(stored_fields(&s, a.tenant, record(1)).await.is_empty(), "nothing half-written");
    assert_eq!(s.device(dev).await.unwrap().unwrap().applied_seq, 0);
    // In order, both apply.
    assert_eq!(push(&s, dev, &b1, push_ctx(11, dev)).await.unwrap().applied_seq, 1);
    assert_eq!(push(&s, dev, &b2, push_ctx(12, dev)).await.unwrap().applied_seq, 2);
    assert_eq!(stored_fields(&s, a.tenant, record(1)).await[0].value, json!("B"));
}

pub async fn a_push_its_check_refuses_writes_nothing<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let (org, named, bad_phone) = (record(1), record(2), record(3));
    let refused = batch(
        0,
        vec![
            (org, Collection::Organisation, vec![change(1, "name", json!("NVA Rēzekne"), stamp(10, 0, dev))]),
            (named, Collection::Person, vec![change(2, "fullName", json!("Anna"), stamp(10, 1, dev))]),
            (bad_phone, Collection::Person, vec![change(3, "phones", json!(["zvani man"]), stamp(10, 2, dev))]),
        ],
    );
    match push(&s, dev, &refused, push_ctx(20, dev)).await {
        Err(StorageError::Refused(r)) => {
            assert_eq!((r.record, r.field.as_str(), r.kind), (bad_phone, "phones.0", RefusalKind::InvalidValue))
        }
        other => panic!("refused expected, got {other:?}"),
    }
    assert!(pulled_state(&s, dev).await.is_empty(), "nothing of the batch stored");
    assert_eq!(s.device(dev).await.unwrap().unwrap().applied_seq, 0);
    assert_eq!(s.checksums(a.tenant).await.unwrap().cursor, 0);
    // A later change of the same batch is checked against the record with the batch's
    // earlier changes in it: seq 1 made a person, so seq 2 cannot name it an organisation.
    let twice = batch(
        0,
        vec![
            (named, Collection::Person, vec![change(1, "fullName", json!("Anna"), stamp(10, 1, dev))]),
            (named, Collection::Organisation, vec![change(2, "name", json!("Anna SIA"), stamp(10, 2, dev))]),
        ],
    );
    match push(&s, dev, &twice, push_ctx(20, dev)).await {
        Err(StorageError::Refused(r)) => assert_eq!((r.record, r.kind), (named, RefusalKind::OtherCollection)),
        other => panic!("refused expected, got {other:?}"),
    }
    assert!(pulled_state(&s, dev).await.is_empty(), "nothing of the batch stored");
    let accepted = batch(
        0,
        vec![(
            named,
            Collection::Person,
            vec![
                change(1, "fullName", json!("Anna"), stamp(10, 1, dev)),
                change(2, "phones", json!(["+37129000001"]), stamp(10, 2, dev)),
            ],
        )],
    );
    assert_eq!(accepted.changes.len(), 2, "one change per field");
    assert_eq!(push(&s, dev, &accepted, push_ctx(21, dev)).await.unwrap().applied_seq, 2);
    assert_eq!(pulled_state(&s, dev).await.len(), 2);
}

/// Expects `answer` to refuse `field` of `record` for `kind`, and the storage to hold
/// what it held before (`before`: a full pull's state, and the device's applied seq).
async fn assert_refused<S: ServerStorage>(
    s: &S,
    dev: DeviceId,
    answer: Result<PushResponse, StorageError>,
    (record, field, kind): (RecordId, &str, RefusalKind),
    before: &(PulledState, u64),
) {
    match answer {
        Err(StorageError::Refused(r)) => {
            assert_eq!((r.record, r.field.as_str(), r.kind), (record, field, kind), "{}", r.message)
        }
        other => panic!("{field} refused for {kind:?} expected, got {other:?}"),
    }
    assert_eq!(
        &(pulled_state(s, dev).await, s.device(dev).await.unwrap().unwrap().applied_seq),
        before,
        "nothing stored"
    );
}

/// A laptop names every empty optional field of its records with `null`; a stored
/// `null` where the record's type takes none (a text field's) once let every later
/// value of the record in unchecked.
pub async fn a_stored_null_never_switches_checks_off<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let r = record(1);
    let whole = RecordChange::from_fields(
        1,
        r,
        Collection::Seminar,
        [
            ("title", json!("Seminārs")),
            ("kind", json!("seminar")),
            ("date", json!("2012-11-09")),
            ("municipality", json!("daugavpils")),
            ("venue", json!(null)),
            ("organiser", json!(null)),
            ("endDate", json!(null)),
        ]
        .map(|(f, v)| (f.to_owned(), v, stamp(10, 0, dev))),
    );
    push(&s, dev, &PushRequest { after_seq: 0, changes: vec![whole] }, push_ctx(20, dev)).await.unwrap();
    let before = (pulled_state(&s, dev).await, 1);
    let one = |field: &str, value: Value| {
        batch(1, vec![(r, Collection::Seminar, vec![change(2, field, value, stamp(30, 0, dev))])])
    };
    for (field, value, refused) in [
        ("title", json!(null), "title"),
        ("title", json!("  "), "title"),
        ("date", json!("2012-13-45"), "date"),
        ("participants", json!({"youth": -3}), "participants.youth"),
        ("municipality", json!("atlantis"), "municipality"),
        ("colour", json!("red"), "colour"),
    ] {
        let answer = push(&s, dev, &one(field, value), push_ctx(40, dev)).await;
        assert_refused(&s, dev, answer, (r, refused, RefusalKind::InvalidValue), &before).await;
    }
    assert_eq!(
        push(&s, dev, &one("venue", json!("Zāle")), push_ctx(50, dev)).await.unwrap().applied_seq,
        2,
        "a valid change"
    );
}

/// A value the server cannot read (a number out of range, an unpaired surrogate) is
/// refused naming its field, and its change's other values are not stored either: the
/// laptop keeps the change in its outbox, where before it was answered as stored.
pub async fn an_unreadable_value_is_refused_by_name<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let r = record(1);
    let made =
        batch(0, vec![(r, Collection::Organisation, vec![change(1, "name", json!("NVA Rēzekne"), stamp(10, 0, dev))])]);
    push(&s, dev, &made, push_ctx(20, dev)).await.unwrap();
    let before = (pulled_state(&s, dev).await, 1);
    let hlc = stamp(30, 0, dev);
    for bad in ["1e400", r#""\ud800""#] {
        // As the server reads a push off the wire: the values as the texts they came in.
        let text = format!(
            r#"{{"afterSeq": 1, "changes": [{{"seq": 2, "record": "{r}", "collection": "organisation", "hlc": "{hlc}",
                "fields": {{"address": "Brīvības iela 1", "notes": {bad}}}}}]}}"#
        );
        let Ok(wire) = serde_json::from_str::<PushRequest>(&text) else {
            panic!("{bad} is read off the wire as a text")
        };
        let answer = push(&s, dev, &wire, push_ctx(40, dev)).await;
        assert_refused(&s, dev, answer, (r, "notes", RefusalKind::InvalidValue), &before).await;
        // A new record, the value in an optional field (where `null` would be valid).
        let new = record(2);
        let text = format!(
            r#"{{"afterSeq": 1, "changes": [{{"seq": 2, "record": "{new}", "collection": "seminar", "hlc": "{hlc}",
                "fields": {{"title": "Seminārs", "kind": "seminar", "date": "2012-11-09", "municipality": "riga",
                            "endDate": {bad}}}}}]}}"#
        );
        let wire = serde_json::from_str::<PushRequest>(&text).unwrap();
        let answer = push(&s, dev, &wire, push_ctx(40, dev)).await;
        assert_refused(&s, dev, answer, (new, "endDate", RefusalKind::InvalidValue), &before).await;
    }
}

/// A stamp further ahead of the server's clock than the rules allow, or naming another
/// device, is refused; a stamp within the bound is stored.
pub async fn stamps_ahead_or_of_another_device_are_refused<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 1, 2, 2).await;
    let dev = a.device.id;
    let r = record(1);
    let now = 1_700_000_000_000;
    let rules = PushRules::at(now);
    let at = |wall_ms: u64, device: DeviceId| {
        batch(0, vec![(r, Collection::Organisation, vec![change(1, "name", json!("NVA"), stamp(wall_ms, 0, device))])])
    };
    let before = (BTreeMap::new(), 0);
    for (wall_ms, kind) in
        [(now + rules.max_stamp_ahead_ms + 1, RefusalKind::StampAhead), (u64::MAX >> 16, RefusalKind::StampAhead)]
    {
        let answer = s.push(dev, at(wall_ms, dev), rules, push_ctx(now, dev)).await;
        assert_refused(&s, dev, answer, (r, "name", kind), &before).await;
    }
    let answer = s.push(dev, at(now, b.device.id), rules, push_ctx(now, dev)).await;
    assert_refused(&s, dev, answer, (r, "name", RefusalKind::StampOfOtherDevice), &before).await;
    let within = now + rules.max_stamp_ahead_ms;
    assert_eq!(
        s.push(dev, at(within, dev), rules, push_ctx(now, dev)).await.unwrap().applied_seq,
        1,
        "at the bound: stored"
    );
}

pub async fn the_later_stamp_wins_in_any_arrival_order<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 1, 2, 2).await;
    let (da, db) = (a.device.id, b.device.id);
    let r = record(1);
    let from_a = batch(
        0,
        vec![(r, Collection::Organisation, vec![change(1, "phones", json!(["+37129000001"]), stamp(100, 0, da))])],
    );
    let from_b = batch(
        0,
        vec![(r, Collection::Organisation, vec![change(1, "phones", json!(["+37129000002"]), stamp(100, 0, db))])],
    );
    // Same instant: the higher device id wins (b's id is higher), whichever arrives first.
    push(&s, db, &from_b, push_ctx(110, db)).await.unwrap();
    push(&s, da, &from_a, push_ctx(111, da)).await.unwrap();
    let stored = stored_fields(&s, a.tenant, r).await;
    assert_eq!(stored[0].value, json!(["+37129000002"]));
    assert_eq!(stored[0].hlc, stamp(100, 0, db));

    // A later edit from a wins; an older one arriving afterwards changes nothing.
    let newer = batch(
        1,
        vec![(r, Collection::Organisation, vec![change(2, "phones", json!(["+37129000003"]), stamp(200, 0, da))])],
    );
    let older = batch(
        1,
        vec![(r, Collection::Organisation, vec![change(2, "phones", json!(["+37129000004"]), stamp(150, 0, db))])],
    );
    push(&s, da, &newer, push_ctx(210, da)).await.unwrap();
    let seq_before = s.checksums(a.tenant).await.unwrap().cursor;
    let lost = push(&s, db, &older, push_ctx(211, db)).await.unwrap();
    assert_eq!(lost.applied_seq, 2, "acknowledged although it lost");
    assert_eq!(lost.stored, None, "its field was kept out: no range, so the laptop pulls the winner back");
    assert_eq!(stored_fields(&s, a.tenant, r).await[0].value, json!(["+37129000003"]));
    assert_eq!(s.checksums(a.tenant).await.unwrap().cursor, seq_before, "a losing change stores nothing");
}

pub async fn a_text_edit_is_stored_only_over_the_version_it_was_made_from<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 1, 2, 2).await;
    let (da, db) = (a.device.id, b.device.id);
    let r = record(1);
    let expecting = |seq: u64, text: &str, at: u64, device: DeviceId, base: Option<Hlc>| {
        let mut c = change(seq, "notes", json!(text), stamp(at, 0, device));
        c.expect = Some(saite_protocol::Expected { hlc: base });
        c
    };
    // The first version: made from nothing, stored over nothing.
    push(
        &s,
        da,
        &batch(0, vec![(r, Collection::Seminar, vec![expecting(1, "Sākums.", 100, da, None)])]),
        push_ctx(110, da),
    )
    .await
    .unwrap();
    let first = stored_fields(&s, a.tenant, r).await[0].hlc;
    assert_eq!(first, stamp(100, 0, da));
    // Both edit from it; a's arrives first and is stored; b's, later-stamped but made from
    // the version a's replaced, is acknowledged and not stored.
    push(
        &s,
        da,
        &batch(1, vec![(r, Collection::Seminar, vec![expecting(2, "Sākums. A", 200, da, Some(first))])]),
        push_ctx(210, da),
    )
    .await
    .unwrap();
    let cursor = s.checksums(a.tenant).await.unwrap().cursor;
    let from_b = batch(0, vec![(r, Collection::Seminar, vec![expecting(1, "Sākums. B", 300, db, Some(first))])]);
    assert_eq!(push(&s, db, &from_b, push_ctx(310, db)).await.unwrap().applied_seq, 1, "acknowledged");
    let stored = stored_fields(&s, a.tenant, r).await;
    assert_eq!(
        (stored[0].value.clone(), stored[0].hlc),
        (json!("Sākums. A"), stamp(200, 0, da)),
        "a's text stays for b to merge"
    );
    assert_eq!(s.checksums(a.tenant).await.unwrap().cursor, cursor, "nothing stored");
    // b merged, from a's version: stored. A chain in one batch: each from the one before.
    let merged = batch(
        1,
        vec![(
            r,
            Collection::Seminar,
            vec![
                expecting(2, "Sākums. A B", 400, db, Some(stamp(200, 0, da))),
                expecting(3, "Sākums. A B!", 401, db, Some(stamp(400, 0, db))),
            ],
        )],
    );
    push(&s, db, &merged, push_ctx(410, db)).await.unwrap();
    assert_eq!(stored_fields(&s, a.tenant, r).await[0].value, json!("Sākums. A B!"));
    // A change expecting nothing, over something, is not stored either.
    push(
        &s,
        da,
        &batch(2, vec![(r, Collection::Seminar, vec![expecting(3, "Cits", 500, da, None)])]),
        push_ctx(510, da),
    )
    .await
    .unwrap();
    assert_eq!(stored_fields(&s, a.tenant, r).await[0].value, json!("Sākums. A B!"));
}

pub async fn a_change_of_several_fields_merges_field_by_field<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 1, 2, 2).await;
    let (da, db) = (a.device.id, b.device.id);
    let r = record(7);
    let from_a = RecordChange::from_fields(
        1,
        r,
        Collection::Organisation,
        [
            ("name".to_owned(), json!("NVA Rēzekne"), stamp(10, 0, da)),
            ("kind".to_owned(), json!("ngo"), stamp(10, 0, da)),
        ],
    );
    assert!(from_a.stamps.is_empty(), "one stamp for both fields: {from_a:?}");
    let answer = push(&s, da, &PushRequest { after_seq: 0, changes: vec![from_a] }, push_ctx(11, da)).await.unwrap();
    assert_eq!(answer.stored, Some(SeqRange { after: 0, to: 1 }), "one change, one server seq");

    // b's change: its name is older than a's (kept out), its address new (stored).
    let from_b = RecordChange::from_fields(
        1,
        r,
        Collection::Organisation,
        [
            ("name".to_owned(), json!("Cits nosaukums"), stamp(5, 0, db)),
            ("address".to_owned(), json!("Brīvības iela 1"), stamp(20, 0, db)),
        ],
    );
    let answer = push(&s, db, &PushRequest { after_seq: 0, changes: vec![from_b] }, push_ctx(21, db)).await.unwrap();
    assert_eq!(answer.applied_seq, 1);
    assert_eq!(answer.stored, None, "a field was kept out: b must pull the record back, not skip it");

    let page = s.pull(db, 0, 10).await.unwrap();
    assert_eq!(page.records.len(), 1);
    let pulled = &page.records[0];
    let values = pulled.fields.to_values().unwrap();
    assert_eq!(values["name"], json!("NVA Rēzekne"));
    assert_eq!(values["address"], json!("Brīvības iela 1"));
    assert_eq!(
        (pulled.hlc, pulled.stamps.clone()),
        (stamp(10, 0, da), BTreeMap::from([("address".to_owned(), stamp(20, 0, db))]))
    );
    assert_eq!(page.end_cursor, 2);
    let sums = s.checksums(a.tenant).await.unwrap();
    assert_eq!(sums.collections.iter().map(|c| c.fields).sum::<u64>(), 3, "three fields stored");
}

pub async fn pull_pages_cover_every_value_once<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let mut seq = 0;
    let records: Vec<_> = (0..5)
        .map(|i| {
            let fields = (0..5)
                .map(|f| {
                    seq += 1;
                    let (field, value) = match f {
                        0..3 => (text_field(Collection::Seminar, f), json!(format!("Teksts {}", i * 10 + f))),
                        3 => ("date", json!(format!("2012-11-{:02}", 10 + f))),
                        _ => ("municipality", json!("daugavpils")),
                    };
                    change(seq, field, value, stamp(1_000 + seq, 0, dev))
                })
                .collect();
            (record(i as u128), Collection::Seminar, fields)
        })
        .collect();
    push(&s, dev, &batch(0, records), push_ctx(2_000, dev)).await.unwrap();
    let pages = pull_all(&s, dev, 0, 2).await;
    assert_eq!(pages.iter().map(|p| p.records.len()).collect::<Vec<_>>(), vec![2, 2, 1], "pages of whole records");
    assert_eq!(pages.iter().map(|p| p.field_count()).collect::<Vec<_>>(), vec![10, 10, 5]);
    assert_eq!(pages.iter().map(|p| p.more).collect::<Vec<_>>(), vec![true, true, false]);
    assert_eq!(pages.last().unwrap().end_cursor, 25);
    // What is left to bring after each page, as a laptop shows a pull's progress.
    let mut left = Vec::new();
    for page in &pages {
        left.push(s.records_after(a.tenant, None, page.end_cursor).await.unwrap());
    }
    assert_eq!(left, vec![3, 1, 0]);
    assert_eq!(s.records_after(a.tenant, Some(Collection::Seminar), 0).await.unwrap(), 5);
    assert_eq!(s.records_after(a.tenant, Some(Collection::Person), 0).await.unwrap(), 0);
    assert_eq!(s.records_after(tenant_id(99), None, 0).await.unwrap(), 0, "only the tenant's own");
    // Nothing new: an empty page at the same cursor.
    let empty = s.pull(dev, 25, 10).await.unwrap();
    assert_eq!((empty.field_count(), empty.end_cursor, empty.more), (0, 25, false));
    assert_eq!(s.device(dev).await.unwrap().unwrap().pulled_seq, 25, "the device confirmed everything up to 25");
    // A pull request's answer: the page, and on the last one the summary of the
    // checksums as they stand.
    let summary = s.checksums(a.tenant).await.unwrap().summary();
    let first = s.pull_with_summary(dev, a.tenant, 0, 2).await.unwrap();
    assert_eq!((first.records.len(), first.more, first.summary), (2, true, None), "no summary before the last page");
    let last = s.pull_with_summary(dev, a.tenant, 0, 10).await.unwrap();
    assert_eq!((last.field_count(), last.end_cursor, last.more), (25, 25, false));
    assert_eq!(last.summary, Some(summary.clone()));
    assert_eq!(
        s.pull_with_summary(dev, a.tenant, 25, 10).await.unwrap().summary,
        Some(summary),
        "nothing new: the summary alone"
    );

    // An update moves its record past the cursor: the next pull brings just it, whole.
    push(
        &s,
        dev,
        &batch(
            25,
            vec![(record(2), Collection::Seminar, vec![change(26, "notes", json!("changed"), stamp(5_000, 0, dev))])],
        ),
        push_ctx(5_001, dev),
    )
    .await
    .unwrap();
    assert_eq!(s.records_after(a.tenant, None, 25).await.unwrap(), 1, "a record counts once, at its last change");
    assert_eq!(s.records_after(a.tenant, None, 0).await.unwrap(), 5);
    let next = s.pull(dev, 25, 10).await.unwrap();
    assert_eq!(next.records.len(), 1);
    assert_eq!(next.records[0].record, record(2));
    assert_eq!(
        (&next.records[0].fields.to_values().unwrap()["notes"], next.records[0].stamp_of("notes")),
        (&json!("changed"), &stamp(5_000, 0, dev))
    );
    assert_eq!(next.field_count(), 5);
    assert_eq!(next.end_cursor, 26);
    assert_eq!(pulled_state(&s, dev).await.len(), 25, "still 25 values, one of them newer");
}

pub async fn tenants_never_see_each_other<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 2, 2, 2).await;
    let r = record(1);
    push(
        &s,
        a.device.id,
        &batch(
            0,
            vec![(r, Collection::Person, vec![change(1, "fullName", json!("Slepena"), stamp(1, 0, a.device.id))])],
        ),
        push_ctx(10, a.device.id),
    )
    .await
    .unwrap();
    assert_eq!(s.pull(b.device.id, 0, 100).await.unwrap().field_count(), 0);
    assert!(stored_fields(&s, b.tenant, r).await.is_empty());
    assert!(s.checksums(b.tenant).await.unwrap().collections.is_empty());
    assert_eq!(s.users(b.tenant).await.unwrap().len(), 1);
    assert_eq!(s.devices(b.tenant).await.unwrap().len(), 1);
    // The same record id pushed by the other tenant is a separate record.
    push(
        &s,
        b.device.id,
        &batch(0, vec![(r, Collection::Person, vec![change(1, "fullName", json!("Cita"), stamp(1, 0, b.device.id))])]),
        push_ctx(11, b.device.id),
    )
    .await
    .unwrap();
    assert_eq!(stored_fields(&s, a.tenant, r).await[0].value, json!("Slepena"));
    assert_eq!(stored_fields(&s, b.tenant, r).await[0].value, json!("Cita"));
    assert_eq!(s.audit_log(b.tenant, 0, 1000).await.unwrap().iter().filter(|e| e.action == "push").count(), 1);
}

pub async fn checksums_equal_the_digest_of_the_stored_fields<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let mut seq = 0;
    for round in 0..3u64 {
        let records = (0..4u128)
            .map(|i| {
                let collection = if i % 2 == 0 { Collection::Seminar } else { Collection::Organisation };
                seq += 1;
                let field = text_field(collection, round as usize % 2);
                (
                    record(i),
                    collection,
                    vec![change(seq, field, json!(format!("{round}")), stamp(100 * round + i as u64, 0, dev))],
                )
            })
            .collect();
        push(&s, dev, &batch(seq - 4, records), push_ctx(1_000 + round, dev)).await.unwrap();
    }
    let mut expected: BTreeMap<Collection, FieldDigest> = BTreeMap::new();
    for page in pull_all(&s, dev, 0, 3).await {
        for r in page.records {
            for field in r.fields.to_values().unwrap().keys() {
                expected.entry(r.collection).or_default().add(field_digest(&r.record, field, r.stamp_of(field)));
            }
        }
    }
    let got = s.checksums(a.tenant).await.unwrap();
    assert_eq!(got.collections.len(), 2);
    for c in &got.collections {
        let e = expected[&c.collection];
        assert_eq!((c.fields, c.digest.clone()), (e.fields, e.sum_hex()), "{}", c.collection);
    }
    assert_eq!(expected.values().map(|d| d.fields).sum::<u64>(), 8, "4 records × 2 fields");
}

pub async fn a_revoked_device_can_neither_push_nor_pull<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    s.revoke_device(dev, admin(50, "device-revoke")).await.unwrap();
    let refused = push(
        &s,
        dev,
        &batch(0, vec![(record(1), Collection::Person, vec![change(1, "fullName", json!("X"), stamp(1, 0, dev))])]),
        push_ctx(60, dev),
    )
    .await;
    assert!(matches!(refused, Err(StorageError::DeviceRevoked)), "{refused:?}");
    assert!(matches!(s.pull(dev, 0, 10).await, Err(StorageError::DeviceRevoked)));
    assert!(stored_fields(&s, a.tenant, record(1)).await.is_empty());
    assert!(matches!(
        push(&s, device_id(404), &batch(0, vec![]), push_ctx(70, dev)).await,
        Err(StorageError::NotFound(_))
    ));
}

pub async fn the_audit_chain_records_every_write_and_detects_tampering<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    push(
        &s,
        dev,
        &batch(0, vec![(record(1), Collection::Person, vec![change(1, "fullName", json!("A"), stamp(1, 0, dev))])]),
        push_ctx(100, dev),
    )
    .await
    .unwrap();
    s.append_audit(
        a.tenant,
        AuditContext {
            at_ms: 110,
            device_time_ms: Some(109),
            user: Some(a.user.id),
            device: Some(dev),
            action: "sign-in".into(),
            detail: json!({"ip": "127.0.0.1"}),
        },
    )
    .await
    .unwrap();
    s.update_user(a.user.id, UserChange::SetRole(Role::Admin), Some(admin(120, "user-role"))).await.unwrap();
    s.update_user(a.user.id, UserChange::SignInFailed { lock_until_ms: None }, None).await.unwrap();
    s.revoke_device(dev, admin(130, "device-revoke")).await.unwrap();

    let log = s.audit_log(a.tenant, 0, 1000).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["tenant-add", "user-add", "device-add", "push", "record-create", "sign-in", "user-role", "device-revoke"]
    );
    let push = &log[3];
    assert_eq!((push.device, push.device_time_ms, push.at_ms), (Some(dev), Some(95), 100));
    assert_eq!(push.detail["fieldsStored"], json!(1));
    // The change itself: made on the laptop at its stamp's time, arrived at the push's.
    let change = &log[4];
    assert_eq!((change.device, change.device_time_ms, change.at_ms), (Some(dev), Some(1), 100));
    assert_eq!(change.record(), Some(record(1).to_string()));
    verify_chain(&log).unwrap();
    assert_eq!(s.audit_log(a.tenant, 5, 1).await.unwrap()[0].seq, 6, "paged by seq");

    let mut edited = log.clone();
    edited[5].detail = json!({"ip": "10.0.0.1"});
    assert_eq!(verify_chain(&edited), Err(ChainFault::Tampered { seq: 6 }));
    let mut removed = log.clone();
    removed.remove(2);
    assert!(matches!(verify_chain(&removed), Err(ChainFault::Gap { seq: 4, .. })));
}

/// Every fresh change of a push is its own audit entry: what it did to which record,
/// when the laptop made it (its stamp) and when it reached the server; the audit
/// filters by record, and a retried push audits its changes only once.
pub async fn each_pushed_change_is_audited_with_the_laptops_time_and_the_arrival<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let first = batch(
        0,
        vec![
            (record(1), Collection::Person, vec![change(1, "fullName", json!("Rasa"), stamp(5_000, 0, dev))]),
            (
                record(1),
                Collection::Person,
                vec![change(2, "position", json!("Sociālā darbiniece"), stamp(6_000, 0, dev))],
            ),
            (record(2), Collection::Person, vec![change(3, "fullName", json!("Ilze"), stamp(6_500, 0, dev))]),
        ],
    );
    push(&s, dev, &first, push_ctx(90_000, dev)).await.unwrap();
    push(&s, dev, &first, push_ctx(91_000, dev)).await.unwrap();
    let trash =
        batch(3, vec![(record(1), Collection::Person, vec![change(4, "_deleted", json!(true), stamp(7_000, 0, dev))])]);
    push(&s, dev, &trash, push_ctx(95_000, dev)).await.unwrap();

    let about = |r: RecordId| {
        let s = s.clone();
        async move {
            let filter = AuditFilter { record: Some(r), ..Default::default() };
            s.audit_entries(a.tenant, &filter, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|e| (e.action, e.device_time_ms, e.at_ms, e.user, e.device))
                .collect::<Vec<_>>()
        }
    };
    // The push's own entry names the laptop (push_ctx names no user).
    let by: (Option<UserId>, Option<DeviceId>) = (None, Some(dev));
    assert_eq!(
        about(record(1)).await,
        vec![
            ("record-create".into(), Some(5_000), 90_000, by.0, by.1),
            ("record-edit".into(), Some(6_000), 90_000, by.0, by.1),
            ("record-delete".into(), Some(7_000), 95_000, by.0, by.1),
        ]
    );
    assert_eq!(about(record(2)).await, vec![("record-create".into(), Some(6_500), 90_000, by.0, by.1)]);
    let edit = s
        .audit_entries(a.tenant, &AuditFilter { action: Some("record-edit".into()), ..Default::default() }, 10)
        .await
        .unwrap();
    assert_eq!(
        (edit[0].detail["collection"].clone(), edit[0].detail["fields"].clone()),
        (json!("person"), json!(["position"]))
    );
    assert_eq!(edit[0].detail["hlc"], json!(stamp(6_000, 0, dev).to_string()));
    let log = s.audit_log(a.tenant, 0, 1000).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "push").count(), 3, "the retry is audited as a push");
    verify_chain(&log).unwrap();
}

/// A laptop's events (exports) land in its organisation's audit with its own time and
/// the arrival; a retried send, or one repeating seqs the server has, adds nothing.
pub async fn a_laptops_events_are_audited_once_with_its_time<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let dev = a.device.id;
    let event = |seq: u64, at: u64, what: &str| {
        let entry = AuditContext {
            at_ms: 50_000,
            device_time_ms: Some(at),
            user: Some(a.user.id),
            device: Some(dev),
            action: "export".into(),
            detail: json!({"title": what, "format": "csv"}),
        };
        (seq, entry)
    };
    let sent = vec![event(2, 2_000, "Pasākumi"), event(1, 1_000, "Materiāli")];
    assert_eq!(s.append_device_events(dev, sent.clone()).await.unwrap(), 2);
    assert_eq!(s.append_device_events(dev, sent).await.unwrap(), 2, "a retried send");
    assert_eq!(
        s.append_device_events(dev, vec![event(2, 2_000, "Pasākumi"), event(3, 3_000, "Kontakti")]).await.unwrap(),
        3
    );
    assert_eq!(s.append_device_events(dev, vec![]).await.unwrap(), 3, "nothing sent: the seq stays");
    let filter = AuditFilter { action: Some("export".into()), ..Default::default() };
    let kept: Vec<_> = s
        .audit_entries(a.tenant, &filter, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.device_time_ms, e.detail["title"].clone(), e.device, e.user))
        .collect();
    let by = (Some(dev), Some(a.user.id));
    assert_eq!(
        kept,
        vec![
            (Some(1_000), json!("Materiāli"), by.0, by.1),
            (Some(2_000), json!("Pasākumi"), by.0, by.1),
            (Some(3_000), json!("Kontakti"), by.0, by.1),
        ],
        "in seq order, each once"
    );
    verify_chain(&s.audit_log(a.tenant, 0, 1000).await.unwrap()).unwrap();
    let unknown = s.append_device_events(DeviceId::from_uuid(id(0xDEAD)), vec![event(1, 1, "x")]).await;
    assert!(matches!(unknown, Err(StorageError::NotFound(_))), "{unknown:?}");
}

pub async fn audit_entries_narrow_by_user_device_action_and_time<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 1, 2, 2).await;
    let other = account(&s, 2, 3, 3).await;
    for (at_ms, who, action) in
        [(10_000, &a, "sign-in"), (20_000, &b, "sign-in"), (30_000, &a, "push"), (40_000, &b, "push")]
    {
        let ctx = AuditContext {
            at_ms,
            device_time_ms: Some(at_ms - 1),
            user: Some(who.user.id),
            device: Some(who.device.id),
            action: action.into(),
            detail: json!({}),
        };
        s.append_audit(who.tenant, ctx.clone()).await.unwrap();
        s.append_audit(other.tenant, AuditContext { user: Some(other.user.id), device: Some(other.device.id), ..ctx })
            .await
            .unwrap();
    }
    let read = |filter: AuditFilter, limit: u32| {
        let s = s.clone();
        async move { s.audit_entries(a.tenant, &filter, limit).await.unwrap() }
    };
    let at = |entries: &[AuditRecord]| entries.iter().map(|e| e.at_ms).collect::<Vec<_>>();
    let all = read(AuditFilter::default(), 100).await;
    // The accounts' own entries (tenant, users, devices added) come first, at 1–3 s.
    assert_eq!(at(&all).into_iter().filter(|t| *t >= 10_000).collect::<Vec<_>>(), vec![10_000, 20_000, 30_000, 40_000]);
    assert_eq!(at(&read(AuditFilter { user: Some(a.user.id), ..Default::default() }, 100).await), vec![10_000, 30_000]);
    assert_eq!(
        at(&read(AuditFilter { device: Some(b.device.id), ..Default::default() }, 100).await),
        vec![20_000, 40_000]
    );
    let pushes = AuditFilter { action: Some("push".into()), ..Default::default() };
    assert_eq!(at(&read(pushes.clone(), 100).await), vec![30_000, 40_000]);
    assert_eq!(at(&read(pushes, 1).await), vec![30_000], "at most the limit, oldest first");
    let window = AuditFilter { from_ms: Some(20_000), to_ms: Some(40_000), ..Default::default() };
    assert_eq!(at(&read(window, 100).await), vec![20_000, 30_000], "from inclusive, to exclusive");
    let after = all.iter().find(|e| e.at_ms == 20_000).unwrap().seq;
    let both = AuditFilter { after, user: Some(b.user.id), ..Default::default() };
    assert_eq!(at(&read(both, 100).await), vec![40_000]);
    // Another organisation's entries are never among them, whatever the filter.
    let theirs = AuditFilter { user: Some(other.user.id), ..Default::default() };
    assert!(read(theirs, 100).await.is_empty());
    assert_eq!(s.audit_entries(other.tenant, &AuditFilter::default(), 100).await.unwrap().len(), all.len() - 2);
}

pub async fn a_laptops_contact_is_noted_and_never_moves_back<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let contact = |at_ms, app_version: Option<&str>, outbox_seq| Contact {
        at_ms,
        app_version: app_version.map(str::to_owned),
        outbox_seq,
    };
    s.note_contact(a.device.id, contact(50_000, Some("0.1.0"), Some(7))).await.unwrap();
    let seen = s.device(a.device.id).await.unwrap().unwrap();
    assert_eq!((seen.last_seen_ms, seen.app_version.as_deref(), seen.outbox_seq), (Some(50_000), Some("0.1.0"), 7));
    assert_eq!(seen.pending_changes(), 7, "none applied yet");
    // A late request (an older time, fewer changes, no version) moves nothing back.
    s.note_contact(a.device.id, contact(40_000, None, Some(3))).await.unwrap();
    let kept = s.device(a.device.id).await.unwrap().unwrap();
    assert_eq!((kept.last_seen_ms, kept.app_version.as_deref(), kept.outbox_seq), (Some(50_000), Some("0.1.0"), 7));
    s.note_contact(a.device.id, contact(60_000, Some("0.2.0"), None)).await.unwrap();
    let updated = s.device(a.device.id).await.unwrap().unwrap();
    assert_eq!(
        (updated.last_seen_ms, updated.app_version.as_deref(), updated.outbox_seq),
        (Some(60_000), Some("0.2.0"), 7)
    );
    // Through the caller lookup too (a joined row), and kept by a backup.
    let (device, user, _) = s.caller_by_token_hash(&a.device.token_hash).await.unwrap().unwrap();
    assert_eq!((device.app_version.as_deref(), device.outbox_seq, user.locked_until_ms), (Some("0.2.0"), 7, None));
    let dump = s.export().await.unwrap();
    assert!(
        dump.devices
            .iter()
            .any(|d| d.id == a.device.id && d.outbox_seq == 7 && d.app_version.as_deref() == Some("0.2.0"))
    );
}

pub async fn an_organisation_keeps_an_active_administrator<S: ServerStorage>(s: S) {
    let first = account(&s, 1, 1, 1).await.user;
    let second = account(&s, 1, 2, 2).await.user;
    let elsewhere = account(&s, 2, 3, 3).await.user;
    for admin in [&first, &second, &elsewhere] {
        s.update_user(admin.id, UserChange::SetRole(Role::Admin), None).await.unwrap();
    }
    s.update_user(second.id, UserChange::SetDisabled(true), None).await.unwrap();
    // The first is the only active administrator of its organisation (another
    // organisation's does not count): neither demoted nor disabled.
    for change in [UserChange::SetRole(Role::Coordinator), UserChange::SetDisabled(true)] {
        let refused = s.update_user(first.id, change, Some(admin(5_000, "user-role"))).await;
        assert!(matches!(refused, Err(StorageError::LastAdmin)), "{refused:?}");
    }
    assert_eq!(s.user(first.id).await.unwrap().unwrap().role, Role::Admin, "nothing written");
    let audited = s.audit_log(first.tenant, 0, 1000).await.unwrap();
    assert!(audited.iter().all(|e| e.at_ms != 5_000), "nor audited");
    // A disabled administrator may still be demoted; another password changes nothing.
    s.update_user(second.id, UserChange::SetRole(Role::Consultant), None).await.unwrap();
    s.update_user(first.id, UserChange::SetPasswordHash("$argon2id$other".into()), None).await.unwrap();
    // With a second active administrator, the first may step down.
    s.update_user(second.id, UserChange::SetRole(Role::Admin), None).await.unwrap();
    s.update_user(second.id, UserChange::SetDisabled(false), None).await.unwrap();
    s.update_user(first.id, UserChange::SetRole(Role::Coordinator), None).await.unwrap();
    let refused = s.update_user(second.id, UserChange::SetDisabled(true), None).await;
    assert!(matches!(refused, Err(StorageError::LastAdmin)), "{refused:?}");
    // Two administrators removing each other at once: one of them stays.
    s.update_user(first.id, UserChange::SetRole(Role::Admin), None).await.unwrap();
    let (a, b) = tokio::join!(
        s.update_user(first.id, UserChange::SetDisabled(true), None),
        s.update_user(second.id, UserChange::SetDisabled(true), None),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let users = s.users(first.tenant).await.unwrap();
    assert_eq!(users.iter().filter(|u| u.role == Role::Admin && !u.disabled).count(), 1);
}

pub async fn office_settings_reach_every_caller_of_their_organisation<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let other = account(&s, 2, 2, 2).await;
    assert_eq!(s.tenant(a.tenant).await.unwrap().unwrap().office, OfficeSettings::default(), "none at first");
    let stored = s.set_office(a.tenant, sample_office(), admin(5_000, "office-settings")).await.unwrap();
    assert_eq!(stored.office, sample_office());
    // Every request's caller carries them (a joined row); the other organisation's not.
    let (_, _, tenant) = s.caller_by_token_hash(&a.device.token_hash).await.unwrap().unwrap();
    assert_eq!((tenant.id, tenant.office), (a.tenant, sample_office()));
    let (_, _, theirs) = s.caller_by_token_hash(&other.device.token_hash).await.unwrap().unwrap();
    assert_eq!(theirs.office, OfficeSettings::default());
    assert_eq!(s.tenants().await.unwrap().iter().find(|t| t.id == a.tenant).unwrap().office, sample_office());
    let audited = s.audit_entries(a.tenant, &AuditFilter::default(), 100).await.unwrap();
    assert_eq!(audited.last().map(|e| (e.action.as_str(), e.at_ms)), Some(("office-settings", 5_000)));
    // Cleared back to none; an unknown organisation is refused and audits nothing.
    s.set_office(a.tenant, OfficeSettings::default(), admin(6_000, "office-settings")).await.unwrap();
    assert_eq!(s.tenant(a.tenant).await.unwrap().unwrap().office, OfficeSettings::default());
    let unknown = s.set_office(tenant_id(99), sample_office(), admin(7_000, "office-settings")).await;
    assert!(matches!(unknown, Err(StorageError::NotFound(_))), "{unknown:?}");
}

pub async fn export_then_import_gives_identical_state<S: ServerStorage>(s: S) {
    sample_state(&s).await;
    let dump = s.export().await.unwrap();
    assert_eq!((dump.tenants.len(), dump.users.len(), dump.devices.len(), dump.fields.len()), (2, 2, 3, 6));
    assert_eq!(
        dump.audit.len(),
        2 + 2 + 3 + 2 + 6 + 1 + 1 + 1 + 1,
        "tenants, users, devices, pushes and their six changes, a revocation, a file, a re-pull, office settings"
    );
    assert_eq!(dump.tenants.iter().filter(|t| t.office == sample_office()).count(), 1);
    assert_eq!(dump.repulls.len(), 1);
    assert_eq!(dump.blobs.len(), 1, "the complete file; the unfinished upload is not backed up");
    assert_eq!(dump.blobs[0].bytes, SAMPLE_FILE);
    // Importing into a database that has data is refused, and changes nothing.
    assert!(matches!(s.import(&dump).await, Err(StorageError::NotEmpty)));
    assert_eq!(s.export().await.unwrap(), dump, "exporting twice gives the same dump");
    // The backup file is JSON: the dump survives it exactly.
    let back: saite_server_storage::Dump = serde_json::from_str(&serde_json::to_string(&dump).unwrap()).unwrap();
    assert_eq!(back, dump);
    // Restoring into a second, empty storage is `restore_gives_identical_state`, which
    // each backend runs (it needs two storages, possibly of different backends).
}

/// Restores `dump` of `from` into the empty `to` and checks they hold the same state:
/// equal exports, equal checksums, equal pulls, and a valid audit chain.
pub async fn restore_gives_identical_state<A: ServerStorage, B: ServerStorage>(from: &A, to: &B) {
    let dump = from.export().await.unwrap();
    to.import(&dump).await.unwrap();
    assert_eq!(to.export().await.unwrap(), dump);
    for t in &dump.tenants {
        assert_eq!(to.checksums(t.id).await.unwrap(), from.checksums(t.id).await.unwrap());
        verify_chain(&to.audit_log(t.id, 0, u32::MAX).await.unwrap()).unwrap();
    }
    for d in dump.devices.iter().filter(|d| d.revoked_at_ms.is_none()) {
        assert_eq!(to.pull(d.id, 0, 1000).await.unwrap().records, from.pull(d.id, 0, 1000).await.unwrap().records);
    }
}

/// A device of a new organisation's consultant, and a push from it of `n` new
/// organisations: for a backend's own tests of a bulk push.
pub async fn device_and_bulk_push<S: ServerStorage>(s: &S, n: u128) -> (DeviceId, PushRequest, AuditContext) {
    let dev = account(s, 1, 1, 1).await.device.id;
    let records = (0..n)
        .map(|i| {
            let fields = vec![change(i as u64 + 1, "name", json!(format!("Biedrība {i}")), stamp(10, i as u32, dev))];
            (record(i + 1), Collection::Organisation, fields)
        })
        .collect();
    (dev, batch(0, records), push_ctx(20, dev))
}

/// Fills a storage with a little of everything, for backup tests.
pub async fn sample_state<S: ServerStorage>(s: &S) {
    let a = account(s, 1, 1, 1).await;
    let b = account(s, 2, 2, 2).await;
    for (acc, n) in [(&a, 1u128), (&b, 2)] {
        let dev = acc.device.id;
        let records = (0..3u128)
            .map(|i| {
                (
                    record(n * 10 + i),
                    Collection::Seminar,
                    vec![change(
                        i as u64 + 1,
                        "title",
                        json!(format!("Seminārs {n}-{i}")),
                        stamp(10 + i as u64, 0, dev),
                    )],
                )
            })
            .collect();
        push(s, dev, &batch(0, records), push_ctx(50, dev)).await.unwrap();
    }
    let c = register(s, &b.user, 3).await;
    s.revoke_device(c.id, admin(60, "device-revoke")).await.unwrap();
    // One complete file, uploaded in two parts, and one upload left half-way.
    let sha = content_address(SAMPLE_FILE);
    let size = SAMPLE_FILE.len() as u64;
    for (offset, bytes) in [(0, &SAMPLE_FILE[..10]), (10, &SAMPLE_FILE[10..])] {
        s.put_blob_part(
            a.tenant,
            BlobPart { sha256: sha.clone(), size, offset, bytes: bytes.to_vec() },
            blob_ctx(70, a.device.id),
        )
        .await
        .unwrap();
    }
    let unfinished =
        BlobPart { sha256: content_address(b"never finished"), size: 14, offset: 0, bytes: b"never".to_vec() };
    s.put_blob_part(b.tenant, unfinished, blob_ctx(71, b.device.id)).await.unwrap();
    s.request_repull(b.tenant, Collection::Seminar, admin(80, "repull")).await.unwrap();
    s.set_office(a.tenant, sample_office(), admin(90, "office-settings")).await.unwrap();
}

fn sample_office() -> OfficeSettings {
    OfficeSettings {
        hotline: Some("+371 8000 2012".into()),
        office_address: Some("Rīga, Skolas iela 1".into()),
        max_idle_minutes: Some(10),
        wipe_after_days: Some(14),
        remind_unsynced_days: Some(5),
    }
}

const SAMPLE_FILE: &[u8] = b"Darba kartiba: 1. Ievads. 2. Riska pazimes. 3. Kur zvanit.";

fn blob_ctx(at_ms: u64, device: DeviceId) -> AuditContext {
    AuditContext {
        at_ms,
        device_time_ms: None,
        user: None,
        device: Some(device),
        action: "blob-stored".into(),
        detail: json!({}),
    }
}

/// A file's bytes, deterministic and long enough to split.
fn file_bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

pub async fn blobs_upload_in_parts_resume_and_are_stored_once<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let file = file_bytes(100_000, 7);
    let sha = content_address(&file);
    let size = file.len() as u64;
    let part = |offset: usize, end: usize| BlobPart {
        sha256: sha.clone(),
        size,
        offset: offset as u64,
        bytes: file[offset..end].to_vec(),
    };
    assert_eq!(s.blob_status(a.tenant, sha.clone()).await.unwrap(), None);
    assert_eq!(s.missing_blobs(a.tenant, vec![sha.clone()]).await.unwrap(), vec![sha.clone()]);

    let st = s.put_blob_part(a.tenant, part(0, 30_000), blob_ctx(10, a.device.id)).await.unwrap();
    assert_eq!((st.received, st.size, st.complete), (30_000, size, false));
    // The connection dropped; the laptop asks where to resume, then sends a part that
    // overlaps what the server holds: refused, naming the offset, nothing stored.
    assert_eq!(s.blob_status(a.tenant, sha.clone()).await.unwrap().unwrap().received, 30_000);
    let overlap = s.put_blob_part(a.tenant, part(20_000, 50_000), blob_ctx(11, a.device.id)).await;
    assert!(matches!(overlap, Err(StorageError::UploadOffset { offset: 20_000, received: 30_000 })), "{overlap:?}");
    let gap = s.put_blob_part(a.tenant, part(40_000, 50_000), blob_ctx(11, a.device.id)).await;
    assert!(matches!(gap, Err(StorageError::UploadOffset { received: 30_000, .. })), "{gap:?}");
    let other_size = BlobPart { size: size + 1, ..part(30_000, 40_000) };
    assert!(matches!(
        s.put_blob_part(a.tenant, other_size, blob_ctx(11, a.device.id)).await,
        Err(StorageError::BlobSizeChanged { .. })
    ));
    // Not readable, not referenceable until complete.
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 0, 10).await.unwrap(), None);
    let audit_before = s.audit_log(a.tenant, 0, u32::MAX).await.unwrap().len();

    s.put_blob_part(a.tenant, part(30_000, 99_999), blob_ctx(12, a.device.id)).await.unwrap();
    let done = s.put_blob_part(a.tenant, part(99_999, 100_000), blob_ctx(13, a.device.id)).await.unwrap();
    assert_eq!((done.received, done.complete), (size, true));
    assert!(s.missing_blobs(a.tenant, vec![sha.clone(), "0".repeat(64)]).await.unwrap() == vec!["0".repeat(64)]);
    let audit = s.audit_log(a.tenant, 0, u32::MAX).await.unwrap();
    assert_eq!(audit.len(), audit_before + 1, "one audit entry per stored file, not per part");
    assert_eq!(audit.last().unwrap().action, "blob-stored");

    // Ranges across part boundaries, clipped at the end.
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 0, size).await.unwrap().unwrap(), file);
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 29_990, 30_010).await.unwrap().unwrap(), file[29_990..30_010]);
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 99_990, 200_000).await.unwrap().unwrap(), file[99_990..]);
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 5, 5).await.unwrap().unwrap(), Vec::<u8>::new());

    // The same file again, from another laptop of the organisation: nothing is stored
    // twice, nothing audited twice, and the answer says it is complete.
    let b = account(&s, 1, 2, 2).await;
    let again = s.put_blob_part(a.tenant, part(0, 100_000), blob_ctx(20, b.device.id)).await.unwrap();
    assert!(again.complete);
    assert_eq!(
        s.audit_log(a.tenant, 0, u32::MAX).await.unwrap().len(),
        audit_before + 1 + 2,
        "only b's user and device were added"
    );
    verify_chain(&s.audit_log(a.tenant, 0, u32::MAX).await.unwrap()).unwrap();

    // An empty file is a file.
    let empty = content_address(b"");
    let st = s
        .put_blob_part(
            a.tenant,
            BlobPart { sha256: empty.clone(), size: 0, offset: 0, bytes: vec![] },
            blob_ctx(30, a.device.id),
        )
        .await
        .unwrap();
    assert!(st.complete);
    assert_eq!(s.read_blob(a.tenant, empty, 0, 0).await.unwrap(), Some(vec![]));
}

pub async fn a_blob_that_does_not_match_its_address_is_discarded<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let file = file_bytes(1_000, 3);
    let sha = content_address(&file);
    let mut corrupted = file.clone();
    corrupted[900] ^= 0xFF;
    let part = |bytes: &[u8], offset: usize, end: usize| BlobPart {
        sha256: sha.clone(),
        size: 1_000,
        offset: offset as u64,
        bytes: bytes[offset..end].to_vec(),
    };
    s.put_blob_part(a.tenant, part(&corrupted, 0, 500), blob_ctx(10, a.device.id)).await.unwrap();
    let refused = s.put_blob_part(a.tenant, part(&corrupted, 500, 1_000), blob_ctx(11, a.device.id)).await;
    assert!(matches!(refused, Err(StorageError::DigestMismatch(ref h)) if *h == sha), "{refused:?}");
    assert_eq!(s.blob_status(a.tenant, sha.clone()).await.unwrap(), None, "the bad upload is gone: start again from 0");
    assert_eq!(s.read_blob(a.tenant, sha.clone(), 0, 1_000).await.unwrap(), None);
    let st = s.put_blob_part(a.tenant, part(&file, 0, 1_000), blob_ctx(12, a.device.id)).await.unwrap();
    assert!(st.complete);
    assert_eq!(s.read_blob(a.tenant, sha, 0, 1_000).await.unwrap().unwrap(), file);
}

pub async fn blobs_belong_to_one_tenant<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let b = account(&s, 2, 2, 2).await;
    let file = file_bytes(2_000, 9);
    let sha = content_address(&file);
    s.put_blob_part(
        a.tenant,
        BlobPart { sha256: sha.clone(), size: 2_000, offset: 0, bytes: file.clone() },
        blob_ctx(10, a.device.id),
    )
    .await
    .unwrap();
    // Knowing the address is not enough: the other organisation has no such file.
    assert_eq!(s.blob_status(b.tenant, sha.clone()).await.unwrap(), None);
    assert_eq!(s.read_blob(b.tenant, sha.clone(), 0, 2_000).await.unwrap(), None);
    assert_eq!(s.missing_blobs(b.tenant, vec![sha.clone()]).await.unwrap(), vec![sha.clone()]);
    // It uploads its own copy, in its own parts.
    let st = s
        .put_blob_part(
            b.tenant,
            BlobPart { sha256: sha.clone(), size: 2_000, offset: 0, bytes: file[..1_000].to_vec() },
            blob_ctx(11, b.device.id),
        )
        .await
        .unwrap();
    assert_eq!((st.received, st.complete), (1_000, false));
    assert!(s.blob_status(a.tenant, sha).await.unwrap().unwrap().complete, "a's copy is untouched");
}

pub async fn concurrent_uploads_of_one_blob_store_it_once<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let file = file_bytes(50_000, 1);
    let sha = content_address(&file);
    // Eight laptops send the same whole file at once (the same leaflet attached to
    // eight seminars): every one succeeds, one copy is kept, one audit entry written.
    let before = s.audit_log(a.tenant, 0, u32::MAX).await.unwrap().len();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (s, sha, file) = (s.clone(), sha.clone(), file.clone());
            tokio::spawn(async move {
                s.put_blob_part(
                    a.tenant,
                    BlobPart { sha256: sha, size: 50_000, offset: 0, bytes: file },
                    blob_ctx(10 + i, a.device.id),
                )
                .await
            })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().unwrap().complete);
    }
    assert_eq!(s.audit_log(a.tenant, 0, u32::MAX).await.unwrap().len(), before + 1);
    assert_eq!(s.read_blob(a.tenant, sha, 0, 50_000).await.unwrap().unwrap(), file);
}

pub async fn concurrent_pushes_from_many_devices_lose_nothing<S: ServerStorage>(s: S) {
    const DEVICES: u128 = 12;
    const BATCHES: u64 = 8;
    const PER_BATCH: u64 = 5;
    let mut accounts = Vec::new();
    for n in 0..DEVICES {
        accounts.push(account(&s, 1, n, n).await);
    }
    let tenant = accounts[0].tenant;
    let mut tasks = Vec::new();
    for acc in accounts {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let dev = acc.device.id;
            let n = acc.device.id.as_uuid().as_u128();
            for b in 0..BATCHES {
                let records = (0..PER_BATCH)
                    .map(|i| {
                        let seq = b * PER_BATCH + i + 1;
                        let record = RecordId::from_uuid(uuid::Uuid::from_u128(n * 1_000 + seq as u128));
                        (
                            record,
                            Collection::Seminar,
                            vec![change(seq, "title", json!(format!("{seq}")), stamp(seq, 0, dev))],
                        )
                    })
                    .collect();
                let req = batch(b * PER_BATCH, records);
                assert_eq!(
                    push(&s, dev, &req, push_ctx(1_000 + b, dev)).await.unwrap().applied_seq,
                    (b + 1) * PER_BATCH
                );
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = DEVICES as u64 * BATCHES * PER_BATCH;
    let any = s.devices(tenant).await.unwrap()[0].id;
    let pages = pull_all(&s, any, 0, 64).await;
    let pulled: u64 = pages.iter().map(|p| p.field_count() as u64).sum();
    assert_eq!(pulled, total, "every change stored once");
    assert_eq!(s.checksums(tenant).await.unwrap().cursor, total, "server seqs 1..=N, no gaps, no repeats");
    let pushes = s.audit_log(tenant, 0, u32::MAX).await.unwrap().into_iter().filter(|e| e.action == "push").count();
    assert_eq!(pushes as u64, DEVICES as u64 * BATCHES);
}

/// A deterministic random campaign: 3 devices make edits to a few fields, push them in
/// batches that are sometimes repeated, sometimes cut and retried, interleaved; the
/// server ends equal to the model (the later stamp per field), with matching checksums.
pub async fn random_histories_converge_to_the_model<S: ServerStorage>(s: S) {
    let mut rng = 0x5A17_E5EEDu64;
    let mut next = move |n: u64| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (rng >> 33) % n
    };
    let mut accounts = Vec::new();
    for n in 0..3 {
        accounts.push(account(&s, 1, n, n).await);
    }
    // Each device's outbox: (seq, record, field, value, hlc).
    // Per device: (seq, record, field, value, stamp) of each change it made.
    type Outbox = Vec<(u64, RecordId, String, Value, Hlc)>;
    let mut outboxes: Vec<Outbox> = vec![Vec::new(); 3];
    for (d, outbox) in outboxes.iter_mut().enumerate() {
        let dev = accounts[d].device.id;
        for seq in 1..=60u64 {
            let rec = record(next(4) as u128);
            let field = text_field(Collection::Seminar, next(3) as usize).to_owned();
            outbox.push((seq, rec, field, json!(format!("d{d}-s{seq}")), stamp(next(40), next(2) as u32, dev)));
        }
    }
    let mut model: BTreeMap<(RecordId, String), (Value, Hlc)> = BTreeMap::new();
    for outbox in &outboxes {
        for (_, rec, field, value, hlc) in outbox {
            let key = (*rec, field.clone());
            if incoming_wins(model.get(&key).map(|x| &x.1), hlc) {
                model.insert(key, (value.clone(), *hlc));
            }
        }
    }
    let mut acked = [0u64; 3];
    let mut rounds = 0;
    while acked.iter().any(|a| *a < 60) {
        rounds += 1;
        assert!(rounds < 1_000);
        let d = next(3) as usize;
        if acked[d] == 60 {
            continue;
        }
        let dev = accounts[d].device.id;
        // Sometimes the device re-sends from before its acknowledged point (a lost answer).
        let from = acked[d].saturating_sub(if next(4) == 0 { next(5) } else { 0 });
        let size = 1 + next(12);
        let slice: Vec<_> = outboxes[d].iter().filter(|c| c.0 > from).take(size as usize).collect();
        let mut by_record: Vec<(RecordId, Collection, Vec<FieldChange>)> = Vec::new();
        for (seq, rec, field, value, hlc) in slice {
            match by_record.last_mut() {
                Some(last) if last.0 == *rec => last.2.push(change(*seq, field, value.clone(), *hlc)),
                _ => by_record.push((*rec, Collection::Seminar, vec![change(*seq, field, value.clone(), *hlc)])),
            }
        }
        let reply = push(&s, dev, &batch(from, by_record), push_ctx(10_000 + rounds, dev)).await.unwrap();
        // Sometimes the answer is lost: the device does not learn it was applied.
        if next(5) != 0 {
            acked[d] = reply.applied_seq;
        }
    }
    let state = pulled_state(&s, accounts[0].device.id).await;
    assert_eq!(state, model);
    let mut digest = FieldDigest::default();
    for ((rec, field), (_, hlc)) in &model {
        digest.add(field_digest(rec, field, hlc));
    }
    let got = s.checksums(accounts[0].tenant).await.unwrap();
    assert_eq!(got.collections.len(), 1);
    assert_eq!((got.collections[0].fields, got.collections[0].digest.clone()), (digest.fields, digest.sum_hex()));
}

/// Devices push concurrently, alternating between two storages on one database (two
/// server instances): every change is stored once, server seqs run 1..=N, and both
/// instances answer pulls and checksums identically.
pub async fn concurrent_pushes_through_two_instances<S: ServerStorage>(one: &S, two: &S) {
    const DEVICES: u128 = 8;
    const BATCHES: u64 = 6;
    let mut accounts = Vec::new();
    for n in 0..DEVICES {
        accounts.push(account(one, 1, n, n).await);
    }
    let tenant = accounts[0].tenant;
    let mut tasks = Vec::new();
    for (i, acc) in accounts.into_iter().enumerate() {
        let (a, b) = (one.clone(), two.clone());
        tasks.push(tokio::spawn(async move {
            let dev = acc.device.id;
            for n in 0..BATCHES {
                let seq = n * 2;
                // Every device writes a field of its own record and one shared field of one
                // shared record.
                let req = batch(
                    seq,
                    vec![
                        (
                            record(1_000 + i as u128),
                            Collection::Organisation,
                            vec![change(seq + 1, "name", json!(format!("{n}")), stamp(100 + n, 0, dev))],
                        ),
                        (
                            record(999),
                            Collection::Organisation,
                            vec![change(seq + 2, "name", json!(format!("{i}-{n}")), stamp(100 + n, 0, dev))],
                        ),
                    ],
                );
                let via = if (i as u64 + n).is_multiple_of(2) { &a } else { &b };
                assert_eq!(push(via, dev, &req, push_ctx(1_000 + n, dev)).await.unwrap().applied_seq, seq + 2);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let reader = one.devices(tenant).await.unwrap()[0].id;
    let state_one = pulled_state(one, reader).await;
    let state_two = pulled_state(two, reader).await;
    assert_eq!(state_one, state_two);
    assert_eq!(state_one.len() as u128, DEVICES + 1, "each device's own field and the shared one");
    // The shared field holds the latest stamp: wall 105, highest device id.
    let shared = &state_one[&(record(999), "name".to_owned())];
    assert_eq!(shared.1, stamp(100 + BATCHES - 1, 0, device_id(DEVICES - 1)));
    assert_eq!(one.checksums(tenant).await.unwrap(), two.checksums(tenant).await.unwrap());
    verify_chain(&one.audit_log(tenant, 0, u32::MAX).await.unwrap()).unwrap();
}

pub async fn concurrent_sign_ins_and_uploads_in_one_tenant_all_succeed<S: ServerStorage>(s: S) {
    // Each task adds a user and a device, and stores a file: rows that reference the
    // tenant, followed by audit entries that lock it. None may wait on another for good
    // (on PostgreSQL, `FOR UPDATE` on the tenant here deadlocked).
    let first = account(&s, 1, 0, 0).await;
    let tasks: Vec<_> = (1..=8u128)
        .map(|n| {
            let s = s.clone();
            tokio::spawn(async move {
                let acc = account(&s, 1, n, n).await;
                let file = file_bytes(1_000 + n as usize, n as u8);
                let part = BlobPart { sha256: content_address(&file), size: file.len() as u64, offset: 0, bytes: file };
                s.put_blob_part(acc.tenant, part, blob_ctx(100, acc.device.id)).await.unwrap()
            })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().complete);
    }
    assert_eq!(s.devices(first.tenant).await.unwrap().len(), 9);
    let audit = s.audit_log(first.tenant, 0, u32::MAX).await.unwrap();
    verify_chain(&audit).unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "blob-stored").count(), 8);
}

pub async fn one_collection_can_be_pulled_again_on_request<S: ServerStorage>(s: S) {
    let a = account(&s, 1, 1, 1).await;
    let other = account(&s, 2, 2, 2).await;
    let dev = a.device.id;
    let records = (0..6u128)
        .map(|i| {
            let collection = if i % 2 == 0 { Collection::Seminar } else { Collection::Organisation };
            let field = text_field(collection, 0);
            (
                record(i),
                collection,
                vec![change(i as u64 + 1, field, json!(format!("Ieraksts {i}")), stamp(10 + i as u64, 0, dev))],
            )
        })
        .collect();
    push(&s, dev, &batch(0, records), push_ctx(50, dev)).await.unwrap();
    let full = s.pull(dev, 0, 100).await.unwrap();
    let pulled_before = s.device(dev).await.unwrap().unwrap().pulled_seq;

    // One collection alone, in pages; the rest is not touched, nor the device's cursor.
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = s.pull_collection(dev, Collection::Seminar, after, 2).await.unwrap();
        assert!(page.records.iter().all(|r| r.collection == Collection::Seminar));
        seen.extend(page.records.iter().map(|r| r.record));
        after = page.end_cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, vec![record(0), record(2), record(4)]);
    assert_eq!(s.device(dev).await.unwrap().unwrap().pulled_seq, pulled_before, "a partial pull moves no cursor");
    assert_eq!(full.records.len(), 6);

    // The request shows in the checksums, per collection, and only for this tenant.
    let generation = |c: &saite_protocol::Checksums, collection| {
        c.collections.iter().find(|x| x.collection == collection).map(|x| x.repull_generation)
    };
    let before = s.checksums(a.tenant).await.unwrap();
    assert_eq!(generation(&before, Collection::Seminar), Some(0));
    assert_eq!(s.request_repull(a.tenant, Collection::Seminar, admin(60, "repull")).await.unwrap(), 1);
    assert_eq!(s.request_repull(a.tenant, Collection::Seminar, admin(61, "repull")).await.unwrap(), 2);
    let after_request = s.checksums(a.tenant).await.unwrap();
    assert_eq!(generation(&after_request, Collection::Seminar), Some(2));
    assert_eq!(generation(&after_request, Collection::Organisation), Some(0));
    assert_eq!(after_request.cursor, before.cursor, "a re-pull request stores no values");
    assert_eq!(s.audit_log(a.tenant, 0, u32::MAX).await.unwrap().iter().filter(|e| e.action == "repull").count(), 2);
    assert!(s.checksums(other.tenant).await.unwrap().collections.is_empty());
    // A revoked device cannot use it either.
    s.revoke_device(dev, admin(70, "device-revoke")).await.unwrap();
    assert!(matches!(s.pull_collection(dev, Collection::Seminar, 0, 10).await, Err(StorageError::DeviceRevoked)));
}
