package extract

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"presswatch/internal/dates"
	"presswatch/internal/model"
)

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
	if day, ok := dates.URLDay(pageURL); ok {
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
// headline (m.shown), the day in the URL and go-htmldate's guess, which
// guess returns (zero if none): guess(false) from its fast search,
// guess(true) from its extensive one (go-dateparser over the page's
// text, the costliest witness). The cheap witnesses are read first and
// go-htmldate is asked only when its answer can change the result: its
// fast search for an explicit date written in UTC with a time of day,
// which the guessed day may move to the publisher's day (see
// reconcileDate), and when neither the markup nor the headline gives a
// date; its extensive search only when the fast one finds nothing then.
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
func publicationDate(m pageMeta, pageURL string, guess func(extensive bool) time.Time) (time.Time, model.DateSource) {
	if day, ok := dates.URLDay(pageURL); ok && m.hasShown && !sameDay(m.shown.Day(), day) {
		m.hasShown = false // the URL outvotes it
	}
	if m.hasShown {
		if !m.published.IsZero() {
			if t, ok := reconcileDate(m.published, pageURL, time.Time{}); ok {
				if t, agree := alignDay(t, m.shown.Day()); agree {
					return withShownClock(t, m.shown), model.DateFromMeta
				}
			}
		}
		return m.shown.Time, model.DateFromText
	}
	if !m.published.IsZero() {
		var guessed time.Time
		if writtenInUTC(m.published) {
			guessed = guess(false)
		}
		if t, ok := reconcileDate(m.published, pageURL, guessed); ok {
			return t, model.DateFromMeta
		}
	}
	if guessed := guess(false); !guessed.IsZero() {
		return guessed, model.DateFromText
	}
	if guessed := guess(true); !guessed.IsZero() {
		return guessed, model.DateFromText
	}
	return time.Time{}, model.DateUnknown
}

// writtenInUTC reports whether t is written in UTC (or without a zone)
// with a time of day: the only explicit dates alignDay may move to a
// neighbouring day.
func writtenInUTC(t time.Time) bool {
	_, offset := t.Zone()
	return offset == 0 && (t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0)
}

// withShownClock expresses t, an explicit date written in UTC (or without
// a zone), in the offset that the clock shown beside the headline implies:
// 2011-12-15T19:30:00Z shown as "16 декабря 2011, 01:30" is
// 2011-12-16T01:30:00+06:00. The offset must be a whole quarter of an
// hour between -12:00 and +14:00; otherwise, or when t has an offset of
// its own or nothing shows a clock, t is returned as it is.
func withShownClock(t time.Time, shown dates.Found) time.Time {
	if _, off := t.Zone(); off != 0 || !shown.Clock {
		return t
	}
	off := shownClock(shown).Sub(t.UTC().Truncate(time.Minute))
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
	if day, ok := dates.URLDay(pageURL); ok && sameDay(day, guessed) {
		return false
	}
	for _, layout := range []string{"2006-01-02", "2006/01/02", "02.01.2006"} {
		if bytes.Contains(page, []byte(guessed.Format(layout))) {
			return false
		}
	}
	return !writesDay(string(page), guessed)
}

// dateReach is how far from its year a written date reaches, in bytes,
// on either side: "2011 жылғы 16 желтоқсанда" and "16 de diciembre de
// 2011" are under 40.
const dateReach = 64

// writesDay reports whether s writes day as a date (see trustedDates).
// Every date Find reads holds its year, so only the text within dateReach
// of each occurrence of day's year is searched, nearby occurrences in one
// window, instead of the whole page: on a news page of 150 KB that is a
// few hundred bytes. No date of that year is cut by a window's edge,
// since the window reaches dateReach past the year on each side.
func writesDay(s string, day time.Time) bool {
	year := strconv.Itoa(day.Year())
	lo, hi := 0, 0 // the window being widened, empty at first
	search := func() bool {
		for _, td := range trustedDates(s[lo:hi]) {
			if sameDay(td.Day(), day) {
				return true
			}
		}
		return false
	}
	for from := 0; ; {
		i := strings.Index(s[from:], year)
		if i < 0 {
			return hi > lo && search()
		}
		at := from + i
		from = at + len(year)
		if hi == 0 || at-dateReach > hi {
			if hi > lo && search() {
				return true
			}
			lo = max(0, at-dateReach)
		}
		hi = min(len(s), from+dateReach)
	}
}
