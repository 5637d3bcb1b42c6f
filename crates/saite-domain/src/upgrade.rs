//! Records an earlier version wrote, and what this version makes of them.
//!
//! Glossary:
//! - **retired field**: a field an earlier version's records held and this one does not
//!   ([`crate::CollectionSpec::retired`]).
//! - **legacy record**: one whose document holds a retired field with a value.
//! - **upgrade**: what makes a legacy record read as this version's: the records to
//!   create (a campaign's funder names become funders and links to them, a seminar's
//!   organiser's name an organisation it links to) and the fields to set on it, among
//!   them each retired field cleared (`null`).
//! - **derived id**: the id of a record an upgrade creates, derived from what it stands
//!   for (a funder's folded name), so two laptops upgrading the same record create the
//!   same records and sync merges them, never duplicates them.
//!
//! Invariants: an upgraded record is not legacy (upgrading twice changes nothing more);
//! an upgrade reads only the record, the derived ids and the `existing` lookup, which
//! finds a record of the same name this laptop already holds (so a funder typed in by
//! hand is linked to, not doubled).

use serde_json::{Map, Value, json};

use crate::{Collection, RecordId, fold::fold};

/// Raised when a version retires a field: a store upgrades every legacy record once
/// when it first opens under a higher level (1: a campaign's funders; 2: a seminar's
/// organiser).
pub const LEVEL: u32 = 2;

/// What makes a legacy record read as this version's ([`upgrade`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Upgrade {
    /// Records to create first, each with its derived id; one that exists already is
    /// left as it is.
    pub creates: Vec<(Collection, RecordId, Map<String, Value>)>,
    /// The fields to set on the legacy record.
    pub patch: Map<String, Value>,
}

/// Whether `document` of `collection` holds a retired field with a value. An empty
/// text or list is none: the earlier version wrote one into every record that had
/// nothing, and it is read as absent like any retired value, so clearing it would only
/// send every such record again.
pub fn is_legacy(collection: Collection, document: &Map<String, Value>) -> bool {
    collection.spec().retired.iter().any(|f| match document.get(*f) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    })
}

/// The id of the record of `collection` an upgrade creates for `key` (a folded name,
/// or two ids joined): the same on every laptop. A version 8 UUID made of the first
/// bytes of the SHA-256 of the collection and the key.
pub fn derived_id(collection: Collection, key: &str) -> RecordId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("saite-upgrade\0{collection}\0{key}"));
    let bytes: [u8; 16] = digest[..16].try_into().expect("a SHA-256 is 32 bytes");
    RecordId::from_uuid(uuid::Uuid::new_v8(bytes))
}

