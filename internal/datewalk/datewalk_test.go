package datewalk

import (
	"slices"
	"testing"
	"time"
)

func TestExpand(t *testing.T) {
	day := func(v string) time.Time { d, _ := time.Parse(time.DateOnly, v); return d }
	for name, tc := range map[string]struct {
		template, from, to string
		want               []string
	}{
		"days over a leap February": {"/{yyyy}/{mm}/{dd}/", "2012-02-28", "2012-03-01", []string{"/2012/02/28/", "/2012/02/29/", "/2012/03/01/"}},
		"months over a year's end":  {"/{yyyy}-{mm}.html", "2011-11-30", "2012-01-01", []string{"/2011-11.html", "/2011-12.html", "/2012-01.html"}},
		"years":                     {"/archive/{yyyy}", "2010-12-31", "2012-01-01", []string{"/archive/2010", "/archive/2011", "/archive/2012"}},
		"one day":                   {"/{dd}.{mm}.{yyyy}", "2011-12-16", "2011-12-16", []string{"/16.12.2011"}},
		"from after to":             {"/{yyyy}/", "2012-01-01", "2011-01-01", nil},
	} {
		t.Run(name, func(t *testing.T) {
			tpl, err := Parse(tc.template)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range tpl.Expand(day(tc.from), day(tc.to)) {
				got = append(got, l.URL)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Expand = %q, want %q", got, tc.want)
			}
			if n := tpl.Count(day(tc.from), day(tc.to)); n != len(tc.want) {
				t.Errorf("Count = %d, want %d", n, len(tc.want))
			}
		})
	}
}
