package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// SyncTopics makes the configured topics match the configuration. Topics
// created in the web UI stay; one whose id the configuration now uses is
// replaced by the configuration's, which is reported in replaced.
func (s *Store) SyncTopics(ctx context.Context, topics []model.Topic) (replaced []string, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM topics WHERE origin = 'config'"); err != nil {
			return err
		}
		for _, t := range topics {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM topics WHERE id = ?", t.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				replaced = append(replaced, t.ID)
			}
			aliases, _ := json.Marshal(t.Aliases)
			if _, err := tx.ExecContext(ctx, `INSERT INTO topics (id, name, query, aliases, origin, updated_at) VALUES (?, ?, ?, ?, 'config', 0)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, query = excluded.query, aliases = excluded.aliases, origin = 'config', updated_at = 0`,
				t.ID, t.Name, t.Query, string(aliases)); err != nil {
				return fmt.Errorf("store: sync topic %s: %w", t.ID, err)
			}
		}
		return nil
	})
	return replaced, err
}

// ErrConfiguredTopic is returned when the web UI tries to change or delete
// a topic the configuration file defines: the file would undo it at the
// next start.
var ErrConfiguredTopic = errors.New("the topic is defined in the configuration file; change it there")

// SaveTopic creates or replaces a topic made in the web UI. The caller has
// checked its query.
func (s *Store) SaveTopic(ctx context.Context, t model.Topic) error {
	if t.Aliases == nil {
		t.Aliases = [][]string{}
	}
	aliases, _ := json.Marshal(t.Aliases)
	return s.tx(ctx, func(tx *sql.Tx) error {
		var origin string
		err := tx.QueryRowContext(ctx, "SELECT origin FROM topics WHERE id = ?", t.ID).Scan(&origin)
		if err == nil && origin == string(model.TopicFromConfig) {
			return fmt.Errorf("store: topic %s: %w", t.ID, ErrConfiguredTopic)
		} else if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("store: topic %s: %w", t.ID, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO topics (id, name, query, aliases, origin, updated_at) VALUES (?, ?, ?, ?, 'web', ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, query = excluded.query, aliases = excluded.aliases, updated_at = excluded.updated_at`,
			t.ID, t.Name, t.Query, string(aliases), s.now().UnixMilli())
		if err != nil {
			return fmt.Errorf("store: save topic %s: %w", t.ID, err)
		}
		return nil
	})
}

// DeleteTopic removes a topic made in the web UI and its matches; its
// digests stay. ErrNotFound when there is no such topic.
func (s *Store) DeleteTopic(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var origin string
		err := tx.QueryRowContext(ctx, "SELECT origin FROM topics WHERE id = ?", id).Scan(&origin)
		switch {
		case err == sql.ErrNoRows:
			return ErrNotFound
		case err != nil:
			return fmt.Errorf("store: topic %s: %w", id, err)
		case origin == string(model.TopicFromConfig):
			return fmt.Errorf("store: topic %s: %w", id, ErrConfiguredTopic)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM topics WHERE id = ?", id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM matches WHERE topic_id = ?", id)
		return err
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

// Topics returns the topics: those last synced from a configuration and
// those made in the web UI.
func (s *Store) Topics(ctx context.Context) ([]model.Topic, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, query, aliases, origin, updated_at FROM topics ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: topics: %w", err)
	}
	defer rows.Close()
	var out []model.Topic
	for rows.Next() {
		var (
			t       model.Topic
			aliases string
			updated int64
		)
		if err := rows.Scan(&t.ID, &t.Name, &t.Query, &aliases, &t.Origin, &updated); err != nil {
			return nil, err
		}
		if updated != 0 {
			t.Updated = time.UnixMilli(updated).UTC()
		}
		if err := json.Unmarshal([]byte(aliases), &t.Aliases); err != nil {
			return nil, fmt.Errorf("store: topic %s: aliases: %w", t.ID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
