//! Request and response bodies of the HTTP API (`/v1/...`), defined once here for the
//! server, the laptops' sync engine and the OpenAPI document.

use std::{collections::BTreeMap, fmt};

use saite_domain::{Collection, DeviceId, RecordId, hlc::Hlc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

macro_rules! server_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema, ts_rs::TS)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        #[ts(type = "string")]
        pub struct $name(pub uuid::Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::try_parse(s).map(Self)
            }
        }
    };
}

server_id!(
    /// An organisation using the server (a tenant). Not to be confused with the
    /// partner organisations consultants record, which are records like any other.
    TenantId
);
server_id!(
    /// A person who signs in: a consultant, a coordinator or an administrator.
    UserId
);

/// What a user may do. Consultants and coordinators sync their organisation's records;
/// administrators also manage users and devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum Role {
    Consultant,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Consultant, Role::Coordinator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Consultant => "consultant",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /v1/sign-in`: a laptop signs in once and receives its device token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
    /// The laptop's own device id: the one inside every HLC stamp it issues.
    #[schema(value_type = String, format = Uuid)]
    pub device_id: DeviceId,
    /// A name for the device list ("Latgales klēpjdators").
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInResponse {
    /// The bearer token for every later request. Shown once; the server keeps only its hash.
    pub device_token: String,
    pub user: UserSummary,
    pub tenant: TenantSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// `GET /v1/me`: who the token belongs to. A laptop asks each round, so a role or a
/// setting the office changed reaches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user: UserSummary,
    pub tenant: TenantSummary,
    #[schema(value_type = String)]
    pub device_id: DeviceId,
    pub applied_seq: u64,
    /// The organisation's settings for every laptop (absent from servers before them).
    #[serde(default)]
    pub office: crate::office::OfficeSettings,
}

/// `GET /v1/records/{id}/trail`: one change of a record as the office's audit keeps it,
/// for the record's History: who made it on which laptop, when there, and when it
/// reached the office. Any member of the organisation may read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct TrailEntry {
    /// `record-create`, `record-edit`, `record-delete` or `record-restore`.
    pub action: String,
    /// The change's stamp, as the laptops' history names it.
    pub hlc: String,
    pub user_name: Option<String>,
    pub device_name: Option<String>,
    /// When the laptop made the change (its clock).
    pub device_time_ms: Option<u64>,
    /// When it reached the server (the server's clock).
    pub arrived_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TenantSummary {
    pub id: TenantId,
    pub name: String,
}

/// One change of one record, numbered `seq` in its device's outbox: the fields it sets
/// (a `null` value clears an optional field), each stamped `hlc` unless `stamps` names
/// another stamp for it. One HLC per change, not per field, keeps a record of a dozen
/// fields one short object on the wire (protocol 3; protocol 2 sent every field alone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordChange {
    pub seq: u64,
    #[schema(value_type = String, format = Uuid)]
    pub record: RecordId,
    #[schema(value_type = String, example = "seminar")]
    pub collection: Collection,
    /// The stamp of every field not in `stamps`.
    #[schema(value_type = String, example = "0192e1c0a1b2-00000000-0192e1c0a1b27c3d8e9f0a1b2c3d4e5f")]
    pub hlc: Hlc,
    // Read as `FieldValues::Received`: the server checks a new record's values and
    // stores them as the text they came in, without building JSON values first.
    #[serde(deserialize_with = "FieldValues::deserialize_received")]
    #[schema(value_type = Object)]
    pub fields: FieldValues,
    /// Fields stamped otherwise than `hlc` (several edits of one record sent as one
    /// change), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub stamps: BTreeMap<String, Hlc>,
    /// Long text fields only, by name: store the value only if the server's current
    /// version of the field is the one the laptop edited (or merged) from. Otherwise that
    /// field is not stored (the change still counts as applied); the laptop sees the
    /// other version in its next pull and merges the texts. A field without it: the
    /// later stamp wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub expect: BTreeMap<String, Expected>,
}

impl RecordChange {
    /// A change of fields stamped one by one; the most common stamp becomes `hlc`.
    pub fn from_fields(
        seq: u64,
        record: RecordId,
        collection: Collection,
        fields: impl IntoIterator<Item = (String, Value, Hlc)>,
    ) -> RecordChange {
        let (hlc, fields, stamps) = common_stamp(fields);
        RecordChange {
            seq,
            record,
            collection,
            hlc,
            fields: FieldValues::Values(fields),
            stamps,
            expect: BTreeMap::new(),
        }
    }

    /// The stamp of one of its fields.
    pub fn stamp_of(&self, field: &str) -> &Hlc {
        self.stamps.get(field).unwrap_or(&self.hlc)
    }

    /// Whether the server stores `field` of this change over a value now stamped
    /// `current` (`None`: no value yet). Both storage backends decide by this.
    pub fn applies_over(&self, field: &str, current: Option<&Hlc>) -> bool {
        let incoming = self.stamp_of(field);
        match self.expect.get(field) {
            Some(expected) => expected.hlc.as_ref() == current && crate::merge::incoming_wins(current, incoming),
            None => crate::merge::incoming_wins(current, incoming),
        }
    }
}

/// Splits stamped fields into the most common stamp, the values, and the stamps that
/// differ from it.
fn common_stamp(
    fields: impl IntoIterator<Item = (String, Value, Hlc)>,
) -> (Hlc, BTreeMap<String, Value>, BTreeMap<String, Hlc>) {
    let mut values = BTreeMap::new();
    let mut stamps: BTreeMap<String, Hlc> = BTreeMap::new();
    for (field, value, hlc) in fields {
        values.insert(field.clone(), value);
        stamps.insert(field, hlc);
    }
    let hlc = most_common_stamp(stamps.values()).unwrap_or(Hlc::zero(DeviceId::from_uuid(uuid::Uuid::nil())));
    stamps.retain(|_, h| *h != hlc);
    (hlc, values, stamps)
}

/// The stamp most of these share (`None` for none). Ties go to the later stamp, so the
/// answer does not depend on order.
pub fn most_common_stamp<'a>(stamps: impl IntoIterator<Item = &'a Hlc>) -> Option<Hlc> {
    let mut counts: BTreeMap<&Hlc, usize> = BTreeMap::new();
    for hlc in stamps {
        *counts.entry(hlc).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(hlc, n)| (*n, **hlc)).map(|(hlc, _)| *hlc)
}

/// The version of a field a change was made from: its stamp, or `null` for none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expected {
    #[schema(value_type = Option<String>)]
    pub hlc: Option<Hlc>,
}

/// `POST /v1/push`: a batch of the device's outbox, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushRequest {
    /// The highest seq the device knows the server applied (0 at first). Every change
    /// in the batch has a higher seq. A value above what the server applied means
    /// changes went missing in between: the server refuses with `seq-gap`.
    pub after_seq: u64,
    pub changes: Vec<RecordChange>,
}

impl PushRequest {
    /// How many field values the batch carries.
    pub fn field_count(&self) -> usize {
        self.changes.iter().map(|c| c.fields.len()).sum()
    }

    /// The highest seq in the batch.
    pub fn last_seq(&self) -> Option<u64> {
        self.changes.iter().map(|c| c.seq).max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// Every change of this device up to this seq is stored: the device may drop them
    /// from its outbox.
    pub applied_seq: u64,
    /// The server seqs this push's changes took, one per change stored, present only
    /// when every field of every change applied was stored (none lost to a later stamp
    /// or another text version). A push is one transaction that orders the tenant's
    /// seqs, so nothing else lies in the range. A laptop whose pull cursor is `after`,
    /// and which sent `to - after` changes, already holds everything up to `to` (its own
    /// values): it moves its cursor there instead of pulling its own changes back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored: Option<SeqRange>,
}

/// What a laptop did that the office's audit keeps although no record changed: an
/// export of records to a file. Each has a seq of its own on its laptop, so a send
/// retried after a lost answer is kept once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEvent {
    pub seq: u64,
    pub action: DeviceEventAction,
    /// When it happened, by the laptop's clock (ms since the epoch).
    pub at_ms: u64,
    pub detail: EventDetail,
}

/// What an event did, in fixed fields, so a laptop cannot write anything else into the
/// audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    /// The file written (its name, without the folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `csv`, `xlsx`, `pdf` or `vcf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Rows of a table written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// The collection a list written holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// The laptop whose backup this one was restored from, where the event waited in
    /// the backup (it may have been sent from there already).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceEventAction {
    Export,
}

