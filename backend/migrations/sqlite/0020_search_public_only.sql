-- The trigram index holds only what the public list searches: published
-- and completed initiatives. A citizen's proposal (submitted) then costs
-- no full-text work at all, and SQLite's writer — which every write of a
-- process waits for — no longer flushes and merges trigram segments for
-- each one; it is indexed when it is published.
DELETE FROM initiatives_search
WHERE id NOT IN (SELECT id FROM initiatives WHERE status IN ('published', 'completed'));

DROP TRIGGER initiatives_search_insert;
DROP TRIGGER initiatives_search_update;

CREATE TRIGGER initiatives_search_insert AFTER INSERT ON initiatives
WHEN new.status IN ('published', 'completed') BEGIN
    INSERT INTO initiatives_search (id, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER initiatives_search_update AFTER UPDATE OF search_text, status ON initiatives
WHEN (old.status IN ('published', 'completed') OR new.status IN ('published', 'completed'))
    AND (old.search_text IS NOT new.search_text OR old.status IS NOT new.status) BEGIN
    DELETE FROM initiatives_search WHERE id = old.id;
    INSERT INTO initiatives_search (id, search_text)
    SELECT new.id, new.search_text WHERE new.status IN ('published', 'completed');
END;

-- Only a public one is in the index (and finding it there reads the whole
-- index: the id is not indexed).
DROP TRIGGER initiatives_search_delete;
CREATE TRIGGER initiatives_search_delete AFTER DELETE ON initiatives
WHEN old.status IN ('published', 'completed') BEGIN
    DELETE FROM initiatives_search WHERE id = old.id;
END;
