// Package datewalk expands a date-based archive URL template
// (https://example.org/{yyyy}/{mm}/{dd}/) over a range of days into the
// listing URLs a page source walks, one per day, month or year. The
// configuration checks templates and ranges with it; the crawler expands
// them.
package datewalk

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// MaxListings caps how many listing URLs one template and range may expand
// to: 4,000 is eleven years of days, far more than a backfill needs and
// little enough that a typo (from: 1011-01-01) is refused, not walked.
const MaxListings = 4000

// Step is how far apart a template's listings are.
type Step int

// The steps, from the placeholders a template holds.
const (
	Day   Step = iota // {yyyy}, {mm} and {dd}
	Month             // {yyyy} and {mm}
	Year              // {yyyy} alone
)

func (s Step) String() string {
	return [...]string{"day", "month", "year"}[s]
}

// Template is a checked URL template.
type Template struct {
	raw  string
	step Step
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Parse checks a template: it must hold {yyyy}, may hold {mm}, and {dd}
// only with {mm}; any other {name} is refused.
func Parse(raw string) (Template, error) {
	has := map[string]bool{}
	for _, p := range placeholder.FindAllString(raw, -1) {
		switch p {
		case "{yyyy}", "{mm}", "{dd}":
			has[p] = true
		default:
			return Template{}, fmt.Errorf("%s is not a placeholder (known: {yyyy}, {mm}, {dd})", p)
		}
	}
	switch {
	case !has["{yyyy}"]:
		return Template{}, fmt.Errorf("%q has no {yyyy}: a dated archive URL needs the year", raw)
	case has["{dd}"] && !has["{mm}"]:
		return Template{}, fmt.Errorf("%q has {dd} but no {mm}", raw)
	}
	t := Template{raw: raw, step: Year}
	switch {
	case has["{dd}"]:
		t.step = Day
	case has["{mm}"]:
		t.step = Month
	}
	return t, nil
}

// Step says whether the template names days, months or years.
func (t Template) Step() Step { return t.step }

// Listing is one expanded URL and the days it covers, [Start, End).
type Listing struct {
	URL        string
	Start, End time.Time
}

// Expand returns the listings covering the days from..to (both included,
// read as UTC dates), oldest first. It never returns more than
// MaxListings; Count says how many the range needs.
func (t Template) Expand(from, to time.Time) []Listing {
	var out []Listing
	for d := t.start(from); !d.After(day(to)) && len(out) < MaxListings; d = t.next(d) {
		out = append(out, Listing{URL: t.url(d), Start: d, End: t.next(d)})
	}
	return out
}

// Count is how many listings the days from..to expand to; 0 when from
// is after to.
func (t Template) Count(from, to time.Time) int {
	from, to = t.start(from), day(to)
	if from.After(to) {
		return 0
	}
	switch t.step {
	case Day:
		return int(to.Sub(from).Hours()/24) + 1
	case Month:
		return (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
	}
	return to.Year() - from.Year() + 1
}

func (t Template) start(d time.Time) time.Time {
	d = day(d)
	switch t.step {
	case Month:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case Year:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

func (t Template) next(d time.Time) time.Time {
	switch t.step {
	case Month:
		return d.AddDate(0, 1, 0)
	case Year:
		return d.AddDate(1, 0, 0)
	}
	return d.AddDate(0, 0, 1)
}

func (t Template) url(d time.Time) string {
	return strings.NewReplacer(
		"{yyyy}", fmt.Sprintf("%04d", d.Year()),
		"{mm}", fmt.Sprintf("%02d", int(d.Month())),
		"{dd}", fmt.Sprintf("%02d", d.Day()),
	).Replace(t.raw)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a range end as the configuration writes it: YYYY-MM-DD,
// YYYY-MM or YYYY. A month or year given as from starts on its first day;
// given as to (end true) it ends on its last.
func ParseDate(s string, end bool) (time.Time, error) {
	for _, f := range []struct {
		layout string
		years  int
		months int
	}{{time.DateOnly, 0, 0}, {"2006-01", 0, 1}, {"2006", 1, 0}} {
		t, err := time.Parse(f.layout, s)
		if err != nil {
			continue
		}
		if end && (f.years > 0 || f.months > 0) {
			t = t.AddDate(f.years, f.months, -1)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)", s)
}
