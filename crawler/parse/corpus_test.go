package parse

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/corpus"
)

func corpusDir(t *testing.T) string { return corpus.Dir(t) }

// TestFeedCorpus feeds every file of two public feed-parser test suites
// to Feed: none may panic (Feed recovers, so a recovered panic fails the
// test too) and none may take more than 5 seconds; and at least as many
// parse, with at least as many items with a link, as a little under what
// was measured (2,046 and 91; 1,020 and 33 on 2 December 2026), so a
// parser that fails every file fails the test.
func TestFeedCorpus(t *testing.T) {
	root := corpusDir(t)
	floors := map[string]struct{ ok, items int }{
		"feedparser-tests": {2000, 85},
		"gofeed-testdata":  {1000, 30},
	}
	for _, suite := range []string{"feedparser-tests", "gofeed-testdata"} {
		dir := filepath.Join(root, suite)
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("corpus %s not found (set PRESSWATCH_CORPUS to the shared corpus folder): %v", dir, err)
		}
		counts := map[string]int{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			outcome, items := feedOutcome(t, rel, body)
			counts[outcome]++
			counts["items"] += items
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d ok (%d items with a link), %d not_a_feed, %d parse errors",
			suite, counts["ok"], counts["items"], counts["not_a_feed"], counts["parse"])
		if f := floors[suite]; counts["ok"] < f.ok || counts["items"] < f.items {
			t.Errorf("%s: %d feeds parsed with %d items with a link; want at least %d and %d",
				suite, counts["ok"], counts["items"], f.ok, f.items)
		}
	}
}

// feedOutcome parses one file under a deadline and classifies the result:
// "ok" or the error kind, and the number of items.
func feedOutcome(t *testing.T, name string, body []byte) (string, int) {
	type result struct {
		l   *Listing
		err error
	}
	done := make(chan result, 1)
	go func() {
		l, err := Feed(body, "https://corpus.example/"+filepath.ToSlash(name))
		done <- result{l, err}
	}()
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			return "ok", len(r.l.Items)
		case strings.Contains(r.err.Error(), "feed parser failed"):
			t.Errorf("%s: the feed parser panicked: %v", name, r.err)
			return "panic", 0
		default:
			return string(kindOf(r.err)), 0
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: Feed did not return within 5s", name)
		return "", 0
	}
}
