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

// SyncSources makes the configuration's sources in the store match the
// file: new sources are added, changed ones updated, and sources it no
// longer lists are marked inactive (their articles and history stay).
// Health, validators and a pause set in the web UI are kept, except that
// a changed URL clears the validators. Sources added in the web UI are
// left alone, unless the file now defines one with the same id: the
// file's replaces it (WebSources before the sync tells which).
func (s *Store) SyncSources(ctx context.Context, sources []model.Source) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE sources SET active = 0 WHERE origin = 'config'"); err != nil {
			return err
		}
		for _, src := range sources {
			if err := upsertSource(ctx, tx, src, model.SourceFromConfig); err != nil {
				return err
			}
		}
		return nil
	})
}

// upsertSource adds src with origin, or updates the stored source of its
// id (reactivating it): health and the pause are kept, validators too
// unless the URL changed.
func upsertSource(ctx context.Context, tx *sql.Tx, src model.Source, origin model.SourceOrigin) error {
	sel, wb := "", ""
	if src.Selectors != nil {
		b, _ := json.Marshal(src.Selectors)
		sel = string(b)
	}
	if src.Wayback != nil {
		b, _ := json.Marshal(src.Wayback)
		wb = string(b)
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO sources (id, name, type, url, stance, lang, every_ms, keep, selectors, wayback, active, origin)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, type = excluded.type, stance = excluded.stance, lang = excluded.lang,
    every_ms = excluded.every_ms, keep = excluded.keep, selectors = excluded.selectors, wayback = excluded.wayback, active = 1,
    origin = excluded.origin,
    etag = CASE WHEN url = excluded.url THEN etag ELSE '' END,
    last_modified = CASE WHEN url = excluded.url THEN last_modified ELSE '' END,
    body_hash = CASE WHEN url = excluded.url THEN body_hash ELSE '' END,
    url = excluded.url`,
		src.ID, src.Name, src.Type, src.URL, src.Stance, src.Lang, src.Every.Milliseconds(), src.Keep, sel, wb, origin)
	if err != nil {
		return fmt.Errorf("store: save source %s: %w", src.ID, err)
	}
	return nil
}

// SourceInfo is a source as stored: its configuration, its state, and how
// many articles it has given.
type SourceInfo struct {
	model.Source
	State    model.SourceState
	Active   bool
	Origin   model.SourceOrigin
	Paused   bool // an administrator stopped its runs
	Articles int
	Backfill *model.WaybackProgress // a wayback source's progress; nil for other types
}

const sourceCols = `id, name, type, url, stance, lang, every_ms, keep, selectors, wayback, active, origin, paused,
 etag, last_modified, body_hash, last_fetch, last_success, last_status, error_kind, error, failures, next_due,
 (SELECT count(*) FROM articles a WHERE a.source_id = sources.id)`

func scanSource(sc interface{ Scan(...any) error }) (*SourceInfo, error) {
	var (
		si                     SourceInfo
		every                  int64
		sel, wb                string
		last, success, nextDue sql.NullInt64
		st                     = &si.State
	)
	err := sc.Scan(&si.ID, &si.Name, &si.Type, &si.URL, &si.Stance, &si.Lang, &every, &si.Keep, &sel, &wb, &si.Active, &si.Origin, &si.Paused,
		&st.ETag, &st.LastModified, &st.BodyHash, &last, &success, &st.LastStatus, &st.ErrorKind, &st.Error,
		&st.Failures, &nextDue, &si.Articles)
	if err != nil {
		return nil, err
	}
	si.Every = time.Duration(every) * time.Millisecond
	if sel != "" {
		si.Selectors = new(model.Selectors)
		if err := json.Unmarshal([]byte(sel), si.Selectors); err != nil {
			return nil, fmt.Errorf("store: source %s: selectors: %w", si.ID, err)
		}
	}
	if wb != "" {
		si.Wayback = new(model.Wayback)
		if err := json.Unmarshal([]byte(wb), si.Wayback); err != nil {
			return nil, fmt.Errorf("store: source %s: wayback settings: %w", si.ID, err)
		}
	}
	st.SourceID = si.ID
	st.LastFetch, st.LastSuccess, st.NextDue = fromMS(last), fromMS(success), fromMS(nextDue)
	return &si, nil
}

// Sources lists every source, active ones first, by id.
func (s *Store) Sources(ctx context.Context) ([]*SourceInfo, error) {
	return s.querySources(ctx, "sources", "ORDER BY active DESC, id")
}

// querySources returns the sources the SQL tail (WHERE and ORDER BY)
// selects; what names them in an error.
func (s *Store) querySources(ctx context.Context, what, tail string) ([]*SourceInfo, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+sourceCols+" FROM sources "+tail)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*SourceInfo
	for rows.Next() {
		si, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	rows.Close()
	if err := s.fillBackfills(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Source returns one source by id, or ErrNotFound.
func (s *Store) Source(ctx context.Context, id string) (*SourceInfo, error) {
	si, err := scanSource(s.db.QueryRowContext(ctx, "SELECT "+sourceCols+" FROM sources WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: source %s: %w", id, err)
	}
	if err := s.fillBackfills(ctx, []*SourceInfo{si}); err != nil {
		return nil, err
	}
	return si, nil
}

// SourceState returns what is known of a source's validators and health.
// A source never seen has a zero state.
func (s *Store) SourceState(ctx context.Context, id string) (model.SourceState, error) {
	si, err := s.Source(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return model.SourceState{SourceID: id}, nil
	}
	if err != nil {
		return model.SourceState{}, err
	}
	return si.State, nil
}

// SaveSourceState stores a source's validators and health after a run.
func (s *Store) SaveSourceState(ctx context.Context, st model.SourceState) error {
	_, err := s.db.ExecContext(ctx, `
UPDATE sources SET etag = ?, last_modified = ?, body_hash = ?, last_fetch = ?, last_success = ?,
    last_status = ?, error_kind = ?, error = ?, failures = ?, next_due = ?
WHERE id = ?`,
		st.ETag, st.LastModified, st.BodyHash, ms(st.LastFetch), ms(st.LastSuccess), st.LastStatus,
		st.ErrorKind, st.Error, st.Failures, ms(st.NextDue), st.SourceID)
	if err != nil {
		return fmt.Errorf("store: save state of %s: %w", st.SourceID, err)
	}
	return nil
}

// RecordFetch stores one fetch record and returns its id.
func (s *Store) RecordFetch(ctx context.Context, f *model.Fetch) (int64, error) {
	if f.At.IsZero() {
		f.At = s.now()
	}
	res, err := s.db.ExecContext(ctx, `
INSERT INTO fetches (source_id, url, at, status, bytes, duration_ms, error_kind, error, sha256, not_changed, warc_file, warc_record,
    warc_offset, warc_length, captured_at, capture)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.SourceID, f.URL, f.At.UnixMilli(), f.Status, f.Bytes, f.Duration.Milliseconds(), f.ErrorKind, f.Error,
		f.SHA256, f.NotChanged, f.WARCFile, f.WARCRecord, f.WARCOffset, f.WARCLength, ms(f.CapturedAt), f.Capture)
	if err != nil {
		return 0, fmt.Errorf("store: record fetch of %s: %w", f.URL, err)
	}
	f.ID, err = res.LastInsertId()
	return f.ID, err
}

