-- Trust, round 2 (issue 14).

-- One-off data fixes done in Rust after the migrations (e.g. emails made
-- lowercase beyond ASCII, which SQLite's LOWER() cannot do), each once.
CREATE TABLE data_fixes (
    name    TEXT PRIMARY KEY,
    done_at TIMESTAMPTZ NOT NULL
);

-- A coordinator can lock a meeting: phones already in keep their seat, no
-- new ones join (a flood of fake participants stops there).
ALTER TABLE meetings ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
