-- Going live: the sign-in throttle counts failures under hashed keys
-- (sign_in_throttle.rs), the audit log keeps the coordinator's client
-- address, refused embedding origins are counted for the admin, and mail
-- that can never be delivered is marked failed.

DROP TABLE sign_in_attempts;

-- Failed sign-ins per counter; `key` is a SHA-256 hex of the account, the
-- address or both, never the email itself.
CREATE TABLE sign_in_failures (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_at);

-- Addresses an account signed in from (SHA-256 of both), for 90 days.
CREATE TABLE sign_in_known (
    key          TEXT PRIMARY KEY,
    last_success TEXT NOT NULL
);

-- Emptied by the retention sweep after 90 days.
ALTER TABLE audit_log ADD COLUMN client_address TEXT;

-- Web pages that tried to use a municipality's API without being allowed:
-- counts only, so that connecting a new site is not guesswork.
CREATE TABLE refused_origins (
    municipality TEXT NOT NULL,
    origin       TEXT NOT NULL,
    refusals     INTEGER NOT NULL,
    first_at     TEXT NOT NULL,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (municipality, origin)
);

-- A permanent refusal (5xx, an address the mailer cannot use) or too many
-- attempts: no more retries; the coordinator sees it.
ALTER TABLE outbox ADD COLUMN failed_at TEXT;

-- What the operator should know about the running servers (for
-- `sammen check-config`), e.g. forwarded headers from an untrusted peer.
CREATE TABLE operator_notices (
    key     TEXT PRIMARY KEY,
    detail  TEXT NOT NULL,
    last_at TEXT NOT NULL
);
