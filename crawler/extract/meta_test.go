package extract

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestMarkupDate(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"RFC 3339 with offset": {"2011-12-16T17:45:00+06:00", "2011-12-16T17:45:00+06:00"},
		"RFC 3339 UTC":         {"2011-12-16T11:45:00Z", "2011-12-16T11:45:00Z"},
		"fractional seconds":   {"2011-12-16T11:45:00.123Z", "2011-12-16T11:45:00Z"},
		"offset without colon": {"2011-12-16T17:45:00+0600", "2011-12-16T17:45:00+06:00"},
		"offset hour only":     {"2011-12-16T17:45:00+06", "2011-12-16T17:45:00+06:00"},
		"no seconds":           {"2011-12-16T17:45+06:00", "2011-12-16T17:45:00+06:00"},
		"no zone":              {"2011-12-16T17:45:00", "2011-12-16T17:45:00Z"},
		"space separated":      {"2011-12-16 17:45:00", "2011-12-16T17:45:00Z"},
		"date only":            {"2011-12-16", "2011-12-16T00:00:00Z"},
		"compact":              {"20111216", "2011-12-16T00:00:00Z"},
		"RFC 1123 with offset": {"Fri, 16 Dec 2011 17:45:00 +0600", "2011-12-16T17:45:00+06:00"},
		"dotted day first":     {"16.12.2011", "2011-12-16T00:00:00Z"},
		"english month":        {"December 16, 2011", "2011-12-16T00:00:00Z"},
		"surrounding space":    {"  2011-12-16T17:45:00+06:00\n", "2011-12-16T17:45:00+06:00"},
		"Russian, as written":  {"16 декабря 2011", "2011-12-16T00:00:00Z"},
		"Russian with a clock": {"16 декабря 2011, 10:05", "2011-12-16T10:05:00Z"},
		"slashed, order shown": {"01/31/2012", "2012-01-31T00:00:00Z"},
		"slashed, day over 12": {"31/01/2012", "2012-01-31T00:00:00Z"},
		"ISO slashed":          {"2012/01/05", "2012-01-05T00:00:00Z"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := markupDate(tc.in)
			if !ok {
				t.Fatalf("markupDate(%q) failed", tc.in)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("markupDate(%q) = %s, want %s", tc.in, s, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "0001-01-01T00:00:00Z", "2199-01-01", "2011-13-45",
		"01/02/2012", "05/06/2012 10:00"} {
		if got, ok := markupDate(bad); ok {
			t.Errorf("markupDate(%q) = %s, want failure", bad, got)
		}
	}
}

// The date a page states in its markup is read by the same reader as
// every other date: a <meta> written for readers ("16 декабря 2011")
// counts, an ambiguous slashed one does not, and the order of the
// sources holds.
func TestExplicitDate(t *testing.T) {
	tests := map[string]struct{ head, body, want string }{
		"Russian meta": {`<meta property="article:published_time" content="16 декабря 2011, 10:05">`, ``, "2011-12-16T10:05:00Z"},
		"JSON-LD before meta": {`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2011-12-16T17:45:00+06:00"}</script>` +
			`<meta property="article:published_time" content="2011-12-20T10:00:00Z">`, ``, "2011-12-16T17:45:00+06:00"},
		"ambiguous meta skipped": {`<meta property="article:published_time" content="06/05/2012"><meta name="date" content="2012-06-05">`, ``, "2012-06-05T00:00:00Z"},
		"ambiguous alone":        {`<meta name="pubdate" content="05/06/2012">`, ``, ""},
		"time element":           {``, `<article><time datetime="16.12.2011 10:05">16 декабря</time></article>`, "2011-12-16T10:05:00Z"},
		"nothing":                {`<meta name="description" content="16 December 2011">`, ``, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader("<html><head>" + tc.head + "</head><body>" + tc.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if m := readMeta(root); !m.published.IsZero() {
				got = m.published.Format(time.RFC3339)
			}
			if got != tc.want {
				t.Errorf("published %q, want %q", got, tc.want)
			}
		})
	}
}
