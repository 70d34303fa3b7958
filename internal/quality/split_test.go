package quality

import (
	"fmt"
	"testing"
)

// The split is fixed by the base names alone and about even.
func TestHalfOf(t *testing.T) {
	// Pinned: a change of hash would move pages between the halves and
	// make the test half's figures tuned ones.
	pinned := map[string]Half{"1.html": Test, "2.html": Dev, "3.html": Test, "4.html": Dev,
		"5.html": Dev, "6.html": Test, "7.html": Dev, "8.html": Test, "corpus/x/8.html": Test}
	for name, want := range pinned {
		if got := HalfOf(name); got != want {
			t.Errorf("HalfOf(%q) = %s, want %s", name, got, want)
		}
	}
	n := map[Half]int{}
	for i := range 1000 {
		n[HalfOf(fmt.Sprintf("page-%04d.html", i))]++
	}
	if n[Dev] < 450 || n[Test] < 450 || n[Dev]+n[Test] != 1000 {
		t.Errorf("1000 names split %d dev, %d test; want about half each", n[Dev], n[Test])
	}
	if !All.In("anything") || Dev.In("1.html") || !Test.In("1.html") || !Dev.In("2.html") {
		t.Error("Half.In disagrees with HalfOf")
	}
}
