-- Entries' search terms are made by the server now (storage/search.rs), not by
-- `to_tsvector('simple', unaccent(...))`, and searches fold their words the same way. The two
-- split and fold text almost alike, but not quite (the database's parser keeps "e-mail" and
-- URLs whole), so every entry's terms are made again: marking its readable columns as stale
-- makes the start-up fill (postgres/readable.rs) store each entry again, terms included.
UPDATE records SET columns_version = 0 WHERE id IN (SELECT record_id FROM entry_search);
