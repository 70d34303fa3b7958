package parse

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string // RFC 3339 in UTC; "" means no date
	}{
		"campaign blog byline":         {"Posted by admin on January 12, 2012", "2012-01-12T00:00:00Z"},
		"byline with categories":       {"Posted by admin on December 05, 2011\nArticles / No Comments", "2011-12-05T00:00:00Z"},
		"dotted day first":             {"12.01.2012", "2012-01-12T00:00:00Z"},
		"dotted with time":             {"Опубликовано: 17.12.2011 14:35", "2011-12-17T14:35:00Z"},
		"slashed day first (seed 004)": {"27/08/2012, Iain Dalton, Socialist Party:", "2012-08-27T00:00:00Z"},
		"slashed US order":             {"01/31/2012", "2012-01-31T00:00:00Z"},
		"Russian genitive":             {"12 января 2012", "2012-01-12T00:00:00Z"},
		"Russian with г. and time":     {"Жанаозен, 17 декабря 2011 г., 10:05", "2011-12-17T10:05:00Z"},
		"Russian года":                 {"16 декабря 2011 года", "2011-12-16T00:00:00Z"},
		"Russian abbreviated":          {"20 дек. 2011", "2011-12-20T00:00:00Z"},
		"Kazakh year first":            {"2011 жылғы 16 желтоқсан", "2011-12-16T00:00:00Z"},
		"Ukrainian":                    {"16 грудня 2011", "2011-12-16T00:00:00Z"},
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
		"RFC 1123 with GMT":            {"Thu, 12 Jan 2012 19:48:21 GMT", "2012-01-12T19:48:21Z"},
		"RFC 1123Z":                    {"Thu, 12 Jan 2012 10:00:00 +0600", "2012-01-12T10:00:00+06:00"},
		"German":                       {"Am 16. Dezember 2011 – am 20. Jahrestag", "2011-12-16T00:00:00Z"},
		"German März, Uhr":             {"3. März 2012, 14:00 Uhr", "2012-03-03T14:00:00Z"},
		"Austrian Jänner":              {"12. Jänner 2012", "2012-01-12T00:00:00Z"},
		"French":                       {"Le 16 décembre 2011 (20ème anniversaire", "2011-12-16T00:00:00Z"},
		"French 1er and 14h30":         {"1er février 2012 à 14h30", "2012-02-01T14:30:00Z"},
		"French without accent":        {"16 decembre 2011", "2011-12-16T00:00:00Z"},
		"Spanish":                      {"El 16 de diciembre de 2011 – en el 20 aniversario", "2011-12-16T00:00:00Z"},
		"Portuguese capitalised":       {"A 16 de Dezembro de 2011", "2011-12-16T00:00:00Z"},
		"Italian":                      {"Il 16 dicembre 2011 durante le cerimonie", "2011-12-16T00:00:00Z"},
		"Polish":                       {"16 grudnia 2011 – w dwudziestą rocznicę", "2011-12-16T00:00:00Z"},
		"first of several dates":       {"Updated 13.01.2012; first published 12 January 2012", "2012-01-13T00:00:00Z"},
		"a false start, then a date":   {"Room 12, 2012 people; posted May 3, 2012", "2012-05-03T00:00:00Z"},
		"dashed with month name":       {"16-Dec-2011", "2011-12-16T00:00:00Z"},
		"no date":                      {"Continue reading…", ""},
		"empty":                        {"", ""},
		"invalid day":                  {"31 February 2012", ""},
		"invalid ISO month":            {"2012-13-01", ""},
		"two-digit year":               {"12.01.12", ""},
		"year out of range":            {"12 January 1066", ""},
		"number, not a date":           {"over 2,500 sacked strikers in 2011", ""},
		"word that is not a month":     {"Article 12, 2012 edition", ""},
		"bad clock keeps the day":      {"12 January 2012, 25:61", "2012-01-12T00:00:00Z"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseDate(tt.in)
			if tt.want == "" {
				if ok {
					t.Errorf("ParseDate(%q) = %v, want no date", tt.in, got)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDate(%q) found no date, want %s", tt.in, tt.want)
			}
			// Dates without a zone are UTC; with one they keep its offset.
			if _, off := got.Zone(); got.Format(time.RFC3339) != tt.want || (off == 0 && got.Location() != time.UTC) {
				g := got.Format(time.RFC3339)
				t.Errorf("ParseDate(%q) = %s (%v), want %s", tt.in, g, got.Location(), tt.want)
			}
		})
	}
}

func TestMonthNamesAreUnambiguous(t *testing.T) {
	seen := map[string]int{}
	for i, names := range monthNames {
		for _, name := range strings.Fields(names) {
			if j, dup := seen[name]; dup && j != i {
				t.Errorf("%q names month %d and month %d", name, j+1, i+1)
			}
			seen[name] = i
		}
	}
}

func BenchmarkParseDate(b *testing.B) {
	for b.Loop() {
		ParseDate("Articles / No Comments\nPosted by admin on January 12, 2012")
	}
}

func TestFeedDatesKeepTheirOffset(t *testing.T) {
	for _, tc := range []struct{ feed, want string }{
		{`<rss version="2.0"><channel><title>t</title><item><title>x</title><link>http://a.example/b</link><pubDate>Fri, 16 Dec 2011 03:00:00 +0600</pubDate></item></channel></rss>`,
			"2011-12-16T03:00:00+06:00"},
		{`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title><link href="http://a.example/b"/><published>2011-12-16T03:00:00+06:00</published></entry></feed>`,
			"2011-12-16T03:00:00+06:00"},
		{`<rss version="2.0"><channel><title>t</title><item><title>x</title><link>http://a.example/b</link><pubDate>Fri, 16 Dec 2011 03:00:00 GMT</pubDate></item></channel></rss>`,
			"2011-12-16T03:00:00Z"},
	} {
		l, err := Feed([]byte(tc.feed), "http://a.example/")
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("%v %v", l, err)
		}
		if got := l.Items[0].Published.Format(time.RFC3339); got != tc.want {
			t.Errorf("published %s, want %s", got, tc.want)
		}
	}
}
