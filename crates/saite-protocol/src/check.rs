//! Checking a pushed change's values against the record it makes, so a bad value is
//! refused naming its field, whatever the record held before.
//!
//! Glossary:
//! - **own field**: a field the change sets; only its errors can refuse the change.
//! - **meta field**: `_deleted` or `_mergedInto`, which every record may carry beside
//!   its collection's own fields.
//!
//! A push carries changed fields, not whole records, and fields merge one by one: a
//! rule that links two fields (an end date before the start date) may be broken by two
//! edits each valid on its own, and refusing the later one would block that laptop's
//! sync for good. So only rules about a field's own value refuse a change; rules
//! between fields are the app's (its forms enforce them). A required field is refused
//! only when the change empties it (a new record's first fields may come before the
//! rest).

use std::collections::BTreeMap;

use saite_domain::{Collection, FieldError, ValidationCode, check_document, check_fields, default_document};
use serde_json::Value;

use crate::{FieldValues, pull::is_meta_field, stored::StoredRecord};

/// Meta fields every record may carry, beside its collection's own fields.
const META_FIELDS: &[&str] = &["_deleted", "_mergedInto"];

/// A change's values, each read once into a JSON value. A value that cannot be read
/// (a number out of range, an unpaired surrogate, nesting too deep) refuses the change
/// naming its field: a change is stored whole or not at all, never dropped quietly.
pub fn read_values(fields: &FieldValues) -> Result<BTreeMap<String, Value>, FieldError> {
    let unreadable = |field: &str| FieldError::new(field, ValidationCode::InvalidValue);
    match fields {
        FieldValues::Values(values) => Ok(values.clone()),
        FieldValues::Received(texts) => texts
            .iter()
            .map(|(field, text)| {
                serde_json::from_str(text.get()).map(|v| (field.clone(), v)).map_err(|_| unreadable(field))
            })
            .collect(),
        FieldValues::Stored(text) => serde_json::from_str(text.get()).map_err(|_| unreadable("")),
    }
}

/// Whether a change that makes a new record is valid, read straight from its fields
/// (as values or the texts they arrived in) without copying them into a document: a
/// first push of 100 000 seminars copied every value before this. `false` means "not
/// known here": the caller checks it the general way ([`check_values`]), which names
/// the field at fault. A `null` leaves its field out, as the general check does.
pub fn is_valid_new_record(collection: Collection, fields: &FieldValues) -> bool {
    // A retired field is read as absent by the record's rules: only the general check
    // refuses a value for one.
    let retired = collection.spec().retired;
    if !retired.is_empty() && fields.names().iter().any(|f| retired.contains(&f.as_ref())) {
        return false;
    }
    match fields {
        FieldValues::Received(texts) => {
            !texts.keys().any(|f| is_meta_field(f))
                && check_fields(
                    collection,
                    texts.iter().filter(|(_, t)| t.get() != "null").map(|(f, t)| (f.as_str(), &**t)),
                )
                .is_ok()
        }
        FieldValues::Values(values) => {
            !values.keys().any(|f| is_meta_field(f))
                && check_fields(collection, values.iter().filter(|(_, v)| !v.is_null()).map(|(f, v)| (f.as_str(), v)))
                    .is_ok()
        }
        FieldValues::Stored(_) => false,
    }
}

