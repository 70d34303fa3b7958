package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The collection lines of GODEBUG=gctrace=1 give the live heap and the
// collector's share, and are left out of the text, also when a line
// arrives in pieces; every other line is kept as written.
func TestHeapTraceReadsTheCollectionLines(t *testing.T) {
	var h heapTrace
	for _, piece := range []string{
		"gc 1 @0.011s 2%: 0.021+0.40+0.004 ms clock, 0.043+0.11/0.25/0.30+0.009 ms cpu, 3->3->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n",
		"level=WARN msg=\"slow host\"\ngc 2 @1.5s 7%: 0.02+3.1+0.01 ms clock, 0.05+0.5/2.0/1.1+0.02 ms cpu, 250->260->",
		"122 MB, 300 MB goal, 0 MB stacks, 0 MB globals, 2 P\ngc 3 @2.0s 9%: 0.02+3.1+0.01 ms clock, 0.05+0.5/2.0/1.1+0.02 ms cpu, 240->250->97 MB, 300 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)\n",
		"peak memory: 310.5 MiB resident\n",
	} {
		if n, err := h.Write([]byte(piece)); err != nil || n != len(piece) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	gcs, live, maxLive := h.last()
	if gcs != 3 || live != 97 || maxLive != 122 {
		t.Errorf("last() = %d collections, live %v, largest %v; want 3, 97, 122", gcs, live, maxLive)
	}
	if s := h.share(); s != 9 {
		t.Errorf("share() = %v %%, want 9", s)
	}
	want := "level=WARN msg=\"slow host\"\npeak memory: 310.5 MiB resident\n"
	if got := h.String(); got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if peakLine.FindStringSubmatch(h.String()) == nil || strings.Contains(h.String(), "gc ") {
		t.Error("the text lost the peak line or kept a collection line")
	}
}

// A long run's configuration gives each source run two hours and has
// serve poll every minute, and stays valid.
func TestLongRunConfigLetsARunGoOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "farm.yaml")
	farmCfg := "contact: https://presswatch.test/farm\nallow_private_networks: true\ncrawl:\n  workers: 32\nsources:\n" +
		"  - {id: farm-h000-f00, name: \"A — 0\", type: feed, url: \"http://127.77.1.1:8080/feed-0.xml\", stance: state, every: 1h, keep: all}\n" +
		"  - {id: farm-h000-f01, name: \"A — 1\", type: feed, url: \"http://127.77.1.1:8080/feed-1.xml\", stance: state, every: 1h, keep: all}\n"
	if err := os.WriteFile(path, []byte(farmCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := longRunConfig(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, "crawl:\n  run_budget: 2h\n") || strings.Contains(s, "every: 1h") || strings.Count(s, "every: 1m,") != 2 {
		t.Errorf("configuration:\n%s", s)
	}
}
