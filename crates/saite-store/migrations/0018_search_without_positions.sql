-- Saite store, schema 18: the search index keeps which column each word is in, not its
-- positions (FTS5's detail = column). Search asks for words as prefixes, in any column
-- or in the label, never for phrases, so the positions were never read; they were a
-- third of the index, and indexing them a tenth of a first pull's writing. The index
-- is made again empty here and filled from the records when the store opens
-- (saite_store's write::fill_search: its text is folded in Rust), marked by the meta
-- key `search_to_fill`.
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    label,
    body,
    content = '',
    contentless_delete = 1,
    detail = column,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO meta (key, value) VALUES ('search_to_fill', '1')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
