-- Saite store, schema 5: attachment files coming from the server.

-- The parts of a file downloaded so far, in order; an interrupted download resumes
-- after the last one. Once complete and checked against its address, the file moves to
-- `blobs` and its parts go.
CREATE TABLE blob_downloads (
    sha256 TEXT NOT NULL,
    start  INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, start)
) WITHOUT ROWID;
