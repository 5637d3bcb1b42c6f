-- Attached files (blobs), addressed by SHA-256 and stored once per tenant, in the
-- parts they were uploaded in (see saite_server_storage::blob).

CREATE TABLE blobs (
    tenant        TEXT NOT NULL REFERENCES tenants (id),
    sha256        TEXT NOT NULL,
    -- The whole file's length, as its first part declared.
    size          INTEGER NOT NULL,
    -- Bytes stored so far; the blob is complete when received = size.
    received      INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant, sha256)
) WITHOUT ROWID;

CREATE TABLE blob_parts (
    tenant TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    start  INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (tenant, sha256, start)
);
