package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

// Capture is a text of an existing article that a capture someone else
// made showed: an imported WARC record, a web archive's capture.
type Capture struct {
	Article *model.Article // the text, with Article.ID set and FetchID the capture's fetch
	Topics  []string       // the text's matches, used when it becomes the article's
	Seen    time.Time      // when the capture was made
	// Address is the capture's address (a WARC file and record, an
	// archive's URL): it orders captures made in the same second, which
	// WARC and Wayback times do not tell apart.
	Address string
	// OwnRead, when set, is when presswatch itself last read the page and
	// found the article's text: a capture older than it never replaces
	// that text.
	OwnRead time.Time
}

// AddCapture stores a capture's text of an existing article.
//
// Every capture is kept as a sighting, in capture order (time, then
// address) whatever order captures arrive in; the text itself is stored
// once per article. The article's versions are its sightings with each run
// of one text read as one version, its first sight (see Versions), and the
// article's text is its newest capture's, unless presswatch read the page
// itself later. So the same captures read in any order give the same
// history: a later sight of an unchanged page adds no version, and a
// capture read later that falls inside a run splits it where it was seen.
// The same capture read again adds nothing, and gives the article its text
// if it is the newest (a store migrated from before captures were
// ordered); one at the same time and address with another text (the record
// read by a changed extractor) follows it.
func (s *Store) AddCapture(ctx context.Context, c Capture) (CaptureOutcome, error) {
	a := c.Article
	var out CaptureOutcome
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var current string
		if err := tx.QueryRowContext(ctx, "SELECT content_hash FROM articles WHERE id = ?", a.ID).Scan(&current); err != nil {
			return fmt.Errorf("store: article %d: %w", a.ID, err)
		}
		rows, err := sightings(ctx, tx, a.ID, false)
		if err != nil {
			return err
		}
		me := sighting{Version: model.Version{Seen: c.Seen.Truncate(time.Millisecond)}, address: c.Address}
		var (
			before      *sighting
			later       = !c.OwnRead.IsZero() && c.OwnRead.After(c.Seen)
			dup, stored bool
		)
		for i := range rows {
			r := &rows[i]
			switch cmp := r.order(me); {
			case cmp <= 0:
				before = r
			default:
				later = true
			}
			dup = dup || (r.order(me) == 0 && r.ContentHash == a.ContentHash)
			stored = stored || (r.ContentHash == a.ContentHash && (r.Text != "" || r.Title != ""))
		}
		if !dup {
			sight := *a
			if stored {
				sight.Text, sight.Title = "", "" // read from the sighting that has them
			}
			if _, err := insertVersion(ctx, tx, &sight, c.Seen, model.VersionImport); err != nil {
				return err
			}
		}
		switch {
		case later && (dup || (before != nil && before.ContentHash == a.ContentHash)):
			out = CaptureKnown
		case later:
			out = CaptureEarlier
		case current == a.ContentHash:
			out = CaptureKnown
		default:
			out = CaptureCurrent
			return updateArticle(ctx, tx, a, c.Topics)
		}
		return nil
	})
	return out, err
}

// sighting is a row of an article's versions, with the address of the
// capture it was read from ("" for presswatch's own fetches).
type sighting struct {
	model.Version
	address string
}

// order compares two sightings' places in capture order: by time, then
// address; rows in the same place follow in the order they were stored.
func (r sighting) order(o sighting) int {
	if c := r.Seen.Compare(o.Seen); c != 0 {
		return c
	}
	return strings.Compare(r.address, o.address)
}

// sightings reads an article's version rows in capture order. Without
// texts, a row's Text is only "1" when the row holds the text, and its
// Title is empty.
func sightings(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, articleID int64, texts bool) ([]sighting, error) {
	cols := "v.title, v.text"
	if !texts {
		cols = "'', CASE WHEN v.text != '' OR v.title != '' THEN '1' ELSE '' END"
	}
	rows, err := q.QueryContext(ctx, `
SELECT v.id, v.article_id, COALESCE(v.fetch_id, 0), v.seen, `+cols+`, v.content_hash, v.kind, COALESCE(f.capture, '')
FROM versions v LEFT JOIN fetches f ON f.id = v.fetch_id
WHERE v.article_id = ? ORDER BY v.seen, COALESCE(f.capture, ''), v.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: versions of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []sighting
	for rows.Next() {
		var (
			r    sighting
			seen int64
		)
		if err := rows.Scan(&r.ID, &r.ArticleID, &r.FetchID, &seen, &r.Title, &r.Text, &r.ContentHash, &r.Kind, &r.address); err != nil {
			return nil, err
		}
		r.Seen = time.UnixMilli(seen).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: versions of %d: %w", articleID, err)
	}
	return out, nil
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

// Versions lists an article's versions, oldest first, in capture order
// (see AddCapture): a run of sightings of one text is one version, its
// first sight, with the text from the sighting that holds it.
func (s *Store) Versions(ctx context.Context, articleID int64) ([]model.Version, error) {
	rows, err := sightings(ctx, s.db, articleID, true)
	if err != nil {
		return nil, err
	}
	type text struct{ title, text string }
	texts := map[string]text{}
	for _, r := range rows {
		if _, ok := texts[r.ContentHash]; !ok && (r.Text != "" || r.Title != "") {
			texts[r.ContentHash] = text{r.Title, r.Text}
		}
	}
	var out []model.Version
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].ContentHash == r.ContentHash {
			continue // a later sight of the text before it
		}
		v := r.Version
		if v.Text == "" && v.Title == "" {
			t := texts[v.ContentHash]
			v.Title, v.Text = t.title, t.text
		}
		out = append(out, v)
	}
	return out, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
