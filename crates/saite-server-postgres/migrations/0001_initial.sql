-- saite-server's tables (PostgreSQL), schema 1: the whole schema of the first release,
-- the same tables and columns as the SQLite backend; see crates/saite-server-storage
-- for what each holds and the invariants. A shipped migration is never edited.

CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    -- The last server seq assigned to a stored change of this tenant.
    last_seq      BIGINT NOT NULL DEFAULT 0,
    -- The audit chain's last entry.
    audit_seq     BIGINT NOT NULL DEFAULT 0,
    audit_head    TEXT NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    tenant          TEXT NOT NULL REFERENCES tenants (id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('consultant', 'coordinator', 'admin')),
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash   TEXT NOT NULL,
    failed_sign_ins BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT,
    created_at_ms   BIGINT NOT NULL
);
CREATE INDEX users_by_tenant ON users (tenant);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    tenant        TEXT NOT NULL REFERENCES tenants (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT,
    applied_seq   BIGINT NOT NULL DEFAULT 0,
    pulled_seq    BIGINT NOT NULL DEFAULT 0,
    last_seen_ms  BIGINT
);
CREATE INDEX devices_by_tenant ON devices (tenant);

-- One row per record: its values and its stamps as two JSON texts (the stamp most
-- fields share once, under "", the others by field), and the server seq of the last
-- change stored in it. A record's seq is its latest change's: a laptop whose cursor lies
-- below it gets the whole record again, which it merges as a no-op for the fields it
-- holds.
CREATE TABLE records (
    tenant     TEXT NOT NULL,
    record     TEXT NOT NULL,
    collection TEXT NOT NULL,
    doc        TEXT NOT NULL,
    stamps     TEXT NOT NULL,
    server_seq BIGINT NOT NULL,
    PRIMARY KEY (tenant, record)
);
CREATE UNIQUE INDEX records_by_seq ON records (tenant, server_seq);

-- Per tenant and collection: how many fields, and the wrapping sum of their digests
-- (a u64 stored bit for bit in a signed integer).
CREATE TABLE checksums (
    tenant     TEXT NOT NULL,
    collection TEXT NOT NULL,
    fields     BIGINT NOT NULL,
    digest     BIGINT NOT NULL,
    PRIMARY KEY (tenant, collection)
);

CREATE TABLE audit (
    tenant         TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    at_ms          BIGINT NOT NULL,
    device_time_ms BIGINT,
    user_id        TEXT,
    device_id      TEXT,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    PRIMARY KEY (tenant, seq)
);

-- Attached files (blobs), addressed by SHA-256 and stored once per tenant, in the
-- parts they were uploaded in (see saite_server_storage::blob).

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

-- Per tenant and collection, how many times an administrator asked every laptop to
-- fetch the collection again (see saite_protocol::CollectionChecksum::repull_generation).
CREATE TABLE repulls (
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    collection TEXT NOT NULL,
    generation BIGINT NOT NULL,
    PRIMARY KEY (tenant, collection)
);
