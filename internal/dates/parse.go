package dates

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The years a date may fall in.
const (
	MinYear = 1990
	MaxYear = 2099
)

// maxValue is the longest value Parse reads; longer ones are not a date
// but a text that holds one (see First).
const maxValue = 256

// ErrNoDate is the error Parse wraps when a value holds no date.
var ErrNoDate = errors.New("no date")

// layouts are the forms dates take in markup and feeds, most common first.
// A layout without a zone gives a time in UTC whose day and clock are those
// written.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	time.RFC822Z,
	time.RFC822,
	"Mon, 02 Jan 06 15:04:05 -0700",
	"Mon, 02 Jan 06 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
}

// Parse reads s as one date: a machine form (RFC 3339 and its cousins,
// RFC 1123, RFC 822, ISO days, 20111216), else the first date written in
// it as First reads one. Surrounding space is ignored. The time keeps the
// offset s is written with, so that its day is the publisher's; a date
// without a zone, or in UTC or GMT, is in time.UTC.
//
// The error names s and the reason: no date in it (wrapping ErrNoDate),
// a year outside MinYear to MaxYear, or a value over 256 bytes.
func Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxValue {
		return time.Time{}, fmt.Errorf("dates: %.40q...: %d bytes, at most %d are read as one date", s, len(s), maxValue)
	}
	if t, ok := machine(s); ok {
		if !inRange(t.Year()) {
			return time.Time{}, fmt.Errorf("dates: %q: year %d outside %d-%d", s, t.Year(), MinYear, MaxYear)
		}
		return inUTC(t), nil
	}
	if t, ok := First(s); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("dates: %q: %w", s, ErrNoDate)
}

// machine reads s in one of the layouts.
func machine(s string) (time.Time, bool) {
	if len(s) < 8 {
		return time.Time{}, false
	}
	// "2011-12-16T10:00:00+06", an offset spelled with a bare hour.
	if n := len(s); n > 3 && (s[n-3] == '+' || s[n-3] == '-') && strings.Contains(s, "T") && isDigits(s[n-2:]) {
		s += ":00"
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// inUTC returns t in time.UTC when its offset is zero, so that "GMT",
// "Z" and "+00:00" give the same time value.
func inUTC(t time.Time) time.Time {
	if _, off := t.Zone(); off == 0 {
		return t.UTC()
	}
	return t
}

func inRange(year int) bool { return year >= MinYear && year <= MaxYear }

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
