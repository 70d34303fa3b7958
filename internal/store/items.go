package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// maxAttempts is how many times an item URL that failed is tried again
// before it counts as known and is left alone.
const maxAttempts = 3

// Known returns which of these canonical item URLs need no fetching: they
// were stored, skipped as off-topic, or failed maxAttempts times.
func (s *Store) Known(ctx context.Context, urls []string) (map[string]bool, error) {
	known := make(map[string]bool, len(urls))
	for start := 0; start < len(urls); start += 500 {
		chunk := urls[start:min(start+500, len(urls))]
		args := make([]any, 0, len(chunk)+1)
		for _, u := range chunk {
			args = append(args, u)
		}
		args = append(args, maxAttempts)
		rows, err := s.db.QueryContext(ctx, "SELECT url FROM items WHERE url IN ("+placeholders(len(chunk))+
			") AND (outcome != 'failed' OR attempts >= ?)", args...)
		if err != nil {
			return nil, fmt.Errorf("store: known items: %w", err)
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return nil, err
			}
			known[u] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return known, nil
}

// MarkItem records what became of an item URL that was not stored:
// outcome is "skipped" (off-topic for a keep: topic source) or "failed".
func (s *Store) MarkItem(ctx context.Context, url, sourceID, outcome string, kind model.ErrorKind) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return markItem(ctx, tx, url, sourceID, outcome, kind, 0, s.now())
	})
}

func markItem(ctx context.Context, tx *sql.Tx, url, sourceID, outcome string, kind model.ErrorKind, articleID int64, at time.Time) error {
	if url == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO items (url, source_id, first_seen, outcome, attempts, error_kind, article_id) VALUES (?, ?, ?, ?, 1, ?, ?)
ON CONFLICT (url) DO UPDATE SET outcome = excluded.outcome, attempts = attempts + 1,
    error_kind = excluded.error_kind, article_id = COALESCE(excluded.article_id, article_id)`,
		url, sourceID, at.UnixMilli(), outcome, kind, nullID(articleID))
	if err != nil {
		return fmt.Errorf("store: mark item %s: %w", url, err)
	}
	return nil
}

// SyncTopics makes the topics table match the configuration.
func (s *Store) SyncTopics(ctx context.Context, topics []model.Topic) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM topics"); err != nil {
			return err
		}
		for _, t := range topics {
			aliases, _ := json.Marshal(t.Aliases)
			if _, err := tx.ExecContext(ctx, "INSERT INTO topics (id, name, query, aliases) VALUES (?, ?, ?, ?)",
				t.ID, t.Name, t.Query, string(aliases)); err != nil {
				return fmt.Errorf("store: sync topic %s: %w", t.ID, err)
			}
		}
		return nil
	})
}

func setMatches(ctx context.Context, tx *sql.Tx, articleID int64, topics []string, at time.Time) error {
	for _, t := range topics {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO matches (article_id, topic_id, at) VALUES (?, ?, ?)",
			articleID, t, at.UnixMilli()); err != nil {
			return fmt.Errorf("store: match %d to %s: %w", articleID, t, err)
		}
	}
	return nil
}

// Matches returns the topic ids an article belongs to.
func (s *Store) Matches(ctx context.Context, articleID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT topic_id FROM matches WHERE article_id = ? ORDER BY topic_id", articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// LinkItem records that an item URL led to an already stored article.
func (s *Store) LinkItem(ctx context.Context, url, sourceID string, articleID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return markItem(ctx, tx, url, sourceID, "stored", "", articleID, s.now())
	})
}
