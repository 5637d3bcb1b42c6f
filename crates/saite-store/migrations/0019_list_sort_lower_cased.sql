-- Saite store, schema 19: `list_sort` holds the sort key lower-cased by the store
-- (Unicode's lower case, src/list_keys.rs) and compares byte by byte, instead of
-- holding the value as it is under SQLite's NOCASE. NOCASE folds ASCII letters only,
-- so "Ābele" and "ābols" sorted apart, as did "Иванов" and "иванова"; and every seek in
-- the four list indexes a seminar is in compared through it (a tenth of a first
-- pull's index work). A column's collation cannot be altered: the column is made
-- again, without one, and filled from the documents when the store opens
-- (list_keys::fill, run again by removing its mark). The indexes are the same.
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

ALTER TABLE records DROP COLUMN list_sort;
ALTER TABLE records ADD COLUMN list_sort TEXT;

CREATE INDEX seminars_by_date ON records (list_sort) WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX seminars_by_municipality ON records (list_a, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX seminars_by_campaign ON records (list_b, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_b IS NOT NULL;
CREATE INDEX seminars_by_kind ON records (list_c, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_c IS NOT NULL;
CREATE INDEX organisations_by_name ON records (list_sort) WHERE collection = 'organisation' AND deleted = 0;
CREATE INDEX organisations_by_kind ON records (list_a, list_sort) WHERE collection = 'organisation' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX people_by_name ON records (list_sort) WHERE collection = 'person' AND deleted = 0;
CREATE INDEX people_by_organisation ON records (list_a, list_sort) WHERE collection = 'person' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX distributions_by_material ON records (list_a, list_sort) WHERE collection = 'distribution' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX distributions_by_organisation ON records (list_b, list_sort) WHERE collection = 'distribution' AND deleted = 0 AND list_b IS NOT NULL;
CREATE INDEX follow_ups_by_due ON records (list_sort) WHERE collection = 'follow-up' AND deleted = 0;

DELETE FROM meta WHERE key = 'list_keys_kept';
