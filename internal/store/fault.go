package store

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Fault reports whether err is the store's own failure rather than a
// fault of what was being stored: anything SQLite refuses (locked, busy,
// read-only, a disk I/O error, a full disk, a corrupt file), the
// database closed, or a write the file system refused. Callers must not
// charge such an error to an item or a source.
func Fault(err error) bool {
	if err == nil {
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return true
	}
	for _, e := range []error{sql.ErrConnDone, sql.ErrTxDone, syscall.ENOSPC, syscall.EFBIG, syscall.EDQUOT, syscall.EROFS, syscall.EIO} {
		if errors.Is(err, e) {
			return true
		}
	}
	// database/sql's own error for a closed *sql.DB is not exported.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// NoSpace reports whether err is a write refused for want of space:
// SQLite's "database or disk is full", ENOSPC, EDQUOT or EFBIG. SQLite
// reports some of these as a plain disk I/O error; for those it looks
// whether the file system under the database at path is full, or the
// database or its WAL has reached the process's file size limit.
func NoSpace(err error, path string) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return true
		case sqlite3.SQLITE_IOERR:
			return full(path)
		}
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT)
}

// full reports whether the database at path cannot grow by a page: its
// file system has no room, or it or its WAL is at the file size limit.
func full(path string) bool {
	const page = 64 << 10 // a few of SQLite's pages and WAL frames
	var fs syscall.Statfs_t
	if syscall.Statfs(filepath.Dir(path), &fs) == nil && uint64(fs.Bavail)*uint64(fs.Bsize) < page {
		return true
	}
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim) != nil || lim.Cur == ^uint64(0) { // RLIM_INFINITY
		return false
	}
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil && uint64(fi.Size())+page > lim.Cur {
			return true
		}
	}
	return false
}
