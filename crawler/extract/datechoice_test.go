package extract

import (
	"strings"
	"testing"
	"time"

	"presswatch/internal/dates"
	"presswatch/internal/model"
)

func TestReconcileDate(t *testing.T) {
	utc := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	tests := map[string]struct {
		date, url, guessed string
		want               string // "" for an untrusted date
	}{
		"no witness":                  {"2011-12-16T17:45:00+06:00", "https://x.kz/a", "", "2011-12-16T17:45:00+06:00"},
		"URL agrees":                  {"2011-12-16T17:45:00+06:00", "https://x.kz/2011/12/16/a", "", "2011-12-16T17:45:00+06:00"},
		"UTC written, URL day before": {"2023-11-09T03:28:35Z", "https://nypost.com/2023/11/08/news/a/", "", "2023-11-08T23:28:35-04:00"},
		"UTC written, URL day after":  {"2011-12-16T20:10:00Z", "https://x.kz/2011/12/17/a", "", "2011-12-17T00:10:00+04:00"},
		"own offset kept":             {"2019-12-09T19:00:49+01:00", "https://aoc.media/2019/12/10/a/", "", "2019-12-09T19:00:49+01:00"},
		"URL disagrees by a year":     {"2009-04-11T18:06:36Z", "https://x.de/2019/10/22/a/", "", ""},
		"bare date kept, not shifted": {"2021-10-15T00:00:00Z", "https://x.de/2021/10/14/a", "", "2021-10-15T00:00:00Z"},
		"htmldate shifts UTC time":    {"2019-10-18T22:04:00Z", "https://x.at/a", "2019-10-19T00:00:00Z", "2019-10-19T00:04:00+02:00"},
		"htmldate cannot distrust":    {"2019-10-18T12:04:00+02:00", "https://x.at/a", "2015-01-01T00:00:00Z", "2019-10-18T12:04:00+02:00"},
		"invalid URL day ignored":     {"2011-02-27T10:00:00+06:00", "https://x.kz/2011/02/31/a", "", "2011-02-27T10:00:00+06:00"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var guessed time.Time
			if tc.guessed != "" {
				guessed = utc(tc.guessed)
			}
			got, ok := reconcileDate(utc(tc.date), tc.url, guessed)
			switch {
			case tc.want == "" && ok:
				t.Errorf("reconcileDate = %s, want the date distrusted", got)
			case tc.want != "" && !ok:
				t.Errorf("reconcileDate distrusted the date, want %s", tc.want)
			case tc.want != "" && got.Format(time.RFC3339) != tc.want:
				t.Errorf("reconcileDate = %s, want %s", got.Format(time.RFC3339), tc.want)
			case ok && !got.Equal(utc(tc.date)):
				t.Errorf("reconcileDate moved the instant: %s -> %s", tc.date, got)
			}
		})
	}
}

func TestWithShownClock(t *testing.T) {
	utc := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	shown := func(day string, h, m int) dates.Found {
		t := utc(day + "T00:00:00Z").Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		return dates.Found{Time: t, Clock: true}
	}
	tests := map[string]struct {
		t     string
		shown dates.Found
		want  string
	}{
		"Almaty, next day":         {"2011-12-15T19:30:00Z", shown("2011-12-16", 1, 30), "2011-12-16T01:30:00+06:00"},
		"Zurich, same day":         {"2019-10-19T03:00:00Z", shown("2019-10-19", 5, 0), "2019-10-19T05:00:00+02:00"},
		"seconds ignored":          {"2019-10-19T03:00:41Z", shown("2019-10-19", 5, 0), "2019-10-19T05:00:41+02:00"},
		"New York, day before":     {"2023-11-09T04:15:00Z", shown("2023-11-08", 23, 15), "2023-11-08T23:15:00-05:00"},
		"India, half hour":         {"2020-01-01T10:00:00Z", shown("2020-01-01", 15, 30), "2020-01-01T15:30:00+05:30"},
		"own offset kept":          {"2019-10-19T05:00:00+02:00", shown("2019-10-19", 7, 0), "2019-10-19T05:00:00+02:00"},
		"no clock shown":           {"2019-10-19T03:00:00Z", dates.Found{Time: utc("2019-10-19T00:00:00Z")}, "2019-10-19T03:00:00Z"},
		"implausible offset":       {"2023-11-09T04:15:00Z", shown("2023-11-08", 11, 15), "2023-11-09T04:15:00Z"},
		"not a quarter of an hour": {"2019-10-19T03:00:00Z", shown("2019-10-19", 5, 7), "2019-10-19T03:00:00Z"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := withShownClock(utc(tc.t), tc.shown)
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("withShownClock = %s, want %s", got.Format(time.RFC3339), tc.want)
			}
			if !got.Equal(utc(tc.t)) {
				t.Errorf("withShownClock moved the instant: %s -> %s", tc.t, got)
			}
		})
	}
}

