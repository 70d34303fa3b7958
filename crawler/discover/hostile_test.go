package discover

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestFindHostilePages holds the caps: only the first MaxHTMLBytes of a
// page are read for links, and at most MaxCandidates candidates are
// fetched, however many a page lists.
func TestFindHostilePages(t *testing.T) {
	var many strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&many, `<link rel="alternate" type="application/rss+xml" href="/f/%d.xml">`, i)
	}
	huge := `<link rel="alternate" type="application/rss+xml" href="/near.xml"><style>` +
		strings.Repeat("p { color: red; } ", 5<<20/18) +
		`</style><link rel="alternate" type="application/rss+xml" href="/far.xml">`
	feeds := rss("F", 1)
	s := newSite(t, map[string]http.HandlerFunc{
		"/many":      html(many.String()),
		"/huge":      html(huge),
		"/near.xml":  feeds,
		"/far.xml":   feeds,
		"/index.xml": feeds,
	})

	t.Run("a 5 MB page", func(t *testing.T) {
		cs, err := Find(context.Background(), newFetcher(t, nil), s.URL+"/huge")
		if err != nil {
			t.Fatalf("Find: %v", err)
		}
		if len(cs) != 1 || cs[0].URL != s.URL+"/near.xml" || s.count("/far.xml") != 0 {
			t.Errorf("candidates %+v, /far.xml fetched %d times: want /near.xml alone", brief(s, cs), s.count("/far.xml"))
		}
	})
	t.Run("5000 link tags", func(t *testing.T) {
		cs, err := Find(context.Background(), newFetcher(t, nil), s.URL+"/many")
		if err != nil {
			t.Fatalf("Find: %v", err)
		}
		if len(cs) != MaxCandidates {
			t.Fatalf("%d candidates, want %d", len(cs), MaxCandidates)
		}
		fetched := 0
		for i := range 5000 {
			fetched += s.count(fmt.Sprintf("/f/%d.xml", i))
		}
		if fetched != MaxCandidates || s.count("/f/9.xml") != 1 || s.count("/index.xml") != 0 {
			t.Errorf("%d link targets fetched, /f/9.xml %d times, /index.xml %d: want the first %d alone",
				fetched, s.count("/f/9.xml"), s.count("/index.xml"), MaxCandidates)
		}
		for i, c := range cs {
			if want := fmt.Sprintf("%s/f/%d.xml", s.URL, i); c.URL != want {
				t.Errorf("candidate %d is %s, want %s", i, c.URL, want)
			}
		}
	})
}
