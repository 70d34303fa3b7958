package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"presswatch/internal/model"
)

// dateLayouts are the forms dates take in markup (JSON-LD, <meta>,
// <time datetime>), most common first. A layout without a zone gives a
// time in UTC whose day and clock are those written.
var dateLayouts = []string{
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
	"2 Jan 2006 15:04:05 -0700",
	"02.01.2006 15:04",
	"02.01.2006",
	"January 2, 2006",
	"Jan 2, 2006",
}

// Dates outside these years are taken for placeholders ("0001-01-01",
// "2099-12-31") or typing errors, not publication dates.
const (
	minYear = 1990
	maxYear = 2099
)

// parseDate reads a machine-readable date as found in markup, keeping the
// offset it is written with, so that the day is the publisher's day. It
// reports false when s is not such a date.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > 64 {
		return time.Time{}, false
	}
	// "2011-12-16T10:00:00+06" and "...+0600" spelled with a bare hour.
	if n := len(s); n > 3 && (s[n-3] == '+' || s[n-3] == '-') && strings.Contains(s, "T") && isDigits(s[n-2:]) {
		s += ":00"
	}
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if y := t.Year(); y < minYear || y > maxYear {
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// rxURLDate finds a publication day written in a URL path as /2011/12/16/.
var rxURLDate = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)

// urlDay returns the day a URL's path names, at midnight UTC.
func urlDay(pageURL string) (time.Time, bool) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return time.Time{}, false
	}
	m := rxURLDate.FindStringSubmatch(u.Path)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2011/02/31
		return time.Time{}, false
	}
	return t, true
}

// alignDay compares an explicit date t with day, the publication day as
// another witness gives it in the publisher's own time zone (the URL, or
// go-htmldate reading the visible text). It reports whether they agree:
//
//   - the same day: t is kept;
//   - t is written in UTC (or without a zone) and day is the day before or
//     after: the same instant is expressed in the whole-hour offset nearest
//     to UTC that puts it on day (nypost.com writes 2023-11-09T03:28:35Z
//     on /2023/11/08/; a Kazakh site writing UTC has the same problem for
//     everything published before 05:00 or 06:00 local time);
//   - t has its own offset and day is a neighbour: t is kept, the page's
//     offset is authoritative;
//   - anything else: they disagree.
func alignDay(t, day time.Time) (time.Time, bool) {
	tday := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	_, offset := t.Zone()
	if offset == 0 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		offset = -1 // a bare date ("2011-12-16") is the publisher's day already
	}
	switch diff := tday.Sub(day); {
	case diff == 0:
		return t, true
	case offset == 0 && diff == 24*time.Hour && t.Hour() < 12:
		return t.In(time.FixedZone("", -(t.Hour()+1)*3600)), true
	case offset == 0 && diff == -24*time.Hour && t.Hour() >= 10:
		return t.In(time.FixedZone("", (24-t.Hour())*3600)), true
	case offset != 0 && (diff == 24*time.Hour || diff == -24*time.Hour):
		return t, true
	}
	return t, false
}

// reconcileDate checks an explicit date against the day in the page's URL
// and the day go-htmldate found (zero if none). A URL day that disagrees
// makes the explicit date untrusted (ok false): it is then usually a
// modification date or a template's. go-htmldate's day only corrects the
// time zone, as it is a guess itself.
func reconcileDate(t time.Time, pageURL string, guessed time.Time) (time.Time, bool) {
	if day, ok := urlDay(pageURL); ok {
		aligned, agree := alignDay(t, day)
		if !agree {
			return time.Time{}, false
		}
		t = aligned
	}
	if !guessed.IsZero() {
		t, _ = alignDay(t, guessed)
	}
	return t, true
}

// publicationDate chooses the publication date among the witnesses: the
// explicit date of the markup (m.published), the date shown with the
// headline (m.shown), the day in the URL and go-htmldate's guess
// (guessed, zero if none).
//
// The explicit date wins when no other witness contradicts it (see
// reconcileDate). When the page shows a date with its headline, that is
// the witness: an explicit date on its day, or on a neighbouring day by
// the time zone only (see alignDay), is kept; one on another day is a
// modification date, a template's or a stale one, and the shown date is
// taken instead, as readers see it. A shown date off the URL's day
// (/2021/03/08/) is not a witness: it is usually an update ("CNN Updated
// 2010 GMT (0410 HKT) March 14, 2021"). Failing both, go-htmldate's
// guess.
func publicationDate(m pageMeta, pageURL string, guessed time.Time) (time.Time, model.DateSource) {
	if day, ok := urlDay(pageURL); ok && m.hasShown && !sameDay(m.shown.day, day) {
		m.hasShown = false // the URL outvotes it
	}
	if m.hasShown {
		if !m.published.IsZero() {
			if t, ok := reconcileDate(m.published, pageURL, time.Time{}); ok {
				if t, agree := alignDay(t, m.shown.day); agree {
					return withShownClock(t, m.shown), model.DateFromMeta
				}
			}
		}
		return m.shown.at(), model.DateFromText
	}
	if !m.published.IsZero() {
		if t, ok := reconcileDate(m.published, pageURL, guessed); ok {
			return t, model.DateFromMeta
		}
	}
	if !guessed.IsZero() {
		return guessed, model.DateFromText
	}
	return time.Time{}, model.DateUnknown
}

// withShownClock expresses t, an explicit date written in UTC (or without
// a zone), in the offset that the clock shown beside the headline implies:
// 2011-12-15T19:30:00Z shown as "16 декабря 2011, 01:30" is
// 2011-12-16T01:30:00+06:00. The offset must be a whole quarter of an
// hour between -12:00 and +14:00; otherwise, or when t has an offset of
// its own or nothing shows a clock, t is returned as it is.
func withShownClock(t time.Time, shown textDate) time.Time {
	if _, off := t.Zone(); off != 0 || !shown.clock {
		return t
	}
	off := shown.at().Sub(t.UTC().Truncate(time.Minute))
	if off == 0 || off%(15*time.Minute) != 0 || off < -12*time.Hour || off > 14*time.Hour {
		return t
	}
	return t.In(time.FixedZone("", int(off/time.Second)))
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// completedGuess reports whether go-htmldate's guess may be a year or a
// month it completed with ones: when the page names only a year (a
// copyright line, "2011" alone) or a month, it answers the first of
// January or of that month at midnight. Such a guess is kept only when
// something shows that very day: the URL, or the day written in the page
// (its text, or an attribute in ISO or dotted form). Otherwise an article
// would be dated to a day it never named, and sort first of its year.
func completedGuess(guessed time.Time, page []byte, pageURL string) bool {
	if guessed.IsZero() || guessed.Day() != 1 || guessed.Hour() != 0 || guessed.Minute() != 0 || guessed.Second() != 0 {
		return false
	}
	if day, ok := urlDay(pageURL); ok && sameDay(day, guessed) {
		return false
	}
	for _, layout := range []string{"2006-01-02", "2006/01/02", "02.01.2006"} {
		if bytes.Contains(page, []byte(guessed.Format(layout))) {
			return false
		}
	}
	for _, td := range textDates(string(page)) {
		if sameDay(td.day, guessed) {
			return false
		}
	}
	return true
}
