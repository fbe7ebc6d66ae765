-- Search by any part of a word without reading every initiative: a trigram
-- full-text index over `search_text` (SQLite's FTS5), which `LIKE '%…%'`
-- uses for words of three characters or more. It keeps its own copy keyed
-- by the initiative's id, not by rowid: VACUUM (and VACUUM INTO, used by
-- backups) may renumber the rowids of a table whose key is no integer.
CREATE VIRTUAL TABLE initiatives_search USING fts5 (id UNINDEXED, search_text, tokenize = 'trigram');
INSERT INTO initiatives_search (id, search_text) SELECT id, search_text FROM initiatives;

CREATE TRIGGER initiatives_search_insert AFTER INSERT ON initiatives BEGIN
    INSERT INTO initiatives_search (id, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER initiatives_search_update AFTER UPDATE OF search_text ON initiatives BEGIN
    DELETE FROM initiatives_search WHERE id = old.id;
    INSERT INTO initiatives_search (id, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER initiatives_search_delete AFTER DELETE ON initiatives BEGIN
    DELETE FROM initiatives_search WHERE id = old.id;
END;
