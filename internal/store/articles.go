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
 last_checked, lang, text, content_hash, simhash, cluster_id, state, provenance, fetch_id, rev, indexed_at`

func scanArticle(sc interface{ Scan(...any) error }) (*model.Article, int64, error) {
	var (
		a                           model.Article
		pub, pubOff, indexed, fetch sql.NullInt64
		first, checked, rev         int64
		simhash                     int64
	)
	err := sc.Scan(&a.ID, &a.URL, &a.SourceID, &a.Title, &a.Author, &pub, &pubOff, &a.DateSource, &first, &checked,
		&a.Lang, &a.Text, &a.ContentHash, &simhash, &a.ClusterID, &a.State, &a.Provenance, &fetch, &rev, &indexed)
	if err != nil {
		return nil, 0, err
	}
	a.Published, a.IndexedAt = withOffset(fromMS(pub), pubOff), fromMS(indexed)
	a.FirstSeen, a.LastChecked = time.UnixMilli(first).UTC(), time.UnixMilli(checked).UTC()
	a.SimHash = uint64(simhash)
	a.FetchID = fetch.Int64
	return &a, rev, nil
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
INSERT INTO articles (url, source_id, title, author, published, published_offset, date_source, first_seen, last_checked,
    lang, text, content_hash, simhash, cluster_id, state, provenance, fetch_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.URL, a.SourceID, a.Title, a.Author, ms(a.Published), offset(a.Published), a.DateSource, a.FirstSeen.UnixMilli(),
			a.LastChecked.UnixMilli(), a.Lang, a.Text, a.ContentHash, int64(a.SimHash), a.ClusterID, a.State,
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
		if err := insertVersion(ctx, tx, a, a.FirstSeen); err != nil {
			return err
		}
		if err := setMatches(ctx, tx, a.ID, topics, a.FirstSeen); err != nil {
			return err
		}
		return markItem(ctx, tx, itemURL, a.SourceID, "stored", "", a.ID, a.FirstSeen)
	})
}

// UpdateArticle stores a changed text of an existing article as a new
// version, replaces its topic matches, and marks it for re-indexing.
func (s *Store) UpdateArticle(ctx context.Context, a *model.Article, topics []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
UPDATE articles SET title = ?, author = ?, published = ?, published_offset = ?, date_source = ?, last_checked = ?,
    lang = ?, text = ?, content_hash = ?, simhash = ?, state = ?, fetch_id = COALESCE(fetch_id, ?), rev = rev + 1,
    indexed_at = NULL
WHERE id = ?`,
			a.Title, a.Author, ms(a.Published), offset(a.Published), a.DateSource, a.LastChecked.UnixMilli(), a.Lang, a.Text,
			a.ContentHash, int64(a.SimHash), a.State, nullID(a.FetchID), a.ID)
		if err != nil {
			return fmt.Errorf("store: update article %d: %w", a.ID, err)
		}
		if err := insertVersion(ctx, tx, a, a.LastChecked); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM matches WHERE article_id = ?", a.ID); err != nil {
			return err
		}
		return setMatches(ctx, tx, a.ID, topics, a.LastChecked)
	})
}

// TouchArticle records that an article was checked and found unchanged.
func (s *Store) TouchArticle(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, "UPDATE articles SET last_checked = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

func insertVersion(ctx context.Context, tx *sql.Tx, a *model.Article, seen time.Time) error {
	_, err := tx.ExecContext(ctx, `
INSERT INTO versions (article_id, fetch_id, seen, title, text, content_hash, published, published_offset)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, nullID(a.FetchID), seen.UnixMilli(), a.Title, a.Text, a.ContentHash, ms(a.Published), offset(a.Published))
	if err != nil {
		return fmt.Errorf("store: version of article %d: %w", a.ID, err)
	}
	return nil
}

// Versions lists an article's versions, oldest first.
func (s *Store) Versions(ctx context.Context, articleID int64) ([]model.Version, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT id, article_id, COALESCE(fetch_id, 0), seen, title, text, content_hash
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
		if err := rows.Scan(&v.ID, &v.ArticleID, &v.FetchID, &seen, &v.Title, &v.Text, &v.ContentHash); err != nil {
			return nil, err
		}
		v.Seen = time.UnixMilli(seen).UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }
