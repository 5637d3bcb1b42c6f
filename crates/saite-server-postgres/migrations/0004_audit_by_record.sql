-- Saite server (PostgreSQL), schema 4: an audit entry about one record (a pushed
-- change's) keeps the record's id beside it, as its detail names it, so the audit
-- filters by record. Older entries name none.
ALTER TABLE audit ADD COLUMN record TEXT;
CREATE INDEX audit_by_record ON audit (tenant, record) WHERE record IS NOT NULL;
