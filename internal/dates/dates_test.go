package dates

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// check compares got with want, RFC 3339; a zero offset must be time.UTC.
func check(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	if _, off := got.Zone(); got.Format(time.RFC3339) != want || (off == 0 && got.Location() != time.UTC) {
		t.Errorf("%s = %s (%v), want %s", what, got.Format(time.RFC3339), got.Location(), want)
	}
}

func TestParse(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"RFC 3339 with offset":  {"2011-12-16T17:45:00+06:00", "2011-12-16T17:45:00+06:00"},
		"RFC 3339 UTC":          {"2011-12-16T11:45:00Z", "2011-12-16T11:45:00Z"},
		"fractional seconds":    {"2011-12-16T11:45:00.123Z", "2011-12-16T11:45:00Z"},
		"offset without colon":  {"2011-12-16T17:45:00+0600", "2011-12-16T17:45:00+06:00"},
		"offset hour only":      {"2011-12-16T17:45:00+06", "2011-12-16T17:45:00+06:00"},
		"no seconds":            {"2011-12-16T17:45+06:00", "2011-12-16T17:45:00+06:00"},
		"no zone":               {"2011-12-16T17:45:00", "2011-12-16T17:45:00Z"},
		"space separated":       {"2011-12-16 17:45:00", "2011-12-16T17:45:00Z"},
		"date only":             {"2011-12-16", "2011-12-16T00:00:00Z"},
		"compact":               {"20111216", "2011-12-16T00:00:00Z"},
		"RFC 1123 with offset":  {"Fri, 16 Dec 2011 17:45:00 +0600", "2011-12-16T17:45:00+06:00"},
		"RFC 1123 with GMT":     {"Thu, 12 Jan 2012 19:48:21 GMT", "2012-01-12T19:48:21Z"},
		"RFC 1123, one digit":   {"Fri, 2 Dec 2011 17:45:00 +0600", "2011-12-02T17:45:00+06:00"},
		"RFC 822":               {"16 Dec 11 17:45 +0600", "2011-12-16T17:45:00+06:00"},
		"no seconds, feed":      {"Fri, 16 Dec 2011 17:45 +0600", "2011-12-16T17:45:00+06:00"},
		"dotted day first":      {"16.12.2011", "2011-12-16T00:00:00Z"},
		"English month":         {"December 16, 2011", "2011-12-16T00:00:00Z"},
		"Russian, as in a meta": {"16 декабря 2011, 10:05", "2011-12-16T10:05:00Z"},
		"surrounding space":     {"  2011-12-16T17:45:00+06:00\n", "2011-12-16T17:45:00+06:00"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "Parse("+tc.in+")", got, tc.want)
		})
	}
	for _, bad := range []string{"", "yesterday", "2 hours ago", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2199-01-01", "2011-13-45", "1323993600", "December 2011"} {
		got, err := Parse(bad)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want an error", bad, got)
		} else if !strings.HasPrefix(err.Error(), "dates: ") || !strings.Contains(err.Error(), bad) {
			t.Errorf("Parse(%q): error %q does not name the package and the value", bad, err)
		}
	}
	if _, err := Parse("yesterday"); !errors.Is(err, ErrNoDate) {
		t.Errorf("Parse(yesterday): %v, want ErrNoDate", err)
	}
	if _, err := Parse(strings.Repeat("2011-12-16 ", 30)); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("Parse of 330 bytes: %v, want an error saying it is too long", err)
	}
}

