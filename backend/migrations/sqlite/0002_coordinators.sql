-- Coordinators and their sessions.
CREATE TABLE coordinators (
    id            BLOB PRIMARY KEY,
    municipality  TEXT NOT NULL REFERENCES municipalities (slug),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE coordinator_institutions (
    coordinator_id BLOB NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
    institution    TEXT NOT NULL,
    PRIMARY KEY (coordinator_id, institution)
);

CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    coordinator_id BLOB NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
    csrf_token     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Sign-in attempts in the current window, per account and per client
-- address, for throttling; a successful sign-in clears the account's.
CREATE TABLE sign_in_attempts (
    key          TEXT PRIMARY KEY,
    attempts     INTEGER NOT NULL,
    window_start TEXT NOT NULL
);

-- Who did what, when, with the state before and after. Never updated or
-- deleted through the API.
CREATE TABLE audit_log (
    id           BLOB PRIMARY KEY,
    municipality TEXT NOT NULL,
    actor_id     BLOB,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT,
    before_state TEXT,
    after_state  TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX audit_by_municipality ON audit_log (municipality, created_at);

-- Emails to send, written in the transaction of what caused them and sent
-- by a worker, so a crash never loses one.
CREATE TABLE outbox (
    id              BLOB PRIMARY KEY,
    municipality    TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject_id      BLOB,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