impl DeviceEventAction {
    /// The audit action the event is kept under.
    pub fn audit_action(self) -> &'static str {
        match self {
            DeviceEventAction::Export => "export",
        }
    }
}

/// The most events one send may carry, and the most characters of a text in a detail.
pub const MAX_EVENTS_PER_SEND: usize = 200;
pub const MAX_EVENT_TEXT_CHARS: usize = 255;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEventsRequest {
    pub events: Vec<DeviceEvent>,
}

impl DeviceEventsRequest {
    /// Refuses a send the server must not keep: too many events, a text too long, or
    /// seqs that are not rising from 1 up (a seq a backend cannot store, or one twice,
    /// would make later events look applied).
    pub fn check(&self) -> Result<(), String> {
        if self.events.len() > MAX_EVENTS_PER_SEND {
            return Err(format!("more than {MAX_EVENTS_PER_SEND} events"));
        }
        let mut before = 0;
        for e in &self.events {
            if e.seq <= before || e.seq > i64::MAX as u64 {
                return Err(format!("event seq {} after {before}", e.seq));
            }
            before = e.seq;
            let d = &e.detail;
            let texts = [&d.file, &d.format, &d.collection, &d.restored_from];
            if texts.into_iter().flatten().any(|t| t.chars().count() > MAX_EVENT_TEXT_CHARS) {
                return Err(format!("event {}: a text longer than {MAX_EVENT_TEXT_CHARS} characters", e.seq));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEventsResponse {
    /// Every event of this device up to this seq is in the audit: the laptop may drop them.
    pub applied_seq: u64,
}

/// Server seqs `after < seq <= to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeqRange {
    pub after: u64,
    pub to: u64,
}

/// A record's current state on the server: every field's value, each stamped `hlc`
/// unless `stamps` names another stamp for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PulledRecord {
    #[schema(value_type = String, format = Uuid)]
    pub record: RecordId,
    #[schema(value_type = String)]
    pub collection: Collection,
    #[schema(value_type = String)]
    pub hlc: Hlc,
    /// Read as the text it arrived in ([`FieldValues::Stored`]): a laptop stores a record
    /// new to it from that text, never building its values.
    #[schema(value_type = Object)]
    #[serde(deserialize_with = "FieldValues::deserialize_stored")]
    pub fields: FieldValues,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub stamps: BTreeMap<String, Hlc>,
}

impl PulledRecord {
    /// A pulled record of these fields, each with its value and stamp: stamped by the
    /// first field's stamp, `stamps` naming the others' (a laptop's tests, a tool).
    pub fn of_fields(
        record: RecordId,
        collection: Collection,
        fields: impl IntoIterator<Item = (String, Value, Hlc)>,
    ) -> PulledRecord {
        let mut hlc = None;
        let mut values = BTreeMap::new();
        let mut stamps = BTreeMap::new();
        for (field, value, stamp) in fields {
            let first = *hlc.get_or_insert(stamp);
            if stamp != first {
                stamps.insert(field.clone(), stamp);
            } else {
                // A repeated field: its last value and stamp hold.
                stamps.remove(&field);
            }
            values.insert(field, value);
        }
        let hlc = hlc.unwrap_or(Hlc { wall_ms: 0, counter: 0, device: Default::default() });
        PulledRecord { record, collection, hlc, fields: FieldValues::Values(values), stamps }
    }
}

/// A record's values: one JSON object, field → value, in a pushed change or a pulled
/// record. On the wire it is that object either way; what differs is how this side
/// holds it.
///
/// Invariant: a [`FieldValues::Stored`] text is a JSON object with each field once (the
/// values as a side stored them). A side sends what it stored as it stored it, never
/// parsing the text into values only to write them out again. A pulled record is read
/// off the wire as [`FieldValues::Stored`]; a pushed change as [`FieldValues::Received`].
#[derive(Debug, Clone)]
pub enum FieldValues {
    Values(BTreeMap<String, Value>),
    Stored(Box<serde_json::value::RawValue>),
    /// Each field's value as the text it arrived in (valid JSON, checked when read; each
    /// field once, the last of a repeated one kept). The server reads a new record's
    /// values from these texts and stores them as they are, instead of building JSON
    /// values to check them and writing them out again.
    Received(BTreeMap<String, Box<serde_json::value::RawValue>>),
}

impl FieldValues {
    /// The stored text of a JSON object of values, sent as is. Fails on text that is not
    /// JSON or not an object (it is checked, not parsed into values).
    pub fn stored(text: String) -> Result<FieldValues, serde_json::Error> {
        if !text.trim_start().starts_with('{') {
            return Err(serde::de::Error::custom("the values of a record are a JSON object"));
        }
        serde_json::value::RawValue::from_string(text).map(FieldValues::Stored)
    }

    /// The values by field (parsed, for a stored text).
    pub fn into_values(self) -> Result<BTreeMap<String, Value>, serde_json::Error> {
        match self {
            FieldValues::Values(values) => Ok(values),
            FieldValues::Stored(text) => serde_json::from_str(text.get()),
            FieldValues::Received(texts) => {
                texts.into_iter().map(|(field, text)| Ok((field, serde_json::from_str(text.get())?))).collect()
            }
        }
    }

    /// How many fields (a stored text's are counted by reading its keys; one that is not
    /// a JSON object has none).
    pub fn len(&self) -> usize {
        match self {
            FieldValues::Values(values) => values.len(),
            FieldValues::Stored(text) => serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text.get())
                .map_or(0, |fields| fields.len()),
            FieldValues::Received(texts) => texts.len(),
        }
    }

    /// The fields' names, in order (a stored text's are read from it).
    pub fn names(&self) -> Vec<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match self {
            FieldValues::Values(values) => values.keys().map(|f| Cow::Borrowed(f.as_str())).collect(),
            FieldValues::Received(texts) => texts.keys().map(|f| Cow::Borrowed(f.as_str())).collect(),
            FieldValues::Stored(text) => serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text.get())
                .map(|fields| fields.into_keys().map(Cow::Owned).collect())
                .unwrap_or_default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values by field: borrowed when held as values, parsed from texts otherwise
    /// (a stored text that is not a JSON object, which [`FieldValues::stored`] refuses,
    /// has none).
    pub fn as_map(&self) -> std::borrow::Cow<'_, BTreeMap<String, Value>> {
        match self {
            FieldValues::Values(values) => std::borrow::Cow::Borrowed(values),
            other => std::borrow::Cow::Owned(other.to_values().unwrap_or_default()),
        }
    }

