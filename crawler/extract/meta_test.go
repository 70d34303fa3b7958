package extract

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// markupDate reads what dates.Parse reads (its table is TestParse in
// internal/dates); what it adds is that a slashed date whose order of day
// and month the numbers do not show is no date.
func TestMarkupDate(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"slashed, order shown":  {"01/31/2012", "2012-01-31T00:00:00Z"},
		"slashed, day over 12":  {"31/01/2012", "2012-01-31T00:00:00Z"},
		"slashed, with a clock": {"31/01/2012 10:00", "2012-01-31T10:00:00Z"},
		"ISO slashed":           {"2012/01/05", "2012-01-05T00:00:00Z"},
		"dashed, not slashed":   {"05-06-2012", "2012-06-05T00:00:00Z"},
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
	for _, bad := range []string{"01/02/2012", "05/06/2012 10:00", "yesterday"} {
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
