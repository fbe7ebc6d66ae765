-- The public list costs the same at 100,000 initiatives as at 10.
--
-- Its total is not counted row by row: `initiative_counts` holds how many
-- public initiatives (published, completed) there are per municipality,
-- status, category and institution ('' for none), kept by triggers in the
-- writing transaction, so no code path (the console, a citizen, the
-- retention job, a test writing straight into the table) can change the
-- list and forget the count. A list's total is the sum of the few rows its
-- filters select (`api/initiatives.rs`): bounded by the municipality's
-- categories times institutions, not by its initiatives.
CREATE TABLE initiative_counts (
    municipality TEXT NOT NULL,
    status       TEXT NOT NULL,
    category     TEXT NOT NULL,
    institution  TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (municipality, status, category, institution)
) WITHOUT ROWID;

INSERT INTO initiative_counts (municipality, status, category, institution, n)
SELECT municipality, status, category, COALESCE(institution, ''), COUNT(*)
FROM initiatives WHERE status IN ('published', 'completed')
GROUP BY municipality, status, category, COALESCE(institution, '');

CREATE TRIGGER initiative_counts_insert AFTER INSERT ON initiatives
WHEN new.status IN ('published', 'completed') BEGIN
    INSERT INTO initiative_counts (municipality, status, category, institution, n)
    VALUES (new.municipality, new.status, new.category, COALESCE(new.institution, ''), 1)
    ON CONFLICT (municipality, status, category, institution) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER initiative_counts_update
AFTER UPDATE OF status, category, institution, municipality ON initiatives
WHEN (old.status IN ('published', 'completed') OR new.status IN ('published', 'completed'))
    AND (old.status IS NOT new.status OR old.category IS NOT new.category
         OR old.institution IS NOT new.institution OR old.municipality IS NOT new.municipality)
BEGIN
    UPDATE initiative_counts SET n = n - 1
    WHERE old.status IN ('published', 'completed') AND municipality = old.municipality
        AND status = old.status AND category = old.category
        AND institution = COALESCE(old.institution, '');
    INSERT INTO initiative_counts (municipality, status, category, institution, n)
    SELECT new.municipality, new.status, new.category, COALESCE(new.institution, ''), 1
    WHERE new.status IN ('published', 'completed')
    ON CONFLICT (municipality, status, category, institution) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER initiative_counts_delete AFTER DELETE ON initiatives
WHEN old.status IN ('published', 'completed') BEGIN
    UPDATE initiative_counts SET n = n - 1
    WHERE municipality = old.municipality AND status = old.status
        AND category = old.category AND institution = COALESCE(old.institution, '');
END;

-- Pages are read in the list's order straight off an index, from the top
-- or from where the last page ended (`after`), never by sorting or skipping
-- the municipality's rows: newest published first, most recently completed
-- first, and the same within one category or institution. The id breaks
-- ties as the list does. The first replaces the index of 0001 (it serves
-- every query that one did).
DROP INDEX initiatives_by_status;
CREATE INDEX initiatives_by_status ON initiatives (municipality, status, published_at DESC, id);
CREATE INDEX initiatives_by_completion ON initiatives (municipality, status, updated_at DESC, id);
CREATE INDEX initiatives_by_category
    ON initiatives (municipality, category, status, published_at DESC, id);
CREATE INDEX initiatives_by_institution
    ON initiatives (municipality, institution, status, published_at DESC, id);
