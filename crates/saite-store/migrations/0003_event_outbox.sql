-- Saite store, schema 3: what this laptop did that the office's audit keeps although no
-- record changed (exports), waiting until the server has it. `seq` is the event's seq
-- in the sync protocol; seqs are never reused (the server skips those it has).
CREATE TABLE event_outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    at_ms  INTEGER NOT NULL,
    detail TEXT NOT NULL CHECK (json_valid(detail))
);
