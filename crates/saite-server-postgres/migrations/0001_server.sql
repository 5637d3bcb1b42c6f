-- saite-server's tables (PostgreSQL): the same tables and columns as the SQLite
-- backend; see crates/saite-server-storage for what each holds and the invariants.

CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    -- The last server seq assigned to a stored field of this tenant.
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

-- The current value of every field of every record, with its HLC and the server seq
-- it was stored at (JSON text values).
CREATE TABLE fields (
    tenant     TEXT NOT NULL,
    record     TEXT NOT NULL,
    collection TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    server_seq BIGINT NOT NULL,
    PRIMARY KEY (tenant, record, field)
);
CREATE UNIQUE INDEX fields_by_seq ON fields (tenant, server_seq);

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
