-- Saite store, schema 2: the numbers reports add up, beside the list keys.

-- `list_sums`: a record's summed numbers (ListSpec::sums: a seminar's participants per
-- target group, a distribution's copies) as one text, written like the list keys
-- (list_keys.rs says its form). The store writes it for the records already here when
-- it opens.
ALTER TABLE records ADD COLUMN list_sums TEXT;

-- A collection's live or deleted records in row order, now with every list key and the
-- sums: a report or a count that reads records by their keys reads this index alone,
-- never the rows and their documents.
DROP INDEX records_by_collection;
CREATE INDEX records_by_collection ON records (collection, deleted, rid, list_sort, list_a, list_b, list_c, list_sums);
