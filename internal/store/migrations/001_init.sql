-- presswatch schema 1. Times are Unix milliseconds, UTC. NULL means unknown.

CREATE TABLE sources (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    url           TEXT NOT NULL,
    stance        TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT '',
    every_ms      INTEGER NOT NULL,
    keep          TEXT NOT NULL,
    selectors     TEXT NOT NULL DEFAULT '',   -- JSON, page sources only
    active        INTEGER NOT NULL DEFAULT 1, -- 0 once removed from the config; its articles stay
    -- HTTP validators for conditional GET
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    body_hash     TEXT NOT NULL DEFAULT '',
    -- health
    last_fetch    INTEGER,
    last_success  INTEGER,
    last_status   INTEGER NOT NULL DEFAULT 0,
    error_kind    TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0,
    next_due      INTEGER
);

-- Every HTTP exchange (and every imported file), kept as evidence.
CREATE TABLE fetches (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL,
    at          INTEGER NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    bytes       INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    error_kind  TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL DEFAULT '',
    not_changed INTEGER NOT NULL DEFAULT 0,
    warc_file   TEXT NOT NULL DEFAULT '',
    warc_record TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fetches_source_at ON fetches (source_id, at);
CREATE INDEX fetches_url ON fetches (url, at);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL UNIQUE,   -- canonical
    source_id    TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    published    INTEGER,
    date_source  TEXT NOT NULL DEFAULT '',
    first_seen   INTEGER NOT NULL,
    last_checked INTEGER NOT NULL,
    lang         TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    simhash      INTEGER NOT NULL DEFAULT 0,
    cluster_id   INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'live',
    provenance   TEXT NOT NULL DEFAULT 'crawl',
    fetch_id     INTEGER REFERENCES fetches (id),
    rev          INTEGER NOT NULL DEFAULT 1, -- bumped on every change
    indexed_at   INTEGER                 -- NULL: the index does not have revision rev yet
);
CREATE INDEX articles_unindexed ON articles (id) WHERE indexed_at IS NULL;
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_source_seen ON articles (source_id, first_seen);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_cluster ON articles (cluster_id);

-- Each distinct text an article has had.
CREATE TABLE versions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    fetch_id     INTEGER REFERENCES fetches (id),
    seen         INTEGER NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL
);
CREATE INDEX versions_article ON versions (article_id, seen);

-- Every item URL a source announced, so a run does not fetch it again:
-- stored ones point at their article, others say why they were not kept.
CREATE TABLE items (
    url        TEXT PRIMARY KEY,          -- canonical
    source_id  TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    outcome    TEXT NOT NULL,             -- stored | skipped | failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    error_kind TEXT NOT NULL DEFAULT '',
    article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL
);

CREATE TABLE topics (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    query   TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]'    -- JSON list of lists
);

CREATE TABLE matches (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (topic_id, article_id)
);
CREATE INDEX matches_article ON matches (article_id);

CREATE TABLE digests (
    id           INTEGER PRIMARY KEY,
    topic_id     TEXT NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    items        TEXT NOT NULL DEFAULT '[]', -- JSON
    notes        TEXT NOT NULL DEFAULT '',
    rendered     TEXT NOT NULL DEFAULT '{}', -- JSON: format -> text
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
CREATE INDEX digests_topic ON digests (topic_id, period_start);
