-- Provenance: where each exchange sits in the WARC archive, the revisits of
-- every article with what they found, and the copies of a story.

-- The exchange's request record starts at warc_offset in warc_file, and it
-- and the response record after it take warc_length bytes (two gzip
-- members); warc_record is the response record's WARC-Record-ID.
ALTER TABLE fetches ADD COLUMN warc_offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fetches ADD COLUMN warc_length INTEGER NOT NULL DEFAULT 0;

-- The last publisher's edit seen, and since when the article is missing at
-- its source (state = 'removed'). NULL: never edited, not missing.
ALTER TABLE articles ADD COLUMN edited_at INTEGER;
ALTER TABLE articles ADD COLUMN removed_since INTEGER;

-- What made a version: 'first' (the first reading), 'edit' (the publisher
-- changed the title or text), 'completed' (the page's full text replacing
-- the feed's, read after a failure), 'import' (a re-import).
ALTER TABLE versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'first';

-- An article's revisit schedule: where it is read, which step of the
-- schedule comes next and when, the validators for conditional GET, and the
-- run of transient failures it is in.
CREATE TABLE revisits (
    article_id    INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    source_id     TEXT NOT NULL,
    url           TEXT NOT NULL,
    step          INTEGER NOT NULL DEFAULT 0,
    next_due      INTEGER,                    -- NULL: no revisit is scheduled
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_checked  INTEGER,
    failures      INTEGER NOT NULL DEFAULT 0, -- consecutive transient failures
    failing_since INTEGER,
    partial       INTEGER NOT NULL DEFAULT 0, -- 1: the text is the feed's; the page is still to be read
    page_title    TEXT NOT NULL DEFAULT ''    -- the title as the page itself last gave it (feeds often word it otherwise)
);
CREATE INDEX revisits_due ON revisits (next_due) WHERE next_due IS NOT NULL;
CREATE INDEX revisits_source ON revisits (source_id);

-- What revisits found: edited, removed, back, moved, completed.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    version_id    INTEGER REFERENCES versions (id) ON DELETE SET NULL,
    fetch_id      INTEGER REFERENCES fetches (id),
    title_changed INTEGER NOT NULL DEFAULT 0,
    words_removed INTEGER NOT NULL DEFAULT 0,
    words_added   INTEGER NOT NULL DEFAULT 0,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_at ON events (at, id);
CREATE INDEX events_article ON events (article_id, at);

-- Copies: each article's MinHash sketch and its LSH band keys, with the day
-- (published, else first seen; days since 1970) that bounds the look-up.
CREATE TABLE sketches (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    sketch     BLOB NOT NULL
);
CREATE TABLE bands (
    key        INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (key, day, article_id)
) WITHOUT ROWID;
CREATE INDEX bands_article ON bands (article_id);

-- Every article crawled before revisits existed is revisited at the URL its
-- source announced (the page, not a feed whose text stood in for it), once
-- within the next day (spread by id, so an upgrade does not fetch a whole
-- archive at once and new articles' early revisits still get their turn);
-- the schedule then carries on from its age. Articles older than a year
-- (the default max_age) are not revisited. An article whose fetch was its
-- feed's is marked partial: its page is still to be read.
INSERT INTO revisits (article_id, source_id, url, next_due, partial)
SELECT a.id, a.source_id,
    COALESCE((SELECT i.url FROM items i WHERE i.article_id = a.id ORDER BY i.first_seen LIMIT 1), a.url),
    CASE WHEN a.first_seen < CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 365 * 86400000 THEN NULL
         ELSE CAST(strftime('%s', 'now') AS INTEGER) * 1000 + (a.id * 7919) % 86400000 END,
    CASE WHEN f.url IN (SELECT url FROM sources) THEN 1 ELSE 0 END
FROM articles a LEFT JOIN fetches f ON f.id = a.fetch_id
WHERE a.provenance = 'crawl';

-- Versions after an article's first came from re-imports.
UPDATE versions SET kind = 'import' WHERE id NOT IN (SELECT MIN(id) FROM versions GROUP BY article_id);

-- simhash was never computed: the MinHash sketches above replace it.
ALTER TABLE articles DROP COLUMN simhash;
