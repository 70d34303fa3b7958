package parse

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"presswatch/internal/model"
)

// MaxItems bounds the items one listing keeps, so a runaway feed or a
// sitemap of 50,000 URLs cannot flood the crawler in one run. Feeds and
// listing pages put the newest first, so their first MaxItems items are
// kept; sitemaps are unordered, so the MaxItems newest (by date) are kept.
const MaxItems = 1000

// MaxChildren bounds the child sitemaps one sitemap index yields.
const MaxChildren = 1000

// Item is one entry of a listing: a link to an article and what the
// listing says about it.
type Item struct {
	URL       string    // absolute http(s) URL, resolved against the base URL, without #fragment
	Title     string    // plain text
	Author    string    // plain text, "" if unknown
	Published time.Time // with the offset the listing gave; zero if unknown
	Updated   time.Time // sitemaps: lastmod, the page's last change; zero if none
	Summary   string    // description or summary as plain text
	Content   string    // full content as plain text, if the feed carries it
	Lang      string    // the item's language, else the listing's, lower case ("ru", "en-gb")
	GUID      string    // the feed's id for the item, as given
}

// Listing is what one body announces.
type Listing struct {
	Title    string
	Lang     string
	Items    []Item
	Next     string   // page sources: the next (older) listing page, absolute; "" if none
	Children []string // sitemap index: the child sitemaps, absolute
	// ChildDates are the children's lastmod, in the order of Children;
	// zero where an entry gives none.
	ChildDates []time.Time
}

// errorf builds a *model.Error whose text names the kind of body and its URL:
// "parse: feed https://example.org/rss: not a feed: looks like an HTML page".
func errorf(kind model.ErrorKind, what, rawURL, format string, args ...any) error {
	return model.Errorf(kind, "parse: %s %s: %s", what, rawURL, fmt.Sprintf(format, args...))
}

// collector gathers the items of one listing: it resolves links, drops
// items without an http(s) link and repeated links, and stops at a limit.
type collector struct {
	base  *url.URL
	lang  string
	limit int
	seen  map[string]bool
	items []Item
}

func newCollector(baseURL string, limit int) *collector {
	c := &collector{limit: limit, seen: make(map[string]bool)}
	if u, err := url.Parse(strings.TrimSpace(baseURL)); err == nil && u.IsAbs() {
		c.base = u
	}
	return c
}

// full reports whether the collector has reached its limit.
func (c *collector) full() bool { return c.limit > 0 && len(c.items) >= c.limit }

// add appends the item under the first of links that resolves to an
// http(s) URL; it reports whether the item was kept.
func (c *collector) add(it Item, links ...string) bool {
	if c.full() {
		return false
	}
	abs := ""
	for _, link := range links {
		if u, ok := resolve(c.base, link); ok {
			abs = u
			break
		}
	}
	if abs == "" || c.seen[abs] {
		return false
	}
	c.seen[abs] = true
	it.URL = abs
	if it.Lang == "" {
		it.Lang = c.lang
	}
	c.items = append(c.items, it)
	return true
}

// newest keeps the n items with the latest dates (published, else
// updated), undated ones last, and
// otherwise keeps document order.
func newest(items []Item, n int) []Item {
	if len(items) <= n {
		return items
	}
	date := func(it Item) time.Time {
		if it.Published.IsZero() {
			return it.Updated
		}
		return it.Published
	}
	sort.SliceStable(items, func(i, j int) bool { return date(items[i]).After(date(items[j])) })
	return items[:n]
}

// resolve makes ref absolute against base and accepts only http(s) URLs
// with a host. The fragment is dropped: it never names another article.
func resolve(base *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 4096 {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if !u.IsAbs() {
		if base == nil {
			return "", false
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}

// absURL resolves one link (a next page, a child sitemap) or returns "".
func absURL(base *url.URL, ref string) string {
	s, _ := resolve(base, ref)
	return s
}

// normLang tidies a declared language tag: "en_US " becomes "en-us".
// Anything that cannot be a tag is dropped.
func normLang(s string) string {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
	if s == "" || len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return ""
		}
	}
	return s
}
