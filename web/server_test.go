package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

func newTestServer(t *testing.T, ready bool) *httptest.Server {
	t.Helper()
	ix, err := index.OpenMem(index.WithSources([]model.Source{{ID: "azattyq", Stance: model.StanceIndependent}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	seen := time.Date(2012, 1, 2, 0, 0, 0, 0, time.UTC)
	err = ix.Put(context.Background(), []*model.Article{
		{ID: 1, URL: "https://rus.azattyq.org/a/1.html", SourceID: "azattyq", Lang: "ru", FirstSeen: seen,
			Title:     "Расстрел нефтяников в Жанаозене <script>alert(1)</script>",
			Text:      "16 декабря 2011 года в Жанаозене полиция открыла огонь по бастующим нефтяникам.",
			Published: time.Date(2011, 12, 17, 0, 0, 0, 0, time.UTC)},
		{ID: 2, URL: "https://example.org/zh", SourceID: "azattyq", Lang: "en", FirstSeen: seen,
			Title: "Zhanaozen: police fire on striking oil workers", Text: "Police fired on striking oil workers in Zhanaozen."},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.SyncSources(context.Background(), []model.Source{{ID: "azattyq", Name: "Azattyq", Type: model.SourceFeed,
		URL: "https://rus.azattyq.org/api/x", Stance: model.StanceIndependent, Every: time.Hour, Keep: model.KeepAll}})
	st.SaveSourceState(context.Background(), model.SourceState{SourceID: "azattyq", ErrorKind: model.ErrRobots,
		Error: "fetch: GET https://rus.azattyq.org/api/x: disallowed by robots.txt", Failures: 2,
		LastFetch: seen, NextDue: seen.Add(time.Hour)})
	s, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(ready)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestAPISearch(t *testing.T) {
	srv := newTestServer(t, true)
	for name, tc := range map[string]struct {
		query  string
		status int
		ids    []int64
		errHas string
	}{
		// Every spelling finds both; the one spelt as asked comes first.
		"cyrillic word":    {"q=Жанаозене", 200, []int64{1, 2}, ""},
		"latin word":       {"q=Zhanaozen", 200, []int64{2, 1}, ""},
		"language filter":  {"q=&lang=ru", 200, []int64{1}, ""},
		"date range":       {"q=&from=2011-12-17&to=2011-12-17", 200, []int64{1}, ""},
		"bad date":         {"q=x&from=2011-13-01", 400, nil, `"from"`},
		"bad query syntax": {"q=%22unclosed", 400, nil, "unclosed"},
		"bad stance":       {"q=x&stance=neutral", 400, nil, "neutral"},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := get(t, srv.URL+"/api/search?"+tc.query)
			if res.StatusCode != tc.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, type %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			if tc.status != 200 {
				var e struct{ Error string }
				if json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(e.Error, tc.errHas) {
					t.Errorf("error body %s, want it to mention %s", body, tc.errHas)
				}
				return
			}
			var r index.Result
			if err := json.Unmarshal([]byte(body), &r); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range r.Hits {
				ids = append(ids, h.ID)
			}
			if r.Total != uint64(len(tc.ids)) || len(ids) != len(tc.ids) || (len(ids) > 0 && ids[0] != tc.ids[0]) {
				t.Errorf("total %d ids %v, want %v", r.Total, ids, tc.ids)
			}
		})
	}
}

func TestNotReadyAnswers503(t *testing.T) {
	srv := newTestServer(t, false)
	for _, p := range []string{"/readyz", "/api/search?q=x"} {
		if res, body := get(t, srv.URL+p); res.StatusCode != 503 || !strings.Contains(body, "starting") {
			t.Errorf("%s: %d %s", p, res.StatusCode, body)
		}
	}
}

func TestHomePage(t *testing.T) {
	srv := newTestServer(t, true)
	res, body := get(t, srv.URL+"/search?q=Жанаозене")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"<mark>Жанаозене</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;", `value="Жанаозене"`,
		"independent", "17 Dec 2011", `<p class="total">2 articles`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a title's markup reached the page unescaped")
	}
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
	} {
		if !strings.Contains(res.Header.Get(h), want) {
			t.Errorf("header %s = %q", h, res.Header.Get(h))
		}
	}
	if res, _ := get(t, srv.URL+"/?q=Zhanaozen"); res.Request.URL.Path != "/search" {
		t.Errorf("/?q= was not sent on to /search: %s", res.Request.URL)
	}
	if res, body := get(t, srv.URL+"/search?q=%22unclosed"); res.StatusCode != 400 || !strings.Contains(body, `class="error"`) {
		t.Errorf("bad query page: %d", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/static/style.css"); res.StatusCode != 200 {
		t.Errorf("style.css: %d", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/nowhere"); res.StatusCode != 404 {
		t.Errorf("unknown path: %d", res.StatusCode)
	}
}

func TestAPISources(t *testing.T) {
	srv := newTestServer(t, true)
	res, body := get(t, srv.URL+"/api/sources")
	var got struct{ Sources []SourceStatus }
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got.Sources) != 1 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	s := got.Sources[0]
	if s.ErrorKind != "robots_disallowed" || s.Status != "robots.txt disallows this path" || s.Failures != 2 ||
		!strings.Contains(s.Error, "disallowed by robots.txt") || s.NextRun == nil || s.Stance != "independent" {
		t.Errorf("source = %+v", s)
	}
}

func TestUILanguage(t *testing.T) {
	srv := newTestServer(t, true)
	for name, tc := range map[string]struct {
		accept, query, want string
	}{
		"default is English":       {"", "", `lang="en"`},
		"Accept-Language picks ru": {"ru-RU,ru;q=0.9,en;q=0.5", "", `lang="ru"`},
		"quality decides":          {"en;q=0.4, ru;q=0.8", "", `lang="ru"`},
		"unknown falls back":       {"kk-KZ", "", `lang="en"`},
		"the switch wins":          {"ru", "?ui=en", `lang="en"`},
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/"+tc.query, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if !strings.Contains(string(b), "<html "+tc.want) {
				t.Errorf("page starts %q", string(b[:min(len(b), 80)]))
			}
		})
	}
}

