package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// This file keeps the copies of a story: each article's MinHash sketch and
// LSH band keys, and the cluster id shared by the copies of one story.

func insertCopyKeys(ctx context.Context, tx *sql.Tx, articleID int64, k *CopyKeys) error {
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO sketches (article_id, sketch) VALUES (?, ?)", articleID, k.Sketch); err != nil {
		return fmt.Errorf("store: sketch of %d: %w", articleID, err)
	}
	for _, b := range k.Bands {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO bands (key, day, article_id) VALUES (?, ?, ?)", b, k.Day, articleID); err != nil {
			return fmt.Errorf("store: band keys of %d: %w", articleID, err)
		}
	}
	return nil
}

// Candidate is a stored article that shares band keys with a new one.
type Candidate struct {
	ArticleID int64
	ClusterID int64
	SourceID  string
	Shared    int    // band keys in common
	Sketch    []byte // its stored sketch
}

// CopyCandidates returns the articles sharing at least one of these band
// keys whose day lies in [fromDay, toDay], most keys in common first, at
// most limit. Each band key is one look-up in the bands primary key, so
// the cost follows the number of keys and matches, not the store's size.
func (s *Store) CopyCandidates(ctx context.Context, bands []int64, fromDay, toDay int64, limit int) ([]Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(bands)+3)
	for _, b := range bands {
		args = append(args, b)
	}
	args = append(args, fromDay, toDay, limit)
	rows, err := s.db.QueryContext(ctx, `
SELECT b.article_id, a.cluster_id, a.source_id, COUNT(*) AS shared, k.sketch
FROM bands b JOIN articles a ON a.id = b.article_id JOIN sketches k ON k.article_id = b.article_id
WHERE b.key IN (`+placeholders(len(bands))+`) AND b.day BETWEEN ? AND ?
GROUP BY b.article_id ORDER BY shared DESC, b.article_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: copy candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.ArticleID, &c.ClusterID, &c.SourceID, &c.Shared, &c.Sketch); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MergeClusters makes every article of the given clusters a member of the
// cluster into (the lowest id, by convention), marking those whose cluster
// changed for re-indexing. It returns how many articles moved.
func (s *Store) MergeClusters(ctx context.Context, into int64, clusters []int64) (int64, error) {
	var others []any
	for _, c := range clusters {
		if c != into && c != 0 {
			others = append(others, c)
		}
	}
	if len(others) == 0 {
		return 0, nil
	}
	res, err := s.db.ExecContext(ctx, "UPDATE articles SET cluster_id = ?, rev = rev + 1, indexed_at = NULL WHERE cluster_id IN ("+
		placeholders(len(others))+")", append([]any{into}, others...)...)
	if err != nil {
		return 0, fmt.Errorf("store: merge clusters into %d: %w", into, err)
	}
	return res.RowsAffected()
}

// ClusterMembers returns every article of a cluster, the earliest copy
// first: by published date (undated last), then first seen, then id.
func (s *Store) ClusterMembers(ctx context.Context, clusterID int64) ([]Summary, error) {
	return s.summaries(ctx, fmt.Sprintf("cluster %d", clusterID), `
WHERE a.cluster_id = ? ORDER BY a.published IS NULL, a.published, a.first_seen, a.id`, clusterID)
}

// Day is the day number copies are bounded by: days since 1970 (UTC) of t.
func Day(t time.Time) int64 { return t.Unix() / 86400 }

// Unsketched returns up to limit articles with ids above afterID that have
// no sketch yet (stored before copies were detected), in id order.
func (s *Store) Unsketched(ctx context.Context, afterID int64, limit int) ([]*model.Article, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+articleCols+` FROM articles
WHERE id > ? AND id NOT IN (SELECT article_id FROM sketches) ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unsketched articles: %w", err)
	}
	defer rows.Close()
	var out []*model.Article
	for rows.Next() {
		a, _, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetCopyKeys stores the sketch and band keys of a stored article.
func (s *Store) SetCopyKeys(ctx context.Context, articleID int64, k *CopyKeys) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM bands WHERE article_id = ?", articleID); err != nil {
			return err
		}
		return insertCopyKeys(ctx, tx, articleID, k)
	})
}