    /// The values to change in place (a stored text is parsed into values first).
    pub fn to_mut(&mut self) -> &mut BTreeMap<String, Value> {
        if !matches!(self, FieldValues::Values(_)) {
            *self = FieldValues::Values(self.as_map().into_owned());
        }
        match self {
            FieldValues::Values(values) => values,
            FieldValues::Stored(_) | FieldValues::Received(_) => unreachable!("parsed above"),
        }
    }

    /// [`FieldValues::into_values`] without taking them.
    pub fn to_values(&self) -> Result<BTreeMap<String, Value>, serde_json::Error> {
        match self {
            FieldValues::Values(values) => Ok(values.clone()),
            FieldValues::Stored(text) => serde_json::from_str(text.get()),
            FieldValues::Received(texts) => {
                texts.iter().map(|(field, text)| Ok((field.clone(), serde_json::from_str(text.get())?))).collect()
            }
        }
    }

    /// The values as one JSON object's text: a stored text as it is, values written out.
    pub fn into_text(self) -> Box<serde_json::value::RawValue> {
        match self {
            FieldValues::Stored(text) => text,
            other => serde_json::value::to_raw_value(&other).expect("values serialise"),
        }
    }

    /// Reads a JSON object of values as [`FieldValues::Stored`], its text as it came (a
    /// laptop reading a pull: see [`PulledRecord::fields`]).
    pub fn deserialize_stored<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<FieldValues, D::Error> {
        let text = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        if !text.get().starts_with('{') {
            return Err(serde::de::Error::custom("the values of a record are a JSON object"));
        }
        Ok(FieldValues::Stored(text))
    }

