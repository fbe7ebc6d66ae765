-- Privacy: the consent version agreed to with each record, private links of
-- signups and offers (stored hashed), when a record's personal data was
-- erased, and how long each municipality keeps personal data.
ALTER TABLE initiatives ADD COLUMN consent_version TEXT;
ALTER TABLE initiatives ADD COLUMN erased_at TIMESTAMPTZ;

ALTER TABLE signups ADD COLUMN consent_version TEXT;
ALTER TABLE signups ADD COLUMN private_token_hash TEXT;
ALTER TABLE signups ADD COLUMN erased_at TIMESTAMPTZ;
CREATE UNIQUE INDEX signups_by_private_token ON signups (private_token_hash);

ALTER TABLE offers ADD COLUMN consent_version TEXT;
ALTER TABLE offers ADD COLUMN private_token_hash TEXT;
ALTER TABLE offers ADD COLUMN erased_at TIMESTAMPTZ;
CREATE UNIQUE INDEX offers_by_private_token ON offers (private_token_hash);

ALTER TABLE municipalities ADD COLUMN retention_months BIGINT NOT NULL DEFAULT 12;

-- The retention job looks for ended initiatives and old offers not yet erased.
CREATE INDEX initiatives_for_retention ON initiatives (status, updated_at);
CREATE INDEX offers_for_retention ON offers (created_at);
