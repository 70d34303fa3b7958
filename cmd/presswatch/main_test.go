package main

import (
	"flag"
	"os"
	"path/filepath"
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
