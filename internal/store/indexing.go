package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// Pending is an article the index does not have in its current revision.
type Pending struct {
	*model.Article
	Rev int64
}

// Unindexed returns up to limit articles whose current revision is not in
// the index, oldest first, starting after the id afterID.
func (s *Store) Unindexed(ctx context.Context, afterID int64, limit int) ([]Pending, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+articleCols+
		" FROM articles WHERE indexed_at IS NULL AND id > ? ORDER BY id LIMIT ?", afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unindexed: %w", err)
	}
	defer rows.Close()
	var out []Pending
	for rows.Next() {
		a, rev, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: unindexed: %w", err)
		}
		out = append(out, Pending{a, rev})
	}
	return out, rows.Err()
}

// MarkIndexed records that the index holds these revisions. An article
// changed since it was read keeps its mark cleared, so its new text is
// indexed too.
func (s *Store) MarkIndexed(ctx context.Context, done []Pending, at time.Time) error {
	if len(done) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, "UPDATE articles SET indexed_at = ? WHERE id = ? AND rev = ?")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, p := range done {
			if _, err := st.ExecContext(ctx, at.UnixMilli(), p.ID, p.Rev); err != nil {
				return fmt.Errorf("store: mark indexed %d: %w", p.ID, err)
			}
		}
		return nil
	})
}

// EachArticle calls fn for every article in id order, reading in pages so
// no read transaction is held for long. It stops at the first error.
func (s *Store) EachArticle(ctx context.Context, fn func(Pending) error) error {
	var after int64
	for {
		rows, err := s.db.QueryContext(ctx, "SELECT "+articleCols+" FROM articles WHERE id > ? ORDER BY id LIMIT 500", after)
		if err != nil {
			return fmt.Errorf("store: articles: %w", err)
		}
		var page []Pending
		for rows.Next() {
			a, rev, err := scanArticle(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: articles: %w", err)
			}
			page = append(page, Pending{a, rev})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for _, p := range page {
			if err := fn(p); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

// Counts are totals over the store.
type Counts struct {
	Articles  int
	Unindexed int
	Fetches   int
	Sources   int
}

// Counts returns totals over the store.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT
 (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE indexed_at IS NULL),
 (SELECT count(*) FROM fetches), (SELECT count(*) FROM sources WHERE active = 1)`).
		Scan(&c.Articles, &c.Unindexed, &c.Fetches, &c.Sources)
	if err != nil {
		return c, fmt.Errorf("store: counts: %w", err)
	}
	return c, nil
}
