//! Reports: the figures funders and the ministry ask for, counted from the local store.
//!
//! Glossary:
//! - **figure**: what is counted ([`ReportFigure`]): events and their participants,
//!   materials handed out (copies and recipients), hotline contacts, or the
//!   organisations the events reached.
//! - **dimension**: what the rows are ([`ReportDimension`]): years, quarters, regions,
//!   municipalities, kinds of event, campaigns, target groups; for materials also kinds
//!   of organisation and of material, and the materials themselves; for the hotline
//!   topics and channels. A distribution is placed by its recipient organisation, a
//!   hotline contact by the region the caller gave.
//! - **filters**: the same [`ListFilter`]s a list takes, so every figure opens exactly
//!   the records behind it.
//! - **column**: one number each row carries ([`ReportColumn`]).
//!
//! Invariant: for a dimension that splits records (all but target groups) every record
//! lands in exactly one row, so the rows' counts sum to the total; a record counted
//! under several target groups is one event in the total, and an organisation that
//! received materials in two rows is one recipient in the total.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;

use rusqlite::{ToSql, types::ValueRef};
use saite_domain::{CodeList, Collection, RecordId, ReferenceData, reference::ABROAD};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    Store,
    error::Result,
    list_keys::{column_of, read_sums, summed},
    read::{ListFilter, filter_clauses, place_expression},
};

/// What a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ReportFigure {
    /// Seminars, round tables and the other events, with their participants by target
    /// group.
    Events,
    /// Materials handed out: how often, how many copies, to how many organisations.
    Distributions,
    /// Contacts with the hotline.
    Hotline,
    /// Organisations that took part in events (a participating organisation of a
    /// seminar), each counted once however many events it attended.
    Organisations,
}

/// What a report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ReportDimension {
    Year,
    /// `2014-Q4`.
    Quarter,
    /// The planning region of the event's municipality.
    Region,
    Municipality,
    /// The kind of event (seminar, training, …).
    Kind,
    /// A campaign's id; events of no campaign form the row without a key.
    Campaign,
    /// One row per target group, counting the events that group attended; an event
    /// attended by two groups is in both rows.
    TargetGroup,
    /// A funder's id: one row per funder of the events' campaigns; an event of a
    /// campaign with two funders is in both rows, one with none in no row.
    Funder,
    /// The kind of the recipient organisation (schools, NVA branches, …).
    OrganisationKind,
    /// The kind of material (posters, booklets, …).
    MaterialKind,
    /// A material's id.
    Material,
    /// What a hotline contact was about.
    Topic,
    /// How a hotline contact came (a call, a message, …).
    Channel,
}

/// One number a report's rows carry, and what its figures open beside the row's
/// records.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ReportColumn {
    pub measure: ReportMeasure,
    /// Beside the report's and the row's filters (people of one target group).
    pub filter: Option<ListFilter>,
}

/// What a report column counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(tag = "kind", rename_all = "kebab-case")]
pub enum ReportMeasure {
    /// How many events.
    Events,
    /// How many people took part, in all.
    Participants,
    /// How many people of one target group took part.
    TargetGroup { code: String },
    /// How many times material was handed out.
    Distributions,
    /// How many copies.
    Copies,
    /// How many organisations received any.
    Recipients,
    /// How many hotline contacts.
    Contacts,
    /// How many organisations.
    Organisations,
}

/// Which figure, split by what, of which records.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ReportQuery {
    pub figure: ReportFigure,
    pub by: ReportDimension,
    /// As a list of the figure's records takes them.
    #[serde(default)]
    pub filters: Vec<ListFilter>,
}

/// A report table: one row per key, each with a value per column, and the total.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Report {
    pub figure: ReportFigure,
    pub by: ReportDimension,
    /// The records counted are of this collection (what a figure opens).
    pub collection: Collection,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    /// Per column, over every record the filters let through.
    pub total: Vec<u64>,
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ReportRow {
    /// The year, quarter, code, or campaign's or material's id; `None` for records
    /// without one (events of no campaign).
    pub key: Option<String>,
    /// A campaign's or material's name; `None` for keys the UI names itself (codes,
    /// years).
    pub label: Option<String>,
    /// Selects the row's records, beside the report's own filters: what the row's
    /// figures open.
    pub filter: ListFilter,
    /// Per column.
    pub values: Vec<u64>,
}

/// How a record's key under a dimension is read: a value SQL gives per record (a list
/// key, a year), then what that value stands for where the key belongs to a record it
/// references or to a place.
struct KeyRead {
    /// SQL over `records` and [`KeyRead::join`].
    sql: String,
    /// Joined to `records` for the key: the funders (`lf.f`) of an event's campaign,
    /// through the links' references as the rows' filters read them. An event is in
    /// the row of each funder; one of a campaign with none is in no row.
    join: Option<String>,
    /// The value is the id of a record of this collection (in the trash or not, as
    /// `ListFilter::Via` reads it); the key is what this SQL gives over that record
    /// (a field of its `doc`, an organisation's place).
    via: Option<(Collection, String)>,
    /// The value (or that record's field) is a municipality, or `ABROAD`; the key its
    /// planning region.
    region: bool,
}

impl KeyRead {
    fn of(sql: impl Into<String>) -> KeyRead {
        KeyRead { sql: sql.into(), join: None, via: None, region: false }
    }

    fn region(mut self) -> KeyRead {
        self.region = true;
        self
    }

    fn via(mut self, collection: Collection, field: &str) -> KeyRead {
        self.via = Some((collection, format!("json_extract(doc, '$.{field}')")));
        self
    }

    /// The key is the place of the organisation the value names.
    fn via_place(mut self) -> KeyRead {
        self.via = Some((Collection::Organisation, place_expression(Collection::Organisation)));
        self
    }

    /// What turns a value read into its key, reading the referenced records once.
    fn keys(&self, store: &Store) -> Result<impl Fn(Option<String>) -> Option<String>> {
        let fields = match &self.via {
            Some((collection, sql)) => Some(store.fields_of(*collection, sql)?),
            None => None,
        };
        let region = self.region;
        Ok(move |value: Option<String>| {
            let value = match &fields {
                Some(fields) => value.and_then(|id| fields.get(&id).cloned().flatten()),
                None => value,
            };
            if region { value.as_deref().and_then(region_of).map(str::to_owned) } else { value }
        })
    }
}

