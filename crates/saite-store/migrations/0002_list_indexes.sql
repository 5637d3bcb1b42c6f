-- Schema 2: indexes for the list filters the benchmark showed scanning (a filter on
-- kind, with the sort order after it).
CREATE INDEX organisations_by_kind ON records (json_extract(doc, '$.kind'), json_extract(doc, '$.name') COLLATE NOCASE)
    WHERE collection = 'organisation' AND deleted = 0;
CREATE INDEX seminars_by_kind ON records (json_extract(doc, '$.kind'), json_extract(doc, '$.date'))
    WHERE collection = 'seminar' AND deleted = 0;
CREATE INDEX distributions_by_organisation ON records (json_extract(doc, '$.organisation'), json_extract(doc, '$.date'))
    WHERE collection = 'distribution' AND deleted = 0;
CREATE INDEX follow_ups_by_due ON records (json_extract(doc, '$.dueOn'))
    WHERE collection = 'follow-up' AND deleted = 0;
