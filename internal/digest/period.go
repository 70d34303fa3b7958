package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultZone is the deployment's time zone unless configured: the
// Zhanaozen deployment's, where the day of the events is counted.
const DefaultZone = "Asia/Almaty"

// Period is the span a digest covers: [From, To). Day labels it: the
// calendar day (YYYY-MM-DD) in Zone for a day's digest, the day From
// falls on for a digest --since a duration.
type Period struct {
	Day  string    `json:"day"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Zone string    `json:"zone"`
	// Since is set for a period that ends now rather than at midnight
	// (--since 24h).
	Since time.Duration `json:"since,omitempty"`
}

// Contains tells whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Location is the period's time zone.
func (p Period) Location() *time.Location {
	if loc, err := time.LoadLocation(p.Zone); err == nil {
		return loc
	}
	return time.UTC
}

// Day is the calendar day day (YYYY-MM-DD) in loc, from its midnight to
// the next (23 or 25 hours long where clocks change).
func Day(day string, loc *time.Location) (Period, error) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return Period{}, fmt.Errorf("digest: day %q: want YYYY-MM-DD", day)
	}
	y, m, d := t.Date()
	return Period{Day: day, From: dayStart(y, m, d, loc), To: dayStart(y, m, d+1, loc), Zone: loc.String()}, nil
}

// dayStart is the first instant of the calendar day y-m-d in loc. Where clocks
// jump forward at midnight (America/Santiago), midnight does not exist and
// Go gives the hour before it, on the day before: the day then starts when
// that day's last zone period ends.
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if start.Day() != time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Day() {
		_, end := start.ZoneBounds()
		start = end
	}
	return start
}

// Yesterday is the calendar day before now's in loc: the default period of
// a daily digest.
func Yesterday(now time.Time, loc *time.Location) Period {
	y, m, d := now.In(loc).Date()
	p, _ := Day(time.Date(y, m, d-1, 12, 0, 0, 0, time.UTC).Format(time.DateOnly), loc)
	return p
}

// Since is the span of d before now.
func Since(now time.Time, d time.Duration, loc *time.Location) (Period, error) {
	if d <= 0 {
		return Period{}, fmt.Errorf("digest: since %v: want a positive duration such as 24h", d)
	}
	from := now.Add(-d)
	return Period{Day: from.In(loc).Format(time.DateOnly), From: from, To: now, Zone: loc.String(), Since: d}, nil
}

// maxSpanDays bounds a span: about a century.
const maxSpanDays = 36600

// ParseSpan reads a span back from now, such as 24h, 90m or 7d: Go's
// duration units and d for days, from a second to maxSpanDays days.
func ParseSpan(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration such as 24h or 7d (from 1s to %d days)", s, maxSpanDays)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > maxSpanDays {
			return 0, bad
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second || d > maxSpanDays*24*time.Hour {
		return 0, bad
	}
	return d, nil
}