/// How `figure`'s records are keyed under `by`, or `None` where the figure has no such
/// rows (target groups, which come from the participants themselves).
fn key_read(figure: ReportFigure, by: ReportDimension) -> Option<KeyRead> {
    let column = |collection, field| column_of(collection, field).expect("a list key of the figure's collection");
    if figure == ReportFigure::Organisations {
        // An organisation's own place and kind (it has no date: the events' filters
        // choose which organisations are counted).
        let municipality = "json_extract(doc, '$.municipality')";
        return match by {
            ReportDimension::OrganisationKind => Some(KeyRead::of(column(Collection::Organisation, "kind"))),
            ReportDimension::Region => Some(KeyRead::of(place_expression(Collection::Organisation)).region()),
            ReportDimension::Municipality => Some(KeyRead::of(municipality)),
            _ => None,
        };
    }
    let date = match figure {
        ReportFigure::Events => column(Collection::Seminar, "date"),
        ReportFigure::Distributions => column(Collection::Distribution, "date"),
        ReportFigure::Hotline => column(Collection::HotlineContact, "date"),
        ReportFigure::Organisations => unreachable!("answered above"),
    };
    match by {
        ReportDimension::Year => return Some(KeyRead::of(format!("substr({date}, 1, 4)"))),
        ReportDimension::Quarter => {
            return Some(KeyRead::of(format!(
                "substr({date}, 1, 4) || '-Q' || ((CAST(substr({date}, 6, 2) AS INTEGER) + 2) / 3)"
            )));
        }
        _ => {}
    }
    match figure {
        ReportFigure::Events => {
            let seminar = |field| column(Collection::Seminar, field);
            match by {
                ReportDimension::Region => Some(KeyRead::of(seminar("municipality")).region()),
                ReportDimension::Municipality => Some(KeyRead::of(seminar("municipality"))),
                ReportDimension::Kind => Some(KeyRead::of(seminar("kind"))),
                ReportDimension::Campaign => Some(KeyRead::of(seminar("campaign"))),
                ReportDimension::Funder => Some(KeyRead {
                    join: Some(format!(
                        "JOIN (SELECT DISTINCT n.to_id AS c, f.to_id AS f FROM records l
                         JOIN refs n ON n.from_rid = l.rid AND n.field = 'campaign'
                         JOIN refs f ON f.from_rid = l.rid AND f.field = 'funder'
                         WHERE l.collection = 'campaign-funder' AND l.deleted = 0) AS lf ON lf.c = records.{}",
                        seminar("campaign")
                    )),
                    ..KeyRead::of("lf.f")
                }),
                _ => None,
            }
        }
        ReportFigure::Distributions => {
            let recipient = KeyRead::of(column(Collection::Distribution, "organisation"));
            let material = KeyRead::of(column(Collection::Distribution, "material"));
            match by {
                ReportDimension::Region => Some(recipient.via_place().region()),
                ReportDimension::Municipality => Some(recipient.via(Collection::Organisation, "municipality")),
                ReportDimension::OrganisationKind => Some(recipient.via(Collection::Organisation, "kind")),
                ReportDimension::MaterialKind => Some(material.via(Collection::Material, "kind")),
                ReportDimension::Material => Some(material),
                _ => None,
            }
        }
        ReportFigure::Hotline => {
            let field = match by {
                ReportDimension::Region => "region",
                ReportDimension::Topic => "topic",
                ReportDimension::Channel => "channel",
                _ => return None,
            };
            Some(KeyRead::of(column(Collection::HotlineContact, field)))
        }
        ReportFigure::Organisations => None,
    }
}

/// The region of a place (`read::place_expression`): a municipality's planning region,
/// or abroad.
fn region_of(place: &str) -> Option<&'static str> {
    if place == ABROAD {
        return Some(ABROAD);
    }
    ReferenceData::shipped().municipalities.iter().find(|m| m.code == place).map(|m| m.region.as_str())
}

/// Per key, a tally; keys as SQL gives them, read without copying a key already seen.
/// Hashed with Fx: the keys are the store's own codes, dates and ids, and SipHash was a
/// tenth of a report's time.
struct Tallies<T> {
    keyed: FxHashMap<String, T>,
    none: Option<T>,
}

impl<T: Default> Tallies<T> {
    fn new() -> Tallies<T> {
        Tallies { keyed: FxHashMap::default(), none: None }
    }

    fn entry(&mut self, key: Option<&str>) -> &mut T {
        match key {
            None => self.none.get_or_insert_with(T::default),
            Some(key) => {
                if !self.keyed.contains_key(key) {
                    self.keyed.insert(key.to_owned(), T::default());
                }
                self.keyed.get_mut(key).expect("inserted above")
            }
        }
    }

    fn into_rows(self) -> impl Iterator<Item = (Option<String>, T)> {
        self.keyed.into_iter().map(|(k, t)| (Some(k), t)).chain(self.none.map(|t| (None, t)))
    }
}

/// A key read from SQL: text as it is, a number as its digits (an invalid record's).
fn key_text<'a>(value: ValueRef<'a>) -> Option<std::borrow::Cow<'a, str>> {
    match value {
        ValueRef::Null => None,
        // Checked whole first: the lossy reader goes through it in pieces, slower.
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Some(std::str::from_utf8(t).map_or_else(|_| String::from_utf8_lossy(t), std::borrow::Cow::Borrowed))
        }
        ValueRef::Integer(i) => Some(i.to_string().into()),
        ValueRef::Real(f) => Some(f.to_string().into()),
    }
}

/// One key's events: how many, and per target group the people and the events it
/// attended (a list: there are fourteen groups, fewer than a hash costs).
#[derive(Default)]
struct EventTally {
    events: u64,
    people: Vec<(String, (u64, u64))>,
}

/// One key's distributions: how many and how many copies, per recipient.
#[derive(Default)]
struct HandedOut {
    recipients: FxHashMap<String, (u64, u64)>,
    /// Distributions without a recipient (an invalid record's): counted, no recipient.
    unaddressed: (u64, u64),
}

/// The records a report reads, through the index holding every list key and the sums:
/// a report then reads no document. Named, as SQLite preferred a filter's own index (a
/// period's, on the date) and then read every matching row for the other keys, which
/// took longer than reading the whole index.
const RECORDS: &str = "records INDEXED BY records_by_collection";

/// The summed field holding an event's participants per target group.
const PARTICIPANTS: &str = "participants";

