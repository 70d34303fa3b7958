package dates

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse feeds Parse, First and Find any input: each gives a time in
// MinYear to MaxYear or an error (no date), never a panic; Find's spans
// lie inside the text, in order.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2011-12-16T17:45:00+06:00", "Fri, 16 Dec 2011 17:45:00 +0600", "16 декабря 2011 г., 10:05",
		"2011 жылғы 16 желтоқсан", "01/31/2012", "1er février 2012 à 14h30", "31 February 2012",
		"2012-01-12 10:30 +2500", "16 December 20111", "0001-01-01", "yesterday", "", "\xff\xfe16 dic 2011",
	} {
		f.Add(s)
	}
	sane := func(t time.Time) bool { return t.Year() >= MinYear && t.Year() <= MaxYear }
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := Parse(s); err == nil && !sane(got) {
			t.Errorf("Parse(%q) = %v, outside %d-%d", s, got, MinYear, MaxYear)
		} else if err != nil && !got.IsZero() {
			t.Errorf("Parse(%q) = %v with error %v", s, got, err)
		}
		if got, ok := First(s); ok && !sane(got) {
			t.Errorf("First(%q) = %v, outside %d-%d", s, got, MinYear, MaxYear)
		}
		end := 0
		for _, fd := range Find(s) {
			if fd.Start < end || fd.End <= fd.Start || fd.End > len(s) || !sane(fd.Time) {
				t.Fatalf("Find(%q): %+v after end %d", s, fd, end)
			}
			if utf8.ValidString(s) && !utf8.ValidString(s[fd.Start:fd.End]) {
				t.Errorf("Find(%q): span %d-%d cuts a character", s, fd.Start, fd.End)
			}
			end = fd.End
		}
	})
}
