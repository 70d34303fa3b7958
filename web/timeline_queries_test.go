package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// datesCounts are a timeline's dates and counts, for comparing with
// index buckets.
func datesCounts(tl []TimelineBucket) []index.Bucket {
	out := make([]index.Bucket, len(tl))
	for i, b := range tl {
		out[i] = index.Bucket{Date: b.Date, Count: b.Count}
	}
	return out
}

// undatedArticles are spArticles with one more report of the shooting
// that has no published date.
func undatedArticles() []*model.Article {
	return append(spArticles(), &model.Article{ID: 7, SourceID: "azattyq", Lang: "ru", URL: "https://rus.azattyq.org/7",
		FirstSeen: time.Date(2011, 12, 20, 9, 0, 0, 0, time.UTC), Title: "Жанаозен: свидетели", Text: "Свидетели расстрела в Жанаозене."})
}

// tableCells returns the cells of every row of the page's chart table,
// by period.
func tableCells(body string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<tr><th scope="row">(?:<a [^>]*>)?([^<]*)(?:</a>)?</th>(.*?)</tr>`).FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range regexp.MustCompile(`<td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>`).FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, c[1])
		}
		out[m[1]] = strings.Join(cells, " ")
	}
	return out
}

func TestTimelineIntervalChoice(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for name, tc := range map[string]struct {
		path, caption string
		bars          int
		current       string
	}{
		"automatic":                 {"/timeline?q=", "(per day)", 4, "automatic"},
		"auto said":                 {"/timeline?q=&interval=auto", "(per day)", 4, "automatic"},
		"week":                      {"/timeline?q=&interval=week", "(per week)", 1, "per week"},
		"month over a range":        {"/timeline?from=2011-10-01&to=2012-01-31&interval=month", "(per month)", 4, "per month"},
		"year has its words":        {"/timeline?q=&interval=year", "(per year)", 1, "per year"},
		"the search page's chart":   {"/search?q=Жанаозен&interval=month", "(per month)", 1, "per month"},
		"the search page, two days": {"/search?q=Жанаозен&interval=day&from=2011-12-16&to=2011-12-17", "(per day)", 2, "per day"},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := get(t, srv.URL+tc.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			if !strings.Contains(body, "<caption>Articles over time by stance "+tc.caption+"</caption>") {
				t.Errorf("no caption %s", tc.caption)
			}
			if strings.Contains(body, "sp.interval.") {
				t.Error("a raw key of an interval shows")
			}
			if n := strings.Count(body, `class="sp-bar"`); n != tc.bars {
				t.Errorf("%d bars, want %d", n, tc.bars)
			}
			if !strings.Contains(body, `<strong aria-current="true">`+tc.current+`</strong>`) {
				t.Errorf("the choice %q is not marked current", tc.current)
			}
			// Every other interval is a link that keeps the search.
			u, _ := url.Parse(tc.path)
			for _, iv := range []string{"day", "week", "month", "year"} {
				if "per "+iv == tc.current {
					continue
				}
				if !strings.Contains(body, href(u.Path, with(searchStateOf(u.Query()), "interval", iv))+`>per `+iv+`</a>`) {
					t.Errorf("no link to interval %s", iv)
				}
			}
		})
	}
	res, body := get(t, srv.URL+"/timeline?q=&interval=fortnight")
	if res.StatusCode != 400 || !strings.Contains(body, "“interval”") || !strings.Contains(body, "fortnight") {
		t.Errorf("interval=fortnight: %d, want 400 naming the parameter", res.StatusCode)
	}
	// Days over twenty years are more bars than a chart takes: weeks,
	// with a note.
	_, body = get(t, srv.URL+"/timeline?interval=day&from=2000-01-01&to=2019-12-31")
	if !strings.Contains(body, "Bars per day would be more than 2000 over this range; counted per week.") ||
		!strings.Contains(body, "(per week)</caption>") {
		t.Error("interval=day over twenty years: no note, or not counted per week")
	}
	if n := strings.Count(body, `class="sp-bar"`); n != 1045 {
		t.Errorf("%d weeks, want 1045", n)
	}
}

// searchStateOf is the search parameters of v as a page keeps them.
func searchStateOf(v url.Values) url.Values {
	return searchState(httptest.NewRequest("GET", "/?"+v.Encode(), nil))
}

func TestUndatedSaid(t *testing.T) {
	srv := newSearchServer(t, undatedArticles(), true)
	for _, p := range []string{"/timeline?q=Жанаозен", "/search?q=Жанаозен"} {
		_, body := get(t, srv.URL+p)
		if !strings.Contains(body, "1 undated article is not on the chart.") {
			t.Errorf("%s does not say the undated article is not on the chart", p)
		}
	}
	_, body := get(t, srv.URL+"/timeline?q=Жанаозен&ui=ru")
	if !strings.Contains(body, "На графике нет 1 статьи без даты.") {
		t.Error("the Russian page does not say it")
	}
	// By first seen, every article has a day.
	_, body = get(t, srv.URL+"/timeline?q=Жанаозен&date=first_seen")
	if strings.Contains(body, "undated") {
		t.Error("by first seen, an article is said undated")
	}
	var tl TimelineJSON
	_, body = get(t, srv.URL+"/api/timeline?q=Жанаозен")
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatal(err)
	}
	sum := uint64(0)
	for _, b := range tl.Timeline {
		sum += uint64(b.Count)
	}
	if tl.Undated != 1 || sum+tl.Undated != tl.Total {
		t.Errorf("API: undated %d, buckets %d, total %d; want 1 undated and the rest on buckets", tl.Undated, sum, tl.Total)
	}
}

// TestShareOfSameSources holds the share to everything collected from
// the same sources: with stance=state, khabar's report of the 16th is all
// that state media collected that day.
func TestShareOfSameSources(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	_, body := get(t, srv.URL+"/timeline?q=хулиганы&from=2011-12-15&to=2011-12-18&stance=state&share=1")
	rows := tableCells(body)
	for period, want := range map[string]string{
		"2011-12-15": "0% 0% 0% 0% 0% 0% 1",
		"2011-12-16": "100% 0% 0% 0% 0% 100% 1",
		"2011-12-17": "0% 0% 0% 0% 0% 0% 0",
	} {
		if rows[period] != want {
			t.Errorf("%s: %q, want %q", period, rows[period], want)
		}
	}
	if !strings.Contains(body, "shares of all articles collected from the same sources in each period") ||
		!strings.Contains(body, "<th scope=\"col\">Collected from the same sources</th>") {
		t.Error("the caption does not say what the shares are of")
	}
}

func TestSeveralQueries(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	q := url.Values{"q": {"Урожай"}, "q2": {"хулиганы"}, "q3": {"Weather"}}
	res, body := get(t, srv.URL+"/timeline?"+q.Encode())
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	// One axis for the three, though each matches on its own day.
	want := map[string]string{"2011-12-15": "1 0 0", "2011-12-16": "0 1 0", "2011-12-17": "0 0 0", "2011-12-18": "0 0 1",
		"Total": "1 article 1 article 1 article"}
	if got := tableCells(body); len(got) != len(want) {
		t.Errorf("table rows %v, want %v", got, want)
	} else {
		for p, w := range want {
			if got[p] != w {
				t.Errorf("%s: %q, want %q", p, got[p], w)
			}
		}
	}
	for i := 1; i <= 3; i++ {
		n := string(rune('0' + i))
		if strings.Count(body, `<g class="tl-series tl-q`+n+`">`) != 1 || !strings.Contains(body, `<li class="tl-q`+n+`">`) {
			t.Errorf("query %d has no line or no legend entry", i)
		}
	}
	if strings.Contains(body, "tl-series tl-q4") {
		t.Error("a fourth line is drawn")
	}
	// Each has its own marker; a cell leads to its query's search of
	// that day.
	if !strings.Contains(body, markerShapes[0]) || !strings.Contains(body, markerShapes[1]) || !strings.Contains(body, markerShapes[2]) {
		t.Error("the lines do not have their markers")
	}
	if !strings.Contains(body, href("/search", url.Values{"q": {"хулиганы"}, "from": {"2011-12-16"}, "to": {"2011-12-16"}})) {
		t.Error("no link from a cell to its query's search of the day")
	}
	// The form keeps the queries, the search form too.
	for _, f := range []string{`name="q2" type="search" value="хулиганы"`, `<input type="hidden" name="q3" value="Weather">`} {
		if !strings.Contains(body, f) {
			t.Errorf("form lacks %s", f)
		}
	}

	q.Set("share", "1")
	_, body = get(t, srv.URL+"/timeline?"+q.Encode())
	want = map[string]string{"2011-12-15": "100% 0% 0% 1", "2011-12-16": "0% 50% 0% 2", "2011-12-17": "0% 0% 0% 2", "2011-12-18": "0% 0% 100% 1"}
	got := tableCells(body)
	for p, w := range want {
		if got[p] != w {
			t.Errorf("share %s: %q, want %q", p, got[p], w)
		}
	}

	// A bad query is named.
	res, body = get(t, srv.URL+"/timeline?"+url.Values{"q": {"Урожай"}, "q2": {`"unclosed`}}.Encode())
	if res.StatusCode != 400 || !strings.Contains(body, "Query 2 (&#34;unclosed)") {
		t.Errorf("bad second query: %d; the message does not name it", res.StatusCode)
	}
}

