-- The entries' search words in a table of their own, beside `records`, as SQLite keeps them in
-- `entry_text`. In `records` every UPDATE of a row wrote its GIN entries again, and the stamper
-- updates every row a device batch writes (its change id, postgres/stamp.rs), holding the agency
-- row's lock meanwhile: the GIN index's pending list then filled twice per version and was
-- flushed by whichever statement crossed its limit, often a stamper, with every stamper of the
-- agency waiting. Here the words are written once per version, by the batch, and the stamper
-- never touches them.
CREATE TABLE entry_search (
    record_id uuid PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    search    tsvector NOT NULL
);
INSERT INTO entry_search (record_id, search) SELECT id, search FROM records WHERE search IS NOT NULL;
CREATE INDEX entry_search_words ON entry_search USING gin (search);
DROP INDEX records_search;
ALTER TABLE records DROP COLUMN search;
