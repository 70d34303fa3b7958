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

// A wayback source's backfill keeps its place here (see
// migrations/009_wayback.sql): the CDX listing's resume key, the captures
// listed and what became of each, and the archive's back-off. crawler/wayback
// calls these in this order: WaybackListed for each listing page read,
// WaybackPending for the captures to fetch, WaybackDone for each one
// fetched, WaybackBackoff when the archive says to slow down.

// The states of a listed capture (wayback_captures.state).
const (
	CaptureListed    = "listed"    // to fetch
	CaptureDuplicate = "duplicate" // the same digest was listed before: never fetched
	CaptureStored    = "stored"    // an article, new or updated
	CaptureUnchanged = "unchanged" // the article held this text already
	CaptureSkipped   = "skipped"   // off-topic for a keep: topic source
	CaptureFailed    = "failed"    // fetched, but no article (an archive page, no text, too many tries)
)

// maxCaptureAttempts is how often a capture whose fetch failed without an
// answer (a timeout, a reset) is tried before it is marked failed.
const maxCaptureAttempts = 3

// WaybackProgress returns how far src's backfill has come; a source never
// run has the zero progress.
func (s *Store) WaybackProgress(ctx context.Context, sourceID string) (model.WaybackProgress, error) {
	p := model.WaybackProgress{SourceID: sourceID}
	var until sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT resume_key, pages, done, backoff_until, backoffs FROM wayback_progress WHERE source_id = ?`,
		sourceID).Scan(&p.ResumeKey, &p.Pages, &p.Done, &until, &p.Backoffs)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("store: wayback progress of %s: %w", sourceID, err)
	}
	p.BackoffUntil = fromMS(until)
	rows, err := s.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM wayback_captures WHERE source_id = ? GROUP BY state`, sourceID)
	if err != nil {
		return p, fmt.Errorf("store: wayback progress of %s: %w", sourceID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state string
			n     int
		)
		if err := rows.Scan(&state, &n); err != nil {
			return p, fmt.Errorf("store: wayback progress of %s: %w", sourceID, err)
		}
		p.Listed += n
		switch state {
		case CaptureListed:
			p.Remaining += n
		case CaptureStored:
			p.Stored += n
			p.Fetched += n
		case CaptureUnchanged, CaptureSkipped, CaptureFailed:
			p.Fetched += n
		}
	}
	return p, rows.Err()
}

