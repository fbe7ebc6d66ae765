-- Open meetings: the board, its anonymous participants, their proposals and
-- dots. `version` grows with every proposal and dot, so the live stream of
-- any backend can tell when the board moved.
CREATE TABLE meetings (
    id               UUID PRIMARY KEY,
    municipality     TEXT NOT NULL REFERENCES municipalities (slug),
    institution      TEXT,
    code             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    votes_per_person BIGINT NOT NULL,
    status           TEXT NOT NULL,
    version          BIGINT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    closed_at        TIMESTAMPTZ
);

CREATE TABLE meeting_participants (
    id         UUID PRIMARY KEY,
    meeting_id UUID NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE meeting_proposals (
    id             UUID PRIMARY KEY,
    meeting_id     UUID NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id UUID NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    summary        TEXT,
    category       TEXT NOT NULL,
    initiative_id  UUID REFERENCES initiatives (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_proposals_by_meeting ON meeting_proposals (meeting_id, created_at);

CREATE TABLE meeting_votes (
    id             UUID PRIMARY KEY,
    meeting_id     UUID NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposal_id    UUID NOT NULL REFERENCES meeting_proposals (id) ON DELETE CASCADE,
    participant_id UUID NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_votes_by_proposal ON meeting_votes (proposal_id);
CREATE INDEX meeting_votes_by_participant ON meeting_votes (participant_id);