    /// Reads a JSON object of values as [`FieldValues::Received`].
    pub fn deserialize_received<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<FieldValues, D::Error> {
        BTreeMap::deserialize(deserializer).map(FieldValues::Received)
    }
}

impl Default for FieldValues {
    fn default() -> FieldValues {
        FieldValues::Values(BTreeMap::new())
    }
}

impl From<BTreeMap<String, Value>> for FieldValues {
    fn from(values: BTreeMap<String, Value>) -> FieldValues {
        FieldValues::Values(values)
    }
}

/// Equal when they hold the same values, however each holds them (a text that does not
/// parse equals nothing).
impl PartialEq for FieldValues {
    fn eq(&self, other: &FieldValues) -> bool {
        match (self, other) {
            (FieldValues::Values(a), FieldValues::Values(b)) => a == b,
            (a, b) => matches!((a.to_values(), b.to_values()), (Ok(a), Ok(b)) if a == b),
        }
    }
}

impl Serialize for FieldValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValues::Values(values) => values.serialize(serializer),
            FieldValues::Stored(text) => text.serialize(serializer),
            FieldValues::Received(texts) => texts.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FieldValues, D::Error> {
        BTreeMap::deserialize(deserializer).map(FieldValues::Values)
    }
}

impl PulledRecord {
    /// A record of fields stamped one by one; the most common stamp becomes `hlc`.
    pub fn from_fields(
        record: RecordId,
        collection: Collection,
        fields: impl IntoIterator<Item = (String, Value, Hlc)>,
    ) -> PulledRecord {
        let (hlc, fields, stamps) = common_stamp(fields);
        PulledRecord { record, collection, hlc, fields: FieldValues::Values(fields), stamps }
    }

