package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a row asked for by id or URL does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is the SQLite database. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	now      func() time.Time
	readOnly error // why the database is open for reading only; nil when writable
}

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema. Close must be called.
//
// When the database or its folder cannot be written (a read-only file
// system or permissions), Open opens it for reading only and writes
// nothing, not even a migration: ReadOnly says why, and every write
// fails. A database that needs a migration cannot be opened so.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	ro := writable(path)
	if ro != nil {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("store: %s cannot be created: %w", path, ro)
		}
	}
	q := url.Values{}
	pragmas := []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"}
	if ro != nil {
		pragmas = []string{"busy_timeout(10000)", "foreign_keys(1)"}
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	switch _, err := os.Stat(path + "-wal"); {
	case ro == nil:
		q.Set("_txlock", "immediate")
	case err == nil:
		q.Set("mode", "ro") // SQLite reads the WAL a crash left, with the -shm beside it
	default:
		q.Set("immutable", "1") // no WAL to read; SQLite must not try to make its -shm
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// A file: URI, so the pragmas apply; the path is escaped so a data
	// folder named "a#b" or "a?b" is not cut short.
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: time.Now, readOnly: ro}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// ReadOnly is nil when the database can be written, or else why not (its
// file or folder is read-only): then Open wrote nothing and every write
// fails.
func (s *Store) ReadOnly() error { return s.readOnly }

// writable is nil when the database at path and its folder can be
// written (the file opened for writing, a file made and removed beside
// it), or else says which cannot: "presswatch.db: permission denied".
func writable(path string) error {
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", filepath.Base(path), errnoOf(err))
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".presswatch-write-check-*")
	if err != nil {
		return fmt.Errorf("%s: its folder cannot be written: %w", filepath.Base(path), errnoOf(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// errnoOf strips the *fs.PathError around err: the caller names the file.
func errnoOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close closes the database. It is safe to call twice.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// SchemaVersion is the number of the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	have, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	if have > len(names) {
		return fmt.Errorf("store: %s has schema %d, newer than this presswatch knows (%d)", s.path, have, len(names))
	}
	if s.readOnly != nil && have < len(names) {
		return fmt.Errorf("store: %s has schema %d and this presswatch needs %d, but it is read-only, so the migration cannot run (%v): open it once where it can be written",
			s.path, have, len(names), s.readOnly)
	}
	for i := have; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate %s to %s: %w", s.path, names[i], err)
		}
	}
	return nil
}

// tx runs fn in one transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ms converts a time to the stored form; the zero time is NULL.
func ms(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// offset is t's UTC offset in seconds, NULL for the zero time.
func offset(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	_, off := t.Zone()
	return sql.NullInt64{Int64: int64(off), Valid: true}
}

// withOffset puts a stored instant back into the publisher's offset.
func withOffset(t time.Time, off sql.NullInt64) time.Time {
	if t.IsZero() || !off.Valid || off.Int64 == 0 {
		return t
	}
	return t.In(time.FixedZone("", int(off.Int64)))
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// chunkSize bounds the values of one IN (...) list.
const chunkSize = 500

// inChunks calls fn with successive chunks of values, each with its values
// as query arguments and the matching "?, ?" placeholders.
func inChunks[T any](values []T, fn func(args []any, marks string) error) error {
	for start := 0; start < len(values); start += chunkSize {
		chunk := values[start:min(start+chunkSize, len(values))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		if err := fn(args, placeholders(len(chunk))); err != nil {
			return err
		}
	}
	return nil
}
