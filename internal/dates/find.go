package dates

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Found is a date written in a text.
type Found struct {
	// Time is the day written, at the time of day written after it
	// (midnight without one), in the offset written after that (Z, UTC,
	// GMT, +06:00, -0500), else in time.UTC.
	Time time.Time
	// Clock tells whether a time of day follows the date.
	Clock bool
	// Ambiguous marks a slashed date whose order the numbers do not show
	// (05/06/2012): it is read day first, as in the languages presswatch
	// follows but English.
	Ambiguous bool
	// Start and End are the byte offsets of the date in the text, its
	// clock left out.
	Start, End int
}

// Day returns the day written, at midnight UTC.
func (f Found) Day() time.Time {
	return time.Date(f.Time.Year(), f.Time.Month(), f.Time.Day(), 0, 0, 0, 0, time.UTC)
}

// maxFirst bounds how much text First searches.
const maxFirst = 64 << 10

// First returns the first date written in text (see Find), with the
// time of day and the zone written after it, and reports whether there is
// one. Only the first 64 KiB of text are searched.
func First(text string) (time.Time, bool) {
	if len(text) > maxFirst {
		text = text[:maxFirst]
	}
	fs := Find(text)
	if len(fs) == 0 {
		return time.Time{}, false
	}
	return fs[0].Time, true
}

// Find returns the dates written in text, in the order they stand, none
// overlapping another. It reads:
//
//	2012-01-12, 2012/01/12, 2012.01.12, 2012-01-12T14:35:00+06:00
//	12.01.2012, 4. 2. 2022, 12-01-2012 (day first)
//	12/01/2012 (day first, Ambiguous), 01/31/2012 (US order, as the numbers show)
//	12 January 2012, 12th Jan 2012, 16 December, 2011, 16-Dec-2011,
//	12. Januar 2012, 1er janvier 2012, 16 de diciembre de 2011,
//	12 января 2012 г., 16 желтоқсанда 2011
//	January 12, 2012, Jan. 12th, 2012
//	2011 жылғы 16 желтоқсан, 2011 ж. 16 желтоқсан (Kazakh, year first)
//
// with the month names go-dateparser knows in Languages (see monthOf).
// A time of day right after the date is read ("12 January 2012, 14:35",
// "January 12, 2012 at 2:35 pm", "1er février 2012 à 14h30", "3. März
// 2012, 14:00 Uhr", "16.12.2011 | 15:33"), with its zone when one
// follows. Days that do not exist (31 February) and years outside MinYear
// to MaxYear are not dates.
func Find(text string) []Found {
	var out []Found
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[2], m[len(m)-1]
			if end < len(text) && isDigit(text[end]) {
				continue // 2011 is part of 20111
			}
			g := func(i int) string { return text[m[2*i]:m[2*i+1]] }
			y, mo, d, ambiguous, ok := p.ymd(g)
			if !ok || !validDate(y, mo, d) {
				continue
			}
			day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			t, clock := withClock(day, text[end:])
			out = append(out, Found{Time: t, Clock: clock, Ambiguous: ambiguous, Start: start, End: end})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	kept := out[:0]
	for _, f := range out {
		if len(kept) > 0 && f.Start < kept[len(kept)-1].End {
			continue // inside or across the date before it
		}
		kept = append(kept, f)
	}
	return kept
}

// A pattern is one shape of date. Its first group starts the date and its
// last group ends it.
type pattern struct {
	re  *regexp.Regexp
	ymd func(g func(int) string) (y, mo, d int, ambiguous, ok bool)
}