/// Checks a change's values (`incoming`, read by [`read_values`]) against the record
/// they make from `current` (`None`: not stored yet). Returns the first refused field.
///
/// The document checked is the collection's empty record, with the stored values over
/// it, then the change's: every rule about an own field runs, even while the record
/// still lacks required fields. A stored `null` means "no value", as the merge reads
/// it. A stored value that breaks a rule is put back to the empty record's, so it
/// cannot hide an own field's error (a document that cannot be read names one field).
pub fn check_values(
    collection: Collection,
    current: Option<&StoredRecord>,
    incoming: &BTreeMap<String, Value>,
) -> Result<(), FieldError> {
    let empty = default_document(collection);
    let mut document = empty.clone();
    if let Some(current) = current {
        for (field, (value, _)) in &current.fields {
            if !is_meta_field(field) && !value.is_null() {
                document.insert(field.clone(), value.clone());
            }
        }
    }
    let mut own: BTreeMap<&str, &Value> = BTreeMap::new();
    for (field, value) in incoming {
        if is_meta_field(field) {
            check_meta(field, value)?;
            continue;
        }
        if collection.spec().retired.contains(&field.as_str()) && !value.is_null() {
            return Err(FieldError::new(field, ValidationCode::InvalidValue));
        }
        own.insert(field, value);
        match empty.get(field) {
            _ if !value.is_null() => document.insert(field.clone(), value.clone()),
            Some(nothing) => document.insert(field.clone(), nothing.clone()),
            None => document.remove(field),
        };
    }
    if own.is_empty() {
        return Ok(());
    }
    // Each round puts back at least one stored field, so this ends.
    loop {
        let Err(errors) = check_document(collection, &document) else { return Ok(()) };
        let mut put_back = false;
        for e in &errors {
            let top = top_field(&e.field);
            match own.get(top) {
                Some(value) if refuses(e.code, value) => return Err(e.clone()),
                Some(_) => {}
                None => {
                    let stored = document.get(top);
                    if stored.is_some() && stored != empty.get(top) {
                        match empty.get(top) {
                            Some(nothing) => document.insert(top.to_owned(), nothing.clone()),
                            None => document.remove(top),
                        };
                        put_back = true;
                    }
                }
            }
        }
        if !put_back {
            return Ok(());
        }
    }
}

/// The field a validation error's path starts with (`participants` of
/// `participants.youth`).
fn top_field(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or("")
}

/// Whether an error about an own field set to `value` refuses the change.
fn refuses(code: ValidationCode, value: &Value) -> bool {
    match code {
        // Between fields: not the push's to refuse (see the module docs).
        ValidationCode::EndBeforeStart | ValidationCode::MissingSubject | ValidationCode::UnknownReference => false,
        ValidationCode::Required => empties(value),
        _ => true,
    }
}

/// Whether a pushed value empties its field (`null`, or text of blanks only).
fn empties(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty())
}

fn check_meta(field: &str, value: &Value) -> Result<(), FieldError> {
    let ok = match field {
        "_deleted" => value.is_boolean(),
        "_mergedInto" => value.is_null() || value.as_str().is_some_and(|s| uuid::Uuid::try_parse(s).is_ok()),
        _ => false,
    };
    if ok && META_FIELDS.contains(&field) { Ok(()) } else { Err(FieldError::new(field, ValidationCode::InvalidValue)) }
}

#[cfg(test)]
mod tests {
    use saite_domain::{Collection, DeviceId, RecordId, hlc::Hlc};
    use serde_json::json;

    use super::*;

