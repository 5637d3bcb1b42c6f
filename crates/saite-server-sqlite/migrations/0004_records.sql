-- One row per record instead of one per field (protocol 3): a record's values and
-- stamps as two JSON objects, and the server seq of the last change stored in it. A
-- push of a record of a dozen fields is one row write, and a pull reads one row.
CREATE TABLE records (
    tenant     TEXT NOT NULL,
    record     TEXT NOT NULL,
    collection TEXT NOT NULL,
    doc        TEXT NOT NULL,
    stamps     TEXT NOT NULL,
    server_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant, record)
);
-- A rowid table, unlike the other tables here: a record's row (a kilobyte or two) is
-- larger than a WITHOUT ROWID row may be before it spills onto overflow pages, which
-- every write and read of it then touches too.

-- A record's seq is its latest field's: a laptop whose cursor lies below it gets the
-- whole record again, which it merges as a no-op for the fields it holds.
INSERT INTO records (tenant, record, collection, doc, stamps, server_seq)
SELECT tenant, record, min(collection), json_group_object(field, json(value)), json_group_object(field, hlc), max(server_seq)
FROM fields GROUP BY tenant, record;

DROP TABLE fields;
CREATE UNIQUE INDEX records_by_seq ON records (tenant, server_seq);
