//! What each collection is, written once: its fields and their kinds, which are
//! required, its label, what search sees, what its list sorts and filters on, and how
//! its list screen looks. The record rules (checks, normalising, references, label,
//! search text), the store's list keys and indexes, and the UI's forms and lists (through
//! the generated `collectionSpecs.ts`) are all read from here.
//!
//! Glossary:
//! - **spec**: a collection's [`CollectionSpec`] ([`spec`] gives it).
//! - **field kind**: what a field holds and the rule it obeys ([`FieldKind`]).
//! - **list keys**: the fields the store keeps in indexed columns for its lists
//!   ([`ListSpec::keys`]): the first is the default sort, the others filters.
//! - **screen**: the list, page and form a collection has of its own ([`ScreenSpec`]);
//!   link records and attachments are shown inside other records' pages.
//!
//! Invariant: a spec names its record type's fields in the struct's order, each once,
//! with `required` exactly for the fields a document must carry (the tests check both).

use serde::Serialize;
use ts_rs::TS;

use crate::{
    Collection, RecordId,
    reference::CodeList,
    validate::{Checker, LONG_TEXT_MAX, ValidationCode, normalize_phone},
};

/// What a collection is: see the module's glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct CollectionSpec {
    /// In the order of the record type's fields.
    pub fields: &'static [FieldSpec],
    /// The field lists and search results name a record by (its title or name); none
    /// for a link between two records, which search does not see either.
    pub label: Option<&'static str>,
    /// At least one of these fields must hold a value (a follow-up's subject); when none
    /// does, the first is named.
    pub one_of: &'static [&'static str],
    pub list: ListSpec,
    /// Whether files may be attached to its records: not to an anonymous hotline
    /// contact (a file could name the caller), nor to a link or an attachment.
    pub files: bool,
    /// Fields an earlier version's records held and this one does not: read as absent,
    /// and a change may only clear them (`null`), which is how an upgraded record
    /// ([`crate::upgrade`]) tells every laptop the old value is gone.
    pub retired: &'static [&'static str],
}

/// One field of a collection's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct FieldSpec {
    /// The document's key (camelCase).
    pub name: &'static str,
    pub kind: FieldKind,
    /// A document must carry it, and a text or code must not be blank.
    pub required: bool,
    /// A date that may not fall before this other date field of the record.
    pub not_before: Option<&'static str>,
    /// Full-text search sees it beside the label (a code by its words).
    pub searched: bool,
}

/// What a field holds, and the rule its value obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(tag = "kind", rename_all = "kebab-case")]
pub enum FieldKind {
    /// A line of text, at most [`crate::validate::SHORT_TEXT_MAX`] characters.
    Text,
    /// Notes or a description, at most [`LONG_TEXT_MAX`] characters; two laptops'
    /// edits of one merge line by line instead of the later replacing the other.
    LongText,
    /// A code of a shipped code list.
    Code {
        list: CodeList,
    },
    /// An ISO date (`YYYY-MM-DD`).
    Date,
    /// A time of day, `HH:MM`.
    Time,
    /// A whole number no smaller than `min`.
    Integer {
        min: i64,
    },
    Bool,
    /// A list of short texts.
    Texts,
    /// A list of phone numbers, kept in E.164.
    Phones,
    /// A list of e-mail addresses, kept trimmed.
    Emails,
    /// A count per code of a list (participants per target group), none negative.
    Counts {
        list: CodeList,
    },
    /// The id of a record of `collection`, which must exist.
    Reference {
        collection: Collection,
    },
    /// The id of a record of the collection named by the field `collection_field`.
    #[serde(rename_all = "camelCase")]
    AnyReference {
        collection_field: &'static str,
    },
    /// A collection's name.
    CollectionName,
    /// A file's [`crate::content_address`], kept lower-case.
    ContentAddress,
}

/// How the store lists a collection's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ListSpec {
    /// Fields a list may filter on (fixed names: the store writes them into SQL, so a
    /// query never carries user input there).
    pub filters: &'static [&'static str],
    /// Fields a list may sort on.
    pub sorts: &'static [&'static str],
    /// The date field a year filter applies to.
    pub year: Option<&'static str>,
    /// The fields held in the store's indexed list-key columns: the default sort, then
    /// up to three filters. Each has an index of its own.
    pub keys: [Option<&'static str>; 4],
    /// Where two records sort equal, the field that orders them next, the same way up
    /// (a hotline contact's time within its day); creation order comes last.
    pub ties: Option<&'static str>,
    /// The number fields reports add up (participants per target group, copies handed
    /// out): the store keeps their values beside the list keys, so a report reads no
    /// document.
    pub sums: &'static [&'static str],
    /// The collection's own list screen, page and form, if it has them.
    pub screen: Option<ScreenSpec>,
}