func TestPublicationDate(t *testing.T) {
	utc := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	// shown reads "2011-12-16", or "2011-12-16 01:30" with a clock.
	shown := func(s string) dates.Found {
		if t, err := time.Parse("2006-01-02 15:04", s); err == nil {
			return dates.Found{Time: t, Clock: true}
		}
		return dates.Found{Time: utc(s + "T00:00:00Z")}
	}
	tests := map[string]struct {
		published string
		shown     string // "" for none; "2011-12-16 01:30" with a clock
		url       string
		guessed   string
		want      string
		src       model.DateSource
	}{
		"explicit, nothing shown":             {"2011-12-16T17:45:00+06:00", "", "https://x.kz/a", "", "2011-12-16T17:45:00+06:00", model.DateFromMeta},
		"explicit on the shown day":           {"2011-12-16T17:45:00+06:00", "2011-12-16", "https://x.kz/a", "2011-12-10T00:00:00Z", "2011-12-16T17:45:00+06:00", model.DateFromMeta},
		"UTC explicit, shown the day before":  {"2023-11-09T02:11:03Z", "2023-11-08", "https://x.com/a", "2023-11-09T00:00:00Z", "2023-11-08T23:11:03-03:00", model.DateFromMeta},
		"shown contradicts explicit":          {"2021-12-20T11:02:44+01:00", "2022-01-27", "https://x.de/a", "2021-12-20T00:00:00Z", "2022-01-27T00:00:00Z", model.DateFromText},
		"shown beats the URL-distrusted date": {"2009-04-11T18:06:36Z", "2019-10-22", "https://x.de/2019/10/22/a/", "", "2019-10-22T00:00:00Z", model.DateFromText},
		"shown beats go-htmldate":             {"", "2018-09-30", "https://x.fr/a", "2018-09-11T00:00:00Z", "2018-09-30T00:00:00Z", model.DateFromText},
		"go-htmldate alone":                   {"", "", "https://x.fr/a", "2018-09-11T00:00:00Z", "2018-09-11T00:00:00Z", model.DateFromText},
		"go-htmldate when the URL distrusts":  {"2009-04-11T18:06:36Z", "", "https://x.de/2019/10/22/a/", "2019-10-22T00:00:00Z", "2019-10-22T00:00:00Z", model.DateFromText},
		"nothing":                             {"", "", "https://x.fr/a", "", "", model.DateUnknown},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var m pageMeta
			if tc.published != "" {
				m.published = utc(tc.published)
			}
			if tc.shown != "" {
				m.shown, m.hasShown = shown(tc.shown), true
			}
			var guessed time.Time
			if tc.guessed != "" {
				guessed = utc(tc.guessed)
			}
			got, src := publicationDate(m, tc.url, func(bool) time.Time { return guessed })
			gs := ""
			if !got.IsZero() {
				gs = got.Format(time.RFC3339)
			}
			if gs != tc.want || src != tc.src {
				t.Errorf("publicationDate = %s (%s), want %s (%s)", gs, src, tc.want, tc.src)
			}
		})
	}
}

