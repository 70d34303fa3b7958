package parse

import (
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/testsite"
)

// TestFixtureSiteFeedsAndSitemaps reads the fixture site's feeds and
// sitemaps and checks them against expected.json: every article they
// announce comes out with its URL, and with its title and day where the
// format carries them.
func TestFixtureSiteFeedsAndSitemaps(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	tests := map[string]struct {
		path      string
		parse     func([]byte, string) (*Listing, error)
		file      string
		withTitle bool
	}{
		"RSS 2.0":             {"/feed.rss", Feed, "/feed.rss", true},
		"Atom 1.0":            {"/atom.xml", Feed, "/atom.xml", true},
		"Google News":         {"/sitemap-news.xml", Sitemap, "/sitemap-news.xml", true},
		"gzipped archive map": {"/sitemap-archive.xml.gz", Sitemap, "/sitemap-archive.xml.gz", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := tt.parse(site.File(tt.file), site.URLFor(tt.path))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Item{}
			for _, it := range l.Items {
				got[strings.SplitN(strings.TrimPrefix(it.URL, site.URL), "?", 2)[0]] = it
			}
			n := 0
			for _, a := range site.Expected() {
				if !slices.Contains(a.AnnouncedBy, tt.path) {
					continue
				}
				n++
				it, ok := got[a.Path]
				switch {
				case !ok:
					t.Errorf("%s missing", a.Path)
				case tt.withTitle && it.Title != a.Title:
					t.Errorf("%s: title %q, want %q", a.Path, it.Title, a.Title)
				case it.Published.Format(time.DateOnly) != a.Published && it.Updated.Format(time.DateOnly) != a.Published:
					t.Errorf("%s: published %v (updated %v), want %s", a.Path, it.Published, it.Updated, a.Published)
				}
			}
			if n == 0 || n != len(l.Items) {
				t.Errorf("%d items, %d expected", len(l.Items), n)
			}
		})
	}
	l, err := Sitemap(site.File("/sitemap_index.xml"), site.URLFor("/sitemap_index.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{site.URL + "/sitemap-news.xml", site.URL + "/sitemap-archive.xml.gz"}; !slices.Equal(l.Children, want) {
		t.Errorf("sitemap index children %v, want %v", l.Children, want)
	}
}