/// A number reports add up ([`ListSpec::sums`]): (field, code, value), the code empty for
/// a plain number.
pub type ReportNumber = (&'static str, String, i64);

/// A collection's list screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ScreenSpec {
    pub columns: &'static [&'static str],
    pub sort: &'static str,
    pub descending: bool,
    pub filters: &'static [ScreenFilter],
}

/// A filter the list screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[ts(tag = "type", rename_all = "kebab-case")]
pub enum ScreenFilter {
    /// The planning region of the record's municipality, or abroad (an organisation
    /// with a country and no municipality).
    Region,
    /// The year of [`ListSpec::year`].
    Year,
    /// Records whose boolean `field` is false (open follow-ups).
    Open { field: &'static str },
    /// Records whose `field` names the user.
    Mine { field: &'static str },
    /// Records whose code `field` is one chosen.
    Code { field: &'static str },
}

const fn field(name: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { name, kind, required: false, not_before: None, searched: false }
}

impl FieldSpec {
    const fn required(mut self) -> FieldSpec {
        self.required = true;
        self
    }

    const fn searched(mut self) -> FieldSpec {
        self.searched = true;
        self
    }

    const fn not_before(mut self, other: &'static str) -> FieldSpec {
        self.not_before = Some(other);
        self
    }
}

const NO_LIST: ListSpec =
    ListSpec { filters: &[], sorts: &[], year: None, keys: [None; 4], sums: &[], ties: None, screen: None };

use FieldKind::*;

const SEMINAR: CollectionSpec = CollectionSpec {
    fields: &[
        field("title", Text).required(),
        field("kind", Code { list: CodeList::EventKind }).required(),
        field("date", Date).required(),
        field("endDate", Date).not_before("date"),
        field("municipality", Code { list: CodeList::Municipality }).required().searched(),
        field("venue", Text).searched(),
        field("organisedBy", Reference { collection: Collection::Organisation }),
        field("campaign", Reference { collection: Collection::Campaign }),
        field("topics", Texts).searched(),
        field("participants", Counts { list: CodeList::TargetGroup }),
        field("notes", LongText).searched(),
    ],
    label: Some("title"),
    one_of: &[],
    list: ListSpec {
        filters: &["municipality", "kind", "campaign", "participants", "organisedBy"],
        sorts: &["date", "title"],
        year: Some("date"),
        keys: [Some("date"), Some("municipality"), Some("campaign"), Some("kind")],
        sums: &["participants"],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["date", "title", "municipality", "kind"],
            sort: "date",
            descending: true,
            filters: &[
                ScreenFilter::Region,
                ScreenFilter::Code { field: "municipality" },
                ScreenFilter::Year,
                ScreenFilter::Code { field: "kind" },
            ],
        }),
    },
    // The organiser's name as text, before it was a link (upgraded to one).
    files: true,
    retired: &["organiser"],
};

const ORGANISATION: CollectionSpec = CollectionSpec {
    fields: &[
        field("name", Text).required(),
        field("kind", Code { list: CodeList::OrganisationKind }).required(),
        field("municipality", Code { list: CodeList::Municipality }).searched(),
        field("country", Code { list: CodeList::Country }).searched(),
        field("address", Text).searched(),
        field("phones", Phones).searched(),
        field("emails", Emails).searched(),
        field("website", Text),
        field("coalitionMember", Bool),
        field("notes", LongText).searched(),
    ],
    label: Some("name"),
    one_of: &[],
    list: ListSpec {
        filters: &["municipality", "kind", "coalitionMember", "country"],
        sorts: &["name"],
        year: None,
        keys: [Some("name"), Some("kind"), None, None],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["name", "kind", "municipality"],
            sort: "name",
            descending: false,
            filters: &[ScreenFilter::Region, ScreenFilter::Code { field: "kind" }],
        }),
    },
    files: true,
    retired: &[],
};

const PERSON: CollectionSpec = CollectionSpec {
    fields: &[
        field("fullName", Text).required(),
        field("organisation", Reference { collection: Collection::Organisation }),
        field("position", Text).searched(),
        field("phones", Phones).searched(),
        field("emails", Emails).searched(),
        field("preferredLanguage", Code { list: CodeList::MaterialLanguage }),
        field("municipality", Code { list: CodeList::Municipality }),
        field("lastContactedOn", Date),
        field("legalBasis", Code { list: CodeList::LegalBasis }).required(),
        field("basisConfirmedOn", Date).required(),
        field("notes", LongText).searched(),
    ],
    label: Some("fullName"),
    one_of: &[],
    list: ListSpec {
        filters: &["organisation", "municipality", "preferredLanguage"],
        sorts: &["fullName"],
        year: None,
        keys: [Some("fullName"), Some("organisation"), None, None],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["fullName", "organisation", "position", "phones"],
            sort: "fullName",
            descending: false,
            filters: &[ScreenFilter::Code { field: "preferredLanguage" }],
        }),
    },
    files: true,
    retired: &[],
};

