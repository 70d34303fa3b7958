package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

var spSources = []model.Source{
	{ID: "khabar", Stance: model.StanceState},
	{ID: "azattyq", Stance: model.StanceIndependent},
	{ID: "ak", Stance: model.StanceCampaign},
	{ID: "dw", Stance: model.StanceInternational},
}

var almaty = time.FixedZone("ALMT", 6*3600)

var spKeyDates = []model.KeyDate{{Date: "2011-12-16", Label: "Zhanaozen shooting"}, {Date: "2011-05", Label: "Strike begins"}}

// spArticles are a few reports of 15-18 December 2011 from each kind of
// source, in Russian, English and German.
func spArticles() []*model.Article {
	seen := time.Date(2011, 12, 20, 8, 0, 0, 0, time.UTC)
	day := func(d, h int) time.Time { return time.Date(2011, 12, d, h, 0, 0, 0, almaty) }
	return []*model.Article{
		{ID: 1, SourceID: "khabar", Lang: "ru", URL: "https://khabar.kz/1", FirstSeen: seen, Published: day(16, 20),
			Title: "В Жанаозене хулиганы устроили беспорядки", Text: "Группа хулиганов в Жанаозене устроила массовые беспорядки."},
		{ID: 2, SourceID: "azattyq", Lang: "ru", URL: "https://rus.azattyq.org/2", FirstSeen: seen, Published: day(16, 18),
			Title: "Расстрел нефтяников в Жанаозене <script>alert(1)</script>", Text: "Полиция открыла огонь по бастующим нефтяникам в Жанаозене."},
		{ID: 3, SourceID: "ak", Lang: "en", URL: "https://ak.example/3", FirstSeen: seen, Published: day(17, 9),
			Title: "Oil workers shot in Zhanaozen", Text: "Police shot striking oil workers in Zhanaozen on 16 December."},
		{ID: 4, SourceID: "dw", Lang: "de", URL: "https://dw.example/4", FirstSeen: seen, Published: day(17, 12),
			Title: "Tote bei Unruhen in Schanaosen", Text: "In Schanaosen sind bei Unruhen Menschen getötet worden."},
		{ID: 5, SourceID: "khabar", Lang: "ru", URL: "https://khabar.kz/5", FirstSeen: seen, Published: day(15, 10),
			Title: "Урожай зерна вырос", Text: "Урожай зерна в Казахстане вырос."},
		{ID: 6, SourceID: "azattyq", Lang: "en", URL: "https://en.azattyq.org/6", FirstSeen: seen, Published: day(18, 10),
			Title: `=HYPERLINK("http://evil.example","click"), "quoted"`, Text: "Weather report for Almaty."},
	}
}

