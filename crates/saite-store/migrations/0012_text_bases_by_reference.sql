-- A text base may name the field's current value instead of holding a copy of it
-- (`value` NULL): after a pull or a push, the base is the text the field holds, and a
-- copy of every note doubled the bytes a first pull writes. The copy is made only when
-- a local edit is about to replace that value (saite_store's record_changes), so
-- invariant: a NULL base is the field's current value.
CREATE TABLE text_bases_next (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    value TEXT,
    hlc   TEXT NOT NULL,
    PRIMARY KEY (rid, field)
) WITHOUT ROWID;
INSERT INTO text_bases_next (rid, field, value, hlc) SELECT rid, field, value, hlc FROM text_bases;
DROP TABLE text_bases;
ALTER TABLE text_bases_next RENAME TO text_bases;