const MATERIAL: CollectionSpec = CollectionSpec {
    fields: &[
        field("title", Text).required(),
        field("kind", Code { list: CodeList::MaterialKind }).required(),
        field("description", LongText).searched(),
        field("stock", Integer { min: 0 }),
    ],
    label: Some("title"),
    one_of: &[],
    list: ListSpec {
        filters: &["kind"],
        sorts: &["title", "stock"],
        year: None,
        keys: [None; 4],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["title", "kind", "stock"],
            sort: "title",
            descending: false,
            filters: &[ScreenFilter::Code { field: "kind" }],
        }),
    },
    files: true,
    retired: &[],
};

const MATERIAL_VERSION: CollectionSpec = CollectionSpec {
    fields: &[
        field("material", Reference { collection: Collection::Material }).required(),
        field("language", Code { list: CodeList::MaterialLanguage }).required(),
        field("title", Text),
        field("attachment", Reference { collection: Collection::Attachment }),
    ],
    label: Some("title"),
    one_of: &[],
    list: ListSpec { filters: &["material", "language"], ..NO_LIST },
    files: true,
    retired: &[],
};

const DISTRIBUTION: CollectionSpec = CollectionSpec {
    fields: &[
        field("material", Reference { collection: Collection::Material }).required(),
        field("organisation", Reference { collection: Collection::Organisation }).required(),
        field("seminar", Reference { collection: Collection::Seminar }),
        field("quantity", Integer { min: 1 }).required(),
        field("date", Date).required(),
        field("method", Code { list: CodeList::DistributionMethod }).required(),
        field("notes", LongText).searched(),
    ],
    label: Some("date"),
    one_of: &[],
    list: ListSpec {
        filters: &["material", "organisation", "seminar", "method"],
        sorts: &["date"],
        year: Some("date"),
        keys: [Some("date"), Some("material"), Some("organisation"), None],
        sums: &["quantity"],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["date", "material", "organisation", "quantity"],
            sort: "date",
            descending: true,
            filters: &[ScreenFilter::Year, ScreenFilter::Code { field: "method" }],
        }),
    },
    files: false,
    retired: &[],
};

const CAMPAIGN: CollectionSpec = CollectionSpec {
    fields: &[
        field("name", Text).required(),
        field("kind", Code { list: CodeList::CampaignKind }).required(),
        field("startsOn", Date),
        field("endsOn", Date).not_before("startsOn"),
        field("description", LongText).searched(),
    ],
    label: Some("name"),
    one_of: &[],
    list: ListSpec {
        filters: &["kind"],
        sorts: &["name", "startsOn"],
        year: Some("startsOn"),
        keys: [None; 4],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["name", "kind", "startsOn"],
            sort: "name",
            descending: false,
            filters: &[ScreenFilter::Code { field: "kind" }],
        }),
    },
    // A list of names before funders were records of their own (upgraded to links).
    files: true,
    retired: &["funders"],
};

const FOLLOW_UP: CollectionSpec = CollectionSpec {
    fields: &[
        field("title", Text).required(),
        field("seminar", Reference { collection: Collection::Seminar }),
        field("organisation", Reference { collection: Collection::Organisation }),
        field("person", Reference { collection: Collection::Person }),
        field("owner", Text).required().searched(),
        field("dueOn", Date),
        field("done", Bool),
        field("notes", LongText).searched(),
    ],
    label: Some("title"),
    one_of: &["seminar", "organisation", "person"],
    list: ListSpec {
        filters: &["seminar", "organisation", "person", "owner", "done"],
        sorts: &["dueOn"],
        year: Some("dueOn"),
        keys: [Some("dueOn"), None, None, None],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["dueOn", "title", "owner", "done"],
            sort: "dueOn",
            descending: false,
            filters: &[ScreenFilter::Open { field: "done" }, ScreenFilter::Mine { field: "owner" }, ScreenFilter::Year],
        }),
    },
    files: true,
    retired: &[],
};

