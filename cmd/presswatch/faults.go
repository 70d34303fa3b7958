package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"presswatch/crawler"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// stoppedBy is the error a command ends with when presswatch's own store
// or archive failed (see crawler.Report.OwnFault), naming where: nil for
// a nil fault. What was stored before it stays, and the next run reads
// the rest.
func stoppedBy(fault error, a *app) error {
	if fault == nil {
		return nil
	}
	where := a.store.Path()
	var me *model.Error
	if errors.As(fault, &me) && me.Kind == model.ErrArchive {
		where = a.warcDir
	}
	if crawler.DiskFull(fault) || store.NoSpace(fault, a.store.Path()) {
		return fmt.Errorf("stopped: no space left to write %s; what was stored is kept, and the next run reads the rest once there is room: %w", abs(where), fault)
	}
	return fmt.Errorf("stopped: %s could not be written; nothing was charged to the sources, and the next run reads the rest: %w", abs(where), fault)
}

func abs(path string) string {
	if p, err := filepath.Abs(path); err == nil {
		return p
	}
	return path
}