// newSearchServer serves arts from an in-memory index with the sources
// above; there is no store (these pages do not read it).
func newSearchServer(t testing.TB, arts []*model.Article, ready bool) *httptest.Server {
	t.Helper()
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Search: ix, KeyDates: spKeyDates, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(ready)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// href is how a link to path?v appears in an attribute of a page.
func href(path string, v url.Values) string { return `href="` + html.EscapeString(link(path, v)) + `"` }

func TestSearchPageFacetsAddAndRemove(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	q := url.Values{"q": {"Жанаозен"}}
	res, body := get(t, srv.URL+"/search?"+q.Encode())
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for name, want := range map[string]string{
		"source facet adds the filter":   href("/search", url.Values{"q": {"Жанаозен"}, "source": {"khabar"}}),
		"stance facet adds the filter":   href("/search", url.Values{"q": {"Жанаозен"}, "stance": {"independent"}}),
		"language facet uses lang=":      href("/search", url.Values{"q": {"Жанаозен"}, "lang": {"de"}}),
		"count beside the stance facet":  `<span class="sp-count">1</span>`,
		"count beside the language (ru)": `ru</a> <span class="sp-count">2</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: page lacks %s", name, want)
		}
	}
	// Filtered: the active value links back to the unfiltered search and
	// a second value is added beside it.
	q.Set("source", "khabar")
	_, body = get(t, srv.URL+"/search?"+q.Encode())
	active := regexp.MustCompile(`<li class="sp-active"><a (href="[^"]*")`).FindAllStringSubmatch(body, -1)
	if len(active) != 1 || active[0][1] != href("/search", url.Values{"q": {"Жанаозен"}}) {
		t.Errorf("active facet links %v, want one removing source=khabar", active)
	}
	if strings.Count(body, `<ol class="hits">`) != 1 || strings.Contains(body, "azattyq.org/2") {
		t.Errorf("source filter not applied")
	}
	// A hidden field keeps the filter when the form is sent again.
	if !strings.Contains(body, `<input type="hidden" name="source" value="khabar">`) {
		t.Errorf("form does not keep the source filter")
	}
}

func TestSearchPageSortLinks(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	_, body := get(t, srv.URL+"/search?q=Zhanaozen&source=ak")
	st := url.Values{"q": {"Zhanaozen"}, "source": {"ak"}}
	for _, want := range []string{
		href("/search", with(st, "sort", "newest")), href("/search", with(st, "sort", "oldest")),
		`<strong aria-current="true">relevance</strong>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	_, body = get(t, srv.URL+"/search?q=Zhanaozen&source=ak&sort=oldest")
	if !strings.Contains(body, href("/search", st)) || !strings.Contains(body, `<strong aria-current="true">oldest</strong>`) {
		t.Errorf("sort=oldest page lacks the relevance link or marks the wrong sort")
	}
}

func TestSearchPageResults(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	_, body := get(t, srv.URL+"/search?q=огонь")
	for name, want := range map[string]string{
		"snippet keeps <mark>":      "<mark>",
		"title with script escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
		"internal article link":     `href="/articles/2"`,
		"original link":             `href="https://rus.azattyq.org/2" rel="noopener noreferrer"`,
		"stance badge":              `class="stance stance-independent"`,
		"publisher's day":           "16 Dec 2011",
		"first seen":                "20 Dec 2011",
		"CSV export":                href("/search.csv", url.Values{"q": {"огонь"}}),
		"JSONL export":              href("/search.jsonl", url.Values{"q": {"огонь"}}),
		"Atom link in the head":     `<link rel="alternate" type="application/atom+xml" ` + href("/search.atom", url.Values{"q": {"огонь"}}),
		"help link":                 `href="/help"`,
		"compact chart above":       `<figure class="sp-chart sp-compact">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: page lacks %s", name, want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a title's <script> reached the page")
	}
}

func TestSearchPageBadInput(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for name, tc := range map[string]struct {
		path   string
		status int
		has    string
	}{
		"bad date":             {"/search?q=x&from=2011-13-01", 400, "“from”"},
		"bad sort":             {"/search?q=x&sort=sideways", 400, "“sort”"},
		"bad stance":           {"/timeline?q=x&stance=neutral", 400, "neutral"},
		"bad cursor":           {"/search?q=x&after=nonsense", 400, "“after”"},
		"unclosed phrase":      {"/search?q=%22unclosed", 400, "cannot be used"},
		"over-long query":      {"/search?q=" + strings.Repeat("a", 5000), 400, "too long (5000 bytes)"},
		"over-long in Russian": {"/search?q=" + strings.Repeat("a", 5000) + "&ui=ru", 400, "слишком длинный"},
		"to before from":       {"/compare?from=2012-01-01&to=2011-01-01", 400, "“to”"},
		"bad export date":      {"/search.csv?from=yesterday", 400, "from"},
		"bad feed sort stays":  {"/search.atom?q=x&date=sometime", 400, "date"},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := get(t, srv.URL+tc.path)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.has) {
				t.Errorf("%d, want %d with %q: %.300s", res.StatusCode, tc.status, tc.has, body)
			}
		})
	}
}

func TestSearchPagesNotReady(t *testing.T) {
	srv := newSearchServer(t, spArticles(), false)
	for _, p := range []string{"/search?q=x", "/timeline?q=x", "/compare?q=x", "/search.csv?q=x", "/search.jsonl", "/search.atom"} {
		if res, _ := get(t, srv.URL+p); res.StatusCode != 503 {
			t.Errorf("%s: %d, want 503", p, res.StatusCode)
		}
	}
}

func TestSearchPagePaging(t *testing.T) {
	srv := newSearchServer(t, manyArticles(45), true)
	_, body := get(t, srv.URL+"/search?q=report&sort=newest")
	next := regexp.MustCompile(`<a href="([^"]*)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("first page has no next link")
	}
	res, body := get(t, srv.URL+html.UnescapeString(next[1]))
	if res.StatusCode != 200 || !strings.Contains(body, `class="sp-count"`) || !strings.Contains(body, "45 articles") {
		t.Errorf("second page %d lacks facets or the total: %.500s", res.StatusCode, body)
	}
	if n := strings.Count(body, `class="sp-title"`); n != 20 {
		t.Errorf("second page has %d hits, want 20", n)
	}
}

// manyArticles are n short reports, one an hour from 1 December 2011,
// spread over the four sources.
func manyArticles(n int) []*model.Article {
	arts := make([]*model.Article, n)
	for i := range arts {
		at := time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		arts[i] = &model.Article{ID: int64(i + 1), SourceID: spSources[i%4].ID, Lang: "en",
			URL: fmt.Sprintf("https://example.org/%d", i+1), FirstSeen: at.Add(time.Hour), Published: at,
			Title: fmt.Sprintf("Report %d", i+1), Text: fmt.Sprintf("Daily report number %d from the oil fields.", i+1)}
	}
	return arts
}
