package model

import "time"

// DateRange limits a source to the days From to To (UTC, both included;
// a zero To is today, whenever the source is read).
// A page source with a URLTemplate walks the site's dated archive
// listings over the range (internal/datewalk expands them); a sitemap
// source keeps only the URLs whose lastmod falls in it and skips the
// dated children of a sitemap index outside it.
type DateRange struct {
	// URLTemplate is the dated listing of a page source, such as
	// https://example.org/{yyyy}/{mm}/{dd}/; "" for a sitemap source.
	URLTemplate string
	From, To    time.Time
}

// Holds reports whether t falls on one of the range's days.
func (r DateRange) Holds(t time.Time) bool {
	t = t.UTC()
	return !t.Before(r.From) && (r.To.IsZero() || t.Before(r.To.AddDate(0, 0, 1)))
}