/// The summed field holding a distribution's copies.
pub(crate) const COPIES: &str = "quantity";

/// The filter that selects a row's records (`key` as [`key_read`] reads it).
fn row_filter(figure: ReportFigure, by: ReportDimension, key: Option<&str>) -> ListFilter {
    let equals =
        |field: &str, value: &str| ListFilter::FieldEquals { field: field.to_owned(), value: value.to_owned() };
    let empty = |field: &str| ListFilter::Empty { field: field.to_owned() };
    let via = |field: &str, filter| ListFilter::Via { field: field.to_owned(), filter: Box::new(filter) };
    match (by, key) {
        (ReportDimension::Year, Some(key)) => {
            ListFilter::Period { from: Some(format!("{key}-01-01")), to: Some(format!("{key}-12-31")) }
        }
        (ReportDimension::Quarter, Some(key)) => {
            let (year, q) = key.split_once("-Q").unwrap_or((key, "1"));
            let q: u32 = q.parse().unwrap_or(1).clamp(1, 4);
            let last_day = if q == 1 || q == 4 { 31 } else { 30 };
            ListFilter::Period {
                from: Some(format!("{year}-{:02}-01", q * 3 - 2)),
                to: Some(format!("{year}-{:02}-{last_day}", q * 3)),
            }
        }
        (ReportDimension::TargetGroup, Some(key)) => {
            ListFilter::Counts { field: "participants".to_owned(), code: key.to_owned() }
        }
        (ReportDimension::Funder, key) => via(
            "campaign",
            ListFilter::Linked { link: Collection::CampaignFunder, id: key.unwrap_or_default().to_owned() },
        ),
        _ if figure == ReportFigure::Events => match (by, key) {
            (ReportDimension::Region, Some(key)) => ListFilter::Region { region: key.to_owned() },
            (ReportDimension::Kind, Some(key)) => equals("kind", key),
            (ReportDimension::Kind, None) => empty("kind"),
            (ReportDimension::Campaign, Some(key)) => equals("campaign", key),
            (ReportDimension::Campaign, None) => empty("campaign"),
            (_, Some(key)) => equals("municipality", key),
            (_, None) => empty("municipality"),
        },
        _ if figure == ReportFigure::Organisations => match (by, key) {
            (ReportDimension::Region, key) => ListFilter::Region { region: key.unwrap_or_default().to_owned() },
            (ReportDimension::OrganisationKind, Some(key)) => equals("kind", key),
            (ReportDimension::OrganisationKind, None) => empty("kind"),
            (_, Some(key)) => equals("municipality", key),
            (_, None) => empty("municipality"),
        },
        _ if figure == ReportFigure::Hotline => {
            let field = match by {
                ReportDimension::Topic => "topic",
                ReportDimension::Channel => "channel",
                _ => "region",
            };
            key.map_or_else(|| empty(field), |key| equals(field, key))
        }
        _ => match (by, key) {
            (ReportDimension::Region, key) => {
                via("organisation", ListFilter::Region { region: key.unwrap_or_default().to_owned() })
            }
            (ReportDimension::OrganisationKind, Some(key)) => via("organisation", equals("kind", key)),
            (ReportDimension::OrganisationKind, None) => via("organisation", empty("kind")),
            (ReportDimension::MaterialKind, Some(key)) => via("material", equals("kind", key)),
            (ReportDimension::MaterialKind, None) => via("material", empty("kind")),
            (ReportDimension::Material, Some(key)) => equals("material", key),
            (ReportDimension::Material, None) => empty("material"),
            (_, Some(key)) => via("organisation", equals("municipality", key)),
            (_, None) => via("organisation", empty("municipality")),
        },
    }
}

impl ReportColumn {
    fn of(measure: ReportMeasure) -> ReportColumn {
        let filter = match &measure {
            ReportMeasure::TargetGroup { code } => {
                Some(ListFilter::Counts { field: "participants".to_owned(), code: code.clone() })
            }
            _ => None,
        };
        ReportColumn { measure, filter }
    }
}

/// A dimension the figure has no rows for: refused, naming the field.
fn unknown_dimension() -> crate::StoreError {
    crate::StoreError::Invalid(vec![saite_domain::FieldError::new("by", saite_domain::ValidationCode::InvalidValue)])
}

/// The target group a query's filters keep to, if one.
fn target_group_filter(filters: &[ListFilter]) -> Option<&str> {
    filters.iter().find_map(|f| match f {
        ListFilter::Counts { field, code } if field == "participants" => Some(code.as_str()),
        _ => None,
    })
}

impl Store {
    /// The report `q` asks for, counted from the live records.
    pub fn report(&self, q: &ReportQuery) -> Result<Report> {
        match q.figure {
            ReportFigure::Events => self.events_report(q.by, &q.filters),
            ReportFigure::Distributions => self.distributions_report(q.by, &q.filters),
            ReportFigure::Hotline => {
                self.counted_report(ReportFigure::Hotline, Collection::HotlineContact, ReportMeasure::Contacts, q)
            }
            ReportFigure::Organisations => self.counted_report(
                ReportFigure::Organisations,
                Collection::Organisation,
                ReportMeasure::Organisations,
                q,
            ),
        }
    }