// go-htmldate, the costly witness, is asked only when its answer can
// change the date: its fast search to align an explicit date written in
// UTC, or when nothing else gives a date, and then its extensive search
// only when the fast one finds nothing.
func TestPublicationDateAsksGoHTMLDateOnlyWhenNeeded(t *testing.T) {
	utc := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	withOffset := pageMeta{published: utc("2011-12-16T17:45:00+06:00")}
	inUTC := pageMeta{published: utc("2011-12-16T11:45:00Z")}
	bare := pageMeta{published: utc("2011-12-16T00:00:00Z")}
	withShown := pageMeta{published: utc("2011-12-16T11:45:00Z"), hasShown: true,
		shown: dates.Found{Time: utc("2011-12-16T00:00:00Z")}}
	for _, c := range []struct {
		name      string
		m         pageMeta
		fast, ext string // what each search answers, "" for none
		want      string // the calls made, in order: "f" fast, "e" extensive
	}{
		{"explicit with its offset", withOffset, "2011-12-16T00:00:00Z", "", ""},
		{"explicit bare date", bare, "2011-12-16T00:00:00Z", "", ""},
		{"shown with the headline", withShown, "2011-12-16T00:00:00Z", "", ""},
		{"explicit in UTC", inUTC, "2011-12-16T00:00:00Z", "", "f"},
		{"nothing, the fast search finds it", pageMeta{}, "2011-12-16T00:00:00Z", "", "f"},
		{"nothing, only the extensive search finds it", pageMeta{}, "", "2011-12-16T00:00:00Z", "fe"},
	} {
		calls := ""
		guess := func(extensive bool) time.Time {
			answer := c.fast
			if extensive {
				calls += "e"
				answer = c.ext
			} else {
				calls += "f"
			}
			if answer == "" {
				return time.Time{}
			}
			return utc(answer)
		}
		got, _ := publicationDate(c.m, "https://x.kz/a", guess)
		if calls != c.want {
			t.Errorf("%s: go-htmldate asked %q, want %q", c.name, calls, c.want)
		}
		if got.IsZero() {
			t.Errorf("%s: no date", c.name)
		}
	}
}

func TestCompletedGuess(t *testing.T) {
	jan1 := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		guessed time.Time
		page    string
		url     string
		want    bool
	}{
		{"a year alone in the page", jan1, `<p>© 2011 Mangystau Today</p>`, "https://x.kz/a", true},
		{"the first of a month, the month alone", time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), `<p>December 2011</p>`, "https://x.kz/a", true},
		{"the day written for readers", jan1, `<p>1 января 2011 года</p>`, "https://x.kz/a", false},
		{"the day in an attribute", jan1, `<span data-date="2011-01-01">`, "https://x.kz/a", false},
		{"the day dotted", jan1, `<p>01.01.2011</p>`, "https://x.kz/a", false},
		{"the day in the URL", jan1, `<p>2011</p>`, "https://x.kz/2011/01/01/a", false},
		{"a time of day", jan1.Add(9 * time.Hour), `<p>2011</p>`, "https://x.kz/a", false},
		{"another day of the month", time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC), `<p>2011</p>`, "https://x.kz/a", false},
		{"no guess", time.Time{}, `<p>2011</p>`, "https://x.kz/a", false},
		{"the day far down a long page", jan1, `<p>© 2011</p>` + strings.Repeat(`<p>filler text 2011</p>`, 500) + `<p>1 января 2011 года</p>`, "https://x.kz/a", false},
		{"the day written in words beside other years", jan1, `<p>2010 2012 2011</p><p>Опубликовано: 1 января 2011 года, 2010</p>`, "https://x.kz/a", false},
		{"another day ending in the guessed one", jan1, `<p>21.01.2011</p>`, "https://x.kz/a", true},
		{"another day ending in it, a window's width after the year", jan1, `<p>21.01.2011` + strings.Repeat("x", dateReach-2) + ` 2011</p>`, "https://x.kz/a", true},
		{"the day, two windows' width after the year", jan1, `<p>2011</p>` + strings.Repeat("x", 2*dateReach) + `<p>1.1.2011</p>`, "https://x.kz/a", false},
	} {
		if got := completedGuess(c.guessed, []byte(c.page), c.url); got != c.want {
			t.Errorf("%s: completedGuess = %v, want %v", c.name, got, c.want)
		}
	}
}

// A page that names no day of its own gets no date, rather than the
// first of January of a year in its text.
func TestPageWithOnlyAYearHasNoDate(t *testing.T) {
	r, err := Page(readFile(t, "handmade-kk.html"), "https://example.kz/kk/zhanaozen")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Published.IsZero() || r.DateSource != model.DateUnknown {
		t.Errorf("Published = %v (%q), want none: the page names no day of publication", r.Published, r.DateSource)
	}
}