const ATTACHMENT: CollectionSpec = CollectionSpec {
    fields: &[
        field("owner", AnyReference { collection_field: "ownerCollection" }).required(),
        field("ownerCollection", CollectionName).required(),
        field("fileName", Text).required(),
        field("mediaType", Text),
        field("sizeBytes", Integer { min: 0 }).required(),
        field("sha256", ContentAddress).required(),
        field("description", LongText).searched(),
    ],
    label: Some("fileName"),
    one_of: &[],
    list: ListSpec { filters: &["owner"], ..NO_LIST },
    files: false,
    retired: &[],
};

const SEMINAR_ORGANISATION: CollectionSpec = CollectionSpec {
    fields: &[
        field("seminar", Reference { collection: Collection::Seminar }).required(),
        field("organisation", Reference { collection: Collection::Organisation }).required(),
    ],
    label: None,
    one_of: &[],
    list: ListSpec { filters: &["seminar", "organisation"], ..NO_LIST },
    files: false,
    retired: &[],
};

const SEMINAR_PERSON: CollectionSpec = CollectionSpec {
    fields: &[
        field("seminar", Reference { collection: Collection::Seminar }).required(),
        field("person", Reference { collection: Collection::Person }).required(),
        field("role", Code { list: CodeList::SeminarRole }).required(),
    ],
    label: None,
    one_of: &[],
    list: ListSpec { filters: &["seminar", "person"], ..NO_LIST },
    files: false,
    retired: &[],
};

const MATERIAL_CAMPAIGN: CollectionSpec = CollectionSpec {
    fields: &[
        field("material", Reference { collection: Collection::Material }).required(),
        field("campaign", Reference { collection: Collection::Campaign }).required(),
    ],
    label: None,
    one_of: &[],
    list: ListSpec { filters: &["material", "campaign"], ..NO_LIST },
    files: false,
    retired: &[],
};

/// Anonymous by design (see [`crate::HotlineContact`]): nothing here may identify the
/// caller, so no name, phone or summary field; its label is its date, as a distribution's.
const HOTLINE_CONTACT: CollectionSpec = CollectionSpec {
    fields: &[
        field("date", Date).required(),
        field("time", Time),
        field("channel", Code { list: CodeList::HotlineChannel }).required(),
        field("topic", Code { list: CodeList::HotlineTopic }).required().searched(),
        field("region", Code { list: CodeList::Region }),
        field("referredTo", Reference { collection: Collection::Organisation }),
        field("notes", LongText).searched(),
    ],
    label: Some("date"),
    one_of: &[],
    list: ListSpec {
        filters: &["channel", "topic", "region", "referredTo"],
        sorts: &["date"],
        year: Some("date"),
        keys: [Some("date"), Some("topic"), Some("region"), Some("channel")],
        sums: &[],
        ties: Some("time"),
        screen: Some(ScreenSpec {
            columns: &["date", "time", "topic", "channel", "region"],
            sort: "date",
            descending: true,
            filters: &[
                ScreenFilter::Year,
                ScreenFilter::Code { field: "topic" },
                ScreenFilter::Code { field: "channel" },
                ScreenFilter::Code { field: "region" },
            ],
        }),
    },
    files: false,
    retired: &[],
};

const FUNDER: CollectionSpec = CollectionSpec {
    fields: &[
        field("name", Text).required(),
        field("kind", Code { list: CodeList::FunderKind }).required(),
        field("website", Text),
        field("notes", LongText).searched(),
    ],
    label: Some("name"),
    one_of: &[],
    list: ListSpec {
        filters: &["kind"],
        sorts: &["name"],
        year: None,
        keys: [Some("name"), Some("kind"), None, None],
        sums: &[],
        ties: None,
        screen: Some(ScreenSpec {
            columns: &["name", "kind"],
            sort: "name",
            descending: false,
            filters: &[ScreenFilter::Code { field: "kind" }],
        }),
    },
    files: true,
    retired: &[],
};

const CAMPAIGN_FUNDER: CollectionSpec = CollectionSpec {
    fields: &[
        field("campaign", Reference { collection: Collection::Campaign }).required(),
        field("funder", Reference { collection: Collection::Funder }).required(),
    ],
    label: None,
    one_of: &[],
    list: ListSpec { filters: &["campaign", "funder"], ..NO_LIST },
    files: false,
    retired: &[],
};

/// The spec of `collection`.
pub const fn spec(collection: Collection) -> &'static CollectionSpec {
    match collection {
        Collection::Seminar => &SEMINAR,
        Collection::Organisation => &ORGANISATION,
        Collection::Person => &PERSON,
        Collection::Material => &MATERIAL,
        Collection::MaterialVersion => &MATERIAL_VERSION,
        Collection::Distribution => &DISTRIBUTION,
        Collection::Campaign => &CAMPAIGN,
        Collection::FollowUp => &FOLLOW_UP,
        Collection::Attachment => &ATTACHMENT,
        Collection::SeminarOrganisation => &SEMINAR_ORGANISATION,
        Collection::SeminarPerson => &SEMINAR_PERSON,
        Collection::MaterialCampaign => &MATERIAL_CAMPAIGN,
        Collection::HotlineContact => &HOTLINE_CONTACT,
        Collection::Funder => &FUNDER,
        Collection::CampaignFunder => &CAMPAIGN_FUNDER,
    }
}

impl CollectionSpec {
    /// The spec of the field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Checks a record's values (in the order of [`CollectionSpec::fields`]) by the
    /// rules of their kinds and the collection's own, noting failures in `c`.
    pub fn check(&self, values: &[FieldRef<'_>], c: &mut Checker) {
        let mut dates = vec![None; values.len()];
        for (i, (f, value)) in self.fields.iter().zip(values).enumerate() {
            let name = f.name;
            match (f.kind, *value) {
                (Text, FieldRef::Text(v)) if f.required => c.required(name, v),
                (Text, FieldRef::Text(v)) => c.short(name, v),
                (LongText, FieldRef::Text(v)) => c.max_len(name, v, LONG_TEXT_MAX),
                (Code { list }, FieldRef::Text(v)) => c.code(name, list, v),
                (Code { list }, FieldRef::OptionalText(v)) => c.optional_code(name, list, v),
                (Date, FieldRef::Text(v)) => dates[i] = c.date(name, v),
                (Date, FieldRef::OptionalText(v)) => dates[i] = c.optional_date(name, v),
                (Time, FieldRef::Text(v)) if v.trim().is_empty() => c.fail(name, ValidationCode::Required),
                (Time, FieldRef::Text(v)) => c.optional_time(name, Some(v)),
                (Time, FieldRef::OptionalText(v)) => c.optional_time(name, v),
                (Integer { min }, FieldRef::Integer(v)) if v < min => {
                    c.fail(name, if min > 0 { ValidationCode::MustBePositive } else { ValidationCode::NegativeCount })
                }
                (Texts, FieldRef::Texts(items)) => {
                    c.list_len(name, items);
                    for (i, t) in items.iter().enumerate() {
                        c.short(&format!("{name}.{i}"), t);
                    }
                }
                (Phones, FieldRef::Texts(items)) => c.phones(name, items),
                (Emails, FieldRef::Texts(items)) => c.emails(name, items),
                (Counts { list }, FieldRef::Counts(counts)) => {
                    for (group, count) in counts {
                        let field = format!("{name}.{group}");
                        c.code(&field, list, group);
                        c.non_negative(&field, *count);
                    }
                }
                (CollectionName, FieldRef::Collection(owner)) if !owner.spec().files => {
                    c.fail(name, ValidationCode::InvalidValue)
                }
                (ContentAddress, FieldRef::Text(v)) if !crate::is_content_address(v) => {
                    c.fail(name, ValidationCode::InvalidChecksum)
                }
                _ => {}
            }
            if let Some(start) = f.not_before.and_then(|other| self.index_of(other)) {
                c.date_order(name, dates[start], dates[i]);
            }
        }
        if !self.one_of.is_empty()
            && self.one_of.iter().filter_map(|f| self.index_of(f)).all(|i| values[i] == FieldRef::Id(None))
        {
            c.fail(self.one_of[0], ValidationCode::MissingSubject);
        }
    }

    /// Rewrites values into their canonical form: phones to E.164, e-mails trimmed,
    /// content addresses lower-case.
    pub fn normalize(&self, values: Vec<FieldMut<'_>>) {
        for (f, value) in self.fields.iter().zip(values) {
            match (f.kind, value) {
                (Phones, FieldMut::Texts(phones)) => {
                    for p in phones {
                        if let Some(n) = normalize_phone(p) {
                            *p = n;
                        }
                    }
                }
                (Emails, FieldMut::Texts(emails)) => {
                    for e in emails {
                        *e = e.trim().to_owned();
                    }
                }
                (ContentAddress, FieldMut::Text(hex)) => *hex = hex.trim().to_ascii_lowercase(),
                _ => {}
            }
        }
    }

    /// The record's references to other records, as (field, collection, id), in field
    /// order.
    pub fn references(&self, values: &[FieldRef<'_>]) -> Vec<(&'static str, Collection, RecordId)> {
        let mut refs = Vec::new();
        for (f, value) in self.fields.iter().zip(values) {
            let collection = match f.kind {
                Reference { collection } => collection,
                AnyReference { collection_field } => match self.index_of(collection_field).map(|i| values[i]) {
                    Some(FieldRef::Collection(c)) => c,
                    _ => continue,
                },
                _ => continue,
            };
            if let FieldRef::Id(Some(id)) = value {
                refs.push((f.name, collection, *id));
            }
        }
        refs
    }

    /// The numbers reports add up ([`ListSpec::sums`]) as a document holds them: one per
    /// code of a count, the code empty for a plain number; only values above zero. Read
    /// from the document as stored, valid or not: a record this build cannot validate
    /// (from a newer build, or not whole yet) still counts what it holds, as its list
    /// keys still place it.
    pub fn sums(&self, document: &serde_json::Map<String, serde_json::Value>) -> Vec<ReportNumber> {
        let positive = |v: &serde_json::Value| v.as_i64().filter(|n| *n > 0);
        let mut sums = Vec::new();
        for field in self.list.sums {
            match document.get(*field) {
                Some(serde_json::Value::Object(counts)) => {
                    sums.extend(counts.iter().filter_map(|(code, n)| Some((*field, code.clone(), positive(n)?))))
                }
                Some(n) => sums.extend(positive(n).map(|n| (*field, String::new(), n))),
                None => {}
            }
        }
        sums
    }

    /// The record's label: its label field's text, or "" for a link.
    pub fn label<'a>(&self, values: &[FieldRef<'a>]) -> &'a str {
        match self.label.and_then(|l| self.index_of(l)).map(|i| values[i]) {
            Some(FieldRef::Text(v)) => v,
            _ => "",
        }
    }

    /// The text full-text search sees beside the label: the searched fields, in field
    /// order, a code as its words and a list as its items.
    pub fn search_text(&self, values: &[FieldRef<'_>]) -> String {
        let mut text = String::new();
        for (f, value) in self.fields.iter().zip(values).filter(|(f, _)| f.searched) {
            let mut push = |s: &str| {
                if !s.is_empty() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    if matches!(f.kind, Code { .. }) {
                        text.push_str(&s.replace('-', " "));
                    } else {
                        text.push_str(s);
                    }
                }
            };
            match *value {
                FieldRef::Text(s) => push(s),
                FieldRef::OptionalText(s) => push(s.unwrap_or_default()),
                FieldRef::Texts(items) => items.iter().for_each(|s| push(s)),
                _ => {}
            }
        }
        text
    }
}

