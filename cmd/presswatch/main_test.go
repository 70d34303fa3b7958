package main

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
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
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc here")
	}
	before, ok := peakResident()
	if !ok || before <= 0 {
		t.Fatalf("peakResident() = %v, %v", before, ok)
	}
	// Touch 64 MiB more than the process has held: the mark must rise.
	b := make([]byte, int(before+64)<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	after, _ := peakResident()
	if after < before+60 {
		t.Errorf("peak %.1f MiB after touching %d MiB, was %.1f", after, len(b)>>20, before)
	}
	runtime.KeepAlive(b)
}
