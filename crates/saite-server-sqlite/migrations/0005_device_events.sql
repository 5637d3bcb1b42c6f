-- Saite server (SQLite), schema 5: the seq of the last event (an export) each laptop sent
-- for the audit, so a retried send is kept once.
ALTER TABLE devices ADD COLUMN events_applied_seq INTEGER NOT NULL DEFAULT 0;