/// The collections, their fields and the code lists, as Markdown: docs/collections.md
/// and the OpenAPI document's description are this text, so a client can be written
/// from either.
pub fn collections_markdown() -> String {
    use crate::validate::{LIST_MAX, SHORT_TEXT_MAX};
    use std::fmt::Write;
    let mut md = String::from(
        "# Collections\n\nEvery record is a JSON object, one key per field (camelCase); sync merges records field \
         by field. A required field must be present, and a required text not blank; a code or date, required or \
         not, is either `null` (when not required) or a valid one, never blank; a field left out of a new record \
         takes its empty value. Generated from `crates/saite-domain/src/spec.rs` by `cargo xtask gen`.\n",
    );
    for collection in Collection::ALL {
        let spec = spec(collection);
        let _ = write!(md, "\n## `{collection}`\n\n");
        if let Some(label) = spec.label {
            let _ = writeln!(md, "Named by `{label}` in lists and search.");
        } else {
            md.push_str("A link between two records; search does not see it.\n");
        }
        if let [first, ..] = spec.one_of {
            let names: Vec<String> = spec.one_of.iter().map(|f| format!("`{f}`")).collect();
            let _ =
                writeln!(md, "\nAt least one of {} must be set (else `{first}`: `missing-subject`).", names.join(", "));
        }
        if !spec.retired.is_empty() {
            let names: Vec<String> = spec.retired.iter().map(|f| format!("`{f}`")).collect();
            let _ = writeln!(
                md,
                "\nRetired fields (an earlier version's, read as absent; a change may only set them to `null`): {}.",
                names.join(", ")
            );
        }
        md.push_str("\n| field | holds | required |\n| --- | --- | --- |\n");
        for f in spec.fields {
            let mut holds = match f.kind {
                Text => format!("text, at most {SHORT_TEXT_MAX} characters"),
                LongText => format!("long text, at most {LONG_TEXT_MAX} characters, merged line by line"),
                Code { list } => format!("a code of [`{list}`](#{list})", list = list.as_str()),
                Date => "a date, `YYYY-MM-DD`".to_owned(),
                Time => "a time of day, `HH:MM`".to_owned(),
                Integer { min } => format!("a whole number, at least {min}"),
                Bool => "`true` or `false`".to_owned(),
                Texts => format!("a list of at most {LIST_MAX} texts, each at most {SHORT_TEXT_MAX} characters"),
                Phones => format!("a list of at most {LIST_MAX} phone numbers, kept in E.164"),
                Emails => format!("a list of at most {LIST_MAX} e-mail addresses"),
                Counts { list } => {
                    format!("an object: a count (0 or more) per code of [`{list}`](#{list})", list = list.as_str())
                }
                Reference { collection } => format!("the id of a record of `{collection}`"),
                AnyReference { collection_field } => {
                    format!("the id of a record of the collection `{collection_field}` names")
                }
                CollectionName => "a collection's name".to_owned(),
                ContentAddress => "the file's SHA-256, 64 hex digits (kept lower-case)".to_owned(),
            };
            if let Some(other) = f.not_before {
                let _ = write!(holds, ", not before `{other}`");
            }
            let _ = writeln!(md, "| `{}` | {holds} | {} |", f.name, if f.required { "yes" } else { "no" });
        }
    }
    md.push_str("\n# Code lists\n\nThe codes a code field takes (their names in each language are in `locales/`).\n");
    let data = crate::ReferenceData::shipped();
    for list in CodeList::ALL {
        let codes: Vec<String> = data.codes(list).iter().map(|c| format!("`{c}`")).collect();
        let _ = write!(md, "\n## {}\n\n{}\n", list.as_str(), codes.join(", "));
    }
    md
}

