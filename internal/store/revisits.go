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

// This file holds an article's life after it was first read: its revisit
// schedule and what the revisits found (edits, removals, returns, moves).

func insertRevisit(ctx context.Context, tx *sql.Tx, rv *model.Revisit) error {
	_, err := tx.ExecContext(ctx, `
INSERT INTO revisits (article_id, source_id, url, step, next_due, etag, last_modified, last_checked, failures,
    failing_since, partial, page_title)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (article_id) DO UPDATE SET source_id = excluded.source_id, url = excluded.url, step = excluded.step,
    next_due = excluded.next_due, etag = excluded.etag, last_modified = excluded.last_modified,
    last_checked = excluded.last_checked, failures = excluded.failures, failing_since = excluded.failing_since,
    partial = excluded.partial, page_title = excluded.page_title`,
		rv.ArticleID, rv.SourceID, rv.URL, rv.Step, ms(rv.NextDue), rv.ETag, rv.LastModified, ms(rv.LastChecked),
		rv.Failures, ms(rv.FailingSince), rv.Partial, rv.PageTitle)
	if err != nil {
		return fmt.Errorf("store: revisit of article %d: %w", rv.ArticleID, err)
	}
	return nil
}

const revisitCols = `r.article_id, r.source_id, r.url, r.step, r.next_due, r.etag, r.last_modified, r.last_checked,
 r.failures, r.failing_since, r.partial, r.page_title`

func scanRevisit(sc interface{ Scan(...any) error }, rv *model.Revisit, extra ...any) error {
	var due, checked, failing sql.NullInt64
	dest := append([]any{&rv.ArticleID, &rv.SourceID, &rv.URL, &rv.Step, &due, &rv.ETag, &rv.LastModified, &checked,
		&rv.Failures, &failing, &rv.Partial, &rv.PageTitle}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	rv.NextDue, rv.LastChecked, rv.FailingSince = fromMS(due), fromMS(checked), fromMS(failing)
	return nil
}

// Revisit returns an article's revisit schedule, or ErrNotFound when it
// has none (an imported article).
func (s *Store) Revisit(ctx context.Context, articleID int64) (*model.Revisit, error) {
	var rv model.Revisit
	err := scanRevisit(s.db.QueryRowContext(ctx, "SELECT "+revisitCols+" FROM revisits r WHERE r.article_id = ?", articleID), &rv)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: revisit of article %d: %w", articleID, err)
	}
	return &rv, nil
}

// SaveRevisit stores an article's schedule after a revisit that changed
// nothing else (unchanged, or a transient failure).
func (s *Store) SaveRevisit(ctx context.Context, rv *model.Revisit) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := insertRevisit(ctx, tx, rv); err != nil {
			return err
		}
		if !rv.LastChecked.IsZero() && rv.Failures == 0 {
			_, err := tx.ExecContext(ctx, "UPDATE articles SET last_checked = ? WHERE id = ?", rv.LastChecked.UnixMilli(), rv.ArticleID)
			return err
		}
		return nil
	})
}

// DueQuery says which revisits Due returns.
type DueQuery struct {
	Now     time.Time
	Sources []string // only these sources; all when empty
	All     bool     // every article with a schedule, whatever its next due time, also past the last step
	Limit   int      // at most this many, the longest overdue first
}

