//! Reports: the figures funders and the ministry ask for, counted from the local store.
//!
//! Glossary:
//! - **figure**: what is counted ([`ReportFigure`]): events and their participants, …
//! - **dimension**: what the rows are ([`ReportDimension`]): years, quarters, regions,
//!   municipalities, kinds, campaigns or target groups.
//! - **filters**: the same [`ListFilter`]s a list takes, so every figure opens exactly
//!   the records behind it.
//! - **column**: one number each row carries ([`ReportColumn`]).
//!
//! Invariant: for a dimension that splits records (all but target groups) every record
//! lands in exactly one row, so the rows sum to the total; a record counted under
//! several target groups is one event in the total.

use std::collections::BTreeMap;

use rusqlite::ToSql;
use saite_domain::{CodeList, Collection, RecordId, ReferenceData};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    Store,
    error::Result,
    list_keys::column_of,
    read::{ListFilter, filter_clauses},
};

/// What a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ReportFigure {
    /// Seminars, round tables and the other events, with their participants by target
    /// group.
    Events,
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
    /// The year, quarter, code or campaign id; `None` for records without one (events of
    /// no campaign).
    pub key: Option<String>,
    /// A campaign's name; `None` for keys the UI names itself (codes, years).
    pub label: Option<String>,
    /// Selects the row's records, beside the report's own filters: what the row's
    /// figures open.
    pub filter: ListFilter,
    /// Per column.
    pub values: Vec<u64>,
}

/// The SQL giving a seminar's key under `by` (not for target groups, which come from
/// the participants' JSON). Codes written into the SQL come from the shipped reference
/// data, never from input.
fn key_expression(by: ReportDimension) -> String {
    let column =
        |field| column_of(Collection::Seminar, field).expect("seminar list keys hold date, place, campaign, kind");
    let date = column("date");
    match by {
        ReportDimension::Year => format!("substr({date}, 1, 4)"),
        ReportDimension::Quarter => {
            format!("substr({date}, 1, 4) || '-Q' || ((CAST(substr({date}, 6, 2) AS INTEGER) + 2) / 3)")
        }
        ReportDimension::Region => {
            let mut case = format!("CASE {}", column("municipality"));
            for m in &ReferenceData::shipped().municipalities {
                debug_assert!(m.code.chars().chain(m.region.chars()).all(|c| c.is_ascii_lowercase() || c == '-'));
                case.push_str(&format!(" WHEN '{}' THEN '{}'", m.code, m.region));
            }
            case.push_str(" END");
            case
        }
        ReportDimension::Municipality => column("municipality").to_owned(),
        ReportDimension::Kind => column("kind").to_owned(),
        ReportDimension::Campaign => column("campaign").to_owned(),
        ReportDimension::TargetGroup => "NULL".to_owned(),
    }
}

/// The filter that selects a row's records (`key` as [`key_expression`] gives it).
fn row_filter(by: ReportDimension, key: Option<&str>) -> ListFilter {
    let field = |f: &str| f.to_owned();
    let Some(key) = key else {
        let field = match by {
            ReportDimension::Campaign => "campaign",
            ReportDimension::Kind => "kind",
            _ => "municipality",
        };
        return ListFilter::Empty { field: field.to_owned() };
    };
    match by {
        ReportDimension::Year => {
            ListFilter::Period { from: Some(format!("{key}-01-01")), to: Some(format!("{key}-12-31")) }
        }
        ReportDimension::Quarter => {
            let (year, q) = key.split_once("-Q").unwrap_or((key, "1"));
            let q: u32 = q.parse().unwrap_or(1).clamp(1, 4);
            let last_day = if q == 1 || q == 4 { 31 } else { 30 };
            ListFilter::Period {
                from: Some(format!("{year}-{:02}-01", q * 3 - 2)),
                to: Some(format!("{year}-{:02}-{last_day}", q * 3)),
            }
        }
        ReportDimension::Region => ListFilter::Region { region: key.to_owned() },
        ReportDimension::Municipality => {
            ListFilter::FieldEquals { field: field("municipality"), value: key.to_owned() }
        }
        ReportDimension::Kind => ListFilter::FieldEquals { field: field("kind"), value: key.to_owned() },
        ReportDimension::Campaign => ListFilter::FieldEquals { field: field("campaign"), value: key.to_owned() },
        ReportDimension::TargetGroup => ListFilter::Counts { field: field("participants"), code: key.to_owned() },
    }
}

