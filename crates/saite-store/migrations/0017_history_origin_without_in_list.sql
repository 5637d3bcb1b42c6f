-- Saite store, schema 17: the same history table, its origin CHECK spelled as
-- comparisons instead of `IN (...)`. SQLite checks an IN list of three or more values
-- by building a temporary b-tree for every row written, and the history gets a row per
-- field of every change: in a batch of new seminars, opening and closing those b-trees
-- was a tenth of the work. The rows and their seqs stay as they are.
CREATE TABLE history_next (
    seq       INTEGER PRIMARY KEY,
    rid       INTEGER NOT NULL REFERENCES records (rid),
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    hlc       TEXT NOT NULL,
    author    TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin = 'local' OR origin = 'remote' OR origin = 'merge')
);
INSERT INTO history_next (seq, rid, field, old_value, new_value, hlc, author, origin)
    SELECT seq, rid, field, old_value, new_value, hlc, author, origin FROM history;
DROP TABLE history;
ALTER TABLE history_next RENAME TO history;
CREATE INDEX history_by_record ON history (rid, seq);
