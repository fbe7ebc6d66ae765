-- Matching: volunteers (offers) a coordinator invited to a need, and whether
-- they accepted. One row per need and offer, so inviting twice is harmless.
CREATE TABLE invitations (
    id            BLOB PRIMARY KEY,
    municipality  TEXT NOT NULL REFERENCES municipalities (slug),
    initiative_id BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    need_id       BLOB NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    offer_id      BLOB NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    score         REAL NOT NULL,
    invited_by    TEXT NOT NULL,
    emailed       BOOLEAN NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (need_id, offer_id)
);
CREATE INDEX invitations_by_initiative ON invitations (initiative_id);

-- Groups composed from an initiative's signups. Until handed over they are a
-- draft the coordinator may replace; from then on they belong to the members.
CREATE TABLE initiative_groups (
    id             BLOB PRIMARY KEY,
    initiative_id  BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    handed_over_at TEXT,
    UNIQUE (initiative_id, position)
);

-- A signup is in at most one group. The member's private link is stored as
-- the SHA-256 of its secret, set when the group is handed over.
CREATE TABLE group_members (
    group_id   BLOB NOT NULL REFERENCES initiative_groups (id) ON DELETE CASCADE,
    signup_id  BLOB NOT NULL UNIQUE REFERENCES signups (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    token_hash TEXT UNIQUE,
    PRIMARY KEY (group_id, signup_id)
);
