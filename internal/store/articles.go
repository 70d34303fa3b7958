package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"presswatch/internal/model"
)

const articleCols = `id, url, source_id, title, author, published, published_offset, date_source, first_seen,
 last_checked, lang, text, content_hash, cluster_id, state, provenance, fetch_id, rev, indexed_at, edited_at, removed_since`

// articleScan holds the scanned columns of articleCols until article
// turns them into a model.Article.
type articleScan struct {
	a                           model.Article
	pub, pubOff, indexed, fetch sql.NullInt64
	edited, removed             sql.NullInt64
	first, checked, rev         int64
}

func (s *articleScan) dest() []any {
	a := &s.a
	return []any{&a.ID, &a.URL, &a.SourceID, &a.Title, &a.Author, &s.pub, &s.pubOff, &a.DateSource, &s.first, &s.checked,
		&a.Lang, &a.Text, &a.ContentHash, &a.ClusterID, &a.State, &a.Provenance, &s.fetch, &s.rev, &s.indexed,
		&s.edited, &s.removed}
}

func (s *articleScan) article() *model.Article {
	a := s.a
	a.Published, a.IndexedAt = withOffset(fromMS(s.pub), s.pubOff), fromMS(s.indexed)
	a.FirstSeen, a.LastChecked = time.UnixMilli(s.first).UTC(), time.UnixMilli(s.checked).UTC()
	a.EditedAt, a.RemovedSince = fromMS(s.edited), fromMS(s.removed)
	a.FetchID = s.fetch.Int64
	return &a
}

func scanArticle(sc interface{ Scan(...any) error }) (*model.Article, int64, error) {
	var s articleScan
	if err := sc.Scan(s.dest()...); err != nil {
		return nil, 0, err
	}
	return s.article(), s.rev, nil
}

// Article returns one article by id, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (*model.Article, error) {
	return s.article(ctx, "id = ?", id)
}

// ArticleByURL returns the article with this canonical URL, or ErrNotFound.
func (s *Store) ArticleByURL(ctx context.Context, url string) (*model.Article, error) {
	return s.article(ctx, "url = ?", url)
}

func (s *Store) article(ctx context.Context, where string, arg any) (*model.Article, error) {
	a, _, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleCols+" FROM articles WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: article %v: %w", arg, err)
	}
	return a, nil
}

// ArticleByHash returns the oldest article with this content hash, or
// ErrNotFound. Ingest uses it to group republished copies.
func (s *Store) ArticleByHash(ctx context.Context, hash string) (*model.Article, error) {
	a, _, err := scanArticle(s.db.QueryRowContext(ctx,
		"SELECT "+articleCols+" FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: article by hash: %w", err)
	}
	return a, nil
}

// CreateArticle stores a new article with its first version, its topic
// matches, and the item record of the URL it came from (itemURL, which may
// differ from the canonical URL), all in one transaction. It sets a.ID.
func (s *Store) CreateArticle(ctx context.Context, a *model.Article, topics []string, itemURL string) error {
	return s.Create(ctx, NewArticle{Article: a, Topics: topics, ItemURL: itemURL})
}

// NewArticle is what Create stores in one transaction.
type NewArticle struct {
	Article *model.Article // its ID is set by Create
	Topics  []string       // the ids of the topics it matches
	ItemURL string         // the URL the source announced; "" for the canonical URL
	// Revisit, when not nil, schedules the article's first revisit.
	Revisit *model.Revisit
	// Copy, when not nil, is the article's MinHash sketch and band keys.
	Copy *CopyKeys
	// Version is the kind of the first version; default model.VersionFirst.
	Version model.VersionKind
	// Seen is when the first version's text was seen: for a capture
	// someone else made, its capture time; zero means the article's
	// FirstSeen.
	Seen time.Time
}

// CopyKeys are what the copies table keeps of an article: its sketch (an
// opaque blob), its LSH band keys, and its day (days since 1970 of its
// published date, else of first seen), which bounds the look-up.
type CopyKeys struct {
	Sketch []byte
	Bands  []int64
	Day    int64
}

