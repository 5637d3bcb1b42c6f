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
    reference::CodeList,
    validate::{Checker, FieldError, LONG_TEXT_MAX, ValidationCode},
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
}

impl Collection {
    pub const ALL: [Collection; 12] = [
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
        }
    }

    pub fn parse(s: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether `field` of this collection's records is a long text (notes, descriptions):
    /// two laptops' edits of one are merged as text, line by line, against the version
    /// both started from, instead of the later one replacing the other.
    pub fn is_long_text(self, field: &str) -> bool {
        match self {
            Collection::Seminar
            | Collection::Organisation
            | Collection::Person
            | Collection::Distribution
            | Collection::FollowUp => field == "notes",
            Collection::Material | Collection::Campaign | Collection::Attachment => field == "description",
            Collection::MaterialVersion
            | Collection::SeminarOrganisation
            | Collection::SeminarPerson
            | Collection::MaterialCampaign => false,
        }
    }

    /// The field whose value is a record's label, as lists and search results show it
    /// (its title or name); none for a link between two records. A typed record gives
    /// the same value ([`RecordKind::label`]).
    pub fn label_field(self) -> Option<&'static str> {
        match self {
            Collection::Seminar | Collection::Material | Collection::FollowUp | Collection::MaterialVersion => {
                Some("title")
            }
            Collection::Organisation | Collection::Campaign => Some("name"),
            Collection::Person => Some("fullName"),
            Collection::Attachment => Some("fileName"),
            Collection::Distribution => Some("date"),
            Collection::SeminarOrganisation | Collection::SeminarPerson | Collection::MaterialCampaign => None,
        }
    }

    /// Whether the collection's records appear in full-text search (link records do not).
    pub fn is_searchable(self) -> bool {
        !matches!(self, Collection::SeminarOrganisation | Collection::SeminarPerson | Collection::MaterialCampaign)
    }
}

impl std::fmt::Display for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A seminar, round table, training or other event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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
    #[serde(default)]
    pub organiser: String,
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

/// An institution or organisation the consultants work with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct Organisation {
    pub name: String,
    /// `organisation-kind` code.
    pub kind: String,
    #[serde(default)]
    pub municipality: Option<String>,
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

/// A contact person. Carries the legal basis for keeping the record (GDPR) and when it
/// was last confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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

/// A prevention material: poster, booklet, lesson plan, video...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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

/// One language version of a material, with its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct MaterialVersion {
    pub material: MaterialId,
    /// `material-language` code.
    pub language: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub attachment: Option<AttachmentId>,
}

/// Copies of a material given to an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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

/// A campaign or project that events and materials belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct Campaign {
    pub name: String,
    /// `campaign-kind` code.
    pub kind: String,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
    #[serde(default)]
    pub funders: Vec<String>,
    #[serde(default)]
    pub description: String,
}

/// Something agreed to do later, about a seminar, an organisation or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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

/// A file attached to a record, by content hash (the bytes live in the blob store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
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

/// An organisation taking part in a seminar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct SeminarOrganisation {
    pub seminar: SeminarId,
    pub organisation: OrganisationId,
}

/// A person at a seminar, as speaker, contact or organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct SeminarPerson {
    pub seminar: SeminarId,
    pub person: PersonId,
    /// `seminar-role` code.
    pub role: String,
}

/// A material belonging to a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct MaterialCampaign {
    pub material: MaterialId,
    pub campaign: CampaignId,
}

/// What each record type provides to the write path.
pub trait RecordKind: Serialize + DeserializeOwned + Default {
    const COLLECTION: Collection;

    /// Rewrites values into their canonical form (phones to E.164, trimmed e-mails).
    fn normalize(&mut self) {}

    /// Rules on the record's own fields; references are checked by the store.
    fn check(&self, c: &mut Checker);

    /// Fields holding other records' ids, as (field, collection, id).
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)>;

    /// The record's label as lists and search show it: the value of its collection's
    /// [`Collection::label_field`] (its title or name); none for a link between two
    /// records.
    fn label(&self) -> &str {
        ""
    }

    /// The text full-text search sees beside the record's label (its title or name,
    /// [`RecordKind::label`]), which the index holds in a column of its own; the
    /// label is not repeated here (in a first pull of 100 000 seminars the repeated
    /// titles were a seventh of the words indexed).
    fn search_text(&self) -> String;
}

fn code_words(code: &str) -> String {
    code.replace('-', " ")
}

fn normalize_phones(phones: &mut [String]) {
    for p in phones {
        if let Some(n) = crate::validate::normalize_phone(p) {
            *p = n;
        }
    }
}

fn normalize_emails(emails: &mut [String]) {
    for e in emails {
        *e = e.trim().to_owned();
    }
}