func TestAPITimelineQueriesAndCSV(t *testing.T) {
	srv := newSearchServer(t, undatedArticles(), true)
	q := url.Values{"q": {"Урожай"}, "q2": {"Жанаозен"}, "from": {"2011-12-15"}, "to": {"2011-12-17"}, "share": {"1"}}
	_, body := get(t, srv.URL+"/api/timeline?"+q.Encode())
	var tl TimelineJSON
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatal(err)
	}
	if len(tl.Queries) != 2 || tl.Queries[1].Param != "q2" || tl.Queries[1].Total != 4 || tl.Queries[0].Total != 1 || tl.Collected == "" {
		t.Fatalf("queries %+v", tl)
	}
	var got []string
	for _, b := range tl.Queries[1].Timeline {
		got = append(got, b.Date+" "+b.End+" "+itoa(b.Count)+"/"+itoa(*b.Collected))
	}
	// The undated report is in no bucket (and, bounded by dates, not
	// matched at all).
	if strings.Join(got, ", ") != "2011-12-15 2011-12-15 0/1, 2011-12-16 2011-12-16 2/2, 2011-12-17 2011-12-17 2/2" {
		t.Errorf("q2's buckets: %s", strings.Join(got, ", "))
	}
	q.Set("format", "csv")
	res, body := get(t, srv.URL+"/api/timeline?"+q.Encode())
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%v, %s", err, res.Header.Get("Content-Type"))
	}
	want := [][]string{
		{"start", "end", "Урожай", "Жанаозен", "collected", "share Урожай", "share Жанаозен"},
		{"2011-12-15", "2011-12-15", "1", "0", "1", "1", "0"},
		{"2011-12-16", "2011-12-16", "0", "2", "2", "0", "1"},
		{"2011-12-17", "2011-12-17", "0", "2", "2", "0", "1"},
	}
	if len(rows) != len(want) {
		t.Fatalf("CSV %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	// One query: count; with bom=1 Excel's byte order mark first.
	_, body = get(t, srv.URL+"/api/timeline?q=Жанаозен&format=csv&bom=1")
	if !strings.HasPrefix(body, "\uFEFFstart,end,count\n2011-12-16,2011-12-16,2\n2011-12-17,2011-12-17,2\n") {
		t.Errorf("CSV of one query: %q", body)
	}
	for p, wantHas := range map[string]string{
		"q=x&format=xml":                   "format",
		"q=x&share=yes":                    "share",
		"q=x&share=1&collapse=story":       "share",
		"q=x&interval=hour":                "interval",
		"q=x&q2=%22unclosed":               `query 2 (q2=\"\\\"unclosed\")`,
		"q=x&q2=gas&q3=%22unclosed&q4=oil": "query 3",
	} {
		res, body := get(t, srv.URL+"/api/timeline?"+p)
		if res.StatusCode != 400 || !strings.Contains(body, wantHas) {
			t.Errorf("%s: %d %s, want 400 naming %s", p, res.StatusCode, body, wantHas)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// countingSearcher counts the searches a page runs, and with noStance
// answers as an index without the timeline by stance.
type countingSearcher struct {
	ix       *index.Index
	n        atomic.Int64
	noStance bool
}

func (c *countingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.n.Add(1)
	res, err := c.ix.Search(ctx, req)
	if c.noStance && res != nil {
		res.ByStance = nil
	}
	return res, err
}

// TestStanceSeriesInOneSearch holds the pages to one search for the
// chart stacked by stance (two with shares), and their counts to those of
// one search per stance, as an index without the timeline by stance is
// charted.
func TestStanceSeriesInOneSearch(t *testing.T) {
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), undatedArticles()); err != nil {
		t.Fatal(err)
	}
	serve := func(cs *countingSearcher) string {
		s, err := New(Options{Search: cs, KeyDates: spKeyDates, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		s.SetReady(true)
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	one, old := &countingSearcher{ix: ix}, &countingSearcher{ix: ix, noStance: true}
	oneURL, oldURL := serve(one), serve(old)
	for p, searches := range map[string]int64{
		"/timeline?q=Жанаозен":                       1,
		"/timeline?q=Жанаозен&interval=week":         1,
		"/timeline?q=Жанаозен&share=1":               2,
		"/search?q=Жанаозен":                         1,
		"/search?q=Жанаозен&date=first_seen":         1,
		"/timeline?q=&from=2011-12-14&to=2011-12-19": 1,
	} {
		one.n.Store(0)
		_, body := get(t, oneURL+p)
		if n := one.n.Load(); n != searches {
			t.Errorf("%s ran %d searches, want %d", p, n, searches)
		}
		_, oldBody := get(t, oldURL+p)
		got, want := tableCells(body), tableCells(oldBody)
		if len(got) == 0 || len(got) != len(want) {
			t.Errorf("%s: %d rows, one search per stance gives %d", p, len(got), len(want))
		}
		for period, w := range want {
			if got[period] != w {
				t.Errorf("%s %s: %q, one search per stance gives %q", p, period, got[period], w)
			}
		}
	}
}

// TestTimelineQueriesFoldUntilUsed holds that the five query boxes fold
// away while one query is charted, so that on a phone the chart follows
// the search form, and stay open once a second query is set.
func TestTimelineQueriesFoldUntilUsed(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for path, open := range map[string]bool{
		"/timeline?q=Жанаозен":              false,
		"/timeline?q=Жанаозен&q2=Zhanaozen": true,
		"/timeline?q=Жанаозен&q3=Sokolova":  true,
		"/timeline?q=&q2=&interval=month":   false,
		"/timeline?q=Жанаозен&q2=+++":       false,
	} {
		_, body := get(t, srv.URL+path)
		_, form, ok := strings.Cut(body, `<form action="/timeline" method="get" class="tl-queries">`)
		if !ok {
			t.Fatalf("%s: no queries form", path)
		}
		if got := strings.HasPrefix(strings.TrimSpace(form), `<details class="sp-more" open>`); got != open {
			t.Errorf("%s: the queries are open %v, want %v: %.200s", path, got, open, form)
		}
	}
}
