package extract

import (
	"testing"
	"time"
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
