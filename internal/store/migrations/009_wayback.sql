-- Wayback backfills. wayback_progress is how far each wayback source has
-- read its archive's CDX listing (the resume key of the next page) and
-- whether the archive asked it to wait; wayback_captures holds every
-- capture listed and what became of it, so a backfill stopped by a kill,
-- a restart or the archive's 429 goes on where it was and never fetches a
-- capture twice.
CREATE TABLE wayback_progress (
    source_id     TEXT PRIMARY KEY,
    resume_key    TEXT NOT NULL DEFAULT '',
    pages         INTEGER NOT NULL DEFAULT 0, -- listing pages read
    done          INTEGER NOT NULL DEFAULT 0, -- 1 once the listing was read to its end
    backoff_until INTEGER,                    -- unix ms: ask the archive nothing before
    backoffs      INTEGER NOT NULL DEFAULT 0  -- 429 or 503 answers in a row
);

-- state: listed (to fetch), duplicate (a capture of the same digest is
-- listed already: never fetched), stored (an article, new or updated),
-- unchanged, skipped (off-topic for keep: topic), failed (fetched but no
-- article: an archive error page, no text; error_kind says which).
-- attempts counts fetches that failed without an answer worth keeping;
-- after a few the capture is failed.
CREATE TABLE wayback_captures (
    source_id  TEXT NOT NULL,
    timestamp  TEXT NOT NULL, -- YYYYMMDDhhmmss as the CDX server writes it
    original   TEXT NOT NULL,
    digest     TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT 'listed',
    error_kind TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, timestamp, original)
);
CREATE INDEX wayback_captures_state ON wayback_captures (source_id, state, timestamp);
CREATE INDEX wayback_captures_digest ON wayback_captures (source_id, digest);
