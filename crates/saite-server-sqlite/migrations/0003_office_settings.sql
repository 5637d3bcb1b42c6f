-- Saite server (SQLite), schema 3: the settings an administrator sets for every laptop
-- of the organisation (saite_protocol::office::OfficeSettings as JSON; NULL: none yet).
ALTER TABLE tenants ADD COLUMN office TEXT;