impl ReportColumn {
    fn of(measure: ReportMeasure) -> ReportColumn {
        let filter = match &measure {
            ReportMeasure::TargetGroup { code } => {
                Some(ListFilter::Counts { field: "participants".to_owned(), code: code.clone() })
            }
            ReportMeasure::Events | ReportMeasure::Participants => None,
        };
        ReportColumn { measure, filter }
    }
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
        }
    }

    fn events_report(&self, by: ReportDimension, filters: &[ListFilter]) -> Result<Report> {
        let collection = Collection::Seminar;
        let (clauses, args) = filter_clauses(collection, filters)?;
        let where_sql = clauses.join(" AND ");
        let args: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let only_group = target_group_filter(filters);
        let group_order = ReferenceData::shipped().codes(CodeList::TargetGroup);

        // Per key: the events, and per target group the people.
        let mut events: BTreeMap<Option<String>, u64> = BTreeMap::new();
        let mut people: BTreeMap<Option<String>, BTreeMap<String, u64>> = BTreeMap::new();
        let mut total_events = 0;
        if by == ReportDimension::TargetGroup {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT j.key, count(*), sum(j.value) FROM records, json_each(records.doc, '$.participants') AS j
                 WHERE {where_sql} AND j.value > 0 GROUP BY j.key"
            ))?;
            let rows = stmt.query_map(args.as_slice(), |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                let (group, count, sum): (String, i64, i64) = row?;
                if only_group.is_some_and(|g| g != group) {
                    continue;
                }
                events.insert(Some(group.clone()), count as u64);
                people.entry(Some(group.clone())).or_default().insert(group, sum as u64);
            }
            total_events = self.conn.query_row(
                &format!("SELECT count(*) FROM records WHERE {where_sql}"),
                args.as_slice(),
                |r| r.get::<_, i64>(0),
            )? as u64;
        } else {
            let key = key_expression(by);
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT {key} AS k, count(*) FROM records WHERE {where_sql} GROUP BY k"))?;
            for row in stmt.query_map(args.as_slice(), |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?)))? {
                let (k, count) = row?;
                total_events += count as u64;
                events.insert(k, count as u64);
            }
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {key} AS k, j.key, sum(j.value) FROM records, json_each(records.doc, '$.participants') AS j
                 WHERE {where_sql} GROUP BY k, j.key"
            ))?;
            let rows = stmt.query_map(args.as_slice(), |r| {
                Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })?;
            for row in rows {
                let (k, group, sum): (Option<String>, String, i64) = row?;
                if sum > 0 && only_group.is_none_or(|g| g == group) {
                    people.entry(k).or_default().insert(group, sum as u64);
                }
            }
        }

        // The target groups anyone was counted in, in the code list's order.
        let groups: Vec<&String> = if by == ReportDimension::TargetGroup {
            Vec::new()
        } else {
            group_order.iter().filter(|g| people.values().any(|p| p.contains_key(*g))).collect()
        };
        let mut columns = vec![ReportColumn::of(ReportMeasure::Events), ReportColumn::of(ReportMeasure::Participants)];
        columns.extend(groups.iter().map(|g| ReportColumn::of(ReportMeasure::TargetGroup { code: (*g).clone() })));

        let mut rows: Vec<ReportRow> = events
            .into_iter()
            .map(|(key, count)| {
                let of_key = people.get(&key);
                let mut values = vec![count, of_key.map_or(0, |p| p.values().sum())];
                values.extend(groups.iter().map(|g| of_key.and_then(|p| p.get(*g)).copied().unwrap_or(0)));
                let filter = row_filter(by, key.as_deref());
                ReportRow { key, label: None, filter, values }
            })
            .collect();
        let mut total = vec![total_events, 0];
        total.extend(groups.iter().map(|_| 0));
        if by == ReportDimension::TargetGroup {
            total[1] = rows.iter().map(|r| r.values[1]).sum();
        } else {
            for row in &rows {
                for (t, v) in total.iter_mut().zip(&row.values).skip(1) {
                    *t += v;
                }
            }
        }
        self.order_rows(by, &mut rows)?;
        Ok(Report { figure: ReportFigure::Events, by, collection, columns, rows, total })
    }

    /// Puts rows in the order a reader expects: time in order, codes in their list's
    /// order, campaigns by name; the row without a key last. Names campaigns.
    fn order_rows(&self, by: ReportDimension, rows: &mut [ReportRow]) -> Result<()> {
        let data = ReferenceData::shipped();
        let list = match by {
            ReportDimension::Region => Some(CodeList::Region),
            ReportDimension::Municipality => Some(CodeList::Municipality),
            ReportDimension::Kind => Some(CodeList::EventKind),
            ReportDimension::TargetGroup => Some(CodeList::TargetGroup),
            _ => None,
        };
        if by == ReportDimension::Campaign {
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

    /// How many seminars a list with `filters` holds.
    fn listed(s: &Store, filters: Vec<ListFilter>) -> u64 {
        let q = ListQuery {
            collection: Collection::Seminar,
            filters,
            sort: None,
            descending: false,
            offset: 0,
            limit: 1,
            with_total: true,
        };
        s.list(&q).unwrap().total.unwrap().into()
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

    const DIMENSIONS: [ReportDimension; 7] = [
        ReportDimension::Year,
        ReportDimension::Quarter,
        ReportDimension::Region,
        ReportDimension::Municipality,
        ReportDimension::Kind,
        ReportDimension::Campaign,
        ReportDimension::TargetGroup,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

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
            by in 0usize..7,
            filter in 0usize..4,
        ) {
            let (_dir, mut s) = store();
            let data = ReferenceData::shipped();
            let campaigns: Vec<Option<RecordId>> = vec![
                None,
                Some(s.create(Collection::Campaign, obj(json!({"name": "A", "kind": "campaign"}))).unwrap().id),
                Some(s.create(Collection::Campaign, obj(json!({"name": "B", "kind": "project"}))).unwrap().id),
            ];
            let places = ["riga", "daugavpils", "liepaja", "jelgava", "valmieras-novads", "jurmala"];
            let groups = data.codes(CodeList::TargetGroup);
            let kinds = data.codes(CodeList::EventKind);
            for (kind, year, month, place, campaign, people) in &events {
                let participants: serde_json::Map<String, serde_json::Value> =
                    people.iter().map(|(g, n)| (groups[*g].clone(), json!(n))).collect();
                s.create(Collection::Seminar, obj(json!({"title": "S", "kind": kinds[*kind], "date": format!("{year}-{month:02}-15"),
                    "municipality": places[*place], "campaign": campaigns[*campaign], "participants": participants}))).unwrap();
            }
            let filters = match filter {
                0 => vec![],
                1 => vec![ListFilter::Region { region: "riga".into() }],
                2 => vec![equals("kind", &kinds[0]), ListFilter::Period { from: Some("2011-04-01".into()), to: None }],
                _ => vec![ListFilter::Counts { field: "participants".into(), code: groups[1].clone() }],
            };
            let by = DIMENSIONS[by];
            let r = report(&s, by, filters.clone());
            proptest::prop_assert_eq!(r.total[0], listed(&s, filters.clone()));
            for row in &r.rows {
                let mut opened = filters.clone();
                opened.push(row.filter.clone());
                proptest::prop_assert_eq!(row.values[0], listed(&s, opened.clone()), "{:?} {:?}", by, row.key);
                for (column, value) in r.columns.iter().zip(&row.values).skip(2) {
                    let mut opened = opened.clone();
                    opened.extend(column.filter.clone());
                    proptest::prop_assert_eq!(*value > 0, listed(&s, opened) > 0);
                }
            }
            if by != ReportDimension::TargetGroup {
                for (i, total) in r.total.iter().enumerate() {
                    proptest::prop_assert_eq!(*total, r.rows.iter().map(|row| row.values[i]).sum::<u64>());
                }
            }
        }
    }
}
