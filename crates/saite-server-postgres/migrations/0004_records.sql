-- One row per record instead of one per field (protocol 3): a record's values and
-- stamps as two JSON texts, and the server seq of the last change stored in it. A push
-- of a record of a dozen fields is one row write, and a pull reads one row.
CREATE TABLE records (
    tenant     TEXT NOT NULL,
    record     TEXT NOT NULL,
    collection TEXT NOT NULL,
    doc        TEXT NOT NULL,
    stamps     TEXT NOT NULL,
    server_seq BIGINT NOT NULL,
    PRIMARY KEY (tenant, record)
);

-- A record's seq is its latest field's: a laptop whose cursor lies below it gets the
-- whole record again, which it merges as a no-op for the fields it holds.
INSERT INTO records (tenant, record, collection, doc, stamps, server_seq)
SELECT tenant, record, min(collection), json_object_agg(field, value::json)::text, json_object_agg(field, hlc)::text, max(server_seq)
FROM fields GROUP BY tenant, record;

DROP TABLE fields;
CREATE UNIQUE INDEX records_by_seq ON records (tenant, server_seq);
