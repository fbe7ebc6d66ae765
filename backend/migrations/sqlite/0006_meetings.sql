-- Open meetings: the board, its anonymous participants, their proposals and
-- dots. `version` grows with every proposal and dot, so the live stream of
-- any backend can tell when the board moved.
CREATE TABLE meetings (
    id               BLOB PRIMARY KEY,
    municipality     TEXT NOT NULL REFERENCES municipalities (slug),
    institution      TEXT,
    code             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    votes_per_person INTEGER NOT NULL,
    status           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    closed_at        TEXT
);

CREATE TABLE meeting_participants (
    id         BLOB PRIMARY KEY,
    meeting_id BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE meeting_proposals (
    id             BLOB PRIMARY KEY,
    meeting_id     BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id BLOB NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    summary        TEXT,
    category       TEXT NOT NULL,
    initiative_id  BLOB REFERENCES initiatives (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX meeting_proposals_by_meeting ON meeting_proposals (meeting_id, created_at);

CREATE TABLE meeting_votes (
    id             BLOB PRIMARY KEY,
    meeting_id     BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    proposal_id    BLOB NOT NULL REFERENCES meeting_proposals (id) ON DELETE CASCADE,
    participant_id BLOB NOT NULL REFERENCES meeting_participants (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL
);
CREATE INDEX meeting_votes_by_proposal ON meeting_votes (proposal_id);
CREATE INDEX meeting_votes_by_participant ON meeting_votes (participant_id);
