-- Saite store, schema 14: the index of records by collection drops its last column,
-- the record's latest stamp (`updated_hlc`). That column changes with every write, so
-- every edit rewrote the record's entry, and it made the entry ~70 bytes of a first
-- pull's ~1.5 KB per record. Only the trash sorts by it: the trash gets its own index,
-- of deleted records alone. A list in row order (newest first) reads the new index in
-- its own order (an entry ends with its rowid).
DROP INDEX records_by_collection;
CREATE INDEX records_by_collection ON records (collection, deleted);
CREATE INDEX records_in_trash ON records (updated_hlc) WHERE deleted = 1;