// WaybackListed keeps one page of src's CDX listing: its captures (those
// listed before are left as they are; one whose digest another capture of
// src has is a duplicate, never fetched) and where the listing goes on
// (next; done when it has ended), in one transaction, so a kill leaves
// either both or neither. It returns how many captures are new to fetch.
func (s *Store) WaybackListed(ctx context.Context, sourceID string, caps []model.WaybackCapture, next string, done bool) (int, error) {
	added := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, c := range caps {
			row := ""
			if len(c.Row) > 0 {
				b, _ := json.Marshal(c.Row)
				row = string(b)
			}
			res, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO wayback_captures (source_id, timestamp, original, digest, state, cdx)
SELECT ?1, ?2, ?3, ?4, CASE WHEN ?4 != '' AND EXISTS (SELECT 1 FROM wayback_captures WHERE source_id = ?1 AND digest = ?4)
    THEN 'duplicate' ELSE 'listed' END, ?5`, sourceID, c.Timestamp, c.Original, c.Digest, row)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		_, err := tx.ExecContext(ctx, `
INSERT INTO wayback_progress (source_id, resume_key, pages, done) VALUES (?, ?, 1, ?)
ON CONFLICT (source_id) DO UPDATE SET resume_key = excluded.resume_key, pages = pages + 1, done = excluded.done`,
			sourceID, next, done)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: wayback listing of %s: %w", sourceID, err)
	}
	return added, nil
}

// WaybackPending returns up to limit captures of src still to fetch, the
// oldest first, leaving out those in skip (keyed by WaybackKey: the ones
// this run tried already).
func (s *Store) WaybackPending(ctx context.Context, sourceID string, limit int, skip map[string]bool) ([]model.WaybackCapture, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT timestamp, original, digest, cdx FROM wayback_captures WHERE source_id = ? AND state = 'listed'
ORDER BY timestamp, original LIMIT ?`, sourceID, limit+len(skip))
	if err != nil {
		return nil, fmt.Errorf("store: wayback captures of %s: %w", sourceID, err)
	}
	defer rows.Close()
	var out []model.WaybackCapture
	for rows.Next() && len(out) < limit {
		var (
			c   model.WaybackCapture
			row string
		)
		if err := rows.Scan(&c.Timestamp, &c.Original, &c.Digest, &row); err != nil {
			return nil, fmt.Errorf("store: wayback captures of %s: %w", sourceID, err)
		}
		if row != "" {
			if err := json.Unmarshal([]byte(row), &c.Row); err != nil {
				return nil, fmt.Errorf("store: wayback capture %s of %s: its CDX row: %w", WaybackKey(c), sourceID, err)
			}
		}
		if !skip[WaybackKey(c)] {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// WaybackKey names a capture: its timestamp and original URL.
func WaybackKey(c model.WaybackCapture) string { return c.Timestamp + " " + c.Original }

// WaybackDone records what became of a fetched capture: state is one of
// the Capture constants after CaptureListed. CaptureListed itself counts
// a failed try (no answer worth keeping): the capture stays to fetch
// until it has been tried maxCaptureAttempts times, then is failed.
func (s *Store) WaybackDone(ctx context.Context, sourceID string, c model.WaybackCapture, state string, kind model.ErrorKind) error {
	var err error
	if state == CaptureListed {
		_, err = s.db.ExecContext(ctx, `
UPDATE wayback_captures SET attempts = attempts + 1, error_kind = ?,
    state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'listed' END
WHERE source_id = ? AND timestamp = ? AND original = ?`, kind, maxCaptureAttempts, sourceID, c.Timestamp, c.Original)
	} else {
		_, err = s.db.ExecContext(ctx, `
UPDATE wayback_captures SET state = ?, error_kind = ?, attempts = attempts + 1
WHERE source_id = ? AND timestamp = ? AND original = ?`, state, kind, sourceID, c.Timestamp, c.Original)
	}
	if err != nil {
		return fmt.Errorf("store: wayback capture %s of %s: %w", WaybackKey(c), sourceID, err)
	}
	return nil
}

// WaybackBackoff keeps the archive's back-off for src: ask nothing before
// until; backoffs is the count of such answers in a row (0 clears it).
func (s *Store) WaybackBackoff(ctx context.Context, sourceID string, until time.Time, backoffs int) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO wayback_progress (source_id, backoff_until, backoffs) VALUES (?, ?, ?)
ON CONFLICT (source_id) DO UPDATE SET backoff_until = excluded.backoff_until, backoffs = excluded.backoffs`,
		sourceID, ms(until), backoffs)
	if err != nil {
		return fmt.Errorf("store: wayback back-off of %s: %w", sourceID, err)
	}
	return nil
}

// fillBackfills sets the Backfill of the wayback sources among srcs.
func (s *Store) fillBackfills(ctx context.Context, srcs []*SourceInfo) error {
	for _, si := range srcs {
		if si.Type != model.SourceWayback {
			continue
		}
		p, err := s.WaybackProgress(ctx, si.ID)
		if err != nil {
			return err
		}
		si.Backfill = &p
	}
	return nil
}

// CaptureFetched returns the last fetch of src that read the capture at
// capture (its archive address) whole: answered 200, no error, and kept in
// presswatch's WARC archive. nil when there is none. A backfill stopped
// between a capture's fetch and its store (a kill) reads the capture back
// from the archive instead of asking the web archive twice.
func (s *Store) CaptureFetched(ctx context.Context, sourceID, capture string) (*model.Fetch, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `
SELECT id FROM fetches WHERE source_id = ? AND capture = ? AND status = 200 AND error_kind = '' AND warc_file != ''
ORDER BY id DESC LIMIT 1`, sourceID, capture).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: fetch of the capture %s: %w", capture, err)
	}
	return s.Fetch(ctx, id)
}