// Due returns the revisits due at q.Now, the longest overdue first.
func (s *Store) Due(ctx context.Context, q DueQuery) ([]model.DueRevisit, error) {
	where := []string{"1"}
	var args []any
	if !q.All {
		where = append(where, "r.next_due IS NOT NULL AND r.next_due <= ?")
		args = append(args, q.Now.UnixMilli())
	}
	if len(q.Sources) > 0 {
		where = append(where, "r.source_id IN ("+placeholders(len(q.Sources))+")")
		for _, id := range q.Sources {
			args = append(args, id)
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit)
	cols := strings.ReplaceAll(articleCols, "\n", "")
	cols = "a." + strings.ReplaceAll(cols, ", ", ", a.")
	rows, err := s.db.QueryContext(ctx, "SELECT "+revisitCols+", "+cols+
		" FROM revisits r JOIN articles a ON a.id = r.article_id WHERE "+strings.Join(where, " AND ")+
		" ORDER BY r.next_due IS NULL, r.next_due, r.article_id LIMIT ?", args...)
	if err != nil {
		return nil, fmt.Errorf("store: due revisits: %w", err)
	}
	defer rows.Close()
	var out []model.DueRevisit
	for rows.Next() {
		var d model.DueRevisit
		var art articleScan
		if err := scanRevisit(rows, &d.Revisit, art.dest()...); err != nil {
			return nil, fmt.Errorf("store: due revisits: %w", err)
		}
		d.Article = art.article()
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueCount counts the articles, of every source, whose revisit is due at
// now: those Due returns without Sources and Limit. It reads the
// revisits_due index only, so it is cheap enough for every metrics scrape.
func (s *Store) DueCount(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM revisits WHERE next_due IS NOT NULL AND next_due <= ?", now.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: counting due revisits: %w", err)
	}
	return n, nil
}

// Change is what a revisit found that changes an article, stored in one
// transaction by ApplyChange.
type Change struct {
	// Article is the article as it is now (ID set): its title, text,
	// hash, state, EditedAt and RemovedSince are written. Nil when only
	// the event and the schedule change.
	Article *model.Article
	// Version, when not empty, adds the article's text as a new version
	// of this kind. ReturnTo, when not 0, names the earlier version the
	// text went back to instead (no new version is added).
	Version  model.VersionKind
	ReturnTo int64
	// VersionFetch is the fetch that read the new version's text (the
	// revisit's), recorded with the version; the article keeps the fetch
	// that first produced it.
	VersionFetch int64
	Topics       []string // replaces the article's topic matches when Article is set
	Copy         *CopyKeys
	Events       []*model.Event
	Revisit      *model.Revisit
}

// ApplyChange stores c. The article is marked for re-indexing. It sets
// each event's ID, and the VersionID of an edit, completion or return to
// the version it produced or went back to.
func (s *Store) ApplyChange(ctx context.Context, c Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		versionID := c.ReturnTo
		if a := c.Article; a != nil {
			_, err := tx.ExecContext(ctx, `
UPDATE articles SET title = ?, author = ?, published = ?, published_offset = ?, date_source = ?, last_checked = ?,
    lang = ?, text = ?, content_hash = ?, state = ?, edited_at = ?, removed_since = ?, rev = rev + 1, indexed_at = NULL
WHERE id = ?`,
				a.Title, a.Author, ms(a.Published), offset(a.Published), a.DateSource, a.LastChecked.UnixMilli(), a.Lang,
				a.Text, a.ContentHash, a.State, ms(a.EditedAt), ms(a.RemovedSince), a.ID)
			if err != nil {
				return fmt.Errorf("store: change article %d: %w", a.ID, err)
			}
			if c.Version != "" {
				v := *a
				if c.VersionFetch != 0 {
					v.FetchID = c.VersionFetch
				}
				if versionID, err = insertVersion(ctx, tx, &v, a.LastChecked, c.Version); err != nil {
					return err
				}
			}
			if c.Version != "" || c.ReturnTo != 0 {
				if _, err := tx.ExecContext(ctx, "DELETE FROM matches WHERE article_id = ?", a.ID); err != nil {
					return err
				}
				if err := setMatches(ctx, tx, a.ID, c.Topics, a.LastChecked); err != nil {
					return err
				}
			}
			if c.Copy != nil {
				if _, err := tx.ExecContext(ctx, "DELETE FROM bands WHERE article_id = ?", a.ID); err != nil {
					return err
				}
				if err := insertCopyKeys(ctx, tx, a.ID, c.Copy); err != nil {
					return err
				}
			}
		}
		for _, e := range c.Events {
			if e.Kind != model.EventRemoved && e.Kind != model.EventMoved {
				e.VersionID = versionID
			}
			res, err := tx.ExecContext(ctx, `
INSERT INTO events (article_id, at, kind, version_id, fetch_id, title_changed, words_removed, words_added, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.ArticleID, e.At.UnixMilli(), e.Kind, nullID(e.VersionID), nullID(e.FetchID), e.TitleChanged,
				e.WordsRemoved, e.WordsAdded, e.Detail)
			if err != nil {
				return fmt.Errorf("store: event of article %d: %w", e.ArticleID, err)
			}
			if e.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		if c.Revisit != nil {
			return insertRevisit(ctx, tx, c.Revisit)
		}
		return nil
	})
}

// CurrentVersionFetch returns the fetch that read the text the article has
// now: that of its newest version with the article's content hash (a page
// that returned to an earlier text names that text's version), or 0 when
// none has one (an import).
func (s *Store) CurrentVersionFetch(ctx context.Context, articleID int64) (int64, error) {
	var id sql.NullInt64
	err := s.db.QueryRowContext(ctx, `
SELECT v.fetch_id FROM versions v JOIN articles a ON a.id = v.article_id AND a.content_hash = v.content_hash
WHERE v.article_id = ? AND v.fetch_id IS NOT NULL ORDER BY v.seen DESC, v.id DESC LIMIT 1`, articleID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: current version of %d: %w", articleID, err)
	}
	return id.Int64, nil
}

// VersionByHash returns the id of the article's newest version (as
// Versions shows them) with this content hash, or 0 when it never had that
// text.
func (s *Store) VersionByHash(ctx context.Context, articleID int64, hash string) (int64, error) {
	vs, err := s.Versions(ctx, articleID)
	if err != nil {
		return 0, fmt.Errorf("store: version of %d by hash: %w", articleID, err)
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].ContentHash == hash {
			return vs[i].ID, nil
		}
	}
	return 0, nil
}

const eventCols = `e.id, e.article_id, e.at, e.kind, COALESCE(e.version_id, 0), COALESCE(e.fetch_id, 0), e.title_changed,
 e.words_removed, e.words_added, e.detail`

func scanEvent(sc interface{ Scan(...any) error }, e *model.Event, extra ...any) error {
	var at int64
	dest := append([]any{&e.ID, &e.ArticleID, &at, &e.Kind, &e.VersionID, &e.FetchID, &e.TitleChanged,
		&e.WordsRemoved, &e.WordsAdded, &e.Detail}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	e.At = time.UnixMilli(at).UTC()
	return nil
}

// Events lists what revisits found about an article, oldest first.
func (s *Store) Events(ctx context.Context, articleID int64) ([]model.Event, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+eventCols+" FROM events e WHERE e.article_id = ? ORDER BY e.at, e.id", articleID)
	if err != nil {
		return nil, fmt.Errorf("store: events of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []model.Event
	for rows.Next() {
		var e model.Event
		if err := scanEvent(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChangeItem is one edit or removal with the article it happened to.
type ChangeItem struct {
	model.Event
	Article Summary
}

// Changes lists the latest edits and removals (and returns) across the
// collection, newest first: at most limit, those before the event id
// before when it is not 0 (for paging).
func (s *Store) Changes(ctx context.Context, before int64, limit int) ([]ChangeItem, error) {
	where := "e.kind IN ('edited', 'removed', 'back')"
	args := []any{}
	if before > 0 {
		where += " AND e.id < ?"
		args = append(args, before)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, "SELECT "+eventCols+", "+summaryCols+
		" FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN sources s ON s.id = a.source_id WHERE "+where+
		" ORDER BY e.id DESC LIMIT ?", args...)
	if err != nil {
		return nil, fmt.Errorf("store: changes: %w", err)
	}
	defer rows.Close()
	var out []ChangeItem
	for rows.Next() {
		var (
			c           ChangeItem
			pub, pubOff sql.NullInt64
			first       int64
		)
		a := &c.Article
		if err := scanEvent(rows, &c.Event, &a.ID, &a.URL, &a.SourceID, &a.SourceName, &a.Stance, &a.Title, &a.Lang,
			&pub, &pubOff, &first); err != nil {
			return nil, fmt.Errorf("store: changes: %w", err)
		}
		a.Published, a.FirstSeen = withOffset(fromMS(pub), pubOff), time.UnixMilli(first).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
