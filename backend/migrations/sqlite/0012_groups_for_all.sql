-- Groups for every kind of initiative, formed by the coordinator or by the
-- organiser. An organiser who forms groups may be in them: the group space
-- knows members only as signups, so she gets one of her own, marked, which
-- counts neither among the people who joined nor among those she can see.
ALTER TABLE signups ADD COLUMN is_organiser BOOLEAN NOT NULL DEFAULT FALSE;
-- Whether the organiser is to be in a group she saved as a draft; her
-- signup is made when the group is handed over.
ALTER TABLE initiative_groups ADD COLUMN organiser_in BOOLEAN NOT NULL DEFAULT FALSE;

-- Co-organisers the proposer adds: each gets a link of their own to the
-- organiser's page (stored only as its hash), never the proposal's follow
-- link (which edits or erases the proposal). They go with the proposal's
-- contact when it is erased.
CREATE TABLE co_organisers (
    id            BLOB PRIMARY KEY,
    initiative_id BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL
);
CREATE INDEX co_organisers_by_initiative ON co_organisers (initiative_id);
