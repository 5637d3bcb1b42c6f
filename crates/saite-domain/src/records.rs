//! The records a consultant keeps, one struct per collection.
//!
//! On disk and on the wire a record is a JSON object (its *document*): one key per
//! field, camelCase. Sync merges documents field by field, so each top-level key is the
//! unit of last-writer-wins; values that must merge separately (a seminar's speakers,
//! its participating organisations) are link records of their own.
//!
//! Glossary: **collection** — a kind of record ([`Collection`]); **document** — a
//! record's field map; **reference** — a field holding another record's id, checked to
//! exist on every write ([`references`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use ts_rs::TS;

use crate::{
    fold,
    ids::*,
    spec::{self, CollectionSpec, FieldKind, FieldMut, FieldRef, FieldValue},
    validate::{Checker, FieldError, ValidationCode},
};

/// A kind of record. The string form names the collection in the store and the sync
/// protocol and never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum Collection {
    Seminar,
    Organisation,
    Person,
    Material,
    MaterialVersion,
    Distribution,
    Campaign,
    FollowUp,
    Attachment,
    SeminarOrganisation,
    SeminarPerson,
    MaterialCampaign,
    HotlineContact,
    Funder,
    CampaignFunder,
}

impl Collection {
    pub const ALL: [Collection; 15] = [
        Collection::Seminar,
        Collection::Organisation,
        Collection::Person,
        Collection::Material,
        Collection::MaterialVersion,
        Collection::Distribution,
        Collection::Campaign,
        Collection::FollowUp,
        Collection::Attachment,
        Collection::SeminarOrganisation,
        Collection::SeminarPerson,
        Collection::MaterialCampaign,
        Collection::HotlineContact,
        Collection::Funder,
        Collection::CampaignFunder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Seminar => "seminar",
            Collection::Organisation => "organisation",
            Collection::Person => "person",
            Collection::Material => "material",
            Collection::MaterialVersion => "material-version",
            Collection::Distribution => "distribution",
            Collection::Campaign => "campaign",
            Collection::FollowUp => "follow-up",
            Collection::Attachment => "attachment",
            Collection::SeminarOrganisation => "seminar-organisation",
            Collection::SeminarPerson => "seminar-person",
            Collection::MaterialCampaign => "material-campaign",
            Collection::HotlineContact => "hotline-contact",
            Collection::Funder => "funder",
            Collection::CampaignFunder => "campaign-funder",
        }
    }

    pub fn parse(s: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The collection's spec: its fields, label, lists and screen.
    pub const fn spec(self) -> &'static CollectionSpec {
        spec::spec(self)
    }

    /// Whether `field` of this collection's records is a long text (notes, descriptions):
    /// two laptops' edits of one are merged as text, line by line, against the version
    /// both started from, instead of the later one replacing the other.
    pub fn is_long_text(self, field: &str) -> bool {
        self.spec().field(field).is_some_and(|f| f.kind == FieldKind::LongText)
    }

    /// The field whose value is a record's label, as lists and search results show it
    /// (its title or name); none for a link between two records.
    pub fn label_field(self) -> Option<&'static str> {
        self.spec().label
    }

    /// Whether the collection's records appear in full-text search: those with a label
    /// (link records have none).
    pub fn is_searchable(self) -> bool {
        self.spec().label.is_some()
    }
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record type: its collection, and its fields' values in the order its
/// [`CollectionSpec`] names them. The rules a record obeys are its spec's.
pub trait RecordKind: Serialize + DeserializeOwned + Default {
    const COLLECTION: Collection;

    /// The struct's field names, in order (the spec names the same fields in camelCase).
    const FIELD_IDENTS: &'static [&'static str];

    /// Each field's value, in field order.
    fn values(&self) -> Vec<FieldRef<'_>>;

    /// Each field, to be rewritten, in field order.
    fn values_mut(&mut self) -> Vec<FieldMut<'_>>;
}

/// Declares a record type: the struct, and its [`RecordKind`] (of the collection of the
/// same name).
macro_rules! record_type {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[ts(rename_all = "camelCase")]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty ),*
        }

        impl RecordKind for $name {
            const COLLECTION: Collection = Collection::$name;
            const FIELD_IDENTS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn values(&self) -> Vec<FieldRef<'_>> {
                vec![$(self.$field.field_ref()),*]
            }
            fn values_mut(&mut self) -> Vec<FieldMut<'_>> {
                vec![$(self.$field.field_mut()),*]
            }
        }
    };
}