    pub fn stamp_of(&self, field: &str) -> &Hlc {
        self.stamps.get(field).unwrap_or(&self.hlc)
    }
}

/// `GET /v1/changes?after=N&limit=L`: the records changed after server seq N, each
/// whole, in the order of their last change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PullPage {
    pub records: Vec<PulledRecord>,
    /// The cursor after this page: pass it as `after` for the next one.
    pub end_cursor: u64,
    /// Whether more records follow this page.
    pub more: bool,
    /// On the last page of a pull of all collections: everything the server holds, in
    /// one line, so a laptop with nothing to do learns it is in sync from this one
    /// request (it asks `/v1/checksums` only when the summary differs from its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<ChecksumSummary>,
    /// When asked (`count=true`): how many records follow this page, so a laptop can
    /// say how much of a pull has come ("12 400 of 100 000"). Counted just after the
    /// page is read; only a display, never a cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}

/// All collections' checksums folded into one: fields, wrapping digest sum and the sum
/// of re-pull generations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChecksumSummary {
    pub cursor: u64,
    pub fields: u64,
    /// 16 hex digits, as in [`CollectionChecksum::digest`].
    pub digest: String,
    pub repull: u64,
}

impl ChecksumSummary {
    /// Folds per-collection (fields, digest sum) pairs; the repull sum as given.
    pub fn fold(cursor: u64, collections: impl IntoIterator<Item = (u64, u64)>, repull: u64) -> ChecksumSummary {
        let (fields, sum) = collections.into_iter().fold((0u64, 0u64), |(n, s), (f, d)| (n + f, s.wrapping_add(d)));
        ChecksumSummary { cursor, fields, digest: format!("{sum:016x}"), repull }
    }
}

impl Checksums {
    pub fn summary(&self) -> ChecksumSummary {
        let parsed = self.collections.iter().map(|c| (c.fields, u64::from_str_radix(&c.digest, 16).unwrap_or(0)));
        ChecksumSummary::fold(self.cursor, parsed, self.collections.iter().map(|c| c.repull_generation).sum())
    }
}

impl PullPage {
    pub fn field_count(&self) -> usize {
        self.records.iter().map(|r| r.fields.len()).sum()
    }
}

/// `GET /v1/checksums`: per collection, what the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CollectionChecksum {
    #[schema(value_type = String)]
    pub collection: Collection,
    /// Stamped fields stored.
    pub fields: u64,
    /// Wrapping sum of the fields' digests ([`crate::merge::field_digest`]), 16 hex digits.
    pub digest: String,
    /// Raised by the server (an administrator's `admin repull`) when every laptop must
    /// fetch this collection again from the start: a laptop that saw a lower number pulls
    /// it with `/v1/changes?collection=...&after=0`, then remembers this one.
    #[serde(default)]
    pub repull_generation: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Checksums {
    /// The server's cursor when the checksums were taken: they cover every value up to it.
    pub cursor: u64,
    pub collections: Vec<CollectionChecksum>,
}

