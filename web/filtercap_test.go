package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"presswatch/index"
	"presswatch/internal/model"
)

// searchCounter counts the searches that reach it.
type searchCounter struct {
	Searcher
	n atomic.Int64
}

func (c *searchCounter) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.n.Add(1)
	return c.Searcher.Search(ctx, req)
}

// manyValues is n values of one list filter, comma-separated, as the URLs
// of the report: 3000 short sources made a 10.9 kB URL and a 66.5 MB page.
func manyValues(n, width int) string {
	vs := make([]string, n)
	for i := range vs {
		vs[i] = fmt.Sprintf("%0*d", width, i)
	}
	return strings.Join(vs, ",")
}

// The URLs that built pages of tens of megabytes, or took the server past
// 2 GiB, are refused with 400 naming the parameter and the cap, on every
// page, export and API call that takes a search, before any search runs;
// the answer does not repeat the values.
func TestTooManyFilterValuesAre400(t *testing.T) {
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cs := &searchCounter{Searcher: ix}
	s, err := New(Options{Search: cs, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	shapes := map[string]url.Values{
		"10.9 kB: 3000 sources":       {"q": {"oil"}, "source": {manyValues(3000, 3)}},
		"470 kB: 40000 of each list":  {"source": {manyValues(40000, 5)}, "lang": {manyValues(20000, 4)}, "topic": {manyValues(20000, 4)}},
		"3000 langs, one per param":   {"lang": strings.Split(manyValues(3000, 2), ",")},
		"51 topics, one past the cap": {"topic": {manyValues(51, 2)}},
	}
	paths := []string{"/search", "/timeline", "/compare", "/breakdown", "/terms", "/search.csv", "/search.jsonl", "/search.atom",
		"/api/search", "/api/timeline", "/api/compare", "/api/breakdown", "/api/terms"}
	for name, v := range shapes {
		raw := v.Encode()
		param := "source"
		if v["source"] == nil {
			param = map[bool]string{true: "lang", false: "topic"}[v["lang"] != nil]
		}
		for _, path := range paths {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", path+"?"+raw, nil))
			body := html.UnescapeString(rec.Body.String())
			if rec.Code != http.StatusBadRequest || !strings.Contains(body, param) || !strings.Contains(body, "at most 50") {
				t.Errorf("%s %s (%d-byte query): %d %.300s; want 400 naming %s and the cap", name, path, len(raw), rec.Code, body, param)
			}
			if rec.Body.Len() > 32<<10 {
				t.Errorf("%s %s: the refusal is %d bytes; it repeats the values", name, path, rec.Body.Len())
			}
		}
	}
	if n := cs.n.Load(); n != 0 {
		t.Errorf("%d searches ran for refused requests", n)
	}
}

var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// capState is a search of every list filter at the cap: n sources, n
// langs and n topics (the fixture's real ones among them), every stance
// and state.
func capState(n int) url.Values {
	v := url.Values{}
	for i := range n {
		v.Add("source", fmt.Sprintf("src-%02d", i))
		v.Add("lang", fmt.Sprintf("l%02d", i))
		v.Add("topic", fmt.Sprintf("topic-%02d", i))
	}
	copy(v["source"], []string{"khabar", "azattyq", "ak", "dw"})
	copy(v["lang"], []string{"ru", "en", "de"})
	for _, st := range model.Stances {
		v.Add("stance", string(st))
	}
	v["state"] = []string{"live", "edited", "removed"}
	return v
}

// A search at the cap renders a page within a bound linear in the size of
// its parameters: every link carries them at most once, and the number of
// links that carry them does not grow with the number of values (an
// active value past maxRemoveLinks is text; one link clears its filter).
// Bound: 24 kB of page without the search + links × (parameters + 200) +
// the form's hidden fields (64 bytes of markup a value).
func TestSearchPageAtTheCapIsBounded(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	stateLinks := map[int]int{}
	for _, n := range []int{12, index.MaxValues} { // 12: past maxRemoveLinks
		v := capState(n)
		resp, err := http.Get(srv.URL + "/search?" + v.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d values: %d %.500s", n, resp.StatusCode, body)
		}
		params := len(html.EscapeString(v.Encode()))
		hidden := 0
		for _, vs := range v {
			hidden += len(vs) * 64
			for _, val := range vs {
				hidden += len(val)
			}
		}
		links := 0
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			if len(m[1]) > params+200 {
				t.Errorf("%d values: a link of %d bytes, past the parameters' %d + 200", n, len(m[1]), params)
			}
			if len(m[1]) > params/2 {
				links++
			}
		}
		stateLinks[n] = links
		bound := 24<<10 + links*(params+200) + hidden
		t.Logf("%d values: %d bytes of page, %d links with the search's %d bytes, bound %d", n, len(body), links, params, bound)
		if len(body) > bound {
			t.Errorf("%d values: page of %d bytes, past the bound %d", n, len(body), bound)
		}
		if n == index.MaxValues && len(body) > 1<<20 {
			t.Errorf("page at the cap: %d bytes, past 1 MiB", len(body))
		}
	}
	if a, b := stateLinks[12], stateLinks[index.MaxValues]; a != b {
		t.Errorf("links carrying the search: %d with %d values, %d with %d; they grow with the values", a, 12, b, index.MaxValues)
	}
}
