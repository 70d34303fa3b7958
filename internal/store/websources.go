package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"presswatch/internal/model"
)

// Sources come from the configuration file or from the web UI. The file's
// are made to match it at every start (SyncSources); the web's are saved,
// paused and removed here, and kept across starts. A pause is the
// store's, for either origin, so a restart keeps a paused source paused.

// ErrConfiguredSource is returned when the web UI tries to change or
// remove a source the configuration file defines: the file would undo it
// at the next start. Pausing one is allowed.
var ErrConfiguredSource = errors.New("the source is defined in the configuration file; change it there")

// ErrImportSource is returned for a change to the source imported files
// are filed under, which is never fetched.
var ErrImportSource = errors.New("the source of imported files is never fetched")

// SaveWebSource adds a source made in the web UI, or changes one. An id
// that a removed source had takes its history back. The caller has
// checked src.
func (s *Store) SaveWebSource(ctx context.Context, src model.Source) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := webOwned(ctx, tx, src.ID, true); err != nil {
			return err
		}
		return upsertSource(ctx, tx, src, model.SourceFromWeb)
	})
}

// RemoveWebSource stops a source made in the web UI for good: it is
// marked inactive and unpaused, and its articles and history stay.
func (s *Store) RemoveWebSource(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := webOwned(ctx, tx, id, false); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE sources SET active = 0, paused = 0 WHERE id = ?", id)
		return err
	})
}

// webOwned returns why the source id cannot be changed from the web: it
// is the file's (while the file lists it) or the imports'. A missing id
// is ErrNotFound unless mayBeNew.
func webOwned(ctx context.Context, tx *sql.Tx, id string, mayBeNew bool) error {
	var (
		origin model.SourceOrigin
		active bool
	)
	err := tx.QueryRowContext(ctx, "SELECT origin, active FROM sources WHERE id = ?", id).Scan(&origin, &active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if mayBeNew {
			return nil
		}
		return ErrNotFound
	case err != nil:
		return fmt.Errorf("store: source %s: %w", id, err)
	case origin == model.SourceFromImport:
		return fmt.Errorf("store: source %s: %w", id, ErrImportSource)
	case origin == model.SourceFromConfig && active:
		return fmt.Errorf("store: source %s: %w", id, ErrConfiguredSource)
	case !active && !mayBeNew:
		return ErrNotFound
	}
	return nil
}

// SetPaused pauses or resumes an active source of either origin.
func (s *Store) SetPaused(ctx context.Context, id string, paused bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var origin model.SourceOrigin
		err := tx.QueryRowContext(ctx, "SELECT origin FROM sources WHERE id = ? AND active = 1", id).Scan(&origin)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return fmt.Errorf("store: source %s: %w", id, err)
		case origin == model.SourceFromImport:
			return fmt.Errorf("store: source %s: %w", id, ErrImportSource)
		}
		_, err = tx.ExecContext(ctx, "UPDATE sources SET paused = ? WHERE id = ?", paused, id)
		return err
	})
}

// WebSources returns the active sources made in the web UI, by id.
func (s *Store) WebSources(ctx context.Context) ([]*SourceInfo, error) {
	return s.querySources(ctx, "web sources", "WHERE origin = 'web' AND active = 1 ORDER BY id")
}