impl RecordKind for Seminar {
    const COLLECTION: Collection = Collection::Seminar;
    fn label(&self) -> &str {
        &self.title
    }
    fn check(&self, c: &mut Checker) {
        c.required("title", &self.title);
        c.code("kind", CodeList::EventKind, &self.kind);
        let start = c.date("date", &self.date);
        let end = c.optional_date("endDate", self.end_date.as_deref());
        c.date_order("endDate", start, end);
        c.code("municipality", CodeList::Municipality, &self.municipality);
        c.short("venue", &self.venue);
        c.short("organiser", &self.organiser);
        c.list_len("topics", &self.topics);
        for (i, t) in self.topics.iter().enumerate() {
            c.short(&format!("topics.{i}"), t);
        }
        for (group, count) in &self.participants {
            let field = format!("participants.{group}");
            c.code(&field, CodeList::TargetGroup, group);
            c.non_negative(&field, *count);
        }
        c.long("notes", &self.notes);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        self.campaign.iter().map(|id| ("campaign", Collection::Campaign, id.record_id())).collect()
    }
    fn search_text(&self) -> String {
        [&self.venue, &self.organiser, &code_words(&self.municipality), &self.topics.join(" "), &self.notes]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl RecordKind for Organisation {
    const COLLECTION: Collection = Collection::Organisation;
    fn label(&self) -> &str {
        &self.name
    }
    fn normalize(&mut self) {
        normalize_phones(&mut self.phones);
        normalize_emails(&mut self.emails);
    }
    fn check(&self, c: &mut Checker) {
        c.required("name", &self.name);
        c.code("kind", CodeList::OrganisationKind, &self.kind);
        c.optional_code("municipality", CodeList::Municipality, self.municipality.as_deref());
        c.short("address", &self.address);
        c.phones("phones", &self.phones);
        c.emails("emails", &self.emails);
        c.short("website", &self.website);
        c.long("notes", &self.notes);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        Vec::new()
    }
    fn search_text(&self) -> String {
        let municipality = self.municipality.as_deref().map(code_words).unwrap_or_default();
        [self.address.as_str(), &municipality, &self.emails.join(" "), &self.phones.join(" "), &self.notes].join(" ")
    }
}

impl RecordKind for Person {
    const COLLECTION: Collection = Collection::Person;
    fn label(&self) -> &str {
        &self.full_name
    }
    fn normalize(&mut self) {
        normalize_phones(&mut self.phones);
        normalize_emails(&mut self.emails);
    }
    fn check(&self, c: &mut Checker) {
        c.required("fullName", &self.full_name);
        c.short("position", &self.position);
        c.phones("phones", &self.phones);
        c.emails("emails", &self.emails);
        c.optional_code("preferredLanguage", CodeList::MaterialLanguage, self.preferred_language.as_deref());
        c.optional_code("municipality", CodeList::Municipality, self.municipality.as_deref());
        c.optional_date("lastContactedOn", self.last_contacted_on.as_deref());
        c.code("legalBasis", CodeList::LegalBasis, &self.legal_basis);
        c.date("basisConfirmedOn", &self.basis_confirmed_on);
        c.long("notes", &self.notes);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        self.organisation.iter().map(|id| ("organisation", Collection::Organisation, id.record_id())).collect()
    }
    fn search_text(&self) -> String {
        [self.position.as_str(), &self.emails.join(" "), &self.phones.join(" "), &self.notes].join(" ")
    }
}

impl RecordKind for Material {
    const COLLECTION: Collection = Collection::Material;
    fn label(&self) -> &str {
        &self.title
    }
    fn check(&self, c: &mut Checker) {
        c.required("title", &self.title);
        c.code("kind", CodeList::MaterialKind, &self.kind);
        c.max_len("description", &self.description, LONG_TEXT_MAX);
        c.non_negative("stock", self.stock);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        Vec::new()
    }
    fn search_text(&self) -> String {
        self.description.clone()
    }
}

impl RecordKind for MaterialVersion {
    const COLLECTION: Collection = Collection::MaterialVersion;
    fn label(&self) -> &str {
        &self.title
    }
    fn check(&self, c: &mut Checker) {
        c.code("language", CodeList::MaterialLanguage, &self.language);
        c.short("title", &self.title);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        let mut refs = vec![("material", Collection::Material, self.material.record_id())];
        refs.extend(self.attachment.iter().map(|a| ("attachment", Collection::Attachment, a.record_id())));
        refs
    }
    fn search_text(&self) -> String {
        String::new()
    }
}

impl RecordKind for Distribution {
    const COLLECTION: Collection = Collection::Distribution;
    fn label(&self) -> &str {
        &self.date
    }
    fn check(&self, c: &mut Checker) {
        c.positive("quantity", self.quantity);
        c.date("date", &self.date);
        c.code("method", CodeList::DistributionMethod, &self.method);
        c.long("notes", &self.notes);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        let mut refs = vec![
            ("material", Collection::Material, self.material.record_id()),
            ("organisation", Collection::Organisation, self.organisation.record_id()),
        ];
        refs.extend(self.seminar.iter().map(|s| ("seminar", Collection::Seminar, s.record_id())));
        refs
    }
    fn search_text(&self) -> String {
        self.notes.clone()
    }
}

impl RecordKind for Campaign {
    const COLLECTION: Collection = Collection::Campaign;
    fn label(&self) -> &str {
        &self.name
    }
    fn check(&self, c: &mut Checker) {
        c.required("name", &self.name);
        c.code("kind", CodeList::CampaignKind, &self.kind);
        let start = c.optional_date("startsOn", self.starts_on.as_deref());
        let end = c.optional_date("endsOn", self.ends_on.as_deref());
        c.date_order("endsOn", start, end);
        c.list_len("funders", &self.funders);
        for (i, f) in self.funders.iter().enumerate() {
            c.short(&format!("funders.{i}"), f);
        }
        c.long("description", &self.description);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        Vec::new()
    }
    fn search_text(&self) -> String {
        format!("{} {}", self.funders.join(" "), self.description)
    }
}

impl RecordKind for FollowUp {
    const COLLECTION: Collection = Collection::FollowUp;
    fn label(&self) -> &str {
        &self.title
    }
    fn check(&self, c: &mut Checker) {
        c.required("title", &self.title);
        c.required("owner", &self.owner);
        c.optional_date("dueOn", self.due_on.as_deref());
        if self.seminar.is_none() && self.organisation.is_none() && self.person.is_none() {
            c.fail("seminar", ValidationCode::MissingSubject);
        }
        c.long("notes", &self.notes);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        let mut refs = Vec::new();
        refs.extend(self.seminar.iter().map(|s| ("seminar", Collection::Seminar, s.record_id())));
        refs.extend(self.organisation.iter().map(|o| ("organisation", Collection::Organisation, o.record_id())));
        refs.extend(self.person.iter().map(|p| ("person", Collection::Person, p.record_id())));
        refs
    }
    fn search_text(&self) -> String {
        format!("{} {}", self.owner, self.notes)
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

impl RecordKind for Attachment {
    const COLLECTION: Collection = Collection::Attachment;
    fn label(&self) -> &str {
        &self.file_name
    }
    fn normalize(&mut self) {
        self.sha256 = self.sha256.trim().to_ascii_lowercase();
    }
    fn check(&self, c: &mut Checker) {
        c.required("fileName", &self.file_name);
        c.short("mediaType", &self.media_type);
        c.non_negative("sizeBytes", self.size_bytes);
        // Lower-cased by `normalize` first, so upper-case hex is accepted as typed.
        if !is_content_address(&self.sha256) {
            c.fail("sha256", ValidationCode::InvalidChecksum);
        }
        c.long("description", &self.description);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        vec![("owner", self.owner_collection, self.owner)]
    }
    fn search_text(&self) -> String {
        self.description.clone()
    }
}

impl RecordKind for SeminarOrganisation {
    const COLLECTION: Collection = Collection::SeminarOrganisation;
    fn check(&self, _: &mut Checker) {}
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        vec![
            ("seminar", Collection::Seminar, self.seminar.record_id()),
            ("organisation", Collection::Organisation, self.organisation.record_id()),
        ]
    }
    fn search_text(&self) -> String {
        String::new()
    }
}

impl RecordKind for SeminarPerson {
    const COLLECTION: Collection = Collection::SeminarPerson;
    fn check(&self, c: &mut Checker) {
        c.code("role", CodeList::SeminarRole, &self.role);
    }
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        vec![
            ("seminar", Collection::Seminar, self.seminar.record_id()),
            ("person", Collection::Person, self.person.record_id()),
        ]
    }
    fn search_text(&self) -> String {
        String::new()
    }
}

impl RecordKind for MaterialCampaign {
    const COLLECTION: Collection = Collection::MaterialCampaign;
    fn check(&self, _: &mut Checker) {}
    fn references(&self) -> Vec<(&'static str, Collection, RecordId)> {
        vec![
            ("material", Collection::Material, self.material.record_id()),
            ("campaign", Collection::Campaign, self.campaign.record_id()),
        ]
    }
    fn search_text(&self) -> String {
        String::new()
    }
}

/// A document that passed validation: its canonical JSON, its label, what it
/// references, and its folded search text.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDocument {
    pub document: serde_json::Map<String, serde_json::Value>,
    /// [`RecordKind::label`], as it stands (not folded).
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
        ValidText {
            label: record.label().to_owned(),
            references: record.references(),
            search_text: fold::fold(&record.search_text()),
            record: Box::new(record),
        }
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
    ValidDocument {
        document: record.document(),
        label: record.label().to_owned(),
        references: record.references(),
        search_text: fold::fold(&record.search_text()),
    }
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
        }
    };
}

/// A document read as a record of kind `T`, normalised and checked.
fn parse_checked<T: RecordKind>(document: &serde_json::Map<String, serde_json::Value>) -> Result<T, Vec<FieldError>> {
    // Read straight from the map (no copy of the document). Only a document that fails
    // is read again, tracking the path, to name the field at fault: tracking costs as
    // much as the reading itself, for every record of a sync.
    match T::deserialize(document) {
        Ok(record) => checked(record),
        Err(_) => Err(field_error_of::<T>(document)),
    }
}

/// A record read from its document, normalised and checked by its own rules.
fn checked<T: RecordKind>(mut record: T) -> Result<T, Vec<FieldError>> {
    record.normalize();
    let mut checker = Checker::default();
    record.check(&mut checker);
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
