-- Saite store, schema 15: the list indexes on a filter key leave out records without
-- that key (a seminar of no campaign, a person of no organisation). A filter always
-- asks for a value, so such entries were never read, yet every record wrote one.
-- The sort indexes keep every record: a list shows those without a date or name too.
DROP INDEX seminars_by_municipality;
DROP INDEX seminars_by_campaign;
DROP INDEX seminars_by_kind;
DROP INDEX organisations_by_kind;
DROP INDEX people_by_organisation;
DROP INDEX distributions_by_material;
DROP INDEX distributions_by_organisation;
CREATE INDEX seminars_by_municipality ON records (list_a, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX seminars_by_campaign ON records (list_b, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_b IS NOT NULL;
CREATE INDEX seminars_by_kind ON records (list_c, list_sort) WHERE collection = 'seminar' AND deleted = 0 AND list_c IS NOT NULL;
CREATE INDEX organisations_by_kind ON records (list_a, list_sort) WHERE collection = 'organisation' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX people_by_organisation ON records (list_a, list_sort) WHERE collection = 'person' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX distributions_by_material ON records (list_a, list_sort) WHERE collection = 'distribution' AND deleted = 0 AND list_a IS NOT NULL;
CREATE INDEX distributions_by_organisation ON records (list_b, list_sort) WHERE collection = 'distribution' AND deleted = 0 AND list_b IS NOT NULL;
