package parse

import (
	"net/url"
	"regexp"
	"strconv"
	"time"

	"presswatch/internal/model"
)

// SitemapInRange keeps of a sitemap's listing only what may fall in r (a
// zero r.To is now's day): the URLs whose lastmod, or without one the
// news publication date, is one of r's days (a URL with neither is
// dropped), and the children of a sitemap index that may list such URLs:
// not one last modified before r.From, nor one whose URL names a year,
// month or day outside r (sitemap-2011-12.xml, /sitemaps/2011/12/16.xml).
func SitemapInRange(l *Listing, r model.DateRange, now time.Time) {
	if r.To.IsZero() {
		y, m, d := now.UTC().Date()
		r.To = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	items := l.Items[:0]
	for _, it := range l.Items {
		when := it.Updated
		if when.IsZero() {
			when = it.Published
		}
		if !when.IsZero() && r.Holds(when) {
			items = append(items, it)
		}
	}
	l.Items = items
	var children []string
	var dates []time.Time
	for i, c := range l.Children {
		var mod time.Time
		if i < len(l.ChildDates) {
			mod = l.ChildDates[i]
		}
		if !mod.IsZero() && mod.UTC().Before(r.From) {
			continue
		}
		if start, end, ok := urlPeriod(c); ok && (!end.After(r.From) || start.After(r.To)) {
			continue
		}
		children = append(children, c)
		dates = append(dates, mod)
	}
	l.Children, l.ChildDates = children, dates
}

// datedPath finds a year, a year and month, or a full date in a URL path,
// the parts apart or joined by -, _, / or . (2011, 2011-12, 2011/12/16,
// 20111216), not inside a longer run of digits.
var datedPath = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[-_/.]?(0[1-9]|1[0-2])(?:[-_/.]?(0[1-9]|[12][0-9]|3[01]))?)?(?:[^0-9]|$)`)

// urlPeriod is the period [start, end) the last date in u's path names.
func urlPeriod(u string) (start, end time.Time, ok bool) {
	p, err := url.Parse(u)
	if err != nil {
		return start, end, false
	}
	all := datedPath.FindAllStringSubmatch(p.Path, -1)
	if len(all) == 0 {
		return start, end, false
	}
	m := all[len(all)-1]
	y, _ := strconv.Atoi(m[1])
	switch {
	case m[2] == "":
		start = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(1, 0, 0), true
	case m[3] == "":
		mo, _ := strconv.Atoi(m[2])
		start = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0), true
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	start = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 0, 1), true
}
