-- The two-question check-in after a group's date: one per member and date
-- (answering again replaces the answer). The name reaches the coordinator
-- only with `share_name`.
CREATE TABLE group_check_ins (
    date_id    UUID NOT NULL REFERENCES group_dates (id) ON DELETE CASCADE,
    signup_id  UUID NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
    how        TEXT NOT NULL,
    change     TEXT,
    share_name BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (date_id, signup_id)
);
