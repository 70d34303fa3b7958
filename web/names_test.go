package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// namedSources are one source with a name and one without.
var namedSources = []model.Source{
	{ID: "world-wire", Name: "World Wire Service", Type: model.SourceFeed, URL: "https://wire.example/rss", Stance: model.StanceInternational, Every: time.Hour, Keep: model.KeepAll},
	{ID: "plain-src", Type: model.SourceFeed, URL: "https://plain.example/rss", Stance: model.StanceState, Every: time.Hour, Keep: model.KeepAll},
}

// newStoreServer serves arts of srcs from a store and an index.
func newStoreServer(t testing.TB, srcs []model.Source, arts []*model.Article) *httptest.Server {
	t.Helper()
	return newStoreServerAs(t, srcs, arts, false, nil)
}

// newStoreServerAs is newStoreServer, for an administrator who may change
// the sources when admin is set, after setup (when not nil) has changed the
// store.
func newStoreServerAs(t testing.TB, srcs []model.Source, arts []*model.Article, admin bool, setup func(*store.Store)) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		a.LastChecked, a.State, a.Provenance = a.FirstSeen, model.StateLive, model.ProvenanceCrawl
		if err := st.CreateArticle(ctx, a, nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	if setup != nil {
		setup(st)
	}
	ix, err := index.OpenMem(index.WithSources(srcs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	opts := Options{Search: ix, Store: st, MaxSearches: 16, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if admin {
		opts.Admin, opts.Sources = true, &fakeSources{st: st}
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func namedArticles() []*model.Article {
	seen := time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)
	return []*model.Article{
		{URL: "https://wire.example/1", SourceID: "world-wire", Lang: "en", Title: "Strike in the oil town",
			Published: seen.Add(-time.Hour), Text: "Strike in the oil town\n\nOil workers went on strike.", ContentHash: "n1", FirstSeen: seen},
		{URL: "https://plain.example/2", SourceID: "plain-src", Lang: "en", Title: "Oil output grew",
			Published: seen.Add(-2 * time.Hour), Text: "Oil output grew this year.", ContentHash: "n2", FirstSeen: seen.Add(time.Hour)},
	}
}

// TestSourceNamesNotIDs holds that a reader sees a source's name, or its
// id when it has none, in the search page's facets and results, the Atom
// feed's authors and the exports' source_name beside the id.
func TestSourceNamesNotIDs(t *testing.T) {
	srv := newStoreServer(t, namedSources, namedArticles())

	_, body := get(t, srv.URL+"/search?q=oil")
	facets, results, ok := strings.Cut(body, `<ol class="hits">`)
	if !ok {
		t.Fatalf("no results: %.2000s", body)
	}
	for _, part := range []struct{ name, html string }{{"facets", facets}, {"results", results}} {
		if !strings.Contains(part.html, "World Wire Service") {
			t.Errorf("the %s do not name World Wire Service", part.name)
		}
		if !strings.Contains(part.html, ">plain-src<") {
			t.Errorf("the %s do not fall back to the id plain-src", part.name)
		}
		if strings.Contains(part.html, ">world-wire<") || strings.Contains(part.html, "world-wire</a>") {
			t.Errorf("the %s show the id world-wire as a name", part.name)
		}
	}

	var feed feedDoc
	_, body = get(t, srv.URL+"/search.atom?q=oil")
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	authors := map[string]bool{}
	for _, e := range feed.Entries {
		authors[e.Author] = true
	}
	if len(feed.Entries) != 2 || !authors["World Wire Service"] || !authors["plain-src"] {
		t.Errorf("feed authors %v, want World Wire Service and plain-src", authors)
	}

	_, body = get(t, srv.URL+"/search.csv?q=oil")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv %q: %v", rows, err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[col["source"]]] = r[col["source_name"]]
	}
	if got["world-wire"] != "World Wire Service" || got["plain-src"] != "plain-src" {
		t.Errorf("csv source to source_name %v", got)
	}

	_, body = get(t, srv.URL+"/search.jsonl?q=oil")
	got = map[string]string{}
	for l := range strings.SplitSeq(strings.TrimSpace(body), "\n") {
		var line struct {
			Source     string `json:"source"`
			SourceName string `json:"source_name"`
			Title      string `json:"title"`
			Snippet    string `json:"snippet"`
		}
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatal(err)
		}
		// The snippet reads as on the page: the title the text starts
		// with is left out.
		if strings.HasPrefix(line.Snippet, line.Title+"\n") {
			t.Errorf("jsonl snippet %q repeats the title", line.Snippet)
		}
		got[line.Source] = line.SourceName
	}
	if got["world-wire"] != "World Wire Service" || got["plain-src"] != "plain-src" {
		t.Errorf("jsonl source to source_name %v", got)
	}
}
