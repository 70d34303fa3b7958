package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestStartProfileWritesAProfileAndNamesABadPath(t *testing.T) {
	if f := flag.Lookup("test.cpuprofile"); f != nil && f.Value.String() != "" {
		t.Skip("go test is profiling this process already")
	}
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop, err := startProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A pprof profile is gzip-compressed protobuf.
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("%s holds %d bytes that are not a gzip-compressed profile", path, len(b))
	}
	bad := filepath.Join(t.TempDir(), "missing", "cpu.prof")
	if _, err := startProfile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("profile into a missing folder: err %v, want one naming %s", err, bad)
	}
	stop, err = startProfile("")
	if err != nil || stop() != nil {
		t.Fatalf("no path: %v", err)
	}
}

// gcPercent reads the collector's current GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestBatchCommandsCollectLessOftenUnlessGOGCIsSet(t *testing.T) {
	saved := commands
	t.Cleanup(func() { commands = saved })
	seen := map[string]int{}
	probe := func(name string) func(context.Context, []string, io.Writer, io.Writer) error {
		return func(context.Context, []string, io.Writer, io.Writer) error {
			seen[name] = gcPercent()
			return nil
		}
	}
	commands = []command{{"batch", "", probe("batch"), true}, {"other", "", probe("other"), false}}
	before := gcPercent()

	for _, gogc := range []string{"", "50"} {
		t.Setenv("GOGC", gogc)
		clear(seen)
		for _, name := range []string{"batch", "other"} {
			if code := run(context.Background(), []string{name}, io.Discard, io.Discard); code != 0 {
				t.Fatalf("GOGC=%q %s: exit %d", gogc, name, code)
			}
			if got := gcPercent(); got != before {
				t.Errorf("GOGC=%q: after %s the collector runs at %d, want %d as before", gogc, name, got, before)
			}
		}
		want := before
		if gogc == "" {
			want = batchGCPercent
		}
		if seen["batch"] != want || seen["other"] != before {
			t.Errorf("GOGC=%q: a batch command ran at %d (want %d), another at %d (want %d)", gogc, seen["batch"], want, seen["other"], before)
		}
	}
}
