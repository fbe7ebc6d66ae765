-- A citizen's proposal is not public: the public list has nothing to do
-- for it, and now does nothing.
--
-- The count of public initiatives (0020) was kept by a trigger that ran a
-- plpgsql function at the commit of every new initiative only to return.
-- As with the version triggers (0021), only a write the public sees now
-- queues one; the function is unchanged, and did nothing for the others.
DROP TRIGGER initiative_counts ON initiatives;
CREATE CONSTRAINT TRIGGER initiative_counts_insert AFTER INSERT ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status IN ('published', 'completed'))
    EXECUTE FUNCTION initiative_counts_of_initiative();
CREATE CONSTRAINT TRIGGER initiative_counts_update
    AFTER UPDATE OF status, category, institution, municipality ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IN ('published', 'completed')
                       OR NEW.status IN ('published', 'completed'))
    EXECUTE FUNCTION initiative_counts_of_initiative();
CREATE CONSTRAINT TRIGGER initiative_counts_delete AFTER DELETE ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IN ('published', 'completed'))
    EXECUTE FUNCTION initiative_counts_of_initiative();

-- The trigram index holds only what the public list searches, as SQLite's
-- (0020 there): a proposal adds no trigrams to it, and no cleanup of its
-- pending list falls on a citizen's write. The list's queries name the
-- status (`status = 'published'`), which the planner matches to this.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'initiatives_search_trgm') THEN
        DROP INDEX initiatives_search_trgm;
        CREATE INDEX initiatives_search_trgm ON initiatives USING gin (search_text gin_trgm_ops)
            WHERE status IN ('published', 'completed');
    END IF;
END
$$;
