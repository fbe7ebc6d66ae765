-- The public list costs the same at 100,000 initiatives as at 10.
--
-- Its total is not counted row by row: `initiative_counts` holds how many
-- public initiatives (published, completed) there are per municipality,
-- status, category and institution ('' for none), kept by a trigger in the
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
    n            BIGINT NOT NULL,
    PRIMARY KEY (municipality, status, category, institution)
);

INSERT INTO initiative_counts (municipality, status, category, institution, n)
SELECT municipality, status, category, COALESCE(institution, ''), COUNT(*)
FROM initiatives WHERE status IN ('published', 'completed')
GROUP BY municipality, status, category, COALESCE(institution, '');

CREATE FUNCTION initiative_counts_of_initiative() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.status, OLD.category, OLD.institution, OLD.municipality)
        IS NOT DISTINCT FROM (NEW.status, NEW.category, NEW.institution, NEW.municipality) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.status IN ('published', 'completed') THEN
        UPDATE initiative_counts SET n = n - 1
        WHERE municipality = OLD.municipality AND status = OLD.status
            AND category = OLD.category AND institution = COALESCE(OLD.institution, '');
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status IN ('published', 'completed') THEN
        INSERT INTO initiative_counts (municipality, status, category, institution, n)
        VALUES (NEW.municipality, NEW.status, NEW.category, COALESCE(NEW.institution, ''), 1)
        ON CONFLICT (municipality, status, category, institution)
        DO UPDATE SET n = initiative_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to the commit, as the public version's bump (0016): the row
-- lock on a count is then held for the commit alone, so writes to one
-- municipality and category do not queue behind each other's work. The
-- trigger sees each change as it was made, so a row changed twice in one
-- transaction is counted by both changes.
CREATE CONSTRAINT TRIGGER initiative_counts
    AFTER INSERT OR UPDATE OF status, category, institution, municipality OR DELETE ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION initiative_counts_of_initiative();

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
