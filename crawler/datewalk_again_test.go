package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
)

// growingSite serves one day's listing /archive/2011/12/15/ with the
// articles in n, perPage to a page, each page linking the next.
type growingSite struct {
	*httptest.Server
	mu      sync.Mutex
	n       int
	perPage int
}

func newGrowingSite(t *testing.T, n, perPage int) *growingSite {
	s := &growingSite{n: n, perPage: perPage}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n, per := s.n, s.perPage
		s.mu.Unlock()
		switch {
		case r.URL.Path == "/archive/2011/12/15/":
			page := 0
			fmt.Sscan(r.URL.Query().Get("p"), &page)
			fmt.Fprint(w, "<html><body><ul>")
			for i := page*per + 1; i <= min(n, (page+1)*per); i++ {
				fmt.Fprintf(w, `<li><a href="/a/%d">a%d</a></li>`, i, i)
			}
			fmt.Fprint(w, "</ul>")
			if (page+1)*per < n {
				fmt.Fprintf(w, `<p><a class="next" href="/archive/2011/12/15/?p=%d">older</a></p>`, page+1)
			}
			fmt.Fprint(w, "</body></html>")
		case strings.HasPrefix(r.URL.Path, "/a/"):
			fmt.Fprintf(w, "<html><body><article><p>%s</p></article></body></html>", r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func growingSource(s *growingSite, maxPages int) model.Source {
	d := time.Date(2011, 12, 15, 0, 0, 0, 0, time.UTC)
	tpl := s.URL + "/archive/{yyyy}/{mm}/{dd}/"
	return model.Source{ID: "dated", Type: model.SourcePage, URL: tpl, Every: time.Hour, Keep: model.KeepAll,
		Selectors: &model.Selectors{Item: "li", Link: "a", Next: "a.next", MaxPages: maxPages},
		Dates:     &model.DateRange{URLTemplate: tpl, From: d, To: d}}
}

// A paged day listing whose second page's items a run left (here beyond
// max_items) is read again to its last page, though its first page's
// items are all stored: none of the day's articles is lost.
func TestDateWalkReadsEveryPageOfADayReadAgain(t *testing.T) {
	site := newGrowingSite(t, 4, 2)
	src := growingSource(site, 2)
	later := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c, st := dateCrawler(t, src, &later, 2)
	for run := range 4 {
		if rep := c.Run(context.Background(), src); rep.Err != nil {
			t.Fatalf("run %d: %v", run, rep.Err)
		}
	}
	if got, want := storedPaths(t, st, site.URL), []string{"/a/1", "/a/2", "/a/3", "/a/4"}; !slices.Equal(got, want) {
		t.Errorf("four runs stored %q, want %q", got, want)
	}
}

// A recent day read in full by one run, then read again by a later run
// that cannot take all its new items, is read again once it is no longer
// recent: a listing is judged by its newest fetch, not by any earlier one.
func TestDateWalkRecentDayLeftUnfinishedIsReadAgain(t *testing.T) {
	site := newGrowingSite(t, 2, 100)
	src := growingSource(site, 1)
	src.Dates.To = time.Time{}
	now := time.Date(2011, 12, 16, 12, 0, 0, 0, time.UTC)
	c, st := dateCrawler(t, src, &now, 2)
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	site.mu.Lock()
	site.n = 5 // three more articles that day
	site.mu.Unlock()
	if rep := c.Run(context.Background(), src); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	now = now.AddDate(0, 0, 10)
	for range 3 {
		if rep := c.Run(context.Background(), src); rep.Err != nil {
			t.Fatal(rep.Err)
		}
	}
	if got := storedPaths(t, st, site.URL); len(got) != 5 {
		t.Errorf("stored %q, want all five articles of the day", got)
	}
}
