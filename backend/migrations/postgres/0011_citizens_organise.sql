-- A volunteer answers an invitation from its email, without signing in: the
-- link's secret, stored only as its hash (`token.rs`).
ALTER TABLE invitations ADD COLUMN answer_token_hash TEXT;
CREATE UNIQUE INDEX invitations_by_answer_token ON invitations (answer_token_hash);

-- What the organiser sees of someone who joined: always the name, and the
-- email or the phone only if the person chose to show it ('name', 'email',
-- 'phone'). Earlier signups were never asked, so they show the name only.
ALTER TABLE signups ADD COLUMN organiser_sees TEXT NOT NULL DEFAULT 'name';
