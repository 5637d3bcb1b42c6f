-- Saite store, schema 10: one outbox row per change (one write of one record: the
-- fields it set, as a JSON object, and the one stamp they share) instead of one per
-- field. A new record of a dozen fields is one row to write, read, send and delete.
ALTER TABLE outbox RENAME TO outbox_by_field_old;

CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id  TEXT NOT NULL,
    collection TEXT NOT NULL,
    fields     TEXT NOT NULL CHECK (json_valid(fields)),
    hlc        TEXT NOT NULL
);

-- Each waiting field change becomes a change of its own, keeping its seq and stamp.
INSERT INTO outbox (device_seq, record_id, collection, fields, hlc)
SELECT device_seq, record_id, collection, json_object(field, json(value)), hlc FROM outbox_by_field_old ORDER BY device_seq;

-- New seqs continue after the highest ever issued, not the highest still waiting: the
-- server remembers acknowledged seqs and would skip a change that reused one.
DELETE FROM sqlite_sequence WHERE name = 'outbox';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', seq FROM sqlite_sequence WHERE name = 'outbox_by_field_old';

DROP TABLE outbox_by_field_old;
CREATE INDEX outbox_by_record ON outbox (record_id);