/// A stable code for every refusal; the app switches on it and shows its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ApiErrorCode {
    /// The body or a parameter is not what the endpoint takes (400).
    Malformed,
    /// The body is larger than the server accepts (413).
    TooLarge,
    /// A record value breaks the record rules; `field` names it (422).
    InvalidRecord,
    /// No or an unknown device token (401).
    SignedOut,
    /// The device was revoked: the laptop must destroy its data (401).
    DeviceRevoked,
    /// The user is disabled (401).
    UserDisabled,
    /// E-mail or password wrong (401).
    BadCredentials,
    /// Too many failed sign-ins: locked for a while (429).
    LockedOut,
    /// Too many requests from one address (429).
    RateLimited,
    /// The role or the organisation does not allow this (403).
    Forbidden,
    NotFound,
    /// The push skips changes the server never received; resend from `appliedSeq` (409).
    SeqGap,
    /// A change references an attachment whose file is not uploaded yet (409); `record`
    /// names the attachment record. Upload the file, then push again.
    BlobMissing,
    /// An upload part does not start where the server's copy ends (409); `received`
    /// says where to resume.
    UploadOffset,
    /// The uploaded bytes do not hash to the address they were sent to (422); the
    /// partial upload is discarded, upload again from 0.
    DigestMismatch,
    /// The asked byte range lies outside the file (416).
    RangeNotSatisfiable,
    /// The device id belongs to another user (409).
    DeviceTaken,
    /// The e-mail is already used (409).
    EmailTaken,
    /// An input of the coordinator's desk is not acceptable; `field` names it (422).
    InvalidInput,
    /// The change would leave the organisation without an active administrator (409).
    LastAdmin,
    /// A pushed stamp lies further ahead of the server's clock than it allows (422; by
    /// default a day): the laptop's clock is wrong. `field` and `record` name it,
    /// `appliedSeq` says which changes the server has applied (those keep their stamps);
    /// the server's time is in every answer's `saite-server-time` header.
    StampAhead,
    /// A pushed stamp names another device than the one pushing (422); `field` and
    /// `record` name it.
    ForeignStamp,
    /// The client speaks another protocol version (426).
    VersionMismatch,
    /// A fault on the server's side; nothing was half-written (500/503).
    Unavailable,
}

/// How much of a file (blob) the server holds. A blob is addressed by the SHA-256 of
/// its bytes (lower-case hex) and stored once per organisation; it is complete when
/// `received == size`, and only then can it be read or referenced by a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlobStatus {
    pub sha256: String,
    /// The file's whole length in bytes, as its upload declared.
    pub size: u64,
    /// Bytes stored so far, from the start; an interrupted upload resumes here.
    pub received: u64,
    pub complete: bool,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ApiErrorCode,
    /// For people reading logs; the app shows its own translated message for `code`.
    pub message: String,
    /// The offending field, for `invalid-record` (`participants.youth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The record holding it, for `invalid-record` and `blob-missing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub record: Option<RecordId>,
    /// For `seq-gap`: what the server applied, to resend from; for `stamp-ahead`: the
    /// changes up to it are applied and keep their stamps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_seq: Option<u64>,
    /// For `upload-offset`: bytes of the file the server holds; the next part starts here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<u64>,
    /// The server's protocol version, for `version-mismatch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_protocol: Option<u32>,
}

