-- Saite store, schema 1: the whole schema of the first release. A migration that has
-- shipped is never edited; a later change is a new file listed in src/schema.rs.

-- Device identity, clock state, sync cursor and settings.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every record's current merged state. `rid` is a local row number (for the search
-- index and joins); `id` is the record's UUIDv7 everywhere else. `stamps` holds every
-- field's stamp (saite_store's write::parse_stamps says its two forms). The list keys
-- (`list_sort`, `list_a`, `list_b`, `list_c`) are the fields the list screens filter and
-- sort by, per collection (list_keys.rs), written only when a key changes.
CREATE TABLE records (
    rid         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    collection  TEXT NOT NULL,
    doc         TEXT NOT NULL CHECK (json_valid(doc)),
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_hlc TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    stamps      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(stamps)),
    list_a,
    list_b,
    list_c,
    list_sort   TEXT
);
-- The attachments whose file is not here yet, found without scanning every record. Made
-- before the two below: the planner weighs indexes of equal cost in the order they were
-- made, and after a bulk load it took the collection index instead.
CREATE INDEX attachments_by_file ON records (json_extract(doc, '$.sha256'), json_extract(doc, '$.sizeBytes'))
    WHERE collection = 'attachment' AND deleted = 0;
-- A list in row order (newest first) reads this index in its own order.
CREATE INDEX records_by_collection ON records (collection, deleted);
-- Only the trash sorts by the latest stamp.
CREATE INDEX records_in_trash ON records (updated_hlc) WHERE deleted = 1;

-- The list pages' indexes (on list_sort, list_a, list_b, list_c) are not made here:
-- the store makes them from the collection specs each time it opens
-- (`list_keys::ensure_list_indexes`).

-- Every change to every field: who, when, old and new value (JSON; NULL = absent). The
-- origin is checked by comparisons, not `IN (...)`, which builds a temporary b-tree for
-- every row written.
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY,
    rid       INTEGER NOT NULL REFERENCES records (rid),
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    hlc       TEXT NOT NULL,
    author    TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin = 'local' OR origin = 'remote' OR origin = 'merge')
);
CREATE INDEX history_by_record ON history (rid, seq);

-- Local changes not yet acknowledged by the server, in the order they were made: one
-- row per write of one record (the fields it set, as a JSON object, and the one stamp
-- they share). `device_seq` is the change's seq in the sync protocol; seqs are never
-- reused (the server skips seqs it has applied).
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id  TEXT NOT NULL,
    collection TEXT NOT NULL,
    fields     TEXT NOT NULL CHECK (json_valid(fields)),
    hlc        TEXT NOT NULL
);
CREATE INDEX outbox_by_record ON outbox (record_id);

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
-- text is derived from the records. Words are asked for as prefixes, never as phrases,
-- so the index keeps which column a word is in, not its positions.
CREATE VIRTUAL TABLE search USING fts5 (
    label,
    body,
    content = '',
    contentless_delete = 1,
    detail = column,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Attachment contents, inside the encrypted database (so a file is as protected as the
-- record it belongs to), addressed by SHA-256 and stored once however many records
-- attach it.
CREATE TABLE blobs (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
);

-- The parts of a file downloaded so far, in order; an interrupted download resumes
-- after the last one. Once complete and checked against its address, the file moves to
-- `blobs` and its parts go.
CREATE TABLE blob_downloads (
    sha256 TEXT NOT NULL,
    start  INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, start)
) WITHOUT ROWID;

-- Per long text field, the version this laptop last saw on the server, when it is not
-- the field's current value: the common ancestor of a three-way merge, and what a push
-- of the field expects the server still to hold. `value` is JSON; NULL with a stamp:
-- the field's current value; NULL without one: a text a push may not have stored
-- (saite_store's text_merge says when a text without a row is its own base).
CREATE TABLE text_bases (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    value TEXT,
    hlc   TEXT,
    PRIMARY KEY (rid, field),
    CHECK (hlc IS NOT NULL OR value IS NULL)
) WITHOUT ROWID;
-- The few "never stored" marks, found without reading every base.
CREATE INDEX text_bases_never_synced ON text_bases (rid) WHERE hlc IS NULL;

-- Texts whose edits overlapped another laptop's: this laptop kept its own version (the
-- field's current value) and keeps the other here until the user chooses or combines.
CREATE TABLE text_conflicts (
    rid        INTEGER NOT NULL REFERENCES records (rid),
    field      TEXT NOT NULL,
    base       TEXT NOT NULL,
    theirs     TEXT NOT NULL,
    theirs_hlc TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    PRIMARY KEY (rid, field)
) WITHOUT ROWID;

-- The per-collection checksums of this store's stamps, kept up to date with every
-- stamp written (as the server keeps its own), so comparing with the server costs the
-- same at any size.
CREATE TABLE local_checksums (
    collection TEXT PRIMARY KEY,
    fields     INTEGER NOT NULL,
    digest     INTEGER NOT NULL
) WITHOUT ROWID;
