package gcsettings

import (
	"runtime/debug"
	"testing"
)

// TestBatchSetsAndRestores: Batch sets the soft memory limit and GOGC of
// the batch commands and its restore puts back the settings before it.
func TestBatchSetsAndRestores(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	limit0, percent0 := debug.SetMemoryLimit(-1), debug.SetGCPercent(77)
	defer debug.SetGCPercent(percent0)
	restore := Batch()
	if l, p := debug.SetMemoryLimit(-1), debug.SetGCPercent(BatchGCPercent); l != MemoryLimit || p != BatchGCPercent {
		t.Errorf("under Batch: limit %d, GOGC %d; want %d and %d", l, p, MemoryLimit, BatchGCPercent)
	}
	restore()
	if l, p := debug.SetMemoryLimit(-1), debug.SetGCPercent(77); l != limit0 || p != 77 {
		t.Errorf("restored: limit %d, GOGC %d; want %d and 77", l, p, limit0)
	}
}

// TestBatchLeavesTheEnvironmentsSettings: a GOMEMLIMIT or GOGC set in the
// environment is left as the runtime read it.
func TestBatchLeavesTheEnvironmentsSettings(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	t.Setenv("GOGC", "50")
	limit0, percent0 := debug.SetMemoryLimit(-1), debug.SetGCPercent(50)
	defer debug.SetGCPercent(percent0)
	defer Batch()()
	if l, p := debug.SetMemoryLimit(-1), debug.SetGCPercent(50); l != limit0 || p != 50 {
		t.Errorf("with GOMEMLIMIT and GOGC set: limit %d, GOGC %d; want %d and 50 untouched", l, p, limit0)
	}
}
