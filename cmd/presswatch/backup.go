package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"presswatch/internal/archive"
)

// A backup folder holds presswatch.db (the store, made by SQLite's VACUUM
// INTO), warc/ (the archive's files) and backup.json (the manifest below).
// It holds no index: a Bleve index can be copied only while nothing
// writes it, and serve writes it; restore builds it again from the store.
const manifestName = "backup.json"

// manifest says what a backup holds; restore reads it to know a backup.
type manifest struct {
	Presswatch string    `json:"presswatch"` // the version that made it
	Made       time.Time `json:"made"`
	Schema     int       `json:"schema"` // the store's newest migration
	Articles   int       `json:"articles"`
	WARCFiles  int       `json:"warc_files"`
	WARCBytes  int64     `json:"warc_bytes"`
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("backup", "[--data DIR] DIR",
		"Copies the data folder into the new or empty folder DIR, also while serve\n"+
			"runs: the store with SQLite's VACUUM INTO (one consistent snapshot, WAL\n"+
			"or not), then the WARC files, the one being written up to its last whole\n"+
			"record. The search index is not copied: `presswatch restore DIR` builds\n"+
			"it again from the store. The configuration file is the operator's own to\n"+
			"keep; topics made in the web UI are in the store.", stdout, stderr)
	c.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: presswatch backup [--data DIR] DIR", errUsage)
	}
	dest := fs.Arg(0)
	if err := emptyFolder(dest); err != nil {
		return fmt.Errorf("backup into %s: %w", dest, err)
	}
	if _, err := os.Stat(c.dbPath()); err != nil {
		return fmt.Errorf("backup: no store to back up: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dest, "warc"), 0o755); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	start := time.Now()
	// The store first: every fetch row in it was stored after its WARC
	// records were written, so the WARC copied after holds them all.
	m, err := vacuumInto(ctx, c.dbPath(), filepath.Join(dest, "presswatch.db"))
	if err != nil {
		return err
	}
	m.Presswatch, m.Made = version, start.UTC()
	if m.WARCFiles, m.WARCBytes, err = copyWARC(c.warcPath(), filepath.Join(dest, "warc"), stderr); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := writeSynced(filepath.Join(dest, manifestName), b); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stderr, "backed up %d articles and %d WARC files (%d bytes) into %s in %s\n",
		m.Articles, m.WARCFiles, m.WARCBytes, dest, time.Since(start).Round(time.Millisecond))
	return nil
}

// emptyFolder checks that dir does not exist or is an empty folder.
func emptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0:
		var names []string
		for i, e := range entries {
			if i == 3 {
				names = append(names, "...")
				break
			}
			names = append(names, e.Name())
		}
		return fmt.Errorf("the folder is not empty (it holds %s): only an empty or new folder is used, so nothing is overwritten",
			strings.Join(names, ", "))
	}
	return nil
}

// vacuumInto writes a consistent copy of the SQLite database at src to
// dest (which must not exist) with VACUUM INTO: one read transaction, so
// writers (serve) go on meanwhile and the copy is the database as it was
// when the transaction began. It does not migrate or change src.
func vacuumInto(ctx context.Context, src, dest string) (manifest, error) {
	var m manifest
	abs, err := filepath.Abs(src)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return m, fmt.Errorf("backup: open %s: %w", src, err)
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&m.Articles); err != nil {
		return m, fmt.Errorf("backup: %s is not a presswatch store: %w", src, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&m.Schema); err != nil {
		return m, fmt.Errorf("backup: %s: schema version: %w", src, err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return m, fmt.Errorf("backup: copy %s into %s: %w", src, dest, err)
	}
	return m, nil
}

// copyWARC copies the archive's files from src into dest. A WARC file is
// copied as far as it was written when the copy began, then read through
// (archive.Verify); a tail cut inside a record (the exchange being
// written) is left out of the copy, so the copy holds whole records only.
// Other damage is copied as it is and reported: it is in the original too.
// Other files (a crash's cut tails) are copied whole.
func copyWARC(src, dest string, stderr io.Writer) (files int, bytes int64, err error) {
	entries, err := os.ReadDir(src)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil // nothing was ever fetched
	} else if err != nil {
		return 0, 0, fmt.Errorf("backup: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		from, to := filepath.Join(src, e.Name()), filepath.Join(dest, e.Name())
		n, err := copyPrefix(from, to)
		if err != nil {
			return files, bytes, fmt.Errorf("backup: %w", err)
		}
		if strings.HasSuffix(e.Name(), ".warc.gz") {
			if n, err = wholeRecords(to, n, stderr); err != nil {
				return files, bytes, fmt.Errorf("backup: %w", err)
			}
			files++
		}
		bytes += n
	}
	return files, bytes, nil
}

// copyPrefix copies the first bytes of from that it holds now into the new
// file to, and syncs it.
func copyPrefix(from, to string) (int64, error) {
	in, err := os.Open(from)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return 0, err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.NewSectionReader(in, 0, st.Size()))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", from, err)
	}
	return n, nil
}

// wholeRecords reads the copied WARC file at path through and cuts a
// truncated last record off it, returning its size.
func wholeRecords(path string, size int64, stderr io.Writer) (int64, error) {
	rep, err := archive.Verify(path)
	if err != nil {
		return size, err
	}
	if rep.OK() {
		return size, nil
	}
	if rep.First.Kind == archive.Truncated && rep.Problems == 1 {
		if err := os.Truncate(path, rep.Valid); err != nil {
			return size, err
		}
		fmt.Fprintf(stderr, "%s: copied up to its last whole record (%d of %d bytes; the rest was being written)\n",
			filepath.Base(path), rep.Valid, size)
		return rep.Valid, nil
	}
	fmt.Fprintf(stderr, "warning: %s is damaged in the data folder too, copied as it is: %v\n", filepath.Base(path), rep.First)
	return size, nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
