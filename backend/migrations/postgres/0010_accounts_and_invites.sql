-- A coordinator's email is unique within a municipality, not across them:
-- an admin adding a colleague learns nothing about other municipalities.
ALTER TABLE coordinators DROP CONSTRAINT coordinators_email_key;
ALTER TABLE coordinators ADD CONSTRAINT coordinators_municipality_email_key UNIQUE (municipality, email);
CREATE INDEX coordinators_by_email ON coordinators (email);

-- A family that joined a group through an invite exists only for the group:
-- leaving it erases their personal data.
ALTER TABLE signups ADD COLUMN joined_by_invite BOOLEAN NOT NULL DEFAULT FALSE;
