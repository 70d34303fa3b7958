package digest

import (
	"fmt"
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
	t, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return Period{}, fmt.Errorf("digest: day %q: want YYYY-MM-DD", day)
	}
	return Period{Day: day, From: t, To: t.AddDate(0, 0, 1), Zone: loc.String()}, nil
}

// Yesterday is the calendar day before now's in loc: the default period of
// a daily digest.
func Yesterday(now time.Time, loc *time.Location) Period {
	y, m, d := now.In(loc).Date()
	from := time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	p, _ := Day(from.Format(time.DateOnly), loc)
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
