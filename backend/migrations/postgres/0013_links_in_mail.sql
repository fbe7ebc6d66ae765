-- Every email to a proposer carries her follow link. The link's secret is
-- kept only as a hash, so each email gets a new one, which works beside the
-- first (`initiatives.follow_token_hash`) until she replaces or closes her
-- link or her contact is erased.
CREATE TABLE follow_links (
    token_hash    TEXT PRIMARY KEY,
    initiative_id UUID NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX follow_links_by_initiative ON follow_links (initiative_id);

-- The page of the municipality's site where the proposal was made (only
-- one of its allowed sites), so links in emails lead back there.
ALTER TABLE initiatives ADD COLUMN page_url TEXT;
