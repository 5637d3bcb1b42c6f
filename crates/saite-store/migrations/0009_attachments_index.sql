-- Saite store, schema 9: the attachments whose file is not here yet are found from their
-- own small index. Each sync round asks; without it, after a bulk load the planner's
-- statistics (one collection holding every row) made it scan every record.
CREATE INDEX attachments_by_file ON records (json_extract(doc, '$.sha256'), json_extract(doc, '$.sizeBytes'))
    WHERE collection = 'attachment' AND deleted = 0;
