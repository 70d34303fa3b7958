package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/web"
)

// TestCrawlRunsAWaybackSource: presswatch crawl backfills a wayback source
// of the configuration file from a loopback archive, keeps what matches
// a topic, and presswatch sources shows the backfill's progress.
func TestCrawlRunsAWaybackSource(t *testing.T) {
	page := func(title, about string) string {
		return `<html><head><title>` + title + `</title></head><body><article><h1>` + title + `</h1>` +
			strings.Repeat("<p>"+about+" was the talk of the town that week, and the paper sent its reporter to see for herself.</p>", 6) +
			`</article></body></html>`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/cdx/search/cdx":
			fmt.Fprint(w, `[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["kz,x)/1","20111216100000","http://x.kz/1.html","text/html","200","A","1"],
["kz,x)/2","20111217100000","http://x.kz/2.html","text/html","200","B","1"]]`)
		case r.URL.Path == "/web/20111216100000id_/http://x.kz/1.html":
			fmt.Fprint(w, page("Zhanaozen, day 200", "The strike in Zhanaozen"))
		case r.URL.Path == "/web/20111217100000id_/http://x.kz/2.html":
			fmt.Fprint(w, page("Harvest", "The harvest"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
contact: https://presswatch.test/contact
crawl: {workers: 1, min_delay: 2ms, timeout: 10s}
topics:
  - {id: zhanaozen, query: Zhanaozen}
sources:
  - {id: x-2011, type: wayback, url: x.kz, from: 2011-12-01, to: 2012-12-31, endpoint: "%s", rate: 10, allow_private: true}
`, srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	table, _ := presswatch(t, 0, "sources", "--data", data)
	if !strings.Contains(table, "2 captures listed, 2 fetched, 1 stored, 0 remaining; every capture listed has been fetched") {
		t.Errorf("sources:\n%s", table)
	}
	out, _ := presswatch(t, 0, "sources", "--data", data, "--json")
	var got web.SourcesJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Sources) != 1 {
		t.Fatalf("sources --json: %v\n%s", err, out)
	}
	if b := got.Sources[0].Backfill; b == nil || *b != (web.BackfillStatus{Listed: 2, Fetched: 2, Stored: 1, ListingDone: true,
		From: "2011-12-01", To: "2012-12-31", Endpoint: srv.URL, Rate: 10}) {
		t.Errorf("sources --json backfill = %+v\n%s", b, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.ArticleByURL(context.Background(), "http://x.kz/1.html")
	if err != nil || a.Provenance != model.ProvenanceArchive {
		t.Fatalf("the on-topic capture: %+v, %v", a, err)
	}
	if _, err := st.ArticleByURL(context.Background(), "http://x.kz/2.html"); err == nil {
		t.Error("the off-topic capture was stored under keep: topic, the default")
	}
}
