package crawler

import (
	"context"
	"errors"
	"syscall"

	"presswatch/internal/model"
)

// storeErr marks an error of the State or the Sink's look-ups as the
// store's (model.ErrStore), unless it already says whose it is. Such an
// error is never charged to an item or a source: it stops the run.
func storeErr(err error) error {
	if err == nil || kindOf(err) == model.ErrStore || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // a run stopped or out of time is no fault of the store
	}
	return &model.Error{Kind: model.ErrStore, Err: err}
}

// ownFault reports whether err is presswatch's own failure that stops a
// run: the store failing, or the archive unable to write for want of
// space. Every item after it would fail the same way, so the run ends at
// once, nothing is marked failed, and the source's health is left as it
// was.
func ownFault(err error) bool {
	switch kindOf(err) {
	case model.ErrStore:
		return true
	case model.ErrArchive:
		return DiskFull(err)
	}
	return false
}

// DiskFull reports whether err comes from a write refused for want of
// space: a full disk (ENOSPC), a quota (EDQUOT) or a file size limit
// (EFBIG).
func DiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT)
}

// OwnFault reports whether the run stopped for presswatch's own failure
// (its store, or a full disk under its archive) rather than the source's;
// nothing was charged to the source or its items, and a crawl should stop
// rather than run the next source into the same failure.
func (r Report) OwnFault() bool { return r.Err != nil && ownFault(r.Err) }