    fn events_report(&self, by: ReportDimension, filters: &[ListFilter]) -> Result<Report> {
        let collection = Collection::Seminar;
        let (clauses, args) = filter_clauses(collection, filters)?;
        let where_sql = clauses.join(" AND ");
        let args: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let only_group = target_group_filter(filters);
        let kept = |group: &str| only_group.is_none_or(|g| g == group);
        let group_order = ReferenceData::shipped().codes(CodeList::TargetGroup);

        // Per key: the events, and per target group the people.
        let mut events: BTreeMap<Option<String>, u64> = BTreeMap::new();
        let mut people: BTreeMap<Option<String>, BTreeMap<String, u64>> = BTreeMap::new();
        // Every event the filters let through, each once, and its people per group: the
        // totals where rows overlap (by target group, by funder) or miss events (by
        // funder: those of no funder).
        let mut every_event: Option<(u64, BTreeMap<String, u64>)> = None;
        if by == ReportDimension::TargetGroup {
            // One row per group: the events it attended, its people.
            let all = self.tally_events(RECORDS, "NULL", &where_sql, &args)?.none.unwrap_or_default();
            for (group, (sum, attended)) in all.people.into_iter().filter(|(g, _)| kept(g)) {
                events.insert(Some(group.clone()), attended);
                people.entry(Some(group.clone())).or_default().insert(group, sum);
            }
            every_event = Some((all.events, BTreeMap::new()));
        } else {
            let read = key_read(ReportFigure::Events, by).ok_or_else(unknown_dimension)?;
            let key_of = read.keys(self)?;
            let from = format!("{RECORDS} {}", read.join.as_deref().unwrap_or_default());
            for (value, tally) in self.tally_events(&from, &read.sql, &where_sql, &args)?.into_rows() {
                // A region gathers its municipalities' rows: an event is in one of them.
                let key = key_of(value);
                *events.entry(key.clone()).or_default() += tally.events;
                let of_key = people.entry(key).or_default();
                for (group, (sum, _)) in tally.people.into_iter().filter(|(g, (s, _))| *s > 0 && kept(g)) {
                    *of_key.entry(group).or_default() += sum;
                }
            }
            if by == ReportDimension::Funder {
                let all = self.tally_events(RECORDS, "NULL", &where_sql, &args)?.none.unwrap_or_default();
                let groups =
                    all.people.into_iter().filter(|(g, (s, _))| *s > 0 && kept(g)).map(|(g, (s, _))| (g, s)).collect();
                every_event = Some((all.events, groups));
            }
        }
        // The target groups anyone was counted in, in the code list's order.
        let groups: Vec<&String> = if by == ReportDimension::TargetGroup {
            Vec::new()
        } else {
            group_order
                .iter()
                .filter(|g| {
                    people.values().any(|p| p.contains_key(*g))
                        || every_event.as_ref().is_some_and(|(_, all)| all.contains_key(*g))
                })
                .collect()
        };
        let mut columns = vec![ReportColumn::of(ReportMeasure::Events), ReportColumn::of(ReportMeasure::Participants)];
        columns.extend(groups.iter().map(|g| ReportColumn::of(ReportMeasure::TargetGroup { code: (*g).clone() })));

        let mut rows: Vec<ReportRow> = events
            .into_iter()
            .map(|(key, count)| {
                let of_key = people.get(&key);
                let mut values = vec![count, of_key.map_or(0, |p| p.values().sum())];
                values.extend(groups.iter().map(|g| of_key.and_then(|p| p.get(*g)).copied().unwrap_or(0)));
                let filter = row_filter(ReportFigure::Events, by, key.as_deref());
                ReportRow { key, label: None, filter, values }
            })
            .collect();
        let mut total = vec![0; columns.len()];
        match (by, &every_event) {
            (ReportDimension::TargetGroup, Some((events_in_all, _))) => {
                total[0] = *events_in_all;
                total[1] = rows.iter().map(|r| r.values[1]).sum();
            }
            (_, Some((events_in_all, people_in_all))) => {
                total[0] = *events_in_all;
                total[1] = people_in_all.values().sum();
                for (t, g) in total.iter_mut().skip(2).zip(&groups) {
                    *t = people_in_all.get(*g).copied().unwrap_or(0);
                }
            }
            (_, None) => {
                for row in &rows {
                    for (t, v) in total.iter_mut().zip(&row.values) {
                        *t += v;
                    }
                }
            }
        }
        self.order_rows(by, &mut rows)?;
        Ok(Report { figure: ReportFigure::Events, by, collection, columns, rows, total })
    }

