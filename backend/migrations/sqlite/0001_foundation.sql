-- Tenants, their institutions, categories and allowed embedding origins.
CREATE TABLE municipalities (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE institutions (
    municipality TEXT NOT NULL REFERENCES municipalities (slug),
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (municipality, slug)
);

CREATE TABLE categories (
    municipality TEXT NOT NULL REFERENCES municipalities (slug),
    slug         TEXT NOT NULL,
    name_da      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (municipality, slug)
);

CREATE TABLE allowed_origins (
    municipality TEXT NOT NULL REFERENCES municipalities (slug),
    origin       TEXT NOT NULL,
    PRIMARY KEY (municipality, origin)
);

-- Initiatives, with the proposer's contact in contact_* columns that public
-- queries never select.
CREATE TABLE initiatives (
    id                BLOB PRIMARY KEY,
    municipality      TEXT NOT NULL REFERENCES municipalities (slug),
    institution       TEXT,
    category          TEXT NOT NULL,
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    audience          TEXT,
    place_name        TEXT NOT NULL,
    lat               REAL,
    lon               REAL,
    time_text         TEXT,
    search_text       TEXT NOT NULL,
    status            TEXT NOT NULL,
    version           INTEGER NOT NULL,
    lang              TEXT NOT NULL,
    contact_name      TEXT,
    contact_email     TEXT,
    contact_phone     TEXT,
    follow_token_hash TEXT NOT NULL UNIQUE,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    published_at      TEXT
);
CREATE INDEX initiatives_by_status ON initiatives (municipality, status, published_at);

CREATE TABLE needs (
    id            BLOB PRIMARY KEY,
    initiative_id BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    people_wanted INTEGER NOT NULL,
    skills        TEXT NOT NULL,
    tools         TEXT NOT NULL,
    slots         TEXT NOT NULL
);
CREATE INDEX needs_by_initiative ON needs (initiative_id, position);

CREATE TABLE signups (
    id            BLOB PRIMARY KEY,
    initiative_id BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    need_id       BLOB REFERENCES needs (id) ON DELETE SET NULL,
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    message       TEXT,
    family        TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX signups_by_initiative ON signups (initiative_id);
CREATE INDEX signups_by_need ON signups (need_id);

CREATE TABLE offers (
    id            BLOB PRIMARY KEY,
    municipality  TEXT NOT NULL REFERENCES municipalities (slug),
    institution   TEXT,
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    skills        TEXT NOT NULL,
    tools         TEXT NOT NULL,
    slots         TEXT NOT NULL,
    languages     TEXT NOT NULL,
    area_name     TEXT NOT NULL,
    lat           REAL,
    lon           REAL,
    radius_km     INTEGER NOT NULL,
    note          TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX offers_by_municipality ON offers (municipality, created_at);

-- The dialogue between coordinator and proposer.
CREATE TABLE messages (
    id            BLOB PRIMARY KEY,
    initiative_id BLOB NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    author        TEXT NOT NULL,
    body          TEXT NOT NULL,
    action        TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX messages_by_initiative ON messages (initiative_id, created_at);

-- The first response to each Idempotency-Key, written in the same
-- transaction as the write it answers.
CREATE TABLE idempotency (
    key          BLOB PRIMARY KEY,
    fingerprint  TEXT NOT NULL,
    status_code  INTEGER,
    response     TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX idempotency_by_age ON idempotency (created_at);
