-- Saite store, schema 2: the numbers reports add up, out of the documents.

-- Per record, each number its collection's spec lists as summed (ListSpec::sums): a
-- seminar's participants per target group (`code`), a distribution's copies (`code`
-- empty). Derived from `records.doc` on every write, like `refs`, so a report adds up
-- a narrow table instead of decrypting and parsing every document. The store fills it
-- for the records already here when it opens (report_numbers.rs).
CREATE TABLE report_numbers (
    rid   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT NOT NULL,
    code  TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (rid, field, code)
) WITHOUT ROWID;

-- A collection's live or deleted records in row order, now with every list key: a
-- report or a count that reads records by their keys reads this index alone, never the
-- rows and their documents; and in row order, so the report numbers it joins are read
-- in their own order.
DROP INDEX records_by_collection;
CREATE INDEX records_by_collection ON records (collection, deleted, rid, list_sort, list_a, list_b, list_c);