record_type! {
    /// A seminar, round table, training or other event.
    #[derive(Default)]
    pub struct Seminar {
        pub title: String,
        /// `event-kind` code.
        pub kind: String,
        /// ISO date the event took place (or starts).
        pub date: String,
        #[serde(default)]
        pub end_date: Option<String>,
        /// `municipality` code; the planning region follows from it.
        pub municipality: String,
        #[serde(default)]
        pub venue: String,
        /// The organisation that organised it (the text `organiser` of protocol 3 is
        /// retired).
        #[serde(default)]
        pub organised_by: Option<OrganisationId>,
        #[serde(default)]
        pub campaign: Option<CampaignId>,
        #[serde(default)]
        pub topics: Vec<String>,
        /// Participants per `target-group` code.
        #[serde(default)]
        pub participants: BTreeMap<String, i64>,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// An institution or organisation the consultants work with.
    #[derive(Default)]
    pub struct Organisation {
        pub name: String,
        /// `organisation-kind` code.
        pub kind: String,
        #[serde(default)]
        pub municipality: Option<String>,
        /// `country` code of an organisation abroad (an embassy); none in Latvia.
        #[serde(default)]
        pub country: Option<String>,
        #[serde(default)]
        pub address: String,
        #[serde(default)]
        pub phones: Vec<String>,
        #[serde(default)]
        pub emails: Vec<String>,
        #[serde(default)]
        pub website: String,
        #[serde(default)]
        pub coalition_member: bool,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// A contact person. Carries the legal basis for keeping the record (GDPR) and when it
    /// was last confirmed.
    #[derive(Default)]
    pub struct Person {
        pub full_name: String,
        #[serde(default)]
        pub organisation: Option<OrganisationId>,
        #[serde(default)]
        pub position: String,
        #[serde(default)]
        pub phones: Vec<String>,
        #[serde(default)]
        pub emails: Vec<String>,
        /// `material-language` code of the language they prefer (lv, ru, en).
        #[serde(default)]
        pub preferred_language: Option<String>,
        #[serde(default)]
        pub municipality: Option<String>,
        #[serde(default)]
        pub last_contacted_on: Option<String>,
        /// `legal-basis` code.
        pub legal_basis: String,
        /// ISO date the basis was last confirmed.
        pub basis_confirmed_on: String,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// A prevention material: poster, booklet, lesson plan, video...
    #[derive(Default)]
    pub struct Material {
        pub title: String,
        /// `material-kind` code.
        pub kind: String,
        #[serde(default)]
        pub description: String,
        /// Copies on hand.
        #[serde(default)]
        pub stock: i64,
    }
}

record_type! {
    /// One language version of a material, with its file.
    #[derive(Default)]
    pub struct MaterialVersion {
        pub material: MaterialId,
        /// `material-language` code.
        pub language: String,
        #[serde(default)]
        pub title: String,
        #[serde(default)]
        pub attachment: Option<AttachmentId>,
    }
}

record_type! {
    /// Copies of a material given to an organisation.
    #[derive(Default)]
    pub struct Distribution {
        pub material: MaterialId,
        pub organisation: OrganisationId,
        #[serde(default)]
        pub seminar: Option<SeminarId>,
        pub quantity: i64,
        pub date: String,
        /// `distribution-method` code.
        pub method: String,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// A campaign or project that events and materials belong to. Its funders are
    /// [`CampaignFunder`] links (the text list `funders` of protocol 3 is retired).
    #[derive(Default)]
    pub struct Campaign {
        pub name: String,
        /// `campaign-kind` code.
        pub kind: String,
        #[serde(default)]
        pub starts_on: Option<String>,
        #[serde(default)]
        pub ends_on: Option<String>,
        #[serde(default)]
        pub description: String,
    }
}

record_type! {
    /// Who pays for campaigns and projects: a ministry, a city council, EEA grants, a
    /// foundation, a company.
    #[derive(Default)]
    pub struct Funder {
        pub name: String,
        /// `funder-kind` code.
        pub kind: String,
        #[serde(default)]
        pub website: String,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// A funder of a campaign.
    #[derive(Default)]
    pub struct CampaignFunder {
        pub campaign: CampaignId,
        pub funder: FunderId,
    }
}

record_type! {
    /// Something agreed to do later, about a seminar, an organisation or a person.
    #[derive(Default)]
    pub struct FollowUp {
        pub title: String,
        #[serde(default)]
        pub seminar: Option<SeminarId>,
        #[serde(default)]
        pub organisation: Option<OrganisationId>,
        #[serde(default)]
        pub person: Option<PersonId>,
        pub owner: String,
        #[serde(default)]
        pub due_on: Option<String>,
        #[serde(default)]
        pub done: bool,
        #[serde(default)]
        pub notes: String,
    }
}

record_type! {
    /// A file attached to a record, by content hash (the bytes live in the blob store).
    pub struct Attachment {
        pub owner: RecordId,
        pub owner_collection: Collection,
        pub file_name: String,
        #[serde(default)]
        pub media_type: String,
        pub size_bytes: i64,
        /// Lower-case hex SHA-256 of the content.
        pub sha256: String,
        #[serde(default)]
        pub description: String,
    }
}

/// The empty attachment (a placeholder owner of the first collection).
impl Default for Attachment {
    fn default() -> Attachment {
        Attachment {
            owner: RecordId::default(),
            owner_collection: Collection::ALL[0],
            file_name: String::new(),
            media_type: String::new(),
            size_bytes: 0,
            sha256: String::new(),
            description: String::new(),
        }
    }
}

record_type! {
    /// An organisation taking part in a seminar.
    #[derive(Default)]
    pub struct SeminarOrganisation {
        pub seminar: SeminarId,
        pub organisation: OrganisationId,
    }
}

record_type! {
    /// A person at a seminar, as speaker, contact or organiser.
    #[derive(Default)]
    pub struct SeminarPerson {
        pub seminar: SeminarId,
        pub person: PersonId,
        /// `seminar-role` code.
        pub role: String,
    }
}

record_type! {
    /// A material belonging to a campaign.
    #[derive(Default)]
    pub struct MaterialCampaign {
        pub material: MaterialId,
        pub campaign: CampaignId,
    }
}

record_type! {
    /// A call, message or visit to the hotline (Uzticības tālrunis). Anonymous by design:
    /// it has no field for the caller's name, phone or other identity, and its notes are
    /// marked in the form as not for them.
    #[derive(Default)]
    pub struct HotlineContact {
        pub date: String,
        /// `HH:MM`, local time.
        #[serde(default)]
        pub time: Option<String>,
        /// `hotline-channel` code.
        pub channel: String,
        /// `hotline-topic` code.
        pub topic: String,
        /// `region` code of where the caller is, when they said.
        #[serde(default)]
        pub region: Option<String>,
        /// The organisation the caller was referred to.
        #[serde(default)]
        pub referred_to: Option<OrganisationId>,
        #[serde(default)]
        pub notes: String,
    }
}

/// The address of a file's bytes: their SHA-256 in lower-case hex. An attachment's
/// `sha256`, and the address under which the server stores the file.
pub fn content_address(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `s` is a [`content_address`]: 64 lower-case hex digits.
pub fn is_content_address(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A document that passed validation: its canonical JSON, its label, what it
/// references, and its folded search text.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDocument {
    pub document: serde_json::Map<String, serde_json::Value>,
    /// The record's label ([`CollectionSpec::label`]), as it stands (not folded).
    pub label: String,
    pub references: Vec<(&'static str, Collection, RecordId)>,
    pub search_text: String,
}

/// A document's text that passed validation ([`validate_document_text`]): its label,
/// what it references and its folded search text, as [`ValidDocument`] has them; its
/// canonical JSON only when asked for ([`ValidText::document`]). A pulled record is
/// stored as its text came, so only a collection whose duplicate keys are read from
/// canonical values (phones) needs it; making it for every record was a sixth of
/// preparing a pulled page.
pub struct ValidText {
    pub label: String,
    pub references: Vec<(&'static str, Collection, RecordId)>,
    pub search_text: String,
    record: Box<dyn Canonical>,
}

impl ValidText {
    fn of<T: RecordKind + 'static>(record: T) -> ValidText {
        let (label, references, search_text) = derived(&record);
        ValidText { label, references, search_text, record: Box::new(record) }
    }

    /// The document's canonical JSON: [`ValidDocument::document`] of the same text.
    pub fn document(&self) -> serde_json::Map<String, serde_json::Value> {
        self.record.document()
    }
}

impl std::fmt::Debug for ValidText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidText")
            .field("label", &self.label)
            .field("references", &self.references)
            .finish_non_exhaustive()
    }
}

/// A checked record of any kind, written out as its canonical JSON on request.
trait Canonical {
    fn document(&self) -> serde_json::Map<String, serde_json::Value>;
}

impl<T: RecordKind> Canonical for T {
    fn document(&self) -> serde_json::Map<String, serde_json::Value> {
        let serde_json::Value::Object(document) = serde_json::to_value(self).expect("records serialise") else {
            unreachable!("records serialise to objects")
        };
        document
    }
}

fn validate_as<T: RecordKind>(
    document: &serde_json::Map<String, serde_json::Value>,
) -> Result<ValidDocument, Vec<FieldError>> {
    Ok(valid_document(parse_checked::<T>(document)?))
}

fn valid_document<T: RecordKind>(record: T) -> ValidDocument {
    let (label, references, search_text) = derived(&record);
    ValidDocument { document: record.document(), label, references, search_text }
}

/// What a checked record's spec derives from it: its label, its references and its
/// folded search text.
fn derived<T: RecordKind>(record: &T) -> (String, Vec<(&'static str, Collection, RecordId)>, String) {
    let spec = T::COLLECTION.spec();
    let values = record.values();
    (spec.label(&values).to_owned(), spec.references(&values), fold::fold(&spec.search_text(&values)))
}

fn validate_text_as<T: RecordKind + 'static>(text: &str) -> Result<ValidText, Vec<FieldError>> {
    let record = match serde_json::from_str::<T>(text) {
        Ok(record) => checked(record)?,
        // Read again as values, to name the field at fault as validate_document does
        // (or to take the last of a repeated field, as a map does).
        Err(_) => match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
            Ok(document) => parse_checked::<T>(&document)?,
            Err(_) => return Err(vec![FieldError::new(String::new(), ValidationCode::InvalidValue)]),
        },
    };
    Ok(ValidText::of(record))
}

/// Evaluates `$body` with `$T` the record type of `$collection`.
macro_rules! with_record_kind {
    ($collection:expr, $T:ident => $body:expr) => {
        match $collection {
            Collection::Seminar => {
                type $T = Seminar;
                $body
            }
            Collection::Organisation => {
                type $T = Organisation;
                $body
            }
            Collection::Person => {
                type $T = Person;
                $body
            }
            Collection::Material => {
                type $T = Material;
                $body
            }
            Collection::MaterialVersion => {
                type $T = MaterialVersion;
                $body
            }
            Collection::Distribution => {
                type $T = Distribution;
                $body
            }
            Collection::Campaign => {
                type $T = Campaign;
                $body
            }
            Collection::FollowUp => {
                type $T = FollowUp;
                $body
            }
            Collection::Attachment => {
                type $T = Attachment;
                $body
            }
            Collection::SeminarOrganisation => {
                type $T = SeminarOrganisation;
                $body
            }
            Collection::SeminarPerson => {
                type $T = SeminarPerson;
                $body
            }
            Collection::MaterialCampaign => {
                type $T = MaterialCampaign;
                $body
            }
            Collection::HotlineContact => {
                type $T = HotlineContact;
                $body
            }
            Collection::Funder => {
                type $T = Funder;
                $body
            }
            Collection::CampaignFunder => {
                type $T = CampaignFunder;
                $body
            }
        }
    };
}

/// A document read as a record of kind `T`, normalised and checked. Retired fields
/// ([`CollectionSpec::retired`]) are read as absent.
fn parse_checked<T: RecordKind>(document: &serde_json::Map<String, serde_json::Value>) -> Result<T, Vec<FieldError>> {
    let retired = T::COLLECTION.spec().retired;
    if retired.iter().any(|f| document.contains_key(*f)) {
        let mut current = document.clone();
        current.retain(|field, _| !retired.contains(&field.as_str()));
        return parse_current(&current);
    }
    parse_current(document)
}

/// [`parse_checked`] of a document without retired fields.
fn parse_current<T: RecordKind>(document: &serde_json::Map<String, serde_json::Value>) -> Result<T, Vec<FieldError>> {
    // Read straight from the map (no copy of the document). Only a document that fails
    // is read again, tracking the path, to name the field at fault: tracking costs as
    // much as the reading itself, for every record of a sync.
    match T::deserialize(document) {
        Ok(record) => checked(record),
        Err(_) => Err(field_errors_of::<T>(document)),
    }
}

/// Every field error of a document `T` cannot be read from, so an empty form learns
/// each required field it misses, not only the first one that cannot be read: a `null`
/// in a required field is "required"; the record's own rules then run over the document
/// with each `null` read as its field's empty value; a field that still cannot be read
/// is named beside them. Only for refusing: a document is never accepted this way.
fn field_errors_of<T: RecordKind>(document: &serde_json::Map<String, serde_json::Value>) -> Vec<FieldError> {
    let spec = T::COLLECTION.spec();
    let empty = T::default().document();
    let mut errors = Vec::new();
    let mut filled = document.clone();
    for (field, value) in filled.iter_mut().filter(|(_, v)| v.is_null()) {
        if let Some(empty) = empty.get(field) {
            *value = empty.clone();
            if spec.field(field).is_some_and(|f| f.required) {
                errors.push(FieldError::new(field.as_str(), ValidationCode::Required));
            }
        }
    }
    // A field still unreadable with the nulls filled is the one wrongly typed; named
    // from `filled`, a null met first in `document` cannot hide it.
    let found = match T::deserialize(&filled) {
        Ok(record) => checked(record).err().unwrap_or_default(),
        Err(_) => field_error_of::<T>(&filled),
    };
    for e in found.into_iter().chain(field_error_of::<T>(document)) {
        if !errors.iter().any(|known| known.field == e.field) {
            errors.push(e);
        }
    }
    errors
}

/// A record read from its document, normalised and checked by its own rules.
fn checked<T: RecordKind>(mut record: T) -> Result<T, Vec<FieldError>> {
    let spec = T::COLLECTION.spec();
    spec.normalize(record.values_mut());
    let mut checker = Checker::default();
    spec.check(&record.values(), &mut checker);
    checker.finish()?;
    Ok(record)
}

/// The field error of a document `T` cannot be read from.
fn field_error_of<T: RecordKind>(document: &serde_json::Map<String, serde_json::Value>) -> Vec<FieldError> {
    let Err(e) = serde_path_to_error::deserialize::<_, T>(document) else {
        // Not expected (the same reading failed a moment ago): the document as a whole.
        return vec![FieldError::new(String::new(), ValidationCode::InvalidValue)];
    };
    let path = e.path().to_string();
    let inner = e.into_inner().to_string();
    // serde reports a missing field with the parent path ("."), naming the field
    // only in its message: take it from there.
    let field = if let Some(rest) = inner.strip_prefix("missing field `") {
        rest.split('`').next().unwrap_or_default().to_owned()
    } else if let Some(rest) = inner.strip_prefix("unknown field `") {
        rest.split('`').next().unwrap_or_default().to_owned()
    } else if path == "." {
        String::new()
    } else {
        path
    };
    let code = if inner.starts_with("missing field") { ValidationCode::Required } else { ValidationCode::InvalidValue };
    vec![FieldError::new(field, code)]
}

/// Whether a document of `collection` passes [`validate_document`], without building
/// its canonical form and search text (the server checks pushes this way: folding every
/// record's text for an index it does not keep cost more than the rest of a push).
pub fn check_document(
    collection: Collection,
    document: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), Vec<FieldError>> {
    with_record_kind!(collection, T => parse_checked::<T>(document).map(drop))
}

/// [`check_document`] of the document `fields` make, read from them where they are
/// (a push's new record: the server holds its fields by name, as JSON values or as the
/// texts they arrived in, and copying each value into a document first was most of
/// checking it). A document that fails is copied and read again by
/// [`check_document`], which names the field at fault.
///
/// `fields` are (name, value) pairs, each name once; a value is a JSON value or a raw
/// JSON text.
pub fn check_fields<'a, V, I>(collection: Collection, fields: I) -> Result<(), Vec<FieldError>>
where
    V: serde::Serialize + ?Sized + 'a,
    &'a V: serde::de::IntoDeserializer<'a, serde_json::Error>,
    I: IntoIterator<Item = (&'a str, &'a V)> + Clone,
{
    use serde::de::value::MapDeserializer;
    let ok = with_record_kind!(collection, T => {
        let read = MapDeserializer::<_, serde_json::Error>::new(fields.clone().into_iter());
        T::deserialize(read).ok().map(|record| checked(record).map(drop))
    });
    match ok {
        Some(checked) => checked,
        None => {
            // A value that cannot be read as JSON (a number out of range, an unpaired
            // surrogate) is refused by name, never read as `null`.
            let mut document = serde_json::Map::new();
            for (field, value) in fields {
                let Ok(value) = serde_json::to_value(value) else {
                    return Err(vec![FieldError::new(field, ValidationCode::InvalidValue)]);
                };
                document.insert(field.to_owned(), value);
            }
            check_document(collection, &document)
        }
    }
}

/// The document of `collection`'s empty record: every field, each with its empty value
/// (a record's own rules can run over it while some of its fields are not set yet).
pub fn default_document(collection: Collection) -> serde_json::Map<String, serde_json::Value> {
    with_record_kind!(collection, T => T::default().document())
}

/// Validates the full document of a record of `collection` (after a patch was applied).
pub fn validate_document(
    collection: Collection,
    document: &serde_json::Map<String, serde_json::Value>,
) -> Result<ValidDocument, Vec<FieldError>> {
    with_record_kind!(collection, T => validate_as::<T>(document))
}

/// [`validate_document`] of a document written out as JSON text (a JSON object whose
/// fields are named once each): read straight into its record type, with no JSON
/// values built on the way (a laptop validates every record of a first pull). The
/// same answer as [`validate_document`] of the text's values.
pub fn validate_document_text(collection: Collection, text: &str) -> Result<ValidText, Vec<FieldError>> {
    with_record_kind!(collection, T => validate_text_as::<T>(text))
}

/// The references of a stored document (for merges and link checks). Invalid documents
/// yield none.
pub fn references(
    collection: Collection,
    document: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(&'static str, Collection, RecordId)> {
    validate_document(collection, document).map(|v| v.references).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn an_empty_form_is_told_every_required_field_it_misses() {
        // What the app's new seminar form sends untouched: nulls and empty texts.
        let empty = doc(json!({"title": "", "kind": "", "date": null, "municipality": "", "endDate": null}));
        let errors = check_document(Collection::Seminar, &empty).unwrap_err();
        let fields: Vec<(&str, ValidationCode)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        for field in ["title", "kind", "date", "municipality"] {
            assert!(fields.contains(&(field, ValidationCode::Required)), "{field} in {fields:?}");
        }
        let empty = doc(
            json!({"material": null, "organisation": null, "seminar": null, "quantity": null, "date": null, "method": ""}),
        );
        let errors = check_document(Collection::Distribution, &empty).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in ["material", "organisation", "quantity", "date", "method"] {
            assert!(fields.contains(&field), "{field} in {errors:?}");
        }
        assert!(!fields.contains(&"seminar"), "an optional link left empty is fine: {errors:?}");
        // A null met first cannot hide a field of the wrong type.
        let mixed = doc(
            json!({"title": "Seminārs", "kind": "seminar", "date": null, "municipality": "riga", "participants": "daudz"}),
        );
        let errors = check_document(Collection::Seminar, &mixed).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"date") && fields.contains(&"participants"), "{errors:?}");
        // A null is never accepted for all that: a plain text field holding one is still
        // refused, by name.
        let mut odd = seminar();
        odd["venue"] = json!(null);
        let errors = check_document(Collection::Seminar, &doc(odd)).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("venue", ValidationCode::InvalidValue)]);
    }

    #[test]
    fn fields_are_checked_as_the_document_they_make() {
        let mut cases = vec![seminar()];
        for (field, value) in [
            ("municipality", json!("atlantis")),
            ("participants", json!({"youth": -1})),
            ("colour", json!("red")),
            ("title", json!("  ")),
            ("date", json!(12)),
        ] {
            let mut bad = seminar();
            bad[field] = value;
            cases.push(bad);
        }
        let mut without_title = seminar();
        without_title.as_object_mut().unwrap().remove("title");
        cases.push(without_title);
        for case in cases {
            let fields: std::collections::BTreeMap<String, serde_json::Value> = doc(case.clone()).into_iter().collect();
            let expected = check_document(Collection::Seminar, &doc(case.clone()));
            assert_eq!(
                check_fields(Collection::Seminar, fields.iter().map(|(f, v)| (f.as_str(), v))),
                expected,
                "{case}"
            );
            // The same values as the texts a push carries them in.
            let texts: std::collections::BTreeMap<String, Box<serde_json::value::RawValue>> =
                serde_json::from_str(&case.to_string()).unwrap();
            assert_eq!(
                check_fields(Collection::Seminar, texts.iter().map(|(f, t)| (f.as_str(), &**t))),
                expected,
                "{case} as texts"
            );
        }
        let fields: std::collections::BTreeMap<String, serde_json::Value> = doc(seminar()).into_iter().collect();
        assert!(check_fields(Collection::Seminar, fields.iter().map(|(f, v)| (f.as_str(), v))).is_ok());
    }

    fn seminar() -> serde_json::Value {
        json!({
            "title": "Informatīvs seminārs par cilvēku tirdzniecību",
            "kind": "seminar",
            "date": "2012-11-09",
            "municipality": "daugavpils",
            "participants": {"social-workers": 12, "municipal-police-officers": 4},
            "topics": ["identifying cases"],
        })
    }

    #[test]
    fn a_valid_seminar_passes_and_is_canonical() {
        let v = validate_document(Collection::Seminar, &doc(seminar())).unwrap();
        assert_eq!(v.document["venue"], json!(""), "defaults are filled in");
        assert!(v.search_text.contains("daugavpils"));
        assert!(!v.search_text.contains("informativs seminars"), "the title is the label, indexed on its own");
    }

    #[test]
    fn the_check_alone_answers_as_the_full_validation() {
        let mut cases = vec![seminar()];
        for (path, value) in [
            ("title", json!("")),
            ("date", json!("2012-13-01")),
            ("colour", json!("red")),
            ("municipality", json!("atlantis")),
        ] {
            let mut s = seminar();
            s[path] = value;
            cases.push(s);
        }
        let mut missing = seminar();
        missing.as_object_mut().unwrap().remove("kind");
        cases.push(missing);
        for case in cases {
            let full = validate_document(Collection::Seminar, &doc(case.clone())).map(drop);
            assert_eq!(check_document(Collection::Seminar, &doc(case.clone())), full, "{case}");
        }
        assert!(check_document(Collection::Organisation, &doc(json!({"name": "NVA", "kind": "ngo"}))).is_ok());
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        let mut s = seminar();
        s.as_object_mut().unwrap().remove("title");
        assert_eq!(
            validate_document(Collection::Seminar, &doc(s)).unwrap_err(),
            vec![FieldError::new("title", ValidationCode::Required)]
        );
        let mut s = seminar();
        s["participants"]["youth"] = json!("many");
        assert_eq!(
            validate_document(Collection::Seminar, &doc(s)).unwrap_err(),
            vec![FieldError::new("participants.youth", ValidationCode::InvalidValue)]
        );
        let mut s = seminar();
        s["colour"] = json!("red");
        assert_eq!(
            validate_document(Collection::Seminar, &doc(s)).unwrap_err(),
            vec![FieldError::new("colour", ValidationCode::InvalidValue)]
        );
    }

    #[test]
    fn rule_failures_are_all_reported() {
        let mut s = seminar();
        s["participants"]["youth"] = json!(-3);
        s["municipality"] = json!("atlantis");
        s["endDate"] = json!("2012-11-01");
        let errors = validate_document(Collection::Seminar, &doc(s)).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("endDate", ValidationCode::EndBeforeStart),
                FieldError::new("municipality", ValidationCode::UnknownCode),
                FieldError::new("participants.youth", ValidationCode::NegativeCount),
            ]
        );
    }

    #[test]
    fn phones_are_normalised_on_the_way_in() {
        let o = json!({"name": "NVA Daugavpils filiāle", "kind": "nva-branch", "phones": ["6540 1234"], "emails": [" info@nva.gov.lv "]});
        let v = validate_document(Collection::Organisation, &doc(o)).unwrap();
        assert_eq!(v.document["phones"], json!(["+37165401234"]));
        assert_eq!(v.document["emails"], json!(["info@nva.gov.lv"]));
    }

    #[test]
    fn references_are_reported_for_the_store_to_check() {
        let ids = crate::IdGenerator::new();
        let (m, o): (MaterialId, OrganisationId) = (ids.new_id(1), ids.new_id(2));
        let d = json!({"material": m, "organisation": o, "quantity": 28, "date": "2013-05-01", "method": "placed"});
        let v = validate_document(Collection::Distribution, &doc(d)).unwrap();
        assert_eq!(
            v.references,
            vec![
                ("material", Collection::Material, m.record_id()),
                ("organisation", Collection::Organisation, o.record_id())
            ]
        );
        let zero = json!({"material": m, "organisation": o, "quantity": 0, "date": "2013-05-01", "method": "placed"});
        assert_eq!(
            validate_document(Collection::Distribution, &doc(zero)).unwrap_err(),
            vec![FieldError::new("quantity", ValidationCode::MustBePositive)]
        );
    }

    #[test]
    fn a_follow_up_needs_a_subject() {
        let f = json!({"title": "Izstrādāt rīcības plānu", "owner": "Sandra"});
        assert_eq!(
            validate_document(Collection::FollowUp, &doc(f)).unwrap_err(),
            vec![FieldError::new("seminar", ValidationCode::MissingSubject)]
        );
    }

    fn camel_case(ident: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for ch in ident.chars() {
            if ch == '_' {
                upper = true;
            } else if upper {
                out.extend(ch.to_uppercase());
                upper = false;
            } else {
                out.push(ch);
            }
        }
        out
    }

    #[test]
    fn every_spec_names_its_record_types_fields_in_order() {
        for c in Collection::ALL {
            let idents: Vec<String> =
                with_record_kind!(c, T => T::FIELD_IDENTS.iter().map(|f| camel_case(f)).collect());
            let names: Vec<&str> = c.spec().fields.iter().map(|f| f.name).collect();
            assert_eq!(idents, names, "{c}");
            let keys: Vec<String> = default_document(c).keys().cloned().collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{c}: the document's keys are the spec's fields");
        }
    }

    #[test]
    fn required_fields_are_those_a_document_must_carry() {
        for c in Collection::ALL {
            // The empty record: every required text, code and date in it is blank.
            let blank = check_document(c, &default_document(c)).err().unwrap_or_default();
            for f in c.spec().fields {
                let mut document = default_document(c);
                document.remove(f.name);
                let errors = check_document(c, &document).err().unwrap_or_default();
                let refused = errors.contains(&FieldError::new(f.name, ValidationCode::Required));
                assert_eq!(refused, f.required, "{c}.{} left out: {errors:?}", f.name);
                if f.required && matches!(f.kind, FieldKind::Text | FieldKind::Code { .. } | FieldKind::Date) {
                    assert!(blank.contains(&FieldError::new(f.name, ValidationCode::Required)), "{c}.{} blank", f.name);
                }
            }
        }
    }

    #[test]
    fn every_fields_kind_fits_its_rust_type() {
        use crate::spec::FieldKind as K;
        for c in Collection::ALL {
            let values = with_record_kind!(c, T => {
                let record = T::default();
                record.values().iter().map(|v| format!("{v:?}")).collect::<Vec<_>>()
            });
            for (f, value) in c.spec().fields.iter().zip(&values) {
                let variant = value.split('(').next().unwrap_or_default();
                let fits = match f.kind {
                    K::Text | K::LongText | K::ContentAddress => variant == "Text",
                    K::Code { .. } | K::Date | K::Time => variant == if f.required { "Text" } else { "OptionalText" },
                    K::Integer { .. } => variant == "Integer",
                    K::Bool => variant == "Bool",
                    K::Texts | K::Phones | K::Emails => variant == "Texts",
                    K::Counts { .. } => variant == "Counts",
                    K::Reference { .. } | K::AnyReference { .. } => variant == "Id",
                    K::CollectionName => variant == "Collection",
                };
                assert!(fits, "{c}.{} is {:?} but holds {value}", f.name, f.kind);
            }
        }
    }

    /// The generic rules read a spec's facts in field order, so a date may only be held
    /// not before an earlier date field; a lower bound is 0 (a count) or 1 (a quantity);
    /// a label is a text every record has.
    #[test]
    fn every_spec_keeps_what_its_rules_assume() {
        for c in Collection::ALL {
            let s = c.spec();
            for (i, f) in s.fields.iter().enumerate() {
                if let Some(other) = f.not_before {
                    let at = s.fields.iter().position(|g| g.name == other);
                    assert!(at.is_some_and(|at| at < i), "{c}.{}: {other} is not an earlier field", f.name);
                    assert_eq!(s.field(other).map(|g| g.kind), Some(FieldKind::Date), "{c}.{other}");
                    assert_eq!(f.kind, FieldKind::Date, "{c}.{}", f.name);
                }
                if let FieldKind::Integer { min } = f.kind {
                    assert!(min == 0 || min == 1, "{c}.{}: min {min}", f.name);
                }
            }
            if let Some(label) = s.label {
                let kind = s.field(label).map(|f| (f.kind, f.required));
                assert!(
                    matches!(kind, Some((FieldKind::Text, _)) | Some((FieldKind::Date, true))),
                    "{c}: the label {label} is {kind:?}"
                );
            }
        }
    }

    #[test]
    fn every_field_a_spec_names_is_one_of_its_fields() {
        for c in Collection::ALL {
            let s = c.spec();
            let mut named: Vec<&str> = s.label.into_iter().chain(s.one_of.iter().copied()).collect();
            named.extend(s.list.filters.iter().chain(s.list.sorts).copied());
            named.extend(s.list.year.into_iter().chain(s.list.ties));
            named.extend(s.list.keys.iter().flatten());
            if let Some(screen) = s.list.screen {
                named.extend(screen.columns.iter().copied());
                named.push(screen.sort);
                for filter in screen.filters {
                    match filter {
                        crate::ScreenFilter::Open { field }
                        | crate::ScreenFilter::Mine { field }
                        | crate::ScreenFilter::Code { field } => named.push(field),
                        crate::ScreenFilter::Region | crate::ScreenFilter::Year => {}
                    }
                }
            }
            for f in s.fields {
                named.extend(f.not_before);
                if let FieldKind::AnyReference { collection_field } = f.kind {
                    named.push(collection_field);
                }
            }
            for name in named {
                assert!(s.field(name).is_some(), "{c} names {name}, which is not one of its fields");
            }
        }
    }

    #[test]
    fn collection_names_round_trip() {
        for c in Collection::ALL {
            assert_eq!(Collection::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        }
    }

    proptest::proptest! {
        /// A document read from its text is judged as the same document read from its
        /// values: for seminars and organisations of valid, empty, mistyped, invalid and
        /// unknown fields, with escapes in the text.
        #[test]
        fn a_document_as_text_validates_as_its_values(
            organisation in proptest::bool::ANY,
            picks in proptest::collection::vec((0usize..10, 0usize..7), 0..12),
        ) {
            let seminar_fields = [
                ("title", json!("Seminārs \"Drošā māja\"\n")), ("kind", json!("seminar")), ("date", json!("2012-11-09")),
                ("municipality", json!("daugavpils")), ("participants", json!({"youth": 3})), ("notes", json!("Teksts.")),
                ("endDate", json!("2012-11-10")), ("topics", json!(["a"])), ("campaign", json!(null)), ("colour", json!("red")),
            ];
            let organisation_fields = [
                ("name", json!("Rīgas bāriņtiesa")), ("kind", json!("orphans-court")), ("municipality", json!("riga")),
                ("phones", json!(["+371 2000 0000"])), ("emails", json!(["x@y.lv"])), ("notes", json!("Teksts\t")),
                ("address", json!("Rīga")), ("website", json!("x")), ("municipality", json!(null)), ("colour", json!(1)),
            ];
            let (collection, fields) =
                if organisation { (Collection::Organisation, organisation_fields) } else { (Collection::Seminar, seminar_fields) };
            let others = [json!(null), json!(""), json!(12), json!({"youth": -1}), json!("atlantis"), json!([1.5])];
            let document: serde_json::Map<String, serde_json::Value> = picks
                .iter()
                .map(|&(f, v)| {
                    let (field, valid) = &fields[f];
                    ((*field).to_owned(), if v == 0 { valid.clone() } else { others[v - 1].clone() })
                })
                .collect();
            let text = serde_json::Value::Object(document.clone()).to_string();
            // The text's canonical document, made on request, is the values'.
            let by_text = validate_document_text(collection, &text)
                .map(|v| ValidDocument { document: v.document(), label: v.label, references: v.references, search_text: v.search_text });
            proptest::prop_assert_eq!(by_text, validate_document(collection, &document));
        }
    }
}
