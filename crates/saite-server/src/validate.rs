//! Checking a push before it is stored: the batch's shape (seqs, size) and every value
//! against the record rules of `saite-domain`, so a bad value is refused with 422
//! naming its field and nothing of the batch is written.
//!
//! A push carries changed fields, not whole records, and fields merge one by one: a
//! rule that links two fields (an end date before the start date) may be broken by two
//! edits each valid on its own, and refusing the later one would block that laptop's
//! sync for good. So only rules about a field's own value refuse a push; rules between
//! fields are the app's (its forms enforce them).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use saite_domain::{FieldError, ValidationCode, check_document};
use saite_protocol::{ApiErrorCode, FieldValues, PushRequest};
use serde_json::{Map, Value};

use crate::failure::Failure;

/// Meta fields every record may carry, beside its collection's own fields.
const META_FIELDS: &[&str] = &["_deleted", "_mergedInto"];

/// Checks seqs and size: strictly rising from 1, at most `max_fields` field values.
pub fn check_shape(batch: &PushRequest, max_fields: usize) -> Result<(), Failure> {
    let count = batch.field_count();
    if count > max_fields {
        return Err(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ApiErrorCode::TooLarge,
            format!("{count} field changes in one push; at most {max_fields}"),
        ));
    }
    // Strictly rising: each change once, in outbox order. Seqs at or below `after_seq`
    // may lead the batch (a retry); the storage skips those it applied.
    let mut prev = 0;
    for c in &batch.changes {
        if c.seq <= prev {
            return Err(Failure::malformed(format!("seq {} follows seq {prev}: seqs must rise through the batch", c.seq)));
        }
        prev = c.seq;
    }
    Ok(())
}

/// Checks the values of one record's incoming fields against `current` (its stored
/// fields, meta fields included). Returns the first refused field.
pub fn check_values(
    collection: saite_domain::Collection,
    current: &Map<String, Value>,
    incoming: &[(&str, &Value)],
) -> Result<(), FieldError> {
    let mut doc: Map<String, Value> = current.iter().filter(|(k, _)| !k.starts_with('_')).map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut own: BTreeMap<&str, &Value> = BTreeMap::new();
    for (field, value) in incoming {
        if field.starts_with('_') {
            check_meta(field, value)?;
            continue;
        }
        own.insert(field, value);
        if value.is_null() {
            doc.remove(*field);
        } else {
            doc.insert((*field).to_owned(), (*value).clone());
        }
    }
    if own.is_empty() {
        return Ok(());
    }
    first_refused(check_document(collection, &doc), |field| own.get(field).map(|v| empties(v)))
}

/// [`check_values`] for a record the server does not hold yet whose fields are all its
/// collection's own: the document they make is read from `fields` themselves, as
/// values or as the texts they arrived in, without copying them into one
/// ([`saite_domain::check_fields`]; a first push of 100 000 seminars copied every value
/// here). A `null` leaves its field out of the document, as [`check_values`] does (a
/// laptop's stored record names every empty optional field so). A change with a meta
/// field goes through [`check_values`].
pub fn check_new_record(collection: saite_domain::Collection, fields: &FieldValues) -> Result<(), FieldError> {
    if fields.is_empty() {
        return Ok(());
    }
    let general = || {
        let values = fields.as_map();
        let incoming: Vec<(&str, &Value)> = values.iter().map(|(f, v)| (f.as_str(), v)).collect();
        check_values(collection, &Map::new(), &incoming)
    };
    match fields {
        FieldValues::Received(texts) => {
            if texts.keys().any(|field| field.starts_with('_')) {
                return general();
            }
            let set = texts.iter().filter(|(_, text)| text.get() != "null").map(|(f, t)| (f.as_str(), &**t));
            let own = |field: &str| texts.get(field).map(|text| serde_json::from_str(text.get()).is_ok_and(|v| empties(&v)));
            first_refused(saite_domain::check_fields(collection, set), own)
        }
        FieldValues::Values(values) => {
            if values.keys().any(|field| field.starts_with('_')) {
                return general();
            }
            let set = values.iter().filter(|(_, value)| !value.is_null()).map(|(f, v)| (f.as_str(), v));
            first_refused(saite_domain::check_fields(collection, set), |field| values.get(field).map(empties))
        }
        FieldValues::Stored(_) => general(),
    }
}

/// Whether a pushed value empties its field (`null`, or text of blanks only).
fn empties(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty())
}

