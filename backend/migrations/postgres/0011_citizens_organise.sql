-- A volunteer answers an invitation from its email, without signing in: the
-- link's secret, stored only as its hash (`token.rs`).
ALTER TABLE invitations ADD COLUMN answer_token_hash TEXT;
CREATE UNIQUE INDEX invitations_by_answer_token ON invitations (answer_token_hash);

-- What the organiser sees of someone who joined: always the name, and the
-- email or the phone only if the person chose to show it ('name', 'email',
-- 'phone'). Earlier signups were never asked, so they show the name only.
ALTER TABLE signups ADD COLUMN organiser_sees TEXT NOT NULL DEFAULT 'name';

-- An idea at an open meeting may carry its proposer's contact (optional,
-- with consent), so the chosen idea keeps its proposer. Moved to the
-- initiative when chosen; emptied for the rest when the meeting closes.
ALTER TABLE meeting_proposals ADD COLUMN contact_name TEXT;
ALTER TABLE meeting_proposals ADD COLUMN contact_email TEXT;
ALTER TABLE meeting_proposals ADD COLUMN contact_phone TEXT;
ALTER TABLE meeting_proposals ADD COLUMN consent_version TEXT;
ALTER TABLE meeting_proposals ADD COLUMN lang TEXT;

-- What came of an initiative, in its organiser's words when they mark it
-- done: public, shown among the widget's results.
ALTER TABLE initiatives ADD COLUMN outcome TEXT;