// Create stores a new article as NewArticle describes. It sets n.Article.ID,
// and its ClusterID to its own id when it joins no story.
func (s *Store) Create(ctx context.Context, n NewArticle) error {
	a := n.Article
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
INSERT INTO articles (url, source_id, title, author, published, published_offset, date_source, first_seen, last_checked,
    lang, text, content_hash, cluster_id, state, provenance, fetch_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.URL, a.SourceID, a.Title, a.Author, ms(a.Published), offset(a.Published), a.DateSource, a.FirstSeen.UnixMilli(),
			a.LastChecked.UnixMilli(), a.Lang, a.Text, a.ContentHash, a.ClusterID, a.State,
			a.Provenance, nullID(a.FetchID))
		if err != nil {
			return fmt.Errorf("store: create article %s: %w", a.URL, err)
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		// SQLite may give a deleted article's id again: its removal from
		// the index, if still queued, must not remove the new article.
		if _, err := tx.ExecContext(ctx, "DELETE FROM index_deletes WHERE article_id = ?", a.ID); err != nil {
			return err
		}
		if a.ClusterID == 0 {
			a.ClusterID = a.ID
			if _, err := tx.ExecContext(ctx, "UPDATE articles SET cluster_id = id WHERE id = ?", a.ID); err != nil {
				return err
			}
		}
		kind := n.Version
		if kind == "" {
			kind = model.VersionFirst
		}
		seen := n.Seen
		if seen.IsZero() {
			seen = a.FirstSeen
		}
		if _, err := insertVersion(ctx, tx, a, seen, kind); err != nil {
			return err
		}
		if err := setMatches(ctx, tx, a.ID, n.Topics, a.FirstSeen); err != nil {
			return err
		}
		if n.Revisit != nil {
			n.Revisit.ArticleID = a.ID
			if err := insertRevisit(ctx, tx, n.Revisit); err != nil {
				return err
			}
		}
		if n.Copy != nil {
			if err := insertCopyKeys(ctx, tx, a.ID, n.Copy); err != nil {
				return err
			}
		}
		return markItem(ctx, tx, n.ItemURL, a.SourceID, "stored", "", a.ID, a.FirstSeen)
	})
}

// UpdateArticle stores a changed text of an existing article as a new
// version, replaces its topic matches, and marks it for re-indexing.
func (s *Store) UpdateArticle(ctx context.Context, a *model.Article, topics []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := insertVersion(ctx, tx, a, a.LastChecked, model.VersionImport); err != nil {
			return err
		}
		return updateArticle(ctx, tx, a, topics)
	})
}

// CaptureOutcome is what AddCapture did with a captured text.
type CaptureOutcome int

const (
	// CaptureCurrent: the capture is the article's newest and shows
	// another text; that text is now the article's.
	CaptureCurrent CaptureOutcome = iota + 1
	// CaptureEarlier: the capture is older than the article's newest and
	// shows another text than the capture before it: a version in its
	// place in the history; the article keeps its text.
	CaptureEarlier
	// CaptureKnown: the capture shows the text of the one before it (a
	// later sight of an unchanged page), or is one already stored: no
	// version is added.
	CaptureKnown
)

// AddCapture stores a text of an existing article that a capture made at
// seen showed (an imported WARC record, a web archive's capture).
//
// Every capture is kept as a sighting, in capture order whatever order
// captures arrive in; the text itself is stored once per article. The
// article's versions are its sightings with each run of one text read as
// one version, its first sight (see Versions), and the article's text is
// always its newest capture's. So the history is the same for the same
// captures read in any order: a later sight of an unchanged page adds no
// version, and a capture read later that falls inside a run splits it
// where it was seen. The same capture read again (same time, same text)
// adds nothing; one at the same time with another text (the record read
// by a changed extractor) follows it. a carries the new text with a.ID
// set; topics are its matches, used when it becomes the article's.
func (s *Store) AddCapture(ctx context.Context, a *model.Article, topics []string, seen time.Time) (CaptureOutcome, error) {
	var out CaptureOutcome
	at := seen.UnixMilli()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var (
			current     string
			dup, stored bool
			newest      sql.NullInt64
			before      sql.NullString
		)
		err := tx.QueryRowContext(ctx, `
SELECT a.content_hash,
    EXISTS (SELECT 1 FROM versions WHERE article_id = ?1 AND seen = ?2 AND content_hash = ?3),
    EXISTS (SELECT 1 FROM versions WHERE article_id = ?1 AND content_hash = ?3 AND (text != '' OR title != '')),
    (SELECT MAX(seen) FROM versions WHERE article_id = ?1),
    (SELECT content_hash FROM versions WHERE article_id = ?1 AND seen <= ?2 ORDER BY seen DESC, id DESC LIMIT 1)
FROM articles a WHERE a.id = ?1`, a.ID, at, a.ContentHash).Scan(&current, &dup, &stored, &newest, &before)
		if err != nil {
			return fmt.Errorf("store: versions of article %d: %w", a.ID, err)
		}
		if dup {
			out = CaptureKnown
			return nil
		}
		sight := *a
		if stored {
			sight.Text, sight.Title = "", "" // read from the sighting that has them
		}
		if _, err := insertVersion(ctx, tx, &sight, seen, model.VersionImport); err != nil {
			return err
		}
		switch {
		case newest.Valid && at < newest.Int64 && before.String == a.ContentHash:
			out = CaptureKnown
		case newest.Valid && at < newest.Int64:
			out = CaptureEarlier
		case current == a.ContentHash:
			out = CaptureKnown
		default:
			out = CaptureCurrent
			return updateArticle(ctx, tx, a, topics)
		}
		return nil
	})
	return out, err
}