var patterns = []pattern{
	{ // 2012-01-12, 2012/01/12, 2012.01.12
		regexp.MustCompile(`(?:^|[^\d.])((?:19|20)\d{2})([-/.])(\d{1,2})([-/.])(\d{1,2})`),
		func(g func(int) string) (int, int, int, bool, bool) {
			return atoi(g(1)), atoi(g(3)), atoi(g(5)), false, g(2) == g(4)
		},
	},
	{ // 12.01.2012, 4. 2. 2022
		regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})`),
		func(g func(int) string) (int, int, int, bool, bool) {
			return atoi(g(3)), atoi(g(2)), atoi(g(1)), false, true
		},
	},
	{ // 12/01/2012, 12-01-2012
		regexp.MustCompile(`(?:^|[^\d/-])(\d{1,2})([/-])(\d{1,2})([/-])((?:19|20)\d{2})`),
		func(g func(int) string) (int, int, int, bool, bool) {
			y, a, b := atoi(g(5)), atoi(g(1)), atoi(g(3))
			switch {
			case g(2) != g(4):
				return 0, 0, 0, false, false // 12/01-2012
			case b > 12 && a <= 12:
				return y, a, b, false, true // US order: month first
			case a > 12 || a == b:
				return y, b, a, false, true
			}
			return y, b, a, g(2) == "/", true
		},
	},
	{ // 12 January 2012, 16. Dezember 2011, 16 de diciembre de 2011, 16-Dec-2011
		regexp.MustCompile(`(?:^|[^\pL\d])(\d{1,2})(?:st|nd|rd|th|er|-?го|-?е|\.)?(?:\s+de)?[\s\-]+(\pL+)\.?,?(?:\s+de|\s+del)?[\s\-]+((?:19|20)\d{2})`),
		func(g func(int) string) (int, int, int, bool, bool) {
			mo, ok := monthOf(g(2))
			return atoi(g(3)), int(mo), atoi(g(1)), false, ok
		},
	},
	{ // January 12, 2012, Dec. 16th 2011
		regexp.MustCompile(`(?:^|[^\pL])(\pL+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})`),
		func(g func(int) string) (int, int, int, bool, bool) {
			mo, ok := monthOf(g(1))
			return atoi(g(3)), int(mo), atoi(g(2)), false, ok
		},
	},
	{ // 2011 жылғы 16 желтоқсан, 2011 ж. 16 желтоқсан
		regexp.MustCompile(`(?:^|\D)((?:19|20)\d{2})\s*(?:ж\.|жылы|жылғы)\s*(\d{1,2})\s+(\pL+)`),
		func(g func(int) string) (int, int, int, bool, bool) {
			mo, ok := monthOf(g(3))
			return atoi(g(1)), int(mo), atoi(g(2)), false, ok
		},
	},
}

func validDate(y, mo, d int) bool {
	if !inRange(y) || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// clockRe reads a time of day right after a date, and a zone after it.
var clockRe = regexp.MustCompile(`(?i)^(?:[\s,|\-–—@]|at|à|a las|às|alle|um|в|o|kl\.|г\.|года|T)*` +
	`(\d{1,2})[:h.](\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?:\s*([ap])\.?\s?m\.?)?(?:\s*(?:Uhr|ч\.))?` +
	`(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?`)

// withClock adds the time of day found at the start of rest, if any, and
// reports whether it found one.
func withClock(day time.Time, rest string) (time.Time, bool) {
	m := clockRe.FindStringSubmatchIndex(rest)
	if m == nil {
		return day, false
	}
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return rest[m[2*i]:m[2*i+1]]
	}
	if m[1] < len(rest) && (isDigit(rest[m[1]]) || (g(4) != "" && isLetter(rest[m[1]]))) {
		return day, false // 10:305, or "pm" the start of a word
	}
	h, mi, sec := atoi(g(1)), atoi(g(2)), atoi(g(3))
	switch strings.ToLower(g(4)) {
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
		return day, false
	}
	t := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second)
	if off, ok := zoneOffset(g(5)); ok && off != 0 {
		t = time.Date(t.Year(), t.Month(), t.Day(), h, mi, sec, 0, time.FixedZone("", off))
	}
	return t, true
}

// zoneOffset reads "+06:00" or "-0500" in seconds east of UTC; "Z", "UTC"
// and "GMT" are 0. Offsets beyond ±14:00 are not read.
func zoneOffset(z string) (int, bool) {
	if len(z) < 5 || (z[0] != '+' && z[0] != '-') {
		return 0, z != ""
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h, mi := atoi(digits[:2]), atoi(digits[2:])
	if h > 14 || mi > 59 {
		return 0, false
	}
	off := h*3600 + mi*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// atoi reads digits; "" (an absent optional part) is 0.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
