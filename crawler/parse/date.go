package parse

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseDate finds the first date in a piece of text, such as the text under
// a listing page's date selector, and reports whether it found one.
// It understands:
//
//	2012-01-12, 2012/01/12, 2012-01-12T14:35:00+06:00
//	12.01.2012, 12/01/2012, 12-01-2012 (day first; 01/31/2012 is read as US)
//	12 January 2012, 12th Jan 2012, 16 December, 2011, 12. Januar 2012,
//	1er janvier 2012, 16 de diciembre de 2011, 12 января 2012 г.
//	January 12, 2012, Jan. 12th, 2012 ("Posted by admin on January 12, 2012")
//	2011 жылғы 16 желтоқсан (Kazakh, year first)
//
// with month names in English, German, French, Spanish, Italian,
// Portuguese, Polish, Russian, Ukrainian and Kazakh, full or abbreviated.
// A time of day right after the date ("12 January 2012, 14:35",
// "January 12, 2012 at 2:35 pm", "12.01.2012 14h35") is kept, with its zone
// when one is given as Z, UTC, GMT or +06:00; otherwise the time is taken as
// UTC. Two-digit years are not read: "12.01.12" is too ambiguous. Years
// must lie between 1900 and 2100. A date with a zone offset keeps it (the
// publisher's day is the one users search by); others are in UTC.
func ParseDate(s string) (time.Time, bool) {
	if len(s) > maxDateText {
		s = s[:maxDateText]
	}
	best, bestAt := time.Time{}, -1
	for _, p := range datePatterns {
		t, at, ok := p.find(s)
		if ok && (bestAt < 0 || at < bestAt) {
			best, bestAt = t, at
		}
	}
	return best, bestAt >= 0
}

// maxDateText bounds how much text ParseDate searches.
const maxDateText = 64 << 10

type datePattern struct {
	re *regexp.Regexp
	// ymd turns the submatches into year, month and day, or reports failure.
	ymd func(m []string) (y, mo, d int, ok bool)
}

var datePatterns = []datePattern{
	{ // ISO 8601 and its slashed and dotted cousins, with an optional time.
		regexp.MustCompile(`(?:^|\D)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`),
		func(m []string) (int, int, int, bool) { return atoi(m[1]), atoi(m[2]), atoi(m[3]), true },
	},
	{ // 12.01.2012, 12/01/2012
		regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4})`),
		func(m []string) (int, int, int, bool) {
			a, b := atoi(m[1]), atoi(m[2])
			if b > 12 && a <= 12 {
				a, b = b, a // US order: month first
			}
			return atoi(m[3]), b, a, true
		},
	},
	{ // 12 January 2012, 16. Dezember 2011, 16 de diciembre de 2011
		regexp.MustCompile(`(?i)(?:^|[^\pL\d])(\d{1,2})(?:st|nd|rd|th|er|-?го|-?е|\.)?(?:\s+de)?[\s\-]+(\pL+)\.?,?(?:\s+de|\s+del)?[\s\-]+(\d{4})`),
		func(m []string) (int, int, int, bool) { return monthFirst(m[3], m[2], m[1]) },
	},
	{ // January 12, 2012
		regexp.MustCompile(`(?i)(?:^|[^\pL])(\pL+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})`),
		func(m []string) (int, int, int, bool) { return monthFirst(m[3], m[1], m[2]) },
	},
	{ // 2011 жылғы 16 желтоқсан
		regexp.MustCompile(`(?:^|\D)(\d{4})\s*(?:жылғы|жылы|ж\.)?\s+(\d{1,2})\s+(\pL+)`),
		func(m []string) (int, int, int, bool) { return monthFirst(m[1], m[3], m[2]) },
	},
}

// find returns the first valid date the pattern matches and where it starts.
func (p datePattern) find(s string) (time.Time, int, bool) {
	for pos := 0; pos < len(s); {
		loc := p.re.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			return time.Time{}, 0, false
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[pos+loc[2*i] : pos+loc[2*i+1]]
			}
		}
		if y, mo, d, ok := p.ymd(m); ok && validDate(y, mo, d) {
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			return withClock(t, s[pos+loc[1]:]), pos + loc[2], true
		}
		pos += loc[3] // past the first group: the next try starts at a boundary
	}
	return time.Time{}, 0, false
}

func monthFirst(year, month, day string) (int, int, int, bool) {
	mo, ok := months[strings.ToLower(month)]
	return atoi(year), int(mo), atoi(day), ok
}

func validDate(y, mo, d int) bool {
	if y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// clockRe reads a time of day right after a date.
var clockRe = regexp.MustCompile(`(?i)^(?:[\s,|\-–—]|at|à|a las|às|alle|um|в|o|kl\.|г\.|года|T)*` +
	`(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?:\s*([ap])\.?m\.?)?(?:\s*(?:Uhr|ч\.))?` +
	`(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?`)

// withClock adds the time of day found at the start of rest, if any.
func withClock(day time.Time, rest string) time.Time {
	m := clockRe.FindStringSubmatch(rest)
	if m == nil {
		return day
	}
	h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3])
	switch strings.ToLower(m[4]) {
	case "a":
		if h == 12 {
			h = 0
		}
	case "p":
		if h < 12 {
			h += 12
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return day
	}
	t := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second)
	off := zoneOffset(m[5])
	if off == 0 {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", int(off/time.Second)))
}

// zoneOffset reads "Z", "UTC", "GMT", "+06:00" or "-0500".
func zoneOffset(z string) time.Duration {
	if len(z) < 5 || (z[0] != '+' && z[0] != '-') {
		return 0
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	off := time.Duration(atoi(digits[:2]))*time.Hour + time.Duration(atoi(digits[2:]))*time.Minute
	if z[0] == '-' {
		return -off
	}
	return off
}

// atoi reads digits; "" (an absent optional part) is 0.
func atoi(s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
