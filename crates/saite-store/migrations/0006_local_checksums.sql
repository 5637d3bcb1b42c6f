-- Saite store, schema 6: the per-collection checksums of this store's stamps, kept up to
-- date with every stamp written (as the server keeps its own), so comparing with the
-- server costs the same at 1k records as at 100k. Filled from `field_stamps` the first
-- time a store of an earlier schema opens (digests are SHA-256 based: computed in Rust).
CREATE TABLE local_checksums (
    collection TEXT PRIMARY KEY,
    fields     INTEGER NOT NULL,
    digest     INTEGER NOT NULL
) WITHOUT ROWID;
