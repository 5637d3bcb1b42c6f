-- Saite store, schema 7: finding the waiting change of one field (a long text keeps at
-- most one; see text_merge) without reading the whole outbox.
CREATE INDEX outbox_by_field ON outbox (record_id, field);
