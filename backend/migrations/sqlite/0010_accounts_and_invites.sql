-- A coordinator's email is unique within a municipality, not across them:
-- an admin adding a colleague learns nothing about other municipalities.
-- SQLite cannot drop a column's UNIQUE, so the table is rebuilt. sqlx runs
-- this inside a transaction, where foreign keys cannot be switched off, and
-- dropping the old table cascades to the rows that point at it: those are
-- kept aside and put back.
CREATE TEMP TABLE kept_institutions AS SELECT * FROM coordinator_institutions;
CREATE TEMP TABLE kept_sessions AS SELECT * FROM sessions;
CREATE TABLE coordinators_new (
    id            BLOB PRIMARY KEY,
    municipality  TEXT NOT NULL REFERENCES municipalities (slug),
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (municipality, email)
);
INSERT INTO coordinators_new (id, municipality, email, name, password_hash, role, active, created_at)
    SELECT id, municipality, email, name, password_hash, role, active, created_at FROM coordinators;
DROP TABLE coordinators;
ALTER TABLE coordinators_new RENAME TO coordinators;
CREATE INDEX coordinators_by_email ON coordinators (email);
INSERT INTO coordinator_institutions SELECT * FROM kept_institutions;
INSERT INTO sessions SELECT * FROM kept_sessions;
DROP TABLE kept_institutions;
DROP TABLE kept_sessions;

-- A family that joined a group through an invite exists only for the group:
-- leaving it erases their personal data.
ALTER TABLE signups ADD COLUMN joined_by_invite BOOLEAN NOT NULL DEFAULT 0;