/// A record field's value, as the spec's rules read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldRef<'a> {
    Text(&'a str),
    OptionalText(Option<&'a str>),
    Texts(&'a [String]),
    Integer(i64),
    Bool(bool),
    Counts(&'a std::collections::BTreeMap<String, i64>),
    Id(Option<RecordId>),
    Collection(Collection),
}

/// A record field, for the rules that rewrite values ([`CollectionSpec::normalize`]).
pub enum FieldMut<'a> {
    Text(&'a mut String),
    Texts(&'a mut Vec<String>),
    Other,
}

/// A Rust field type, as the rules read and rewrite it.
pub trait FieldValue {
    fn field_ref(&self) -> FieldRef<'_>;
    fn field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::Other
    }
}

impl FieldValue for String {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Text(self)
    }
    fn field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::Text(self)
    }
}

impl FieldValue for Option<String> {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::OptionalText(self.as_deref())
    }
}

impl FieldValue for Vec<String> {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Texts(self)
    }
    fn field_mut(&mut self) -> FieldMut<'_> {
        FieldMut::Texts(self)
    }
}

impl FieldValue for i64 {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Integer(*self)
    }
}

impl FieldValue for bool {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Bool(*self)
    }
}

impl FieldValue for std::collections::BTreeMap<String, i64> {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Counts(self)
    }
}

impl FieldValue for Collection {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Collection(*self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldError, OrganisationId};

    /// A record type the app does not have (a call to the hotline), described by one spec:
    /// its rules, references, label and search text all follow from it.
    struct HotlineCall {
        summary: String,
        date: String,
        follow_up_on: Option<String>,
        municipality: Option<String>,
        minutes: i64,
        organisation: Option<OrganisationId>,
        phones: Vec<String>,
        notes: String,
    }

    const HOTLINE_CALL: CollectionSpec = CollectionSpec {
        fields: &[
            field("summary", Text).required(),
            field("date", Date).required(),
            field("followUpOn", Date).not_before("date"),
            field("municipality", Code { list: CodeList::Municipality }).searched(),
            field("minutes", Integer { min: 1 }),
            field("organisation", Reference { collection: Collection::Organisation }),
            field("phones", Phones).searched(),
            field("notes", LongText).searched(),
        ],
        label: Some("summary"),
        one_of: &[],
        list: ListSpec { filters: &["municipality"], sorts: &["date"], year: Some("date"), ..NO_LIST },
        files: true,
        retired: &[],
    };