impl ApiError {
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            field: None,
            record: None,
            applied_seq: None,
            received: None,
            server_protocol: None,
        }
    }
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub protocol: u32,
    pub version: String,
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_send_of_events_is_checked_for_its_seqs_and_sizes() {
        let event = |seq: u64, file: &str| DeviceEvent {
            seq,
            action: DeviceEventAction::Export,
            at_ms: 1,
            detail: EventDetail { file: Some(file.into()), ..Default::default() },
        };
        let send = |events: Vec<DeviceEvent>| DeviceEventsRequest { events }.check();
        assert!(send(vec![event(3, "a.csv"), event(7, "b.csv")]).is_ok());
        assert!(send(vec![]).is_ok());
        assert!(send(vec![event(0, "a.csv")]).is_err(), "seqs start at 1");
        assert!(send(vec![event(3, "a.csv"), event(3, "a.csv")]).is_err(), "one seq twice");
        assert!(send(vec![event(7, "a.csv"), event(3, "a.csv")]).is_err(), "not rising");
        assert!(send(vec![event(1 << 63, "a.csv")]).is_err(), "beyond what a backend stores");
        assert!(send(vec![event(1, &"ā".repeat(MAX_EVENT_TEXT_CHARS + 1))]).is_err());
        assert!(send(vec![event(1, &"ā".repeat(MAX_EVENT_TEXT_CHARS))]).is_ok());
        assert!(send((1..=MAX_EVENTS_PER_SEND as u64 + 1).map(|s| event(s, "a.csv")).collect()).is_err());
    }

    use serde_json::json;

    use super::*;

    #[test]
    fn stored_values_go_out_as_stored_and_read_back_as_values() {
        let text = r#"{"name":"NVA Rēzekne","phones":["+371 20000000"],"note":null}"#;
        let stored = FieldValues::stored(text.to_owned()).unwrap();
        assert_eq!(serde_json::to_string(&stored).unwrap(), text, "sent byte for byte");
        let values: BTreeMap<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(stored, FieldValues::Values(values.clone()), "the same values either way");
        assert_eq!(stored.len(), 3);
        let read: FieldValues = serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
        assert!(matches!(&read, FieldValues::Values(v) if *v == values), "read on its own, as values");
        assert_ne!(stored, FieldValues::Values(BTreeMap::from([("name".to_owned(), json!("cits"))])));
    }

    #[test]
    fn a_pulled_record_is_read_as_the_text_its_values_came_in() {
        let text = r#"{"record":"0192e1c0-a1b2-7c3d-8e9f-0a1b2c3d4e5f","collection":"organisation","hlc":"0192e1c0a1b2-00000000-0192e1c0a1b27c3d8e9f0a1b2c3d4e5f","fields":{"name":"NVA R\u0113zekne","note":null,"phones":["+371 20000000"]}}"#;
        let pulled: PulledRecord = serde_json::from_str(text).unwrap();
        let FieldValues::Stored(stored) = &pulled.fields else { panic!("read as values: {:?}", pulled.fields) };
        assert_eq!(stored.get(), r#"{"name":"NVA R\u0113zekne","note":null,"phones":["+371 20000000"]}"#, "as it came");
        let values: BTreeMap<String, Value> =
            serde_json::from_value(json!({"name": "NVA Rēzekne", "phones": ["+371 20000000"], "note": null})).unwrap();
        assert_eq!(pulled.fields, FieldValues::Values(values.clone()), "the same values either way");
        assert_eq!(serde_json::to_string(&pulled).unwrap(), text, "written out as it came");
        assert_eq!(pulled.fields.clone().into_text().get(), stored.get());
        assert_eq!(
            FieldValues::Values(values).into_text().get(),
            r#"{"name":"NVA Rēzekne","note":null,"phones":["+371 20000000"]}"#
        );
        for bad in [r#"[1]"#, r#""text""#, "nul", "null"] {
            let bad = text.replace(r#"{"name":"NVA R\u0113zekne","note":null,"phones":["+371 20000000"]}"#, bad);
            assert!(serde_json::from_str::<PulledRecord>(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_pushed_change_is_read_as_the_texts_of_its_values() {
        let text = r#"{"seq":1,"record":"0192e1c0-a1b2-7c3d-8e9f-0a1b2c3d4e5f","collection":"organisation","hlc":"0192e1c0a1b2-00000000-0192e1c0a1b27c3d8e9f0a1b2c3d4e5f","fields":{"name":"NVA R\u0113zekne","note":null,"phones":["+371 20000000"]}}"#;
        let change: RecordChange = serde_json::from_str(text).unwrap();
        let FieldValues::Received(texts) = &change.fields else { panic!("read as values: {:?}", change.fields) };
        assert_eq!(texts["name"].get(), r#""NVA R\u0113zekne""#, "as it came, escapes and all");
        assert_eq!(
            (change.fields.len(), change.fields.names()),
            (3, vec!["name".into(), "note".into(), "phones".into()])
        );
        let values = json!({"name": "NVA Rēzekne", "phones": ["+371 20000000"], "note": null});
        let values: BTreeMap<String, Value> = serde_json::from_value(values).unwrap();
        assert_eq!(change.fields, FieldValues::Values(values.clone()), "the same values either way");
        assert_eq!(change.fields.to_values().unwrap(), values);
        assert_eq!(serde_json::to_string(&change).unwrap(), text, "written out as it came (fields in order of name)");
        let not_json = text.replace("null,", "nul,");
        assert!(serde_json::from_str::<RecordChange>(&not_json).is_err(), "each text is checked as JSON");
    }

    #[test]
    fn a_stored_text_that_is_no_json_object_is_refused() {
        for bad in ["", "[1, 2]", "\"text\"", "{\"name\": ", "nul"] {
            assert!(FieldValues::stored(bad.to_owned()).is_err(), "{bad:?}");
        }
        assert!(FieldValues::stored(" {}".to_owned()).unwrap().is_empty());
    }
}
