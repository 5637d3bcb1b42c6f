-- Saite store, schema 13: the list screens' sort and filter keys move from indexes on
-- json_extract(doc, …) into plain columns the store writes when a key changes
-- (src/list_keys.rs says which field each column holds per collection, and fills them
-- for records stored before this schema). An index on an expression over `doc` was
-- recomputed, and rewritten, on every write of the document.
ALTER TABLE records ADD COLUMN list_sort TEXT COLLATE NOCASE;
ALTER TABLE records ADD COLUMN list_a;
ALTER TABLE records ADD COLUMN list_b;
ALTER TABLE records ADD COLUMN list_c;

DROP INDEX seminars_by_date;
DROP INDEX seminars_by_municipality;
DROP INDEX seminars_by_campaign;
DROP INDEX seminars_by_kind;
DROP INDEX organisations_by_name;
DROP INDEX organisations_by_kind;
DROP INDEX people_by_name;
DROP INDEX people_by_organisation;
DROP INDEX distributions_by_material;
DROP INDEX distributions_by_organisation;
DROP INDEX follow_ups_by_due;

-- The same indexes, on the columns. Names are kept (the list query names some of them
-- with INDEXED BY). `list_sort` compares without case (names), as the name indexes did.
CREATE INDEX seminars_by_date ON records (list_sort) WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_municipality ON records (list_a, list_sort) WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_campaign ON records (list_b, list_sort) WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_kind ON records (list_c, list_sort) WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX organisations_by_name ON records (list_sort) WHERE collection = 'organisation' AND deleted = 0;
CREATE INDEX organisations_by_kind ON records (list_a, list_sort) WHERE collection = 'organisation' AND deleted = 0;
CREATE INDEX people_by_name ON records (list_sort) WHERE collection = 'person' AND deleted = 0;
CREATE INDEX people_by_organisation ON records (list_a, list_sort) WHERE collection = 'person' AND deleted = 0;
CREATE INDEX distributions_by_material ON records (list_a, list_sort) WHERE collection = 'distribution' AND deleted = 0;
CREATE INDEX distributions_by_organisation ON records (list_b, list_sort) WHERE collection = 'distribution' AND deleted = 0;
CREATE INDEX follow_ups_by_due ON records (list_sort) WHERE collection = 'follow-up' AND deleted = 0;
