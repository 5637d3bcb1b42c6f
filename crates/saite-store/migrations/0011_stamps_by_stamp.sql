-- A record's stamps column names each stamp once, with the fields that carry it:
-- {HLC: [field, ...]} instead of {field: HLC}. The fields of one write share one stamp,
-- so the old form repeated the same 53-character HLC for every field and took more room
-- than the values themselves (a seminar: 740 bytes of stamps beside 460 of values, two
-- rows to a page instead of five). Fields sorted by name within a stamp.
UPDATE records SET stamps = (
    SELECT coalesce(json_group_object(hlc, json(fields)), '{}')
    FROM (
        SELECT hlc, json_group_array(field) AS fields
        FROM (SELECT s.value AS hlc, s.key AS field FROM json_each(records.stamps) s ORDER BY s.value, s.key)
        GROUP BY hlc
        ORDER BY hlc
    )
);
