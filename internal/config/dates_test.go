package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

const datedPage = "sources:\n  - id: a\n    type: page\n    selectors: {item: li, link: a}\n"

func TestParseDateWalk(t *testing.T) {
	cfg, err := Parse([]byte(datedPage+"    url_template: https://x.example/{yyyy}/{mm}/{dd}/\n    from: 2011-12\n    to: 2012\n"+
		"  - id: s\n    type: sitemap\n    url: https://x.example/sitemap.xml\n    from: 2011-12-16\n    to: 2011-12-31\n"), "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, s := cfg.Sources[0], cfg.Sources[1]
	day := func(v string) time.Time { d, _ := time.Parse(time.DateOnly, v); return d }
	if p.Dates == nil || p.Dates.URLTemplate != "https://x.example/{yyyy}/{mm}/{dd}/" || p.URL != p.Dates.URLTemplate ||
		!p.Dates.From.Equal(day("2011-12-01")) || !p.Dates.To.Equal(day("2012-12-31")) {
		t.Errorf("page source %+v, dates %+v", p, p.Dates)
	}
	if s.Dates == nil || s.Dates.URLTemplate != "" || !s.Dates.From.Equal(day("2011-12-16")) || !s.Dates.To.Equal(day("2011-12-31")) {
		t.Errorf("sitemap dates %+v", s.Dates)
	}
}

func TestParseDateWalkErrors(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown placeholder": {datedPage + "    url_template: https://x.example/{yyyy}/{week}/\n    from: 2011-01-01\n    to: 2011-02-01\n",
			"bad.yaml:5: sources[0].url_template: {week} is not a placeholder (known: {yyyy}, {mm}, {dd})"},
		"no year": {datedPage + "    url_template: https://x.example/{mm}/{dd}/\n    from: 2011-01-01\n    to: 2011-02-01\n",
			"bad.yaml:5: sources[0].url_template: \"https://x.example/{mm}/{dd}/\" has no {yyyy}"},
		"day without month": {datedPage + "    url_template: https://x.example/{yyyy}/{dd}/\n    from: 2011-01-01\n    to: 2011-02-01\n",
			"bad.yaml:5: sources[0].url_template: \"https://x.example/{yyyy}/{dd}/\" has {dd} but no {mm}"},
		"from after to": {datedPage + "    url_template: https://x.example/{yyyy}/{mm}/{dd}/\n    from: 2012-01-01\n    to: 2011-12-31\n",
			"bad.yaml:7: sources[0].to: 2011-12-31 is before from: (2012-01-01)"},
		"too many days": {datedPage + "    url_template: https://x.example/{yyyy}/{mm}/{dd}/\n    from: 2000-01-01\n    to: 2011-12-31\n",
			"bad.yaml:7: sources[0].to: 2000-01-01 to 2011-12-31 is 4383 day listings, more than the 4000 one source may walk"},
		"bad from": {datedPage + "    url_template: https://x.example/{yyyy}/\n    from: 16.12.2011\n",
			"bad.yaml:6: sources[0].from: \"16.12.2011\" is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)"},
		"no from": {datedPage + "    url_template: https://x.example/{yyyy}/\n",
			"bad.yaml:2: sources[0].from: a date range needs from:"},
		"range without template": {datedPage + "    url: https://x.example/\n    from: 2011-01-01\n",
			"bad.yaml:2: sources[0].url_template: from: and to: on a page source need url_template:"},
		"template on a feed": {"sources:\n  - id: a\n    url: https://x.example/rss\n    url_template: https://x.example/{yyyy}/\n",
			"bad.yaml:4: sources[0].url_template: is only for type: page (this source is type: feed)"},
		"sitemap to before from": {"sources:\n  - id: s\n    type: sitemap\n    url: https://x.example/s.xml\n    from: 2012\n    to: 2011\n",
			"bad.yaml:6: sources[0].to: 2011-12-31 is before from: (2012-01-01)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "bad.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// A dated page source and a dated sitemap source read back as written.
func TestWriteDatedSourcesRoundTrip(t *testing.T) {
	day := func(v string) time.Time { d, _ := time.Parse(time.DateOnly, v); return d }
	sources := []model.Source{
		{ID: "dated", Name: "dated", Type: model.SourcePage, URL: "https://x.example/{yyyy}/{mm}/", Stance: model.StanceUnknown,
			Every: time.Hour, Keep: model.KeepAll, Selectors: &model.Selectors{Item: "li", Link: "a", MaxPages: 1},
			Dates: &model.DateRange{URLTemplate: "https://x.example/{yyyy}/{mm}/", From: day("2011-12-01")}},
		{ID: "map", Name: "map", Type: model.SourceSitemap, URL: "https://x.example/sitemap.xml", Stance: model.StanceUnknown,
			Every: time.Hour, Keep: model.KeepAll, Dates: &model.DateRange{From: day("2011-12-16"), To: day("2012-12-31")}},
	}
	var b bytes.Buffer
	if err := WriteSources(&b, sources); err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(b.Bytes(), "export.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(cfg.Sources, sources) {
		t.Errorf("read back:\n%+v\nwant\n%+v\nfrom\n%s", cfg.Sources, sources, b.String())
	}
}
