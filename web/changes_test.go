package web

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestChangesPage(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, "/changes", "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	removed := strings.Index(body, `<strong class="kind">Removed</strong>`)
	edited := strings.Index(body, `<strong class="kind">Edited</strong>`)
	if removed < 0 || edited < 0 || removed > edited {
		t.Errorf("want the removal, then the edit (newest first): removed at %d, edited at %d", removed, edited)
	}
	for _, want := range []string{
		`<a href="/articles/1">Беспорядки в Жанаозене</a>`, "Azattyq", "2011-12-19 08:00:00 UTC", "404 Not Found",
		"headline changed; 4 words removed, 2 added", `<link rel="alternate" type="application/atom+xml" href="/changes.atom"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/changes lacks %q", want)
		}
	}
	if strings.Contains(body, "Strike report") {
		t.Error("a completed text (not an edit) is listed as a change")
	}
	assertNoKeys(t, body)
	if _, ru := h.get(t, "/changes", "ru"); !strings.Contains(ru, "Изменения в источниках") || !strings.Contains(ru, "Удалено") {
		t.Error("the Russian /changes is not in Russian")
	}
	if res, _ := h.get(t, "/changes?before=x", ""); res.StatusCode != 400 {
		t.Errorf("before=x: %d", res.StatusCode)
	}
}

func TestAPIChangesPaging(t *testing.T) {
	h := newHistoryFixture(t)
	type page struct {
		Changes []ChangeJSON
		Next    *int64 `json:"next_before"`
	}
	read := func(path string) page {
		t.Helper()
		res, body := h.get(t, path, "")
		var p page
		if res.StatusCode != 200 || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		return p
	}
	p := read("/api/changes?limit=1")
	if len(p.Changes) != 1 || p.Changes[0].Kind != "removed" || p.Changes[0].Article.ID != 1 || p.Next == nil || *p.Next != p.Changes[0].ID {
		t.Fatalf("first page: %+v", p)
	}
	p = read(fmt.Sprintf("/api/changes?limit=1&before=%d", *p.Next))
	if len(p.Changes) != 1 || p.Changes[0].Kind != "edited" || !p.Changes[0].TitleChanged || p.Changes[0].WordsRemoved != 4 ||
		p.Changes[0].WordsAdded != 2 || p.Changes[0].Article.Source.Name != "Azattyq" || p.Next != nil {
		t.Fatalf("second page: %+v", p)
	}
	if all := read("/api/changes"); len(all.Changes) != 2 || all.Next != nil {
		t.Errorf("all changes: %+v", all)
	}
	for _, bad := range []string{"before=0", "before=x", "limit=0", "limit=100000"} {
		if res, body := h.get(t, "/api/changes?"+bad, ""); res.StatusCode != 400 || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %d %s", bad, res.StatusCode, body)
		}
	}
}

func TestChangesAtom(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, "/changes.atom", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	var feed atomFeed
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 2 || feed.Updated != "2011-12-19T08:00:00Z" {
		t.Fatalf("feed: %+v", feed)
	}
	e := feed.Entries[0]
	if e.Title.Text != "Removed: Беспорядки в Жанаозене" || e.Summary == nil || e.Summary.Text != "404 Not Found" ||
		e.Links[0].Href != h.srv.URL+"/articles/1" || e.Author.Name != "Azattyq" || !strings.HasPrefix(e.ID, "tag:presswatch,2024:event-") {
		t.Errorf("entry: %+v", e)
	}
	if s := feed.Entries[1].Summary; s == nil || s.Text != "headline changed; 4 words removed, 2 added" {
		t.Errorf("the edit's summary: %+v", s)
	}
}

// The changes feed as a real feed reader's parser sees it (see
// TestAtomFeedReadByFeedparser).
func TestChangesAtomReadByFeedparser(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import feedparser").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Debian's python3-feedparser (.ci/run installs it): %v", err)
		}
		t.Skipf("no python3-feedparser here (apt-get install python3-feedparser): %v", err)
	}
	h := newHistoryFixture(t)
	_, body := h.get(t, "/changes.atom", "")
	path := filepath.Join(t.TempDir(), "changes.atom")
	os.WriteFile(path, []byte(body), 0o644)
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
	if got.Bozo != 0 || got.Version != "atom10" || got.Title != "presswatch: changes at the sources" || len(got.Entries) != 2 {
		t.Fatalf("feedparser saw %+v", got)
	}
	for _, e := range got.Entries {
		if e.Title == "" || !strings.HasSuffix(e.Link, "/articles/1") || e.ID == "" {
			t.Errorf("entry as a reader sees it: %+v", e)
		}
	}
}