    fn seminar() -> StoredRecord {
        let hlc = Hlc { wall_ms: 1, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(1)) };
        let mut r = StoredRecord::new(RecordId::from_uuid(uuid::Uuid::from_u128(2)), Collection::Seminar);
        for (f, v) in [
            ("title", json!("Seminārs")),
            ("kind", json!("seminar")),
            ("date", json!("2012-11-09")),
            ("municipality", json!("daugavpils")),
        ] {
            r.fields.insert(f.to_owned(), (v, hlc));
        }
        r
    }

    fn one(field: &str, value: Value) -> BTreeMap<String, Value> {
        BTreeMap::from([(field.to_owned(), value)])
    }

    #[test]
    fn a_value_breaking_its_own_rule_is_refused_by_name() {
        let s = Some(seminar());
        let check = |field: &str, value: Value| check_values(Collection::Seminar, s.as_ref(), &one(field, value));
        assert_eq!(check("municipality", json!("atlantis")).unwrap_err().field, "municipality");
        assert_eq!(check("participants", json!({"youth": -3})).unwrap_err().field, "participants.youth");
        assert_eq!(check("colour", json!("x")).unwrap_err().field, "colour", "unknown field");
        assert_eq!(check("title", json!("")).unwrap_err().code, ValidationCode::Required);
        assert_eq!(check("title", json!(null)).unwrap_err().code, ValidationCode::Required);
        assert_eq!(check("_deleted", json!("yes")).unwrap_err().field, "_deleted");
        assert_eq!(check("_other", json!(true)).unwrap_err().field, "_other");
    }

    #[test]
    fn a_retired_field_may_only_be_cleared_and_a_stored_value_of_one_blocks_nothing() {
        let check = |value: Value| check_values(Collection::Campaign, None, &one("funders", value));
        assert_eq!(check(json!(["Rīgas dome"])), Err(FieldError::new("funders", ValidationCode::InvalidValue)));
        assert_eq!(check(json!(null)), Ok(()));
        let hlc = Hlc { wall_ms: 1, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(1)) };
        let mut legacy = StoredRecord::new(RecordId::from_uuid(uuid::Uuid::from_u128(2)), Collection::Campaign);
        legacy.fields.insert("funders".into(), (json!(["Rīgas dome"]), hlc));
        assert_eq!(check_values(Collection::Campaign, Some(&legacy), &one("name", json!("STROM"))), Ok(()));
    }

    #[test]
    fn partial_records_and_cross_field_rules_pass() {
        // The first fields of a new record, before the rest arrive.
        assert!(check_values(Collection::Seminar, None, &one("title", json!("Apaļais galds"))).is_ok());
        // An end date before the start: two laptops may produce it by merging; let it in.
        assert!(check_values(Collection::Seminar, Some(&seminar()), &one("endDate", json!("2012-01-01"))).is_ok());
        assert!(check_values(Collection::Seminar, Some(&seminar()), &one("_deleted", json!(true))).is_ok());
    }

    #[test]
    fn an_own_rule_is_checked_while_required_fields_are_missing() {
        // No title, kind or date yet: the participants rule still runs.
        assert_eq!(
            check_values(Collection::Seminar, None, &one("participants", json!({"youth": -1}))).unwrap_err().field,
            "participants.youth"
        );
    }

    #[test]
    fn what_the_record_held_before_never_switches_checks_off() {
        let hlc = Hlc { wall_ms: 1, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(1)) };
        // A stored null in a field whose type takes none, an unknown field and a value
        // breaking its rule: none of them hides the change's own errors.
        for (field, held) in [
            ("venue", json!(null)),
            ("title", json!(null)),
            ("colour", json!("red")),
            ("participants", json!({"youth": -5})),
        ] {
            let mut stored = seminar();
            stored.fields.insert(field.to_owned(), (held.clone(), hlc));
            let check = |f: &str, v: Value| check_values(Collection::Seminar, Some(&stored), &one(f, v));
            assert_eq!(check("date", json!("not a date")).unwrap_err().field, "date", "beside {field}: {held}");
            assert_eq!(
                check("participants", json!({"youth": -1})).unwrap_err().field,
                "participants.youth",
                "beside {field}"
            );
            assert_eq!(check("title", json!("")).unwrap_err().field, "title", "beside {field}");
            assert!(check("venue", json!("Zāle")).is_ok(), "a valid change beside {field}: {held}");
        }
    }

    #[test]
    fn unreadable_values_are_named() {
        #[derive(serde::Deserialize)]
        struct Pushed {
            #[serde(deserialize_with = "FieldValues::deserialize_received")]
            fields: FieldValues,
        }
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        // In a text field and in optional ones, whose `null` would be valid.
        for field in ["notes", "endDate", "campaign"] {
            for bad in ["1e400", r#""\ud800""#, deep.as_str()] {
                let text = format!(
                    r#"{{"fields": {{"title": "Labi", "kind": "seminar", "date": "2012-11-09", "municipality": "riga", "{field}": {bad}}}}}"#
                );
                let Ok(pushed) = serde_json::from_str::<Pushed>(&text) else { continue };
                assert_eq!(read_values(&pushed.fields).unwrap_err().field, field, "{bad}");
                assert!(!is_valid_new_record(Collection::Seminar, &pushed.fields), "{field}: {bad}");
            }
        }
    }

    /// The values of a pushed change, read as the server reads them.
    #[derive(serde::Deserialize)]
    struct PushedFields {
        #[serde(deserialize_with = "FieldValues::deserialize_received")]
        fields: FieldValues,
    }

    proptest::proptest! {
        /// A new record found valid without copying is valid by the general check from
        /// nothing, for any mix of valid, invalid, empty, meta and unknown fields, read
        /// as values or as the texts a push carries; and whole valid records take it.
        #[test]
        fn a_new_record_is_checked_as_a_change_of_nothing(
            picks in proptest::collection::vec((0usize..13, 0usize..6), 0..14),
        ) {
            // Each field with a value valid for it (so whole valid records come up, as a
            // laptop pushes them: every empty optional field named with `null`), beside
            // empty, mistyped and invalid ones.
            let fields_and_valid = [
                ("title", json!("Seminārs")), ("kind", json!("seminar")), ("date", json!("2012-11-09")),
                ("municipality", json!("daugavpils")), ("participants", json!({"youth": 3})), ("notes", json!("Teksts.")),
                ("endDate", json!("2012-11-10")), ("venue", json!("Zāle")), ("topics", json!([])), ("campaign", json!(null)),
                ("_deleted", json!(false)), ("colour", json!("red")), ("organiser", json!("NVA")),
            ];
            let others = [json!(null), json!(""), json!(12), json!({"youth": -1}), json!("atlantis")];
            let fields: BTreeMap<String, Value> = picks
                .iter()
                .map(|&(f, v)| {
                    let (field, valid) = &fields_and_valid[f];
                    ((*field).to_owned(), if v == 0 { valid.clone() } else { others[v - 1].clone() })
                })
                .collect();
            let general = check_values(Collection::Seminar, None, &fields);
            let texts: FieldValues = serde_json::from_str::<PushedFields>(&json!({"fields": fields}).to_string()).unwrap().fields;
            proptest::prop_assert!(matches!(texts, FieldValues::Received(_)), "a push's values are read as texts");
            proptest::prop_assert_eq!(&read_values(&texts).unwrap(), &fields);
            let fast = is_valid_new_record(Collection::Seminar, &texts);
            proptest::prop_assert_eq!(fast, is_valid_new_record(Collection::Seminar, &FieldValues::Values(fields.clone())));
            if fast {
                proptest::prop_assert_eq!(&general, &Ok(()), "found valid without copying");
            }
            let valid_of = |f: &str| fields_and_valid.iter().find(|(n, _)| *n == f).map(|(_, v)| v);
            let whole = ["title", "kind", "date", "municipality"].iter().all(|f| fields.contains_key(*f))
                && fields.iter().all(|(f, v)| !matches!(f.as_str(), "_deleted" | "colour") && valid_of(f) == Some(v));
            if whole {
                proptest::prop_assert!(fast, "a whole valid record takes the shortcut: {fields:?}");
            }
        }
    }

    #[test]
    fn the_empty_document_reads_as_its_record() {
        for collection in Collection::ALL {
            let empty = default_document(collection);
            // Every error of the empty record is about a value, none about reading it.
            if let Err(errors) = check_document(collection, &empty) {
                assert!(
                    errors.iter().all(|e| e.code != ValidationCode::InvalidValue || !e.field.is_empty()),
                    "{collection}: {errors:?}"
                );
            }
        }
    }
}
