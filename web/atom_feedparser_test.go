package web

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// feedparserCheck is run by Debian's python3 with python3-feedparser, a
// parser presswatch did not write: it prints what a feed reader sees.
const feedparserCheck = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": int(bool(d.bozo)), "exc": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title", ""), "entries": [{"title": e.get("title", ""), "link": e.get("link", ""),
  "published": e.get("published", ""), "id": e.get("id", "")} for e in d.entries]}))
`

// The Atom feed of a search as a real feed reader's parser sees it.
func TestAtomFeedReadByFeedparser(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import feedparser").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Debian's python3-feedparser (.ci/run installs it): %v", err)
		}
		t.Skipf("no python3-feedparser here (apt-get install python3-feedparser): %v", err)
	}
	srv := newSearchServer(t, spArticles(), true)
	res, err := http.Get(srv.URL + "/search.atom?q=Жанаозене")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	path := filepath.Join(t.TempDir(), "feed.atom")
	os.WriteFile(path, body, 0o644)
	out, err := exec.Command(py, "-c", feedparserCheck, path).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var got struct {
		Bozo    int
		Exc     string
		Version string
		Title   string
		Entries []struct{ Title, Link, Published, ID string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Bozo != 0 || got.Version != "atom10" || got.Title != "presswatch: Жанаозене" || len(got.Entries) < 2 {
		t.Fatalf("feedparser saw %+v", got)
	}
	for _, e := range got.Entries {
		if e.Title == "" || e.Link == "" || e.Published == "" || e.ID == "" {
			t.Errorf("entry as a reader sees it: %+v", e)
		}
	}
}
