package main

import (
	"flag"
	"fmt"
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

func TestPeakResidentReadsTheHighWaterMark(t *testing.T) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc here")
	}
	peak, ok := peakResident()
	if !ok || peak <= 0 {
		t.Fatalf("peakResident() = %v, %v", peak, ok)
	}
	// The high-water mark is at least what was resident a moment ago.
	var rss float64
	for line := range strings.Lines(string(b)) {
		if _, err := fmt.Sscanf(line, "VmRSS: %g kB", &rss); err == nil {
			break
		}
	}
	if rss <= 0 || peak < rss/1024 {
		t.Errorf("peak %.1f MiB, below the %.1f MiB resident before it was read", peak, rss/1024)
	}
}
