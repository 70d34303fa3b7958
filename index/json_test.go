package index

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestResultJSON pins the JSON the web layer serves: field names, null
// for an unknown date, no score outside relevance sort, next cursor.
func TestResultJSON(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	res, err := ix.Search(context.Background(), Request{Query: "shooting OR Zhanaozen", Sources: []string{"rferl"}, Sort: SortOldest, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	page2, err := ix.Search(context.Background(), Request{Query: "shooting OR Zhanaozen", Sources: []string{"rferl"}, Sort: SortOldest, Limit: 1, After: res.Next})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent([]*Result{res, page2}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "result.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != string(got) {
		t.Errorf("JSON differs from %s (rerun with -update if intended):\n%s", golden, got)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