// updateArticle gives article a.ID a's text and topics as its matches, and
// marks it for re-indexing.
func updateArticle(ctx context.Context, tx *sql.Tx, a *model.Article, topics []string) error {
	_, err := tx.ExecContext(ctx, `
UPDATE articles SET title = ?, author = ?, published = ?, published_offset = ?, date_source = ?, last_checked = ?,
    lang = ?, text = ?, content_hash = ?, state = ?, fetch_id = COALESCE(fetch_id, ?), rev = rev + 1,
    indexed_at = NULL
WHERE id = ?`,
		a.Title, a.Author, ms(a.Published), offset(a.Published), a.DateSource, a.LastChecked.UnixMilli(), a.Lang, a.Text,
		a.ContentHash, a.State, nullID(a.FetchID), a.ID)
	if err != nil {
		return fmt.Errorf("store: update article %d: %w", a.ID, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM matches WHERE article_id = ?", a.ID); err != nil {
		return err
	}
	return setMatches(ctx, tx, a.ID, topics, a.LastChecked)
}

// TouchArticle records that an article was checked and found unchanged.
func (s *Store) TouchArticle(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE articles SET last_checked = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

func insertVersion(ctx context.Context, tx *sql.Tx, a *model.Article, seen time.Time, kind model.VersionKind) (int64, error) {
	res, err := tx.ExecContext(ctx, `
INSERT INTO versions (article_id, fetch_id, seen, title, text, content_hash, published, published_offset, kind)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, nullID(a.FetchID), seen.UnixMilli(), a.Title, a.Text, a.ContentHash, ms(a.Published), offset(a.Published), kind)
	if err != nil {
		return 0, fmt.Errorf("store: version of article %d: %w", a.ID, err)
	}
	return res.LastInsertId()
}

// Versions lists an article's versions, oldest first. A run of captures
// showing one text (see AddCapture) is one version, its first sight; a
// sighting stored without its text has it from the one that has it.
func (s *Store) Versions(ctx context.Context, articleID int64) ([]model.Version, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT v.id, v.article_id, COALESCE(v.fetch_id, 0), v.seen,
    CASE WHEN v.text = '' AND v.title = '' THEN COALESCE((SELECT w.title FROM versions w
        WHERE w.article_id = v.article_id AND w.content_hash = v.content_hash AND (w.text != '' OR w.title != '') LIMIT 1), '')
        ELSE v.title END,
    CASE WHEN v.text = '' AND v.title = '' THEN COALESCE((SELECT w.text FROM versions w
        WHERE w.article_id = v.article_id AND w.content_hash = v.content_hash AND (w.text != '' OR w.title != '') LIMIT 1), '')
        ELSE v.text END,
    v.content_hash, v.kind
FROM versions v WHERE v.article_id = ? ORDER BY v.seen, v.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: versions of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []model.Version
	for rows.Next() {
		var (
			v    model.Version
			seen int64
		)
		if err := rows.Scan(&v.ID, &v.ArticleID, &v.FetchID, &seen, &v.Title, &v.Text, &v.ContentHash, &v.Kind); err != nil {
			return nil, err
		}
		v.Seen = time.UnixMilli(seen).UTC()
		if n := len(out); n > 0 && out[n-1].ContentHash == v.ContentHash {
			continue // a later sight of the text before it
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
