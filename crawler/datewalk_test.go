package crawler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// archiveSite is a loopback site with dated archive listings under
// /archive/: each listed period links two articles, except the periods in
// empty, answered 404. It logs the listings and articles asked for.
type archiveSite struct {
	*httptest.Server
	empty map[string]bool
	mu    sync.Mutex
	asked []string
	hold  map[string]bool // articles answered only when the client gives up
}

func newArchiveSite(t *testing.T, empty ...string) *archiveSite {
	t.Helper()
	s := &archiveSite{empty: map[string]bool{}}
	for _, e := range empty {
		s.empty[e] = true
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.asked = append(s.asked, p)
		s.mu.Unlock()
		switch {
		case strings.HasPrefix(p, "/archive/"):
			period := strings.Trim(strings.TrimPrefix(p, "/archive/"), "/")
			if s.empty[period] {
				http.NotFound(w, r)
				return
			}
			slug := strings.ReplaceAll(period, "/", "-")
			fmt.Fprintf(w, `<html><body><ul><li><a href="/a/%s-1">one</a></li><li><a href="/a/%s-2">two</a></li></ul></body></html>`, slug, slug)
		case strings.HasPrefix(p, "/a/"):
			s.mu.Lock()
			hold := s.hold[p]
			s.mu.Unlock()
			if hold {
				<-r.Context().Done()
				return
			}
			fmt.Fprintf(w, "<html><body><article><p>%s</p></article></body></html>", p)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// take returns the paths asked for since the last take, those under
// prefix, sorted.
func (s *archiveSite) take(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.asked {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	s.asked = nil
	slices.Sort(out)
	return out
}

// dateCrawler is a crawler on a real store and ingest, its clock reading
// *now, fetching at most maxItems new items a run.
func dateCrawler(t *testing.T, src model.Source, now *time.Time, maxItems int) (*crawler.Crawler, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, PerHost: 1, MinDelay: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st, MaxItems: maxItems,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return *now },
		Extract: func(html []byte, u string) (*extract.Result, error) {
			return &extract.Result{Title: "title of " + u, Text: "text of " + u, Lang: "en"}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return c, st
}

func datedSource(site *archiveSite, template, from, to string) model.Source {
	day := func(v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			panic(err)
		}
		return d
	}
	return model.Source{ID: "dated", Type: model.SourcePage, URL: site.URL + template, Every: time.Hour, Keep: model.KeepAll,
		Selectors: &model.Selectors{Item: "li", Link: "a", MaxPages: 1},
		Dates:     &model.DateRange{URLTemplate: site.URL + template, From: day(from), To: day(to)}}
}

func paths(prefix string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	slices.Sort(out)
	return out
}

// articlesOf lists the two articles of each period (written as slugs).
func articlesOf(slugs ...string) []string {
	var out []string
	for _, s := range slugs {
		out = append(out, "/a/"+s+"-1", "/a/"+s+"-2")
	}
	slices.Sort(out)
	return out
}

func storedPaths(t *testing.T, st *store.Store, base string) []string {
	t.Helper()
	got, err := st.Newest(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range got {
		out = append(out, strings.TrimPrefix(a.URL, base))
	}
	slices.Sort(out)
	return out
}

func TestDateWalkReadsEachPeriodOnce(t *testing.T) {
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		template, from, to string
		empty              []string
		listings, articles []string
	}{
		"days": {"/archive/{yyyy}/{mm}/{dd}/", "2011-12-14", "2011-12-17", []string{"2011/12/15"},
			paths("/archive/", "2011/12/14/", "2011/12/15/", "2011/12/16/", "2011/12/17/"),
			articlesOf("2011-12-14", "2011-12-16", "2011-12-17")},
		"months": {"/archive/{yyyy}/{mm}/", "2011-11-20", "2012-01-05", nil,
			paths("/archive/", "2011/11/", "2011/12/", "2012/01/"),
			articlesOf("2011-11", "2011-12", "2012-01")},
		"years": {"/archive/{yyyy}/", "2010-06-01", "2012-02-01", []string{"2010"},
			paths("/archive/", "2010/", "2011/", "2012/"),
			articlesOf("2011", "2012")},
	} {
		t.Run(name, func(t *testing.T) {
			site := newArchiveSite(t, tc.empty...)
			src := datedSource(site, tc.template, tc.from, tc.to)
			c, st := dateCrawler(t, src, &later, 100)
			rep := c.Run(context.Background(), src)
			if rep.Err != nil {
				t.Fatal(rep.Err)
			}
			if got := site.take("/archive/"); !slices.Equal(got, tc.listings) {
				t.Errorf("first run read listings %q, want %q", got, tc.listings)
			}
			if got := storedPaths(t, st, site.URL); !slices.Equal(got, tc.articles) {
				t.Errorf("first run stored %q, want %q", got, tc.articles)
			}
			rep = c.Run(context.Background(), src)
			if rep.Err != nil {
				t.Fatal(rep.Err)
			}
			if got := site.take("/"); len(got) != 0 {
				t.Errorf("second run asked for %q, want nothing: every period was read", got)
			}
		})
	}
}

// TestDateWalkReadsRecentDaysAgain: with no end to the range, a later run
// reads the days not yet read and the last three again, not the rest.
func TestDateWalkReadsRecentDaysAgain(t *testing.T) {
	site := newArchiveSite(t)
	src := datedSource(site, "/archive/{yyyy}/{mm}/{dd}/", "2011-12-01", "")
	now := time.Date(2011, 12, 10, 12, 0, 0, 0, time.UTC)
	c, _ := dateCrawler(t, src, &now, 100)
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	want := paths("/archive/2011/12/", "01/", "02/", "03/", "04/", "05/", "06/", "07/", "08/", "09/", "10/")
	if got := site.take("/archive/"); !slices.Equal(got, want) {
		t.Errorf("first run read %q, want %q", got, want)
	}
	now = now.AddDate(0, 0, 2) // 12 December, noon: 9 December noon is three days back
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	want = paths("/archive/2011/12/", "09/", "10/", "11/", "12/")
	if got := site.take("/archive/"); !slices.Equal(got, want) {
		t.Errorf("second run read %q, want %q (the new days and the last three)", got, want)
	}
}

// TestDateWalkLeavesAFullDayForTheNextRun: the day whose new items go
// beyond one run's max_items is read again next run, so none of its items
// is lost, and the days before it are not.
func TestDateWalkLeavesAFullDayForTheNextRun(t *testing.T) {
	site := newArchiveSite(t)
	src := datedSource(site, "/archive/{yyyy}/{mm}/{dd}/", "2011-12-14", "2011-12-16")
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c, st := dateCrawler(t, src, &later, 3)
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if got, want := site.take("/archive/"), paths("/archive/2011/12/", "14/", "15/"); !slices.Equal(got, want) {
		t.Errorf("first run read %q, want %q", got, want)
	}
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if got, want := site.take("/archive/"), paths("/archive/2011/12/", "15/", "16/"); !slices.Equal(got, want) {
		t.Errorf("second run read %q, want %q", got, want)
	}
	if got, want := storedPaths(t, st, site.URL), articlesOf("2011-12-14", "2011-12-15", "2011-12-16"); !slices.Equal(got, want) {
		t.Errorf("two runs stored %q, want %q", got, want)
	}
}

// TestDateWalkReadsADayCutByTheBudgetAgain: a day whose articles the run
// budget cut off is read again by the next run, so none of them is lost;
// the days whose articles were all stored are not.
func TestDateWalkReadsADayCutByTheBudgetAgain(t *testing.T) {
	site := newArchiveSite(t)
	site.hold = map[string]bool{"/a/2011-12-15-2": true}
	src := datedSource(site, "/archive/{yyyy}/{mm}/{dd}/", "2011-12-14", "2011-12-16")
	src.RunBudget = 300 * time.Millisecond
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c, st := dateCrawler(t, src, &later, 100)
	rep := c.Run(context.Background(), src)
	if rep.Err != nil || rep.Budget == 0 || rep.Left == 0 {
		t.Fatalf("first run: %v, budget %v, %d left; want the budget used with items left", rep.Err, rep.Budget, rep.Left)
	}
	site.take("/")
	stored := map[string]bool{}
	for _, p := range storedPaths(t, st, site.URL) {
		stored[p] = true
	}
	var want []string
	for _, day := range []string{"2011-12-14", "2011-12-15", "2011-12-16"} {
		if !stored["/a/"+day+"-1"] || !stored["/a/"+day+"-2"] {
			want = append(want, "/archive/"+strings.ReplaceAll(day, "-", "/")+"/")
		}
	}
	if !slices.Contains(want, "/archive/2011/12/15/") {
		t.Fatalf("the held article was stored: %v", stored)
	}
	site.mu.Lock()
	site.hold = nil
	site.mu.Unlock()
	if rep := c.Run(context.Background(), src); rep.Err != nil || rep.Budget != 0 {
		t.Fatalf("second run: %v, budget %v", rep.Err, rep.Budget)
	}
	if got := site.take("/archive/"); !slices.Equal(got, want) {
		t.Errorf("second run read listings %q; want the days with articles left, %q", got, want)
	}
	if got, want := storedPaths(t, st, site.URL), articlesOf("2011-12-14", "2011-12-15", "2011-12-16"); !slices.Equal(got, want) {
		t.Errorf("two runs stored %q, want %q", got, want)
	}
	// Every day is now read: a third run asks for nothing.
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if got := site.take("/"); len(got) != 0 {
		t.Errorf("third run asked for %q, want nothing", got)
	}
}

// TestDateWalkFailsWhenNoListingCanBeRead: a site that answers every
// dated listing with 500 fails the run (and so shows as failing), while
// listings that are not found (404) are periods without articles.
func TestDateWalkFailsWhenNoListingCanBeRead(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer srv.Close()
	site := &archiveSite{Server: srv}
	src := datedSource(site, "/archive/{yyyy}/", "2011-01-01", "2011-12-31")
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c, _ := dateCrawler(t, src, &later, 100)
	if rep := c.Run(context.Background(), src); rep.Err == nil {
		t.Errorf("run of a site that answers 500 succeeded: %v", rep)
	}
	empty := newArchiveSite(t, "2011", "2012")
	src = datedSource(empty, "/archive/{yyyy}/", "2011-01-01", "2012-12-31")
	c, _ = dateCrawler(t, src, &later, 100)
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Errorf("run of a site without listings for the range failed: %v", rep.Err)
	}
}

// TestSitemapDateRange: a sitemap source with from and to reads only the
// children of its index that may hold URLs of the range (not one last
// modified before it, nor one whose URL names a month outside it), and
// keeps exactly the URLs whose lastmod falls in it.
func TestSitemapDateRange(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		u := func(path, lastmod string) string {
			return fmt.Sprintf("<url><loc>http://%s%s</loc><lastmod>%s</lastmod></url>", r.Host, path, lastmod)
		}
		switch r.URL.Path {
		case "/sitemap.xml":
			fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemap-2011-11.xml</loc></sitemap>
<sitemap><loc>/sitemap-2011-12.xml</loc><lastmod>2012-01-02</lastmod></sitemap>
<sitemap><loc>/sitemap-2012-03.xml</loc></sitemap>
<sitemap><loc>/old.xml</loc><lastmod>2010-05-01T10:00:00Z</lastmod></sitemap>
<sitemap><loc>/pages.xml</loc></sitemap>
</sitemapindex>`)
		case "/sitemap-2011-12.xml":
			fmt.Fprint(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
				u("/a/before", "2011-12-15T23:59:59Z")+u("/a/first", "2011-12-16T00:00:00Z")+
				u("/a/last", "2011-12-31T23:59:00Z")+u("/a/after", "2012-01-01T00:00:00Z")+
				"<url><loc>http://"+r.Host+"/a/undated</loc></url></urlset>")
		case "/pages.xml":
			fmt.Fprint(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
				u("/a/almaty", "2011-12-20+06:00")+u("/a/new", "2026-11-01")+"</urlset>")
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			fmt.Fprintf(w, "<html><body><p>%s</p></body></html>", r.URL.Path)
		}
	}))
	defer srv.Close()
	day := func(v string) time.Time { d, _ := time.Parse(time.DateOnly, v); return d }
	src := model.Source{ID: "sm", Type: model.SourceSitemap, URL: srv.URL + "/sitemap.xml", Every: time.Hour, Keep: model.KeepAll,
		Dates: &model.DateRange{From: day("2011-12-16"), To: day("2011-12-31")}}
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c, st := dateCrawler(t, src, &later, 100)
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	var sitemaps []string
	for _, p := range asked {
		if strings.HasSuffix(p, ".xml") {
			sitemaps = append(sitemaps, p)
		}
	}
	slices.Sort(sitemaps)
	if want := []string{"/pages.xml", "/sitemap-2011-12.xml", "/sitemap.xml"}; !slices.Equal(sitemaps, want) {
		t.Errorf("read sitemaps %q, want %q", sitemaps, want)
	}
	if got, want := storedPaths(t, st, srv.URL), []string{"/a/almaty", "/a/first", "/a/last"}; !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}
