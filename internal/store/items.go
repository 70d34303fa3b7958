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

// Known returns which of these canonical item URLs need no fetching for
// the source sourceID: they were stored (by any source), skipped as
// off-topic by this source (another source may keep everything), or failed
// maxAttempts times.
func (s *Store) Known(ctx context.Context, sourceID string, urls []string) (map[string]bool, error) {
	known := make(map[string]bool, len(urls))
	err := inChunks(urls, func(args []any, marks string) error {
		args = append(args, sourceID, maxAttempts)
		rows, err := s.db.QueryContext(ctx, "SELECT url FROM items WHERE url IN ("+marks+
			") AND (outcome = 'stored' OR (outcome = 'skipped' AND source_id = ?) OR (outcome = 'failed' AND attempts >= ?))", args...)
		if err != nil {
			return fmt.Errorf("store: known items: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				return err
			}
			known[u] = true
		}
		return rows.Err()
	})
	return known, err
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
	attempts := 1
	if kind == model.ErrRobots {
		attempts = maxAttempts // robots.txt refuses it: trying again changes nothing
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO items (url, source_id, first_seen, outcome, attempts, error_kind, article_id) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET outcome = excluded.outcome, source_id = excluded.source_id,
    attempts = attempts + excluded.attempts, error_kind = excluded.error_kind, article_id = COALESCE(excluded.article_id, article_id)
WHERE items.outcome != 'stored' OR excluded.outcome = 'stored'`,
		url, sourceID, at.UnixMilli(), outcome, attempts, kind, nullID(articleID))
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

// ItemArticle returns the id of the article an item URL led to, or 0.
func (s *Store) ItemArticle(ctx context.Context, url string) (int64, error) {
	var id sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT article_id FROM items WHERE url = ?", url).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("store: item %s: %w", url, err)
	}
	return id.Int64, nil
}

// Topics returns the topics last synced from a configuration.
func (s *Store) Topics(ctx context.Context) ([]model.Topic, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, query, aliases FROM topics ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: topics: %w", err)
	}
	defer rows.Close()
	var out []model.Topic
	for rows.Next() {
		var (
			t       model.Topic
			aliases string
		)
		if err := rows.Scan(&t.ID, &t.Name, &t.Query, &aliases); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(aliases), &t.Aliases); err != nil {
			return nil, fmt.Errorf("store: topic %s: aliases: %w", t.ID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
