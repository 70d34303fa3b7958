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
	"time"
)

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("restore", "[--data DIR] DIR",
		"Restores the backup in DIR (made by `presswatch backup`) into the data\n"+
			"folder, which must be new or empty: the store and the WARC files are\n"+
			"copied, the store is checked, and the search index is built from it.\n"+
			"A serve running on another folder goes on meanwhile: start one on the\n"+
			"restored folder when the restore is done.", stdout, stderr)
	c.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: presswatch restore [--data DIR] DIR", errUsage)
	}
	src := fs.Arg(0)
	m, err := readManifest(src)
	if err != nil {
		return err
	}
	if err := emptyFolder(c.data); err != nil {
		return fmt.Errorf("restore into %s: %w", c.data, err)
	}
	start := time.Now()
	if err := os.MkdirAll(c.warcPath(), 0o755); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := copyPrefix(filepath.Join(src, "presswatch.db"), c.dbPath()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := integrityCheck(ctx, c.dbPath()); err != nil {
		return err
	}
	if err := copyFiles(filepath.Join(src, "warc"), c.warcPath()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// A new index over a store whose articles are marked indexed: open
	// forgets the marks and catchUp indexes every article.
	a, err := c.open(ctx, nil, c.logger(stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.catchUp(ctx, stderr); err != nil {
		return err
	}
	counts, err := a.store.Counts(ctx)
	if err != nil {
		return err
	}
	if counts.Articles != m.Articles {
		return fmt.Errorf("restore: the restored store holds %d articles, the backup's manifest says %d", counts.Articles, m.Articles)
	}
	fmt.Fprintf(stderr, "restored %d articles and %d WARC files from %s (made %s by presswatch %s) into %s in %s\n",
		counts.Articles, m.WARCFiles, src, m.Made.Format(time.RFC3339), m.Presswatch, c.data, time.Since(start).Round(time.Millisecond))
	return nil
}

// readManifest reads a backup folder's manifest, saying so when dir is
// not a backup.
func readManifest(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("restore: %s is not a presswatch backup: it has no %s", dir, manifestName)
	} else if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("restore: %s: %w", filepath.Join(dir, manifestName), err)
	}
	return m, nil
}

// integrityCheck runs SQLite's integrity_check on the database at path.
func integrityCheck(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs)}).String())
	if err != nil {
		return fmt.Errorf("restore: open %s: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return fmt.Errorf("restore: check %s: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("restore: the backup's store is damaged: %s", res)
	}
	return nil
}

// copyFiles copies every regular file of src into dest whole.
func copyFiles(src, dest string) error {
	entries, err := os.ReadDir(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			if _, err := copyPrefix(filepath.Join(src, e.Name()), filepath.Join(dest, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
