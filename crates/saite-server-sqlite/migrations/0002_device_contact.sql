-- Saite server (SQLite), schema 2: what a laptop says of itself at each contact, for the
-- Administration section's list of laptops: the app's version, and the highest seq of
-- the changes it has made (beside applied_seq, the changes still waiting on it).
ALTER TABLE devices ADD COLUMN app_version TEXT;
ALTER TABLE devices ADD COLUMN outbox_seq INTEGER NOT NULL DEFAULT 0;
