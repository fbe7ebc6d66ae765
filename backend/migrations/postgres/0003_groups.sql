-- Matching: volunteers (offers) a coordinator invited to a need, and whether
-- they accepted. One row per need and offer, so inviting twice is harmless.
CREATE TABLE invitations (
    id            UUID PRIMARY KEY,
    municipality  TEXT NOT NULL REFERENCES municipalities (slug),
    initiative_id UUID NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    need_id       UUID NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    offer_id      UUID NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    invited_by    TEXT NOT NULL,
    emailed       BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (need_id, offer_id)
);
CREATE INDEX invitations_by_initiative ON invitations (initiative_id);

-- Groups composed from an initiative's signups. Until handed over they are a
-- draft the coordinator may replace; from then on they belong to the members.
CREATE TABLE initiative_groups (
    id             UUID PRIMARY KEY,
    initiative_id  UUID NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    name           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    handed_over_at TIMESTAMPTZ,
    UNIQUE (initiative_id, position)
);

-- A signup is in at most one group. The member's private link is stored as
-- the SHA-256 of its secret, set when the group is handed over.
CREATE TABLE group_members (
    group_id   UUID NOT NULL REFERENCES initiative_groups (id) ON DELETE CASCADE,
    signup_id  UUID NOT NULL UNIQUE REFERENCES signups (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    token_hash TEXT UNIQUE,
    PRIMARY KEY (group_id, signup_id)
);
