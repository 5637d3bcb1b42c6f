-- Schema 3: attachment contents, inside the encrypted database (so a file is as
-- protected as the record it belongs to), addressed by SHA-256 and stored once however
-- many records attach it.
CREATE TABLE blobs (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
);