// FetchUnreadable marks a fetch whose exchange succeeded but whose body
// could not be read, with the reason.
func (s *Store) FetchUnreadable(ctx context.Context, fetchID int64, kind model.ErrorKind, msg string) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE fetches SET error_kind = ?, error = ? WHERE id = ? AND error_kind = ''", kind, msg, fetchID); err != nil {
		return fmt.Errorf("store: mark fetch %d unreadable: %w", fetchID, err)
	}
	return nil
}

// Fetch returns one fetch record by id, or ErrNotFound.
func (s *Store) Fetch(ctx context.Context, id int64) (*model.Fetch, error) {
	var (
		f        model.Fetch
		at       int64
		dur      int64
		captured sql.NullInt64
	)
	err := s.db.QueryRowContext(ctx, `
SELECT id, source_id, url, at, status, bytes, duration_ms, error_kind, error, sha256, not_changed, warc_file, warc_record,
    warc_offset, warc_length, captured_at, capture
FROM fetches WHERE id = ?`, id).Scan(&f.ID, &f.SourceID, &f.URL, &at, &f.Status, &f.Bytes, &dur, &f.ErrorKind,
		&f.Error, &f.SHA256, &f.NotChanged, &f.WARCFile, &f.WARCRecord, &f.WARCOffset, &f.WARCLength, &captured, &f.Capture)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: fetch %d: %w", id, err)
	}
	f.At = time.UnixMilli(at).UTC()
	if captured.Valid {
		f.CapturedAt = time.UnixMilli(captured.Int64).UTC()
	}
	f.Duration = time.Duration(dur) * time.Millisecond
	return &f, nil
}

// EnsureSource adds a source that is not in the configuration (the one
// imported files are filed under) unless a source with its id exists.
func (s *Store) EnsureSource(ctx context.Context, src model.Source) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO sources (id, name, type, url, stance, lang, every_ms, keep, active, origin) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 1, 'import')
ON CONFLICT (id) DO UPDATE SET active = 1 WHERE type = 'import'`, src.ID, src.Name, src.Type, src.URL, src.Stance, src.Lang, src.Keep)
	if err != nil {
		return fmt.Errorf("store: add source %s: %w", src.ID, err)
	}
	return nil
}
