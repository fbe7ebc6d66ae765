-- Search by any part of a word without reading every initiative: a trigram
-- index over `search_text`, which `LIKE '%…%'` uses. pg_trgm ships with
-- PostgreSQL and is a trusted extension (PostgreSQL 13+), so a database
-- owner may create it; where it is missing or not allowed, search still
-- works, by reading the rows.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN others THEN
    RAISE NOTICE 'pg_trgm is not available: search reads every row';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX initiatives_search_trgm ON initiatives USING gin (search_text gin_trgm_ops);
    END IF;
END
$$;
