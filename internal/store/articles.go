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
	// CaptureEarlier: the capture is older than the article's newest; it
	// takes its place among the versions, and the article keeps its text.
	CaptureEarlier
	// CaptureStill: the capture is the newest and shows the article's
	// text: it is kept as the latest sight of that text.
	CaptureStill
	// CaptureKnown: the capture adds nothing to the history: the same
	// capture again, or one inside a run of versions of its text.
	CaptureKnown
)

// AddCapture stores a text of an existing article that a capture made at
// seen showed (an imported WARC record, a web archive's capture). The
// history is kept in capture order whatever order captures arrive in, and
// the article's text is always its newest capture's. A run of captures
// showing one text is kept as its first and its last sight: a capture
// inside a run adds nothing (its fetch record keeps it), one beside a run
// of its text moves the run's end to it, and any other takes its place as
// a version of its own. So every change of text any capture showed is in
// the history, in order, with the captures that bound it (a run split by a
// capture read later keeps only the sights it had kept). A capture at the
// time of a version with another text (the same record imported again and
// read by a changed extractor) follows it. a carries the new text with
// a.ID set; topics are its matches, used when it becomes the article's.
func (s *Store) AddCapture(ctx context.Context, a *model.Article, topics []string, seen time.Time) (CaptureOutcome, error) {
	var out CaptureOutcome
	at := seen.UnixMilli()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n, err := versionsAround(ctx, tx, a.ID, at)
		if err != nil {
			return err
		}
		x := a.ContentHash
		var moved int64 // the version that moves to this capture, if any
		switch {
		case n.before.id != 0 && n.before.hash == x && (n.before.seen == at || n.after.hash == x):
			out = CaptureKnown
			return nil
		case n.before.id != 0 && n.before.hash == x:
			if n.beforeBefore.hash == x && n.before.kind == model.VersionImport {
				moved = n.before.id
			}
		case n.after.id != 0 && n.after.hash == x:
			if n.afterAfter.hash == x && n.after.kind == model.VersionImport {
				moved = n.after.id
			}
		}
		if moved != 0 {
			_, err = tx.ExecContext(ctx, "UPDATE versions SET seen = ?, fetch_id = ? WHERE id = ?", at, nullID(a.FetchID), moved)
		} else {
			_, err = insertVersion(ctx, tx, a, seen, model.VersionImport)
		}
		if err != nil {
			return fmt.Errorf("store: capture of article %d: %w", a.ID, err)
		}
		switch {
		case n.after.id != 0:
			out = CaptureEarlier
		case n.current == x:
			out = CaptureStill
		default:
			out = CaptureCurrent
			return updateArticle(ctx, tx, a, topics)
		}
		return nil
	})
	return out, err
}

// versionRef is what AddCapture reads of a version; its zero value is no
// version.
type versionRef struct {
	id   int64
	seen int64
	hash string
	kind model.VersionKind
}

// neighbours are an article's versions around a time, in (seen, id)
// order: the last at or before it and the one before that, the first
// after it and the one after that; and the article's content hash.
type neighbours struct {
	before, beforeBefore, after, afterAfter versionRef
	current                                 string
}

func versionsAround(ctx context.Context, tx *sql.Tx, articleID, at int64) (neighbours, error) {
	var n neighbours
	if err := tx.QueryRowContext(ctx, "SELECT content_hash FROM articles WHERE id = ?", articleID).Scan(&n.current); err != nil {
		return n, fmt.Errorf("store: article %d: %w", articleID, err)
	}
	rows, err := tx.QueryContext(ctx, `
SELECT * FROM (SELECT id, seen, content_hash, kind FROM versions WHERE article_id = ?1 AND seen <= ?2
    ORDER BY seen DESC, id DESC LIMIT 2)
UNION ALL
SELECT * FROM (SELECT id, seen, content_hash, kind FROM versions WHERE article_id = ?1 AND seen > ?2
    ORDER BY seen, id LIMIT 2)`, articleID, at)
	if err != nil {
		return n, fmt.Errorf("store: versions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var before, after []versionRef
	for rows.Next() {
		var v versionRef
		if err := rows.Scan(&v.id, &v.seen, &v.hash, &v.kind); err != nil {
			return n, err
		}
		if v.seen <= at {
			before = append(before, v)
		} else {
			after = append(after, v)
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("store: versions of article %d: %w", articleID, err)
	}
	refs := []*versionRef{&n.before, &n.beforeBefore}
	for i, v := range before {
		*refs[i] = v
	}
	refs = []*versionRef{&n.after, &n.afterAfter}
	for i, v := range after {
		*refs[i] = v
	}
	return n, nil
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

// Versions lists an article's versions, oldest first.
func (s *Store) Versions(ctx context.Context, articleID int64) ([]model.Version, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT id, article_id, COALESCE(fetch_id, 0), seen, title, text, content_hash, kind
FROM versions WHERE article_id = ? ORDER BY seen, id`, articleID)
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
		out = append(out, v)
	}
	return out, rows.Err()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
