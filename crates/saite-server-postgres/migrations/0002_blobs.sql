-- Attached files (blobs), addressed by SHA-256 and stored once per tenant, in the
-- parts they were uploaded in (see saite_server_storage::blob). Same tables as the SQLite backend.

CREATE TABLE blobs (
    tenant        TEXT NOT NULL REFERENCES tenants (id),
    sha256        TEXT NOT NULL,
    -- The whole file's length, as its first part declared.
    size          BIGINT NOT NULL,
    -- Bytes stored so far; the blob is complete when received = size.
    received      BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (tenant, sha256)
);

CREATE TABLE blob_parts (
    tenant TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    start  BIGINT NOT NULL,
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (tenant, sha256, start)
);
