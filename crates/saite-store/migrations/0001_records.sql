-- Saite store, schema 1. A shipped migration is never edited; later changes are new
-- files listed in src/schema.rs.

-- Device identity and clock state.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every record's current merged state. `rid` is a local row number (for the search
-- index and joins); `id` is the record's UUIDv7 everywhere else.
CREATE TABLE records (
    rid         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    collection  TEXT NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL
);
CREATE INDEX records_by_collection ON records (collection, deleted, updated_hlc);

-- List pages: the filters and sort orders of the list screens. They hold live records
-- only, so a page and its total are read from the index alone.
CREATE INDEX seminars_by_date ON records (json_extract(doc, '$.date'))
    WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_municipality ON records (json_extract(doc, '$.municipality'), json_extract(doc, '$.date'))
    WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_campaign ON records (json_extract(doc, '$.campaign'), json_extract(doc, '$.date'))
    WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX organisations_by_name ON records (json_extract(doc, '$.name') COLLATE NOCASE)
    WHERE collection = 'organisation' AND deleted = 0;
CREATE INDEX people_by_name ON records (json_extract(doc, '$.fullName') COLLATE NOCASE)
    WHERE collection = 'person' AND deleted = 0;
CREATE INDEX people_by_organisation ON records (json_extract(doc, '$.organisation'))
    WHERE collection = 'person' AND deleted = 0;
CREATE INDEX distributions_by_material ON records (json_extract(doc, '$.material'), json_extract(doc, '$.date'))
    WHERE collection = 'distribution' AND deleted = 0;

-- The HLC stamp of each field's current value: the merge compares against these.
CREATE TABLE field_stamps (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    hlc   TEXT NOT NULL,
    PRIMARY KEY (rid, field)
) WITHOUT ROWID;

-- Every change to every field: who, when, old and new value (JSON; NULL = absent).
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY,
    rid       INTEGER NOT NULL REFERENCES records (rid),
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    hlc       TEXT NOT NULL,
    author    TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin IN ('local', 'remote', 'merge'))
);
CREATE INDEX history_by_record ON history (rid, seq);

-- Local changes not yet acknowledged by the server, in the order they were made.
-- `device_seq` is the (device_id, device_seq) key of the sync protocol.
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id  TEXT NOT NULL,
    collection TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    hlc        TEXT NOT NULL
);

-- Which record references which (for merges and "used by" lookups).
CREATE TABLE refs (
    from_rid INTEGER NOT NULL REFERENCES records (rid),
    field    TEXT NOT NULL,
    to_id    TEXT NOT NULL,
    PRIMARY KEY (from_rid, field, to_id)
) WITHOUT ROWID;
CREATE INDEX refs_by_target ON refs (to_id);

-- Keys under which two records are likely the same organisation or person.
CREATE TABLE duplicate_keys (
    rid INTEGER NOT NULL REFERENCES records (rid),
    key TEXT NOT NULL,
    PRIMARY KEY (key, rid)
) WITHOUT ROWID;
CREATE INDEX duplicate_keys_by_record ON duplicate_keys (rid);

-- Records merged away, and the record that absorbed them.
CREATE TABLE merges (
    removed_id TEXT PRIMARY KEY,
    kept_id    TEXT NOT NULL,
    hlc        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX merges_by_kept ON merges (kept_id);

-- Full-text search over folded text (saite_domain::fold): the record's name or title
-- (`label`, ranked higher) and everything else searchable (`body`). Contentless: the
-- text is derived from the records and rebuilt from them when needed.
CREATE VIRTUAL TABLE search USING fts5 (
    label,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
