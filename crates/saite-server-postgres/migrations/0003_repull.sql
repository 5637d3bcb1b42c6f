-- Per tenant and collection, how many times an administrator asked every laptop to
-- fetch the collection again (see saite_protocol::CollectionChecksum::repull_generation).
CREATE TABLE repulls (
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    collection TEXT NOT NULL,
    generation BIGINT NOT NULL,
    PRIMARY KEY (tenant, collection)
);