    impl HotlineCall {
        fn values(&self) -> Vec<FieldRef<'_>> {
            vec![
                self.summary.field_ref(),
                self.date.field_ref(),
                self.follow_up_on.field_ref(),
                self.municipality.field_ref(),
                self.minutes.field_ref(),
                self.organisation.field_ref(),
                self.phones.field_ref(),
                self.notes.field_ref(),
            ]
        }
        fn values_mut(&mut self) -> Vec<FieldMut<'_>> {
            vec![
                self.summary.field_mut(),
                self.date.field_mut(),
                self.follow_up_on.field_mut(),
                self.municipality.field_mut(),
                self.minutes.field_mut(),
                self.organisation.field_mut(),
                self.phones.field_mut(),
                self.notes.field_mut(),
            ]
        }
    }

    fn call() -> HotlineCall {
        HotlineCall {
            summary: "Jautājums par darba piedāvājumu ārzemēs".into(),
            date: "2026-03-02".into(),
            follow_up_on: Some("2026-03-09".into()),
            municipality: Some("rezekne".into()),
            minutes: 12,
            organisation: Some(OrganisationId::from_uuid(uuid::Uuid::from_u128(7))),
            phones: vec!["2000 0000".into()],
            notes: "Zvanīja māte.".into(),
        }
    }

    fn errors(record: &HotlineCall) -> Vec<FieldError> {
        let mut c = Checker::default();
        HOTLINE_CALL.check(&record.values(), &mut c);
        c.finish().err().unwrap_or_default()
    }

    #[test]
    fn a_record_type_added_through_one_spec_follows_its_rules() {
        let mut good = call();
        HOTLINE_CALL.normalize(good.values_mut());
        assert_eq!(good.phones, ["+37120000000"], "phones are kept in E.164");
        assert_eq!(errors(&good), []);
        let values = good.values();
        assert_eq!(HOTLINE_CALL.label(&values), "Jautājums par darba piedāvājumu ārzemēs");
        assert_eq!(
            HOTLINE_CALL.references(&values),
            [("organisation", Collection::Organisation, RecordId::from_uuid(uuid::Uuid::from_u128(7)))]
        );
        assert_eq!(HOTLINE_CALL.search_text(&values), "rezekne +37120000000 Zvanīja māte.");

        let bad = HotlineCall {
            summary: " ".into(),
            date: "2026-02-30".into(),
            follow_up_on: Some("2026-01-01".into()),
            municipality: Some("atlantis".into()),
            minutes: 0,
            phones: vec!["not a phone".into()],
            ..call()
        };
        let codes: Vec<(String, ValidationCode)> = errors(&bad).into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("summary".into(), ValidationCode::Required),
                ("date".into(), ValidationCode::InvalidDate),
                ("municipality".into(), ValidationCode::UnknownCode),
                ("minutes".into(), ValidationCode::MustBePositive),
                ("phones.0".into(), ValidationCode::InvalidPhone),
            ]
        );
        let reversed = HotlineCall { follow_up_on: Some("2026-03-01".into()), ..call() };
        assert_eq!(errors(&reversed), [FieldError::new("followUpOn", ValidationCode::EndBeforeStart)]);
    }

    #[test]
    fn a_summed_field_is_a_number_or_a_count() {
        for collection in Collection::ALL {
            let spec = collection.spec();
            for name in spec.list.sums {
                let kind = spec.field(name).map(|f| f.kind);
                assert!(matches!(kind, Some(Integer { .. } | Counts { .. })), "{collection}.{name}: {kind:?}");
            }
        }
        let seminar =
            serde_json::json!({"title": "x", "participants": {"adults": 4, "youth": 0, "pupils": 12, "x": "7"}});
        assert_eq!(
            Collection::Seminar.spec().sums(seminar.as_object().unwrap()),
            [("participants", "adults".to_owned(), 4), ("participants", "pupils".to_owned(), 12)]
        );
        let handed = serde_json::json!({"quantity": 30, "notes": "x"});
        assert_eq!(
            Collection::Distribution.spec().sums(handed.as_object().unwrap()),
            [("quantity", String::new(), 30)]
        );
        let broken = serde_json::json!({"quantity": "30"});
        assert_eq!(Collection::Distribution.spec().sums(broken.as_object().unwrap()), []);
    }

    #[test]
    fn no_file_is_attached_to_an_anonymous_hotline_contact() {
        let attachment = |owner: &str| {
            serde_json::json!({"owner": "0190f3c2-7d4e-7000-8000-000000000001", "ownerCollection": owner,
                "fileName": "zvans.txt", "sizeBytes": 3, "sha256": "a".repeat(64)})
            .as_object()
            .unwrap()
            .clone()
        };
        assert_eq!(crate::check_document(Collection::Attachment, &attachment("seminar")), Ok(()));
        assert_eq!(
            crate::check_document(Collection::Attachment, &attachment("hotline-contact")),
            Err(vec![FieldError::new("ownerCollection", ValidationCode::InvalidValue)])
        );
    }

    #[test]
    fn a_spec_reaches_the_ui_as_plain_data() {
        let json = serde_json::to_value(HOTLINE_CALL).unwrap();
        assert_eq!(json["fields"][3]["kind"], serde_json::json!({"kind": "code", "list": "municipality"}));
        assert_eq!(json["fields"][2]["notBefore"], "date");
        assert_eq!(json["list"]["keys"], serde_json::json!([null, null, null, null]));
    }
}
