package store

import (
	"database/sql"
	"errors"
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
// SQLite's "database or disk is full", ENOSPC, EDQUOT or EFBIG.
func NoSpace(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT)
}
