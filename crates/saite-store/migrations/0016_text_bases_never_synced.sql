-- Saite store, schema 16: a text base row may say "this text was never stored on the
-- server" (`hlc` NULL, `value` NULL). Until now a long text stamped here without a
-- row meant that, and every text the server stored got a row when its push was
-- settled (a row per note in a first push). Now such a text without a row is its own
-- base once its stamp is at or below the meta key `texts_synced_through` (saite_store's
-- text_merge), and the row marks only texts a push may not have stored.
CREATE TABLE text_bases_next (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    value TEXT,
    hlc   TEXT,
    PRIMARY KEY (rid, field),
    CHECK (hlc IS NOT NULL OR value IS NULL)
) WITHOUT ROWID;
INSERT INTO text_bases_next (rid, field, value, hlc) SELECT rid, field, value, hlc FROM text_bases;
DROP TABLE text_bases;
ALTER TABLE text_bases_next RENAME TO text_bases;
-- The few "never stored" marks, found without reading every base.
CREATE INDEX text_bases_never_synced ON text_bases (rid) WHERE hlc IS NULL;