func TestMessagesComplete(t *testing.T) {
	for lang, m := range messages {
		for key := range messages["en"] {
			if _, ok := m[key]; !ok {
				t.Errorf("%s lacks %q", lang, key)
			}
		}
		for key := range m {
			if _, ok := messages["en"][key]; !ok {
				t.Errorf("%s has %q, which English lacks", lang, key)
			}
		}
	}
}

func TestNotFoundPages(t *testing.T) {
	srv := newTestServer(t, true)
	if res, body := get(t, srv.URL+"/no/such/page"); res.StatusCode != 404 || !strings.Contains(body, "There is no page here") {
		t.Errorf("page: %d %s", res.StatusCode, body)
	}
	if res, body := get(t, srv.URL+"/api/nothing"); res.StatusCode != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("api: %d %s", res.StatusCode, body)
	}
}

// No key is in two of the tables messages merges: one would silently
// replace the other.
func TestMessagesUnique(t *testing.T) {
	for lang, tables := range map[string][]map[string]string{
		"en": {baseEN, pagesEN, searchEN, historyEN, topicsEN, digestsEN, loginEN, sourcesEN, importEN, backfillEN},
		"ru": {baseRU, pagesRU, searchRU, historyRU, topicsRU, digestsRU, loginRU, sourcesRU, importRU, backfillRU},
	} {
		seen := map[string]int{}
		for i, tab := range tables {
			for k := range tab {
				if j, dup := seen[k]; dup {
					t.Errorf("%s: %q is in tables %d and %d", lang, k, j, i)
				}
				seen[k] = i
			}
		}
	}
}