    /// Per value of `key` (SQL over `from`), the events the filters let through and
    /// their people per target group, in one pass over the index, added up here:
    /// SQLite's sorter for a GROUP BY took longer than the whole pass.
    fn tally_events(&self, from: &str, key: &str, where_sql: &str, args: &[&dyn ToSql]) -> Result<Tallies<EventTally>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {key}, list_sums FROM {from} WHERE {where_sql}"))?;
        let mut rows = stmt.query(args)?;
        let mut tallies = Tallies::new();
        while let Some(row) = rows.next()? {
            let tally: &mut EventTally = tallies.entry(key_text(row.get_ref(0)?).as_deref());
            tally.events += 1;
            let sums = match row.get_ref(1)? {
                ValueRef::Text(t) => t,
                _ => &[],
            };
            for (_, group, n) in read_sums(sums).filter(|(f, _, _)| *f == PARTICIPANTS.as_bytes()) {
                let n = n.max(0) as u64;
                match tally.people.iter_mut().find(|(g, _)| g.as_bytes() == group) {
                    Some((_, (people, events))) => {
                        *people += n;
                        *events += 1;
                    }
                    None => tally.people.push((String::from_utf8_lossy(group).into_owned(), (n, 1))),
                }
            }
        }
        Ok(tallies)
    }

    fn distributions_report(&self, by: ReportDimension, filters: &[ListFilter]) -> Result<Report> {
        let figure = ReportFigure::Distributions;
        let collection = Collection::Distribution;
        let read = key_read(figure, by).ok_or_else(unknown_dimension)?;
        let (clauses, args) = filter_clauses(collection, filters)?;
        let args: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let recipient = column_of(collection, "organisation").expect("a distribution's recipient is a list key");
        // Per value, per recipient: how often, how many copies; in one pass, added up
        // here (as `tally_events`).
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {}, {recipient}, list_sums FROM {RECORDS} WHERE {}",
            read.sql,
            clauses.join(" AND ")
        ))?;
        let mut rows = stmt.query(args.as_slice())?;
        let mut tallies: Tallies<HandedOut> = Tallies::new();
        while let Some(row) = rows.next()? {
            let tally = tallies.entry(key_text(row.get_ref(0)?).as_deref());
            let copies = summed(row.get_ref(2)?, COPIES);
            let counts = match key_text(row.get_ref(1)?) {
                None => &mut tally.unaddressed,
                Some(to) => match tally.recipients.get_mut(to.as_ref()) {
                    Some(counts) => counts,
                    None => tally.recipients.entry(to.into_owned()).or_default(),
                },
            };
            counts.0 += 1;
            counts.1 += copies;
        }
        drop(rows);
        drop(stmt);
        // A value that is a record's id stands for that record's field: read once per
        // record, not per distribution.
        let key_of = read.keys(self)?;
        let mut keyed: BTreeMap<Option<String>, (u64, u64, HashSet<String>)> = BTreeMap::new();
        let mut all_recipients: HashSet<String> = HashSet::new();
        for (value, tally) in tallies.into_rows() {
            let key = key_of(value);
            let row = keyed.entry(key).or_default();
            row.0 += tally.unaddressed.0;
            row.1 += tally.unaddressed.1;
            for (to, (count, copies)) in tally.recipients {
                row.0 += count;
                row.1 += copies;
                all_recipients.insert(to.clone());
                row.2.insert(to);
            }
        }
        let mut rows: Vec<ReportRow> = keyed
            .into_iter()
            .map(|(key, (count, copies, recipients))| {
                let filter = row_filter(figure, by, key.as_deref());
                ReportRow { key, label: None, filter, values: vec![count, copies, recipients.len() as u64] }
            })
            .collect();
        // Every record is in one row; an organisation that received in two rows is one
        // recipient in the total.
        let total = vec![
            rows.iter().map(|r| r.values[0]).sum(),
            rows.iter().map(|r| r.values[1]).sum(),
            all_recipients.len() as u64,
        ];
        self.order_rows(by, &mut rows)?;
        let columns = [ReportMeasure::Distributions, ReportMeasure::Copies, ReportMeasure::Recipients]
            .into_iter()
            .map(ReportColumn::of)
            .collect();
        Ok(Report { figure, by, collection, columns, rows, total })
    }

    /// Every record of `collection`, in the trash or not, by id: what `sql` (fixed, from this
    /// file) gives over it, as text.
    fn fields_of(&self, collection: Collection, sql: &str) -> Result<HashMap<String, Option<String>>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT id, {sql} FROM records WHERE collection = ?1"))?;
        let rows = stmt.query_map([collection.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, key_text(r.get_ref(1)?).map(|k| k.into_owned())))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A figure that counts the records of `collection` the filters let through, one
    /// row per key (hotline contacts, organisations reached).
    fn counted_report(
        &self,
        figure: ReportFigure,
        collection: Collection,
        measure: ReportMeasure,
        q: &ReportQuery,
    ) -> Result<Report> {
        let by = q.by;
        let read = key_read(figure, by).ok_or_else(unknown_dimension)?;
        let (clauses, args) = filter_clauses(collection, &q.filters)?;
        let args: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} AS k, count(*) FROM records WHERE {} GROUP BY k",
            read.sql,
            clauses.join(" AND ")
        ))?;
        let key_of = read.keys(self)?;
        let counted = stmt.query_map(args.as_slice(), |r| {
            Ok((key_text(r.get_ref(0)?).map(|k| k.into_owned()), r.get::<_, i64>(1)?))
        })?;
        let mut keyed: BTreeMap<Option<String>, u64> = BTreeMap::new();
        for row in counted {
            let (value, count) = row?;
            *keyed.entry(key_of(value)).or_default() += count.max(0) as u64;
        }
        let mut rows: Vec<ReportRow> = keyed
            .into_iter()
            .map(|(key, count)| {
                let filter = row_filter(figure, by, key.as_deref());
                ReportRow { key, label: None, filter, values: vec![count] }
            })
            .collect();
        let total = vec![rows.iter().map(|r| r.values[0]).sum()];
        self.order_rows(by, &mut rows)?;
        Ok(Report { figure, by, collection, columns: vec![ReportColumn::of(measure)], rows, total })
    }

    /// Puts rows in the order a reader expects: time in order, codes in their list's
    /// order, campaigns and materials by name; the row without a key last. Names
    /// campaigns and materials.
    fn order_rows(&self, by: ReportDimension, rows: &mut [ReportRow]) -> Result<()> {
        let data = ReferenceData::shipped();
        let list = match by {
            ReportDimension::Region => Some(CodeList::Region),
            ReportDimension::Municipality => Some(CodeList::Municipality),
            ReportDimension::Kind => Some(CodeList::EventKind),
            ReportDimension::TargetGroup => Some(CodeList::TargetGroup),
            ReportDimension::OrganisationKind => Some(CodeList::OrganisationKind),
            ReportDimension::MaterialKind => Some(CodeList::MaterialKind),
            ReportDimension::Topic => Some(CodeList::HotlineTopic),
            ReportDimension::Channel => Some(CodeList::HotlineChannel),
            _ => None,
        };
        if matches!(by, ReportDimension::Campaign | ReportDimension::Material | ReportDimension::Funder) {
            let ids: Vec<RecordId> = rows.iter().filter_map(|r| r.key.as_deref()?.parse().ok()).collect();
            let names: BTreeMap<String, String> =
                self.get_many(&ids)?.into_iter().map(|r| (r.id.to_string(), r.label)).collect();
            for row in rows.iter_mut() {
                row.label = row.key.as_ref().and_then(|k| names.get(k)).cloned();
            }
        }
        let position = |row: &ReportRow| -> (bool, usize, String) {
            let key = row.key.as_deref().unwrap_or_default();
            let index = list.map_or(0, |l| data.codes(l).iter().position(|c| c == key).unwrap_or(usize::MAX));
            let text = row.label.clone().unwrap_or_else(|| key.to_owned()).to_lowercase();
            (row.key.is_none(), index, text)
        };
        rows.sort_by_cached_key(position);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;
    use serde_json::json;

    use super::*;
    use crate::{ListQuery, key::KdfParams};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let s = Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, clock, "report").unwrap();
        (dir, s)
    }

    fn obj(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    fn equals(field: &str, value: &str) -> ListFilter {
        ListFilter::FieldEquals { field: field.into(), value: value.into() }
    }

    fn report(s: &Store, by: ReportDimension, filters: Vec<ListFilter>) -> Report {
        s.report(&ReportQuery { figure: ReportFigure::Events, by, filters }).unwrap()
    }

    /// How many records of `collection` a list with `filters` holds.
    fn listed(s: &Store, collection: Collection, filters: Vec<ListFilter>) -> u64 {
        let q = ListQuery { collection, filters, sort: None, descending: false, offset: 0, limit: 1, with_total: true };
        s.list(&q).unwrap().total.unwrap().into()
    }

    #[test]
    fn the_numbers_reports_read_are_those_the_specs_sum() {
        // The store keeps only summed fields beside the list keys.
        assert!(Collection::Seminar.spec().list.sums.contains(&PARTICIPANTS));
        assert!(Collection::Distribution.spec().list.sums.contains(&COPIES));
    }

    #[test]
    fn rigas_training_figures_come_out_of_the_demo_data() {
        let (_dir, mut s) = store();
        s.load_demo_data().unwrap();
        let filters = vec![equals("kind", "training"), ListFilter::Region { region: "riga".into() }];
        let by_year = report(&s, ReportDimension::Year, filters.clone());
        let keys: Vec<_> = by_year.rows.iter().map(|r| r.key.clone().unwrap()).collect();
        assert_eq!(keys, ["2010", "2011", "2012", "2013", "2014"]);
        let people: Vec<u64> = by_year.rows.iter().map(|r| r.values[1]).collect();
        assert_eq!(people, [60, 60, 95, 81, 115]);
        assert_eq!(by_year.total[..2], [5, 411]);
        let groups: Vec<_> = by_year.columns[2..].iter().map(|c| c.measure.clone()).collect();
        assert_eq!(
            groups,
            ["municipal-employees", "social-workers", "social-pedagogues", "municipal-police-officers"]
                .map(|code| ReportMeasure::TargetGroup { code: code.into() })
        );
        assert_eq!(by_year.total[2..], [61, 240, 50, 60]);

        let by_group = report(&s, ReportDimension::TargetGroup, filters.clone());
        let rows: Vec<_> = by_group.rows.iter().map(|r| (r.key.clone().unwrap(), r.values.clone())).collect();
        assert_eq!(
            rows,
            [
                ("municipal-employees".to_owned(), vec![1, 61]),
                ("social-workers".to_owned(), vec![4, 240]),
                ("social-pedagogues".to_owned(), vec![1, 50]),
                ("municipal-police-officers".to_owned(), vec![3, 60]),
            ]
        );
        assert_eq!(by_group.total, [5, 411], "five events, whichever groups came");

        // Keeping to one target group counts only its people.
        let mut police = filters.clone();
        police.push(ListFilter::Counts { field: "participants".into(), code: "municipal-police-officers".into() });
        let by_year = report(&s, ReportDimension::Year, police);
        assert_eq!(by_year.total, [3, 60, 60]);
    }

    #[test]
    fn campaigns_are_named_and_events_of_none_come_last() {
        let (_dir, mut s) = store();
        let atver = s.create(Collection::Campaign, obj(json!({"name": "Atver acis", "kind": "campaign"}))).unwrap().id;
        let strom = s.create(Collection::Campaign, obj(json!({"name": "STROM", "kind": "project"}))).unwrap().id;
        for (campaign, date, people) in [
            (Some(strom), "2015-05-20", 25),
            (Some(atver), "2011-10-11", 40),
            (None, "2012-03-01", 12),
            (Some(atver), "2011-12-01", 5),
        ] {
            s.create(
                Collection::Seminar,
                obj(
                    json!({"title": "S", "kind": "seminar", "date": date, "municipality": "riga", "campaign": campaign,
                       "participants": {"librarians": people}}),
                ),
            )
            .unwrap();
        }
        let by_campaign = report(&s, ReportDimension::Campaign, vec![]);
        let rows: Vec<_> = by_campaign.rows.iter().map(|r| (r.label.clone(), r.values[..2].to_vec())).collect();
        assert_eq!(
            rows,
            [
                (Some("Atver acis".to_owned()), vec![2, 45]),
                (Some("STROM".to_owned()), vec![1, 25]),
                (None, vec![1, 12])
            ]
        );
        assert_eq!(by_campaign.rows[2].filter, ListFilter::Empty { field: "campaign".into() });
        let quarters: Vec<_> =
            report(&s, ReportDimension::Quarter, vec![]).rows.into_iter().map(|r| r.key.unwrap()).collect();
        assert_eq!(quarters, ["2011-Q4", "2012-Q1", "2015-Q2"]);
        let period = ListFilter::Period { from: Some("2011-11-01".into()), to: Some("2015-05-19".into()) };
        assert_eq!(report(&s, ReportDimension::Year, vec![period]).total[..2], [2, 17]);
        let bad = ListFilter::Period { from: Some("2011-13-01".into()), to: None };
        assert!(matches!(
            s.report(&ReportQuery { figure: ReportFigure::Events, by: ReportDimension::Year, filters: vec![bad] }),
            Err(crate::StoreError::Invalid(e)) if e[0].field == "from"
        ));
    }

    #[test]
    fn materials_handed_out_count_copies_and_recipients_by_the_recipients_kind() {
        let (_dir, mut s) = store();
        s.load_demo_data().unwrap();
        let r = s
            .report(&ReportQuery {
                figure: ReportFigure::Distributions,
                by: ReportDimension::OrganisationKind,
                filters: vec![],
            })
            .unwrap();
        let embassies = r.rows.iter().find(|row| row.key.as_deref() == Some("embassy")).unwrap();
        assert_eq!(embassies.values, [3, 600, 3], "booklets to three embassies, 200 each");
        let branches = r.rows.iter().find(|row| row.key.as_deref() == Some("nva-branch")).unwrap();
        assert_eq!(branches.values, [28, 28, 28], "a banner in each of 28 NVA branches");
        assert!(r.rows.windows(2).all(|w| {
            let order = |row: &ReportRow| {
                ReferenceData::shipped()
                    .codes(CodeList::OrganisationKind)
                    .iter()
                    .position(|c| Some(c) == row.key.as_ref())
            };
            order(&w[0]) < order(&w[1])
        }));
        // Placed by the recipient: the embassies have a country and no municipality, so
        // they are abroad, and that row opens their three distributions.
        let that_day = ListFilter::Period { from: Some("2014-09-01".into()), to: Some("2014-09-01".into()) };
        let by_region = s
            .report(&ReportQuery {
                figure: ReportFigure::Distributions,
                by: ReportDimension::Region,
                filters: vec![that_day.clone()],
            })
            .unwrap();
        let abroad = by_region.rows.last().unwrap();
        assert_eq!(abroad.key.as_deref(), Some("abroad"));
        assert_eq!(abroad.values, [3, 600, 3]);
        let opened = s
            .list(&ListQuery {
                collection: Collection::Distribution,
                filters: vec![that_day, abroad.filter.clone()],
                sort: None,
                descending: false,
                offset: 0,
                limit: 10,
                with_total: true,
            })
            .unwrap();
        assert_eq!(opened.total, Some(3));
        // A recipient moved to the trash still places its distributions, in the report
        // and in the list its figure opens.
        let school = s
            .create(
                Collection::Organisation,
                obj(json!({"name": "Skola", "kind": "school", "municipality": "ludzas-novads"})),
            )
            .unwrap()
            .id;
        let poster = s
            .list(&ListQuery {
                collection: Collection::Material,
                filters: vec![],
                sort: None,
                descending: false,
                offset: 0,
                limit: 1,
                with_total: false,
            })
            .unwrap()
            .items[0]
            .id;
        let q = ReportQuery { figure: ReportFigure::Distributions, by: ReportDimension::Municipality, filters: vec![] };
        let in_ludza =
            |s: &Store| s.report(&q).unwrap().rows.into_iter().find(|r| r.key.as_deref() == Some("ludzas-novads"));
        let before = in_ludza(&s).map_or(vec![0, 0, 0], |r| r.values);
        s.create(Collection::Distribution, obj(json!({"material": poster, "organisation": school, "quantity": 3, "date": "2020-01-01", "method": "mailed"}))).unwrap();
        s.delete(school).unwrap();
        let after = in_ludza(&s).unwrap();
        assert_eq!(after.values[..2], [before[0] + 1, before[1] + 3]);
        assert_eq!(listed(&s, Collection::Distribution, vec![after.filter]), after.values[0]);

        // A figure has only its own dimensions.
        let refused = s.report(&ReportQuery {
            figure: ReportFigure::Distributions,
            by: ReportDimension::TargetGroup,
            filters: vec![],
        });
        assert!(matches!(refused, Err(crate::StoreError::Invalid(e)) if e[0].field == "by"));
    }

    const DIMENSIONS: [ReportDimension; 8] = [
        ReportDimension::Year,
        ReportDimension::Quarter,
        ReportDimension::Region,
        ReportDimension::Municipality,
        ReportDimension::Kind,
        ReportDimension::Campaign,
        ReportDimension::TargetGroup,
        ReportDimension::Funder,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

        /// Every figure opens exactly the records it counts: a row's events are the
        /// list with the report's filters and the row's, and a target group's column
        /// adds its own filter; the rows of a dimension that splits records sum to the
        /// total.
        #[test]
        fn every_figure_is_the_count_of_the_list_it_opens(
            events in proptest::collection::vec(
                (0usize..4, 2009i32..2016, 1u32..13, 0usize..6, 0usize..3, proptest::collection::btree_map(0usize..5, 0i64..40, 0..3)),
                0..25,
            ),
            handed in proptest::collection::vec((0usize..3, 0usize..5, 2010i32..2016, 1u32..13, 1i64..300), 0..20),
            trashed in proptest::option::of(0usize..5),
            calls in proptest::collection::vec((0usize..5, 0usize..6, 0usize..6, 2013i32..2016, 1u32..13), 0..20),
            joined in proptest::collection::vec((0usize..25, 0usize..5), 0..15),
        ) {
            let (_dir, mut s) = store();
            let data = ReferenceData::shipped();
            let campaigns: Vec<Option<RecordId>> = vec![
                None,
                Some(s.create(Collection::Campaign, obj(json!({"name": "A", "kind": "campaign"}))).unwrap().id),
                Some(s.create(Collection::Campaign, obj(json!({"name": "B", "kind": "project"}))).unwrap().id),
            ];
            let funder = s.create(Collection::Funder, obj(json!({"name": "F", "kind": "state"}))).unwrap().id;
            s.create(Collection::CampaignFunder, obj(json!({"campaign": campaigns[1], "funder": funder}))).unwrap();
            // A second funder of both campaigns (linked twice to one: counted once).
            let second = s.create(Collection::Funder, obj(json!({"name": "G", "kind": "company"}))).unwrap().id;
            for campaign in [campaigns[1], campaigns[2], campaigns[2]] {
                s.create(Collection::CampaignFunder, obj(json!({"campaign": campaign, "funder": second}))).unwrap();
            }
            let places = ["riga", "daugavpils", "liepaja", "jelgava", "valmieras-novads", "jurmala"];
            let groups = data.codes(CodeList::TargetGroup);
            let kinds = data.codes(CodeList::EventKind);
            let mut seminars = Vec::new();
            for (kind, year, month, place, campaign, people) in &events {
                let participants: serde_json::Map<String, serde_json::Value> =
                    people.iter().map(|(g, n)| (groups[*g].clone(), json!(n))).collect();
                seminars.push(s.create(Collection::Seminar, obj(json!({"title": "S", "kind": kinds[*kind], "date": format!("{year}-{month:02}-15"),
                    "municipality": places[*place], "campaign": campaigns[*campaign], "participants": participants}))).unwrap().id);
            }
            let material_kinds = data.codes(CodeList::MaterialKind);
            let materials: Vec<RecordId> = (0..3)
                .map(|i| s.create(Collection::Material, obj(json!({"title": format!("M{i}"), "kind": material_kinds[i]}))).unwrap().id)
                .collect();
            // The last two have no municipality: one of them (abroad) a country.
            let organisations: Vec<RecordId> = [("school", Some("riga"), None), ("school", Some("liepaja"), None), ("library", Some("jurmala"), None), ("embassy", None, None), ("embassy", None, Some("de"))]
                .into_iter()
                .map(|(kind, place, country)| s.create(Collection::Organisation, obj(json!({"name": "O", "kind": kind, "municipality": place, "country": country}))).unwrap().id)
                .collect();
            for (material, organisation, year, month, quantity) in &handed {
                s.create(Collection::Distribution, obj(json!({"material": materials[*material], "organisation": organisations[*organisation],
                    "quantity": quantity, "date": format!("{year}-{month:02}-01"), "method": "mailed"}))).unwrap();
            }
            // Organisations taking part in events (a link to a seminar in the trash, or
            // itself removed, reaches nobody).
            for (k, (event, organisation)) in joined.iter().enumerate() {
                let Some(seminar) = seminars.get(*event) else { continue };
                let link = s.create(Collection::SeminarOrganisation, obj(json!({"seminar": seminar, "organisation": organisations[*organisation]}))).unwrap().id;
                if k % 5 == 4 {
                    s.delete(link).unwrap();
                }
            }
            if let Some(first) = seminars.first().filter(|_| joined.len() % 3 == 2) {
                s.delete(*first).unwrap();
            }
            // A recipient in the trash still places what it received.
            if let Some(i) = trashed {
                s.delete(organisations[i]).unwrap();
            }
            let topics = data.codes(CodeList::HotlineTopic);
            let channels = data.codes(CodeList::HotlineChannel);
            let regions = data.codes(CodeList::Region);
            for (topic, channel, region, year, month) in &calls {
                s.create(Collection::HotlineContact, obj(json!({"date": format!("{year}-{month:02}-09"), "topic": topics[*topic],
                    "channel": channels[*channel], "region": regions.get(*region)}))).unwrap();
            }
            s.create(Collection::MaterialCampaign, obj(json!({"material": materials[0], "campaign": campaigns[2]}))).unwrap();
            let via = |field: &str, f| ListFilter::Via { field: field.into(), filter: Box::new(f) };
            let linked = |link, id: RecordId| ListFilter::Linked { link, id: id.to_string() };
            let events_filters = [
                vec![],
                vec![ListFilter::Region { region: "riga".into() }],
                vec![equals("kind", &kinds[0]), ListFilter::Period { from: Some("2011-04-01".into()), to: None }],
                vec![ListFilter::Counts { field: "participants".into(), code: groups[1].clone() }],
                vec![via("campaign", linked(Collection::CampaignFunder, funder))],
            ];
            let distributions_filters = [
                vec![],
                vec![via("organisation", ListFilter::Region { region: "riga".into() })],
                vec![via("organisation", equals("kind", "school")), ListFilter::Period { from: Some("2012-04-01".into()), to: None }],
                vec![via("material", equals("kind", &material_kinds[1]))],
                vec![via("material", linked(Collection::MaterialCampaign, campaigns[2].unwrap()))],
            ];
            let distributions_dimensions = [ReportDimension::Year, ReportDimension::Quarter, ReportDimension::Region,
                ReportDimension::Municipality, ReportDimension::OrganisationKind, ReportDimension::MaterialKind, ReportDimension::Material];
            let hotline_filters = [
                vec![],
                vec![equals("region", "riga")],
                vec![equals("topic", &topics[1]), ListFilter::Period { from: Some("2014-01-01".into()), to: Some("2014-12-31".into()) }],
            ];
            let hotline_dimensions = [ReportDimension::Year, ReportDimension::Quarter, ReportDimension::Region,
                ReportDimension::Topic, ReportDimension::Channel];
            let reached = |filters: Vec<ListFilter>| ListFilter::Reached { link: Collection::SeminarOrganisation, filters };
            let organisations_filters = [
                vec![reached(vec![])],
                vec![reached(vec![ListFilter::Region { region: "riga".into() }, ListFilter::Period { from: Some("2011-04-01".into()), to: None }])],
                vec![reached(vec![equals("kind", &kinds[0])]), equals("kind", "school")],
                vec![reached(vec![via("campaign", linked(Collection::CampaignFunder, funder))]), ListFilter::Region { region: "riga".into() }],
            ];
            let organisations_dimensions = [ReportDimension::OrganisationKind, ReportDimension::Region, ReportDimension::Municipality];
            let mut cases = Vec::new();
            for filters in &organisations_filters {
                cases.extend(organisations_dimensions.iter().map(|by| (ReportFigure::Organisations, *by, filters.clone())));
            }
            for filters in &hotline_filters {
                cases.extend(hotline_dimensions.iter().map(|by| (ReportFigure::Hotline, *by, filters.clone())));
            }
            for filters in &events_filters {
                cases.extend(DIMENSIONS.iter().map(|by| (ReportFigure::Events, *by, filters.clone())));
            }
            for filters in &distributions_filters {
                cases.extend(distributions_dimensions.iter().map(|by| (ReportFigure::Distributions, *by, filters.clone())));
            }
            for (figure, by, filters) in cases {
                let r = s.report(&ReportQuery { figure, by, filters: filters.clone() }).unwrap();
                let listed = |filters: Vec<ListFilter>| listed(&s, r.collection, filters);
                proptest::prop_assert_eq!(r.total[0], listed(filters.clone()));
                // The numbers added up are those of the listed records' documents.
                let docs = |filters: Vec<ListFilter>| -> Vec<serde_json::Map<String, serde_json::Value>> {
                    let q = ListQuery { collection: r.collection, filters, sort: None, descending: false, offset: 0, limit: 500, with_total: false };
                    s.list(&q).unwrap().items.into_iter().map(|i| i.document).collect()
                };
                let listed_docs = docs(filters.clone());
                if figure == ReportFigure::Events {
                    let only = target_group_filter(&filters);
                    let people: u64 = listed_docs.iter().flat_map(|d| d["participants"].as_object().cloned().unwrap_or_default())
                        .filter(|(g, _)| only.is_none_or(|o| o == g))
                        .map(|(_, n)| n.as_u64().unwrap())
                        .sum();
                    proptest::prop_assert_eq!(r.total[1], people, "{:?}", by);
                }
                if figure == ReportFigure::Distributions {
                    let copies: u64 = listed_docs.iter().map(|d| d["quantity"].as_u64().unwrap()).sum();
                    let recipients: std::collections::BTreeSet<&str> =
                        listed_docs.iter().map(|d| d["organisation"].as_str().unwrap()).collect();
                    proptest::prop_assert_eq!(&r.total[1..], &[copies, recipients.len() as u64], "{:?}", by);
                }
                for row in &r.rows {
                    let mut opened = filters.clone();
                    opened.push(row.filter.clone());
                    proptest::prop_assert_eq!(row.values[0], listed(opened.clone()), "{:?} {:?}", by, row.key);
                    for (column, value) in r.columns.iter().zip(&row.values).skip(2) {
                        let mut opened = opened.clone();
                        opened.extend(column.filter.clone());
                        if column.filter.is_some() {
                            proptest::prop_assert_eq!(*value > 0, listed(opened) > 0);
                        }
                    }
                }
                if by == ReportDimension::Funder {
                    // Overlapping rows, totals of every event once: those of the rows by year.
                    let by_year = s.report(&ReportQuery { figure, by: ReportDimension::Year, filters: filters.clone() }).unwrap();
                    proptest::prop_assert_eq!(&r.columns, &by_year.columns);
                    proptest::prop_assert_eq!(&r.total, &by_year.total);
                }
                if by != ReportDimension::TargetGroup && by != ReportDimension::Funder {
                    // Counts split across rows; recipients may repeat across them.
                    let additive = if figure == ReportFigure::Distributions { 2 } else { r.total.len() };
                    for (i, total) in r.total.iter().enumerate().take(additive) {
                        proptest::prop_assert_eq!(*total, r.rows.iter().map(|row| row.values[i]).sum::<u64>());
                    }
                }
            }
        }
    }
}