/// The upgrade of the record `id` of `collection`, if its document is legacy.
/// `existing(collection, folded name)` names a live record this laptop holds under that
/// name, which an upgrade links to instead of creating one; the caller answers with the
/// derived record first when it holds that one, so laptops that made it agree.
pub fn upgrade(
    collection: Collection,
    id: RecordId,
    document: &Map<String, Value>,
    existing: &dyn Fn(Collection, &str) -> Option<RecordId>,
) -> Option<Upgrade> {
    if !is_legacy(collection, document) {
        return None;
    }
    let mut up = Upgrade { creates: Vec::new(), patch: Map::new() };
    for field in collection.spec().retired {
        up.patch.insert((*field).to_owned(), Value::Null);
    }
    if collection == Collection::Campaign {
        // Funders were a list of names: each becomes a funder (of kind "other" until
        // someone says more) linked to the campaign.
        let names = document.get("funders").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
        let mut linked = Vec::new();
        for name in names.map(str::trim).filter(|n| !n.is_empty()) {
            let key = fold(name);
            let (funder, new) = match existing(Collection::Funder, &key) {
                Some(funder) => (funder, false),
                None => (derived_id(Collection::Funder, &key), true),
            };
            if linked.contains(&funder) {
                continue;
            }
            linked.push(funder);
            if new {
                up.creates.push((Collection::Funder, funder, object(json!({"name": name, "kind": "other"}))));
            }
            let link = derived_id(Collection::CampaignFunder, &format!("{id}\0{funder}"));
            up.creates.push((Collection::CampaignFunder, link, object(json!({"campaign": id, "funder": funder}))));
        }
    }
    if collection == Collection::Seminar
        && let Some(name) = document.get("organiser").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty())
        && document.get("organisedBy").is_none_or(Value::is_null)
    {
        // The organiser's name: the organisation of that name, made (of kind "other")
        // when there is none.
        let key = fold(name);
        let organisation = existing(Collection::Organisation, &key).unwrap_or_else(|| {
            let made = derived_id(Collection::Organisation, &key);
            up.creates.push((Collection::Organisation, made, object(json!({"name": name, "kind": "other"}))));
            made
        });
        up.patch.insert("organisedBy".to_owned(), json!(organisation));
    }
    Some(up)
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("upgrades make objects"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(funders: Value) -> Map<String, Value> {
        object(json!({"name": "Atver acis", "kind": "campaign", "funders": funders}))
    }

    fn id(n: u128) -> RecordId {
        RecordId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn a_campaigns_funder_names_become_funders_linked_to_it_the_same_on_every_laptop() {
        let none = |_: Collection, _: &str| None;
        let doc = campaign(json!(["Iekšlietu ministrija", " iekslietu ministrija ", "Rīgas dome", ""]));
        let up = upgrade(Collection::Campaign, id(1), &doc, &none).unwrap();
        assert_eq!(up.patch, object(json!({"funders": null})));
        let ministry = derived_id(Collection::Funder, &fold("Iekšlietu ministrija"));
        let council = derived_id(Collection::Funder, &fold("Rīgas dome"));
        let made: Vec<(Collection, RecordId)> = up.creates.iter().map(|(c, i, _)| (*c, *i)).collect();
        assert_eq!(
            made,
            [
                (Collection::Funder, ministry),
                (Collection::CampaignFunder, derived_id(Collection::CampaignFunder, &format!("{}\0{ministry}", id(1)))),
                (Collection::Funder, council),
                (Collection::CampaignFunder, derived_id(Collection::CampaignFunder, &format!("{}\0{council}", id(1)))),
            ],
            "one funder per name as folded, each linked once"
        );
        assert_eq!(up.creates[0].2, object(json!({"name": "Iekšlietu ministrija", "kind": "other"})));
        assert_eq!(up.creates[1].2, object(json!({"campaign": id(1), "funder": ministry})));
        for (collection, _, document) in &up.creates {
            crate::check_document(*collection, document).unwrap();
        }
        assert_eq!(upgrade(Collection::Campaign, id(1), &doc, &none), Some(up), "the same on every laptop");
        assert_eq!(ministry.as_uuid().get_version_num(), 8);
    }

    #[test]
    fn a_seminars_organiser_becomes_a_link_to_the_organisation_of_that_name() {
        let seminar = |organiser: Value, organised_by: Value| {
            object(json!({"title": "Seminārs", "kind": "seminar", "date": "2012-11-09", "municipality": "daugavpils",
                "organiser": organiser, "organisedBy": organised_by}))
        };
        let held =
            |c: Collection, name: &str| (c == Collection::Organisation && name == fold("Drošā māja")).then(|| id(5));
        let up = upgrade(Collection::Seminar, id(1), &seminar(json!(" Drošā māja "), json!(null)), &held).unwrap();
        assert_eq!((up.creates.len(), up.patch), (0, object(json!({"organiser": null, "organisedBy": id(5)}))));

        let none = |_: Collection, _: &str| None;
        let up = upgrade(
            Collection::Seminar,
            id(1),
            &seminar(json!("Rīgas domes Labklājības departaments"), json!(null)),
            &none,
        )
        .unwrap();
        let made = derived_id(Collection::Organisation, &fold("Rīgas domes Labklājības departaments"));
        assert_eq!(
            up.creates,
            [(
                Collection::Organisation,
                made,
                object(json!({"name": "Rīgas domes Labklājības departaments", "kind": "other"}))
            )]
        );
        assert_eq!(up.patch["organisedBy"], json!(made));
        crate::check_document(Collection::Organisation, &up.creates[0].2).unwrap();

        // A link set already, or no name: only the text is cleared.
        let up = upgrade(Collection::Seminar, id(1), &seminar(json!("Drošā māja"), json!(id(7))), &held).unwrap();
        assert_eq!(up.patch, object(json!({"organiser": null})));
        assert_eq!(upgrade(Collection::Seminar, id(1), &seminar(json!(" "), json!(null)), &held), None);
        assert_eq!(upgrade(Collection::Seminar, id(1), &seminar(json!(null), json!(null)), &held), None);
    }

    #[test]
    fn a_funder_this_laptop_holds_is_linked_and_an_upgraded_record_needs_nothing() {
        let held = |c: Collection, name: &str| (c == Collection::Funder && name == fold("Rīgas dome")).then(|| id(9));
        let up = upgrade(Collection::Campaign, id(1), &campaign(json!(["Rīgas dome"])), &held).unwrap();
        assert_eq!(up.creates.len(), 1);
        assert_eq!(up.creates[0].2, object(json!({"campaign": id(1), "funder": id(9)})));

        let none = |_: Collection, _: &str| None;
        assert_eq!(upgrade(Collection::Campaign, id(1), &campaign(json!([])), &none), None, "an empty list is none");
        let mut upgraded = campaign(json!(null));
        assert_eq!(upgrade(Collection::Campaign, id(1), &upgraded, &none), None);
        upgraded.remove("funders");
        assert_eq!(upgrade(Collection::Campaign, id(1), &upgraded, &none), None);
        crate::check_document(Collection::Campaign, &campaign(json!(["Rīgas dome"]))).unwrap();
    }
}
