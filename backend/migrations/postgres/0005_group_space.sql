-- The group space: consent to share one's name and contact with the group,
-- a read-only calendar secret per member, the group's dates with their
-- hosts, one-time invites for another family, and when the group last did
-- anything (what the coordinator may see of it).
ALTER TABLE group_members ADD COLUMN shares_contact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE group_members ADD COLUMN calendar_hash TEXT;
CREATE UNIQUE INDEX group_members_by_calendar ON group_members (calendar_hash);
ALTER TABLE initiative_groups ADD COLUMN last_activity_at TIMESTAMPTZ;

CREATE TABLE group_dates (
    id          UUID PRIMARY KEY,
    group_id    UUID NOT NULL REFERENCES initiative_groups (id) ON DELETE CASCADE,
    starts_at   TIMESTAMPTZ NOT NULL,
    note        TEXT,
    host        UUID REFERENCES signups (id) ON DELETE SET NULL,
    host_reason TEXT,
    status      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    reminded_at TIMESTAMPTZ
);
CREATE INDEX group_dates_by_group ON group_dates (group_id, starts_at);
CREATE INDEX group_dates_due ON group_dates (reminded_at, starts_at);

CREATE TABLE group_invites (
    id         UUID PRIMARY KEY,
    group_id   UUID NOT NULL REFERENCES initiative_groups (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
