package main

import (
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
