-- Saite store, schema 4: merging long texts (notes, descriptions) edited on two laptops.

-- Per long text field, the version this laptop last saw on the server (from a pull):
-- the common ancestor of a three-way merge, and what a push of the field expects the
-- server still to hold. `value` is JSON (a string, or null).
CREATE TABLE text_bases (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    hlc   TEXT NOT NULL,
    PRIMARY KEY (rid, field)
) WITHOUT ROWID;

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

-- Stores from before this schema: every long text already synced (no change of it
-- waiting in the outbox) starts from its current value.
INSERT INTO text_bases (rid, field, value, hlc)
SELECT r.rid, s.field, coalesce(r.doc -> ('$.' || s.field), 'null'), s.hlc
FROM field_stamps s JOIN records r ON r.rid = s.rid
WHERE ((s.field = 'notes' AND r.collection IN ('seminar', 'organisation', 'person', 'distribution', 'follow-up'))
    OR (s.field = 'description' AND r.collection IN ('material', 'campaign', 'attachment')))
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id AND o.field = s.field);
