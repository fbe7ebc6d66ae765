-- A public initiative's row in the trigram index is found by its number,
-- not by its id. FTS5 cannot index the id column, so `DELETE ... WHERE
-- id = old.id` read the whole index: at 100,000 published initiatives a
-- full scan inside SQLite's one writer for every publication, edit or
-- hiding, which every other write of the process waited for.
--
-- The number is kept in a table of its own (an INTEGER PRIMARY KEY, which,
-- unlike the rowid of `initiatives` with its BLOB key, `VACUUM INTO` — the
-- backup — keeps). A row exists exactly while the initiative is public.
CREATE TABLE initiatives_search_rows (
    row INTEGER PRIMARY KEY,
    id  BLOB NOT NULL UNIQUE
);

DELETE FROM initiatives_search;
INSERT INTO initiatives_search_rows (id)
SELECT id FROM initiatives WHERE status IN ('published', 'completed');
INSERT INTO initiatives_search (rowid, id, search_text)
SELECT r.row, i.id, i.search_text
FROM initiatives_search_rows r JOIN initiatives i ON i.id = r.id;

DROP TRIGGER initiatives_search_insert;
CREATE TRIGGER initiatives_search_insert AFTER INSERT ON initiatives
WHEN new.status IN ('published', 'completed') BEGIN
    INSERT INTO initiatives_search_rows (id) VALUES (new.id);
    INSERT INTO initiatives_search (rowid, id, search_text)
    SELECT row, new.id, new.search_text FROM initiatives_search_rows WHERE id = new.id;
END;

DROP TRIGGER initiatives_search_update;
CREATE TRIGGER initiatives_search_update AFTER UPDATE OF search_text, status ON initiatives
WHEN (old.status IN ('published', 'completed') OR new.status IN ('published', 'completed'))
    AND (old.search_text IS NOT new.search_text OR old.status IS NOT new.status) BEGIN
    DELETE FROM initiatives_search
    WHERE rowid = (SELECT row FROM initiatives_search_rows WHERE id = old.id);
    DELETE FROM initiatives_search_rows
    WHERE id = old.id AND new.status NOT IN ('published', 'completed');
    INSERT OR IGNORE INTO initiatives_search_rows (id)
    SELECT new.id WHERE new.status IN ('published', 'completed');
    INSERT INTO initiatives_search (rowid, id, search_text)
    SELECT row, new.id, new.search_text FROM initiatives_search_rows WHERE id = new.id;
END;

DROP TRIGGER initiatives_search_delete;
CREATE TRIGGER initiatives_search_delete AFTER DELETE ON initiatives
WHEN old.status IN ('published', 'completed') BEGIN
    DELETE FROM initiatives_search
    WHERE rowid = (SELECT row FROM initiatives_search_rows WHERE id = old.id);
    DELETE FROM initiatives_search_rows WHERE id = old.id;
END;
