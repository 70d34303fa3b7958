package store

import (
	"context"
	"fmt"

	"presswatch/internal/model"
)

// ListingsRead reports which of urls the source's runs have read as
// listings: whose newest fetch has status 200 and was not marked
// unreadable afterwards, or answered 404 or 410 (a dated archive's day without articles). A date
// walk asks it so that it reads each day of its range once.
func (s *Store) ListingsRead(ctx context.Context, sourceID string, urls []string) (map[string]bool, error) {
	read := make(map[string]bool, len(urls))
	err := inChunks(urls, func(args []any, marks string) error {
		args = append(args, sourceID)
		// Each listing by its newest fetch: one read again and left
		// unfinished is not read, whatever an earlier run found.
		rows, err := s.db.QueryContext(ctx, "SELECT f.url FROM fetches f WHERE f.url IN ("+marks+
			") AND f.source_id = ? AND ((f.status = 200 AND f.error_kind = '') OR f.status IN (404, 410))"+
			" AND f.id = (SELECT MAX(g.id) FROM fetches g WHERE g.source_id = f.source_id AND g.url = f.url)", args...)
		if err != nil {
			return fmt.Errorf("store: listings read: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				return err
			}
			read[u] = true
		}
		return rows.Err()
	})
	return read, err
}

// ListingRead marks a listing's fetch read again: FetchUnreadable marked it
// canceled while the items it announced were being read, and they now are.
func (s *Store) ListingRead(ctx context.Context, fetchID int64) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE fetches SET error_kind = '', error = '' WHERE id = ? AND error_kind = ?", fetchID, model.ErrCanceled); err != nil {
		return fmt.Errorf("store: mark fetch %d read: %w", fetchID, err)
	}
	return nil
}