// The same string gives the same date wherever it is read: a listing
// page's selector, an article's text, a <meta>.
func TestFirst(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string // RFC 3339; "" means no date
	}{
		"campaign blog byline":         {"Posted by admin on January 12, 2012", "2012-01-12T00:00:00Z"},
		"byline with categories":       {"Posted by admin on December 05, 2011\nArticles / No Comments", "2011-12-05T00:00:00Z"},
		"dotted day first":             {"12.01.2012", "2012-01-12T00:00:00Z"},
		"dotted with time":             {"Опубликовано: 17.12.2011 14:35", "2011-12-17T14:35:00Z"},
		"slashed day first (seed 004)": {"27/08/2012, Iain Dalton, Socialist Party:", "2012-08-27T00:00:00Z"},
		"slashed, order unknown":       {"05/08/2012", "2012-08-05T00:00:00Z"},
		"slashed US order":             {"01/31/2012", "2012-01-31T00:00:00Z"},
		"dashed day first":             {"12-01-2012", "2012-01-12T00:00:00Z"},
		"ISO date":                     {"2012-01-12", "2012-01-12T00:00:00Z"},
		"ISO with zone":                {"2011-12-17T14:35:00+06:00", "2011-12-17T14:35:00+06:00"},
		"ISO with Z and fraction":      {"updated 2012-01-09T10:20:30.5Z", "2012-01-09T10:20:30Z"},
		"ISO slashed":                  {"2012/01/05", "2012-01-05T00:00:00Z"},
		"English day first":            {"12 January 2012", "2012-01-12T00:00:00Z"},
		"English ordinal, comma":       {"On 16th December, 2011 police opened fire", "2011-12-16T00:00:00Z"},
		"seed 002 form":                {"On 16 December, 2011 – on the 20th anniversary", "2011-12-16T00:00:00Z"},
		"English abbreviated, dot":     {"Dec. 16, 2011", "2011-12-16T00:00:00Z"},
		"English with pm":              {"January 12, 2012 at 2:35 pm", "2012-01-12T14:35:00Z"},
		"English 12 am":                {"January 12, 2012 at 12:10 am", "2012-01-12T00:10:00Z"},
		"English, a.m.":                {"November 8, 2023 12:05 a.m.", "2023-11-08T00:05:00Z"},
		"English, after @":             {"Updated Mar 12, 2020 @ 10:42", "2020-03-12T10:42:00Z"},
		"dashed with month name":       {"16-Dec-2011", "2011-12-16T00:00:00Z"},
		"RFC 1123 in text":             {"Thu, 12 Jan 2012 10:00:00 +0600", "2012-01-12T10:00:00+06:00"},
		"German":                       {"Am 16. Dezember 2011 – am 20. Jahrestag", "2011-12-16T00:00:00Z"},
		"German März, Uhr":             {"3. März 2012, 14:00 Uhr", "2012-03-03T14:00:00Z"},
		"German abbreviation":          {"am 06. Mär. 2023", "2023-03-06T00:00:00Z"},
		"German dotted, spaces":        {"Von Deutscher Tennis Bund 4. 2. 2022. Teamchef", "2022-02-04T00:00:00Z"},
		"German, clock after a bar":    {"04.02.2022 | 15:33 Uhr", "2022-02-04T15:33:00Z"},
		"Austrian Jänner":              {"12. Jänner 2012", "2012-01-12T00:00:00Z"},
		"French":                       {"Le 16 décembre 2011 (20ème anniversaire", "2011-12-16T00:00:00Z"},
		"French 1er and 14h30":         {"1er février 2012 à 14h30", "2012-02-01T14:30:00Z"},
		"French without accent":        {"16 decembre 2011", "2011-12-16T00:00:00Z"},
		"French abbreviation":          {"16 déc. 2011", "2011-12-16T00:00:00Z"},
		"Spanish":                      {"El 16 de diciembre de 2011 – en el 20 aniversario", "2011-12-16T00:00:00Z"},
		"Spanish abbreviation":         {"16 dic 2011", "2011-12-16T00:00:00Z"},
		"Spanish setiembre":            {"16 de setiembre de 2011", "2011-09-16T00:00:00Z"},
		"Portuguese capitalised":       {"A 16 de Dezembro de 2011", "2011-12-16T00:00:00Z"},
		"Portuguese abbreviation":      {"16 out 2011", "2011-10-16T00:00:00Z"},
		"Italian":                      {"Il 16 dicembre 2011 durante le cerimonie", "2011-12-16T00:00:00Z"},
		"Italian abbreviation":         {"16 gen 2011", "2011-01-16T00:00:00Z"},
		"Polish":                       {"16 grudnia 2011 – w dwudziestą rocznicę", "2011-12-16T00:00:00Z"},
		"Polish without diacritics":    {"16 pazdziernika 2011", "2011-10-16T00:00:00Z"},
		"Russian genitive":             {"12 января 2012", "2012-01-12T00:00:00Z"},
		"Russian with г. and time":     {"Жанаозен, 17 декабря 2011 г., 10:05", "2011-12-17T10:05:00Z"},
		"Russian года":                 {"16 декабря 2011 года", "2011-12-16T00:00:00Z"},
		"Russian abbreviated":          {"20 дек. 2011", "2011-12-20T00:00:00Z"},
		"Ukrainian genitive":           {"16 грудня 2011", "2011-12-16T00:00:00Z"},
		"Ukrainian nominative":         {"16 грудень 2011", "2011-12-16T00:00:00Z"},
		"Kazakh":                       {"16 желтоқсан 2011 ж.", "2011-12-16T00:00:00Z"},
		"Kazakh inflected":             {"16 желтоқсанда 2011", "2011-12-16T00:00:00Z"},
		"Kazakh year first":            {"2011 жылғы 16 желтоқсан", "2011-12-16T00:00:00Z"},
		"Kazakh abbreviated year":      {"2011 ж. 16 желтоқсан", "2011-12-16T00:00:00Z"},
		"ISO, clock with seconds":      {"NMB-Media 2018-08-29 14:15:57", "2018-08-29T14:15:57Z"},
		"dotted, clock with seconds":   {"16.12.2011 10:30:15", "2011-12-16T10:30:15Z"},
		"RFC 1123 with GMT in text":    {"Thu, 12 Jan 2012 19:48:21 GMT", "2012-01-12T19:48:21Z"},
		"English, comma before PM":     {"November 8, 2023, 11:15 PM", "2023-11-08T23:15:00Z"},
		"English after a weekday":      {"Monday, 6 January 2020 By", "2020-01-06T00:00:00Z"},
		"slashed, day over 12":         {"Familie 17/02/2022 Ihre", "2022-02-17T00:00:00Z"},
		"German Oktober":               {"31. Oktober 2023", "2023-10-31T00:00:00Z"},
		"French 1er juillet à 19h47":   {"Le 1er juillet 2019 à 19h47", "2019-07-01T19:47:00Z"},
		"French juin à 10h43":          {"29 juin 2019 à 10h43", "2019-06-29T10:43:00Z"},
		"Portuguese lower case":        {"16 de dezembro de 2011", "2011-12-16T00:00:00Z"},
		"first of two, in order":       {"18.10.2019 und 19.10.2019", "2019-10-18T00:00:00Z"},
		"first of several dates":       {"Updated 13.01.2012; first published 12 January 2012", "2012-01-13T00:00:00Z"},
		"a false start, then a date":   {"Room 12, 2012 people; posted May 3, 2012", "2012-05-03T00:00:00Z"},
		"no date":                      {"Continue reading…", ""},
		"empty":                        {"", ""},
		"invalid day":                  {"31 February 2012", ""},
		"invalid dotted day":           {"31.02.2019", ""},
		"invalid ISO month":            {"2012-13-01", ""},
		"mixed separators":             {"12/01-2012", ""},
		"two-digit year":               {"12.01.12", ""},
		"year out of range":            {"12 January 1066", ""},
		"dotted year out of range":     {"16.12.1850", ""},
		"number, not a date":           {"over 2,500 sacked strikers in 2011", ""},
		"word that is not a month":     {"Article 12, 2012 edition", ""},
		"Latin word, not a month":      {"Augustiner 16 2011", ""},
		"German count":                 {"16 Teilnehmer 2011", ""},
		"number word, not a month":     {"Runde 15 zwei 2001", ""},
		"German page":                  {"Seite 16 von 2011", ""},
		"a number, not a day":          {"1.234.2011", ""},
		"a longer year":                {"16 December 20111", ""},
		"bad clock keeps the day":      {"12 January 2012, 25:61", "2012-01-12T00:00:00Z"},
		"clock too long":               {"12 January 2012, 10:305", "2012-01-12T00:00:00Z"},
		"zone out of range":            {"2012-01-12 10:30 +2500", "2012-01-12T10:30:00Z"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := First(tt.in)
			switch {
			case tt.want == "" && ok:
				t.Errorf("First(%q) = %v, want no date", tt.in, got)
			case tt.want != "" && !ok:
				t.Errorf("First(%q) found no date, want %s", tt.in, tt.want)
			case ok:
				check(t, "First("+tt.in+")", got, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	text := "Stand: 28.04.2020 18:00 Uhr, zuerst am 27. April 2020 und 2020-04-26 um 9:05; 05/06/2020"
	fs := Find(text)
	want := []struct {
		day, span string
		clock     bool
		ambiguous bool
	}{
		{"2020-04-28", "28.04.2020", true, false},
		{"2020-04-27", "27. April 2020", false, false},
		{"2020-04-26", "2020-04-26", true, false},
		{"2020-06-05", "05/06/2020", false, true},
	}
	if len(fs) != len(want) {
		t.Fatalf("Find found %d dates, want %d: %+v", len(fs), len(want), fs)
	}
	for i, w := range want {
		f := fs[i]
		if d := f.Day().Format(time.DateOnly); d != w.day || text[f.Start:f.End] != w.span || f.Clock != w.clock || f.Ambiguous != w.ambiguous {
			t.Errorf("date %d: %s %q clock %v ambiguous %v, want %s %q %v %v", i, d, text[f.Start:f.End], f.Clock, f.Ambiguous, w.day, w.span, w.clock, w.ambiguous)
		}
	}
}

func TestMonthOf(t *testing.T) {
	for word, want := range map[string]time.Month{
		"Dezember": 12, "déc.": 12, "Декабря": 12, "желтоқсанның": 12, "қаңтардағы": 1,
		"мая": 5, "MAI": 5, "Sept": 9, "września": 9, "listopada": 11, "Jänner": 1,
		"feber": 2, "marca": 3, "abr": 4, "giugno": 6, "julho": 7, "ago": 8, "ноя": 11,
	} {
		if got, ok := monthOf(word); !ok || got != want {
			t.Errorf("monthOf(%q) = %v, %v; want %v", word, got, ok, want)
		}
	}
	for _, word := range []string{"Mayor", "Junior", "Teilnehmer", "ма", "мамочка", "monday", "today", "вторник", "Article", "de", "utc",
		"one", "two", "zwei", "deux", "une", "uma", "einem"} {
		if got, ok := monthOf(word); ok {
			t.Errorf("monthOf(%q) = %v, want no month", word, got)
		}
	}
}

func TestURLDay(t *testing.T) {
	for u, want := range map[string]string{
		"https://nypost.com/2023/11/08/news/a/": "2023-11-08",
		"https://x.kz/2011/12/16":               "2011-12-16",
		"https://x.kz/2011/1/6/a":               "2011-01-06",
		"https://x.kz/2011/02/31/a":             "",
		"https://x.kz/1850/02/03/a":             "",
		"https://x.kz/2011/12/a":                "",
		"https://x.kz/a?d=/2011/12/16/":         "",
		"://bad":                                "",
	} {
		d, ok := URLDay(u)
		got := ""
		if ok {
			got = d.Format(time.DateOnly)
		}
		if got != want {
			t.Errorf("URLDay(%q) = %q, want %q", u, got, want)
		}
	}
}

func BenchmarkFirst(b *testing.B) {
	for b.Loop() {
		First("Articles / No Comments\nPosted by admin on January 12, 2012")
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("Fri, 16 Dec 2011 17:45:00 +0600"); err != nil {
			b.Fatal(err)
		}
	}
}
