-- Stamps move into their record's row: one JSON object {field: HLC} per record instead
-- of a row per field. Taking in a pulled record is then one row write, not one per field
-- (a first pull of 100 000 seminars wrote 800 000 stamp rows).
ALTER TABLE records ADD COLUMN stamps TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(stamps));

UPDATE records SET stamps = coalesce(
    (SELECT json_group_object(field, hlc) FROM field_stamps s WHERE s.rid = records.rid),
    '{}'
);

DROP TABLE field_stamps;
