package extract

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"presswatch/internal/model"
)

func TestParseDate(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"RFC 3339 with offset": {"2011-12-16T17:45:00+06:00", "2011-12-16T17:45:00+06:00"},
		"RFC 3339 UTC":         {"2011-12-16T11:45:00Z", "2011-12-16T11:45:00Z"},
		"fractional seconds":   {"2011-12-16T11:45:00.123Z", "2011-12-16T11:45:00Z"},
		"offset without colon": {"2011-12-16T17:45:00+0600", "2011-12-16T17:45:00+06:00"},
		"offset hour only":     {"2011-12-16T17:45:00+06", "2011-12-16T17:45:00+06:00"},
		"no seconds":           {"2011-12-16T17:45+06:00", "2011-12-16T17:45:00+06:00"},
		"no zone":              {"2011-12-16T17:45:00", "2011-12-16T17:45:00Z"},
		"space separated":      {"2011-12-16 17:45:00", "2011-12-16T17:45:00Z"},
		"date only":            {"2011-12-16", "2011-12-16T00:00:00Z"},
		"compact":              {"20111216", "2011-12-16T00:00:00Z"},
		"RFC 1123 with offset": {"Fri, 16 Dec 2011 17:45:00 +0600", "2011-12-16T17:45:00+06:00"},
		"dotted day first":     {"16.12.2011", "2011-12-16T00:00:00Z"},
		"english month":        {"December 16, 2011", "2011-12-16T00:00:00Z"},
		"surrounding space":    {"  2011-12-16T17:45:00+06:00\n", "2011-12-16T17:45:00+06:00"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := parseDate(tc.in)
			if !ok {
				t.Fatalf("parseDate(%q) failed", tc.in)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("parseDate(%q) = %s, want %s", tc.in, s, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "0001-01-01T00:00:00Z", "2199-01-01", "16 декабря 2011", "2011-13-45"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %s, want failure", bad, got)
		}
	}
}

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

func TestTextDates(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"dotted":                 {"Stand: 28.04.2020 18:00 Uhr", "2020-04-28 18:00"},
		"dotted with spaces":     {"Von Deutscher Tennis Bund 4. 2. 2022. Teamchef", "2022-02-04"},
		"ISO":                    {"NMB-Media 2018-08-29 14:15:57", "2018-08-29 14:15"},
		"German month":           {"31. Oktober 2023", "2023-10-31"},
		"German abbreviation":    {"am 06. Mär. 2023", "2023-03-06"},
		"French first":           {"Le 1er juillet 2019 à 19h47", "2019-07-01 19:47"},
		"Spanish":                {"16 de diciembre de 2011", "2011-12-16"},
		"Portuguese":             {"16 de dezembro de 2011", "2011-12-16"},
		"Italian":                {"16 dicembre 2011", "2011-12-16"},
		"Polish genitive":        {"16 grudnia 2011", "2011-12-16"},
		"English, month first":   {"November 8, 2023, 11:15 PM", "2023-11-08 23:15"},
		"12 AM is midnight":      {"November 8, 2023 12:05 a.m.", "2023-11-08 00:05"},
		"clock with seconds":     {"16.12.2011 10:30:15", "2011-12-16 10:30"},
		"English abbreviation":   {"Updated Mar 12, 2020 @ 10:42", "2020-03-12"},
		"English, day first":     {"Monday, 6 January 2020 By", "2020-01-06"},
		"Russian genitive":       {"16 декабря 2011 г., 10:30", "2011-12-16"},
		"Russian abbreviation":   {"16 дек. 2011", "2011-12-16"},
		"Ukrainian":              {"16 грудня 2011", "2011-12-16"},
		"Kazakh":                 {"16 желтоқсан 2011 ж.", "2011-12-16"},
		"Kazakh inflected":       {"16 желтоқсанда 2011", "2011-12-16"},
		"Kazakh year first":      {"2011 жылғы 16 желтоқсан", "2011-12-16"},
		"Kazakh abbreviated":     {"2011 ж. 16 желтоқсан", "2011-12-16"},
		"slashes, day first":     {"Familie 17/02/2022 Ihre", "2022-02-17"},
		"slashes, month first":   {"06/13/2019", "2019-06-13"},
		"clock in French":        {"29 juin 2019 à 10h43", "2019-06-29 10:43"},
		"clock after a bar":      {"04.02.2022 | 15:33 Uhr", "2022-02-04 15:33"},
		"first of two, in order": {"18.10.2019 und 19.10.2019", "2019-10-18"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ds := textDates(tc.in)
			if len(ds) == 0 {
				t.Fatalf("textDates(%q) found nothing", tc.in)
			}
			got := ds[0].day.Format("2006-01-02")
			if ds[0].clock && len(tc.want) > 10 {
				got = ds[0].at().Format("2006-01-02 15:04")
			}
			if got != tc.want {
				t.Errorf("textDates(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
	for _, none := range []string{
		"", "Seite 16 von 2011", "16 Teilnehmer 2011", "12/06/2019", // the order of 12/06 is unknown
		"31.02.2019", "16.12.1850", "Augustiner 16 2011", "1.234.2011",
	} {
		if ds := textDates(none); len(ds) != 0 {
			t.Errorf("textDates(%q) = %v, want nothing", none, ds[0].day)
		}
	}
}

func TestMonthOf(t *testing.T) {
	for word, want := range map[string]time.Month{
		"Dezember": 12, "déc.": 12, "Декабря": 12, "желтоқсанның": 12, "қаңтардағы": 1,
		"мая": 5, "MAI": 5, "Sept": 9, "września": 9, "listopada": 11,
	} {
		if got, ok := monthOf(word); !ok || got != want {
			t.Errorf("monthOf(%q) = %v, %v; want %v", word, got, ok, want)
		}
	}
	for _, word := range []string{"Mayor", "Junior", "Teilnehmer", "ма", "мамочка"} {
		if got, ok := monthOf(word); ok {
			t.Errorf("monthOf(%q) = %v, want no month", word, got)
		}
	}
}

func TestShownDate(t *testing.T) {
	filler := strings.Repeat("Ein langer Satz über etwas ganz anderes, ohne Datum. ", 10)
	tests := map[string]struct{ body, want string }{
		"byline after the headline": {
			`<h1>Titel</h1><div class="meta">Von Moritz Wichmann 29.04.2020, 12:01 Uhr</div><p>` + filler + `</p>`,
			"2020-04-29 12:01"},
		"Russian dateline": {
			`<h1>Заголовок</h1><span>16 декабря 2011, 10:30</span><p>Текст</p>`, "2011-12-16 10:30"},
		"Kazakh dateline": {
			`<h1>Тақырып</h1><div>2011 жылғы 16 желтоқсан</div><p>Мәтін</p>`, "2011-12-16"},
		"date just above the headline": {
			`<p>Politik 03.02.2022</p><h1>Titel</h1><p>` + filler + `</p>`, "2022-02-03"},
		"nearest after wins over nearest before": {
			`<p>01.01.2022</p><h1>Titel</h1><p>Datum: 03.02.2022</p>`, "2022-02-03"},
		"date in a sentence is not a dateline": {
			`<h1>Titel</h1><p>Er wird ab dem 1. Januar 2024 die Züge übernehmen, sagte der Verband am Dienstag in Berlin vor der Presse.</p>`, ""},
		"update label is skipped": {
			`<h1>Titel</h1><div>Aktualisiert am 06.03.2023</div><div>Erschienen 10.01.2023</div>`, "2023-01-10"},
		"Russian update label is skipped": {
			`<h1>Заголовок</h1><div>Обновлено: 17 декабря 2011</div>`, ""},
		"too far below the headline": {
			`<h1>Titel</h1><p>` + filler + `</p><div>27.01.2022</div>`, ""},
		"no headline": {`<div>27.01.2022</div><p>Text</p>`, ""},
		"script text is not shown": {
			`<h1>Titel</h1><script>var d = "27.01.2022";</script><p>Text</p>`, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader("<html><body>" + tc.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			td, ok := shownDate(root)
			got := ""
			if ok {
				got = td.day.Format("2006-01-02")
				if td.clock {
					got = td.at().Format("2006-01-02 15:04")
				}
			}
			if got != tc.want {
				t.Errorf("shownDate = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWithShownClock(t *testing.T) {
	utc := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	shown := func(day string, h, m int) textDate {
		return textDate{day: utc(day + "T00:00:00Z"), clock: true, hour: h, min: m}
	}
	tests := map[string]struct {
		t     string
		shown textDate
		want  string
	}{
		"Almaty, next day":         {"2011-12-15T19:30:00Z", shown("2011-12-16", 1, 30), "2011-12-16T01:30:00+06:00"},
		"Zurich, same day":         {"2019-10-19T03:00:00Z", shown("2019-10-19", 5, 0), "2019-10-19T05:00:00+02:00"},
		"seconds ignored":          {"2019-10-19T03:00:41Z", shown("2019-10-19", 5, 0), "2019-10-19T05:00:41+02:00"},
		"New York, day before":     {"2023-11-09T04:15:00Z", shown("2023-11-08", 23, 15), "2023-11-08T23:15:00-05:00"},
		"India, half hour":         {"2020-01-01T10:00:00Z", shown("2020-01-01", 15, 30), "2020-01-01T15:30:00+05:30"},
		"own offset kept":          {"2019-10-19T05:00:00+02:00", shown("2019-10-19", 7, 0), "2019-10-19T05:00:00+02:00"},
		"no clock shown":           {"2019-10-19T03:00:00Z", textDate{day: utc("2019-10-19T00:00:00Z")}, "2019-10-19T03:00:00Z"},
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
	shown := func(s string) textDate { return textDate{day: utc(s + "T00:00:00Z")} }
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
				if d, c, ok := strings.Cut(tc.shown, " "); ok {
					h, mi, _ := strings.Cut(c, ":")
					m.shown = shown(d)
					m.shown.clock = true
					m.shown.hour, _ = strconv.Atoi(h)
					m.shown.min, _ = strconv.Atoi(mi)
				}
			}
			var guessed time.Time
			if tc.guessed != "" {
				guessed = utc(tc.guessed)
			}
			got, src := publicationDate(m, tc.url, guessed)
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
