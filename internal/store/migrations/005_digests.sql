-- Digests: topics created in the web UI beside the configuration's, and
-- each topic's digest of a period with its edits and its sending.

-- 'config': synced from the configuration file, replaced at every start;
-- 'web': created or edited in the web UI, kept across starts.
ALTER TABLE topics ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
ALTER TABLE topics ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

-- The first cut's digests table never had code or rows.
DROP TABLE digests;
CREATE TABLE digests (
    id           INTEGER PRIMARY KEY,
    topic_id     TEXT NOT NULL,
    day          TEXT NOT NULL,            -- the period's label: YYYY-MM-DD in the deployment's time zone
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    built_at     INTEGER NOT NULL,
    body         TEXT NOT NULL,            -- JSON: the digest as built
    edits        TEXT NOT NULL DEFAULT '', -- JSON: what staff changed (dropped, order, notes); '' for none
    edited_at    INTEGER,
    -- Sending. send_key is stored before the message leaves and never
    -- changes, so one period's digest goes out once: a second send finds
    -- the key taken. send_state: '' (not sent), 'sending', 'sent',
    -- 'failed' (retried at next_attempt), 'uncertain' (presswatch stopped
    -- while sending: it may have gone; never retried on its own).
    send_key     TEXT UNIQUE,
    send_state   TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER,
    send_error   TEXT NOT NULL DEFAULT '',
    sent_at      INTEGER,
    sent         TEXT NOT NULL DEFAULT '', -- JSON: the version as sent, kept as it was
    UNIQUE (topic_id, day)
);
CREATE INDEX digests_retry ON digests (next_attempt) WHERE send_state = 'failed';

-- The articles each digest held, so a story that continues one from an
-- earlier digest is known even after its copies were merged.
CREATE TABLE digest_articles (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    digest_id  INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, digest_id)
) WITHOUT ROWID;
CREATE INDEX digest_articles_digest ON digest_articles (digest_id);

-- A digest selects by first seen.
CREATE INDEX articles_first_seen ON articles (first_seen);