/// The first of a document's validation errors that refuses a push: one about the
/// value of a field the push sets (`own` answers for those whether the value empties
/// the field; `None` for the others), not a rule between fields.
fn first_refused(checked: Result<(), Vec<FieldError>>, own: impl Fn(&str) -> Option<bool>) -> Result<(), FieldError> {
    let Err(errors) = checked else { return Ok(()) };
    for e in errors {
        let top = e.field.split(['.', '[']).next().unwrap_or("");
        let Some(empties) = own(top) else { continue };
        let refused = match e.code {
            // Between fields: not the push's to refuse (see the module docs).
            ValidationCode::EndBeforeStart | ValidationCode::MissingSubject | ValidationCode::UnknownReference => false,
            // A required field is refused only when this push empties it.
            ValidationCode::Required => empties,
            _ => true,
        };
        if refused {
            return Err(e);
        }
    }
    Ok(())
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
    use saite_domain::Collection;
    use serde_json::json;

    use super::*;

    fn seminar() -> Map<String, Value> {
        json!({"title": "Seminārs", "kind": "seminar", "date": "2012-11-09", "municipality": "daugavpils"}).as_object().unwrap().clone()
    }

    #[test]
    fn a_value_breaking_its_own_rule_is_refused_by_name() {
        let bad = json!("atlantis");
        assert_eq!(check_values(Collection::Seminar, &seminar(), &[("municipality", &bad)]).unwrap_err().field, "municipality");
        let bad = json!({"youth": -3});
        assert_eq!(check_values(Collection::Seminar, &seminar(), &[("participants", &bad)]).unwrap_err().field, "participants.youth");
        let bad = json!("x");
        assert_eq!(check_values(Collection::Seminar, &seminar(), &[("colour", &bad)]).unwrap_err().field, "colour", "unknown field");
        let empty = json!("");
        assert_eq!(check_values(Collection::Seminar, &seminar(), &[("title", &empty)]).unwrap_err().code, ValidationCode::Required);
        let bad = json!("yes");
        assert_eq!(check_values(Collection::Seminar, &seminar(), &[("_deleted", &bad)]).unwrap_err().field, "_deleted");
    }

    /// The values of a pushed change, read as the server reads them.
    #[derive(serde::Deserialize)]
    struct PushedFields {
        #[serde(deserialize_with = "FieldValues::deserialize_received")]
        fields: FieldValues,
    }

    proptest::proptest! {
        /// A new record's check without copying gives the answer of the general check
        /// from an empty record, for any mix of valid, invalid, empty, meta and unknown
        /// fields, read as values or as the texts a push carries.
        #[test]
        fn a_new_record_is_checked_as_a_change_of_an_empty_one(
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
            let incoming: Vec<(&str, &Value)> = fields.iter().map(|(f, v)| (f.as_str(), v)).collect();
            let general = check_values(Collection::Seminar, &Map::new(), &incoming);
            let texts: FieldValues = serde_json::from_str::<PushedFields>(&json!({"fields": fields}).to_string()).unwrap().fields;
            proptest::prop_assert!(matches!(texts, FieldValues::Received(_)), "a push's values are read as texts");
            proptest::prop_assert_eq!(&check_new_record(Collection::Seminar, &texts), &general, "as texts");
            proptest::prop_assert_eq!(check_new_record(Collection::Seminar, &FieldValues::Values(fields)), general);
        }
    }

    #[test]
    fn partial_records_and_cross_field_rules_pass() {
        // The first fields of a new record, before the rest arrive.
        let title = json!("Apaļais galds");
        assert!(check_values(Collection::Seminar, &Map::new(), &[("title", &title)]).is_ok());
        // An end date before the start: two laptops may produce it by merging; let it in.
        let end = json!("2012-01-01");
        assert!(check_values(Collection::Seminar, &seminar(), &[("endDate", &end)]).is_ok());
        let yes = json!(true);
        assert!(check_values(Collection::Seminar, &seminar(), &[("_deleted", &yes)]).is_ok());
    }

    #[test]
    fn seqs_must_rise_and_batches_are_bounded() {
        use saite_protocol::RecordChange;
        let hlc: saite_domain::Hlc = "000000000001-00000000-00000000000000000000000000000001".parse().unwrap();
        let record = saite_domain::RecordId::from_uuid(uuid::Uuid::from_u128(1));
        let batch = |after_seq, seqs: &[u64]| PushRequest {
            after_seq,
            changes: seqs
                .iter()
                .map(|s| RecordChange::from_fields(*s, record, Collection::Seminar, [("title".to_owned(), json!("x"), hlc)]))
                .collect(),
        };
        assert!(check_shape(&batch(0, &[1, 2, 3]), 10).is_ok());
        assert!(check_shape(&batch(2, &[1, 2, 3, 4]), 10).is_ok(), "a retry may repeat applied seqs first");
        assert_eq!(check_shape(&batch(0, &[1, 3, 2]), 10).unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(check_shape(&batch(0, &[1, 2, 3]), 2).unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
