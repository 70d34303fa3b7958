package config

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

const waybackYAML = `
topics:
  - {id: z, query: Zhanaozen}
sources:
  - id: tengri-2011
    type: wayback
    url: tengrinews.kz/kazakhstan_news/
    from: 2011-12-01
    to: 2012-12
    paths: [/kazakhstan_news/*]
    every: 6h
  - id: lenta-2011
    type: wayback
    url: https://lenta.ru/news/
    from: 2011-12-16
    to: 2011-12-31
    endpoint: http://127.0.0.1:8080/
    rate: 2
    keep: all
    allow_private: true
`

func TestParseWayback(t *testing.T) {
	cfg, err := Parse([]byte(waybackYAML), "w.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Sources[0], cfg.Sources[1]
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if a.Type != model.SourceWayback || a.Keep != model.KeepTopic || a.Wayback == nil {
		t.Fatalf("first source = %+v", a)
	}
	if w := a.Wayback; !w.From.Equal(day("2011-12-01")) || !w.To.Equal(day("2012-12-31")) ||
		w.Endpoint != "https://web.archive.org" || w.Rate != 0.4 || len(w.Paths) != 1 || w.Paths[0] != "/kazakhstan_news/*" {
		t.Errorf("first source's wayback = %+v, want the defaults (web.archive.org, 0.4/s) and December 2012 to its last day", w)
	}
	if w := b.Wayback; b.Keep != model.KeepAll || w.Endpoint != "http://127.0.0.1:8080" || w.Rate != 2 || !b.AllowPrivate {
		t.Errorf("second source = %+v, wayback %+v", b, w)
	}
	// Written out and read back, nothing changes.
	var buf bytes.Buffer
	if err := WriteSources(&buf, cfg.Sources); err != nil {
		t.Fatal(err)
	}
	again, err := Parse(append([]byte("topics:\n  - {id: z, query: Zhanaozen}\n"), buf.Bytes()...), "again.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	for i, s := range again.Sources {
		if s.Keep != cfg.Sources[i].Keep || s.Wayback.Endpoint != cfg.Sources[i].Wayback.Endpoint ||
			s.Wayback.Rate != cfg.Sources[i].Wayback.Rate || !s.Wayback.To.Equal(cfg.Sources[i].Wayback.To) {
			t.Errorf("source %d read back = %+v %+v\n%s", i, s, s.Wayback, buf.String())
		}
	}
}

func TestParseWaybackErrors(t *testing.T) {
	const head = "topics: [{id: z, query: q}]\nsources:\n  - id: a\n    type: wayback\n"
	for name, tc := range map[string]struct{ yaml, want string }{
		"no from": {head + "    url: example.kz\n    to: 2012-01-01\n",
			"bad.yaml:3: sources[0].from: a wayback source needs from:"},
		"no to": {head + "    url: example.kz\n    from: 2012-01-01\n",
			"bad.yaml:3: sources[0].to: a wayback source needs to:"},
		"bad date": {head + "    url: example.kz\n    from: 16.12.2011\n    to: 2012-01-01\n",
			"bad.yaml:6: sources[0].from: \"16.12.2011\" is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)"},
		"to before from": {head + "    url: example.kz\n    from: 2012-01-01\n    to: 2011-12-01\n",
			"bad.yaml:7: sources[0].to: 2011-12-01 is before from: (2012-01-01)"},
		"bad url": {head + "    url: \"ftp://example.kz/\"\n    from: 2011-01-01\n    to: 2012-01-01\n",
			"bad.yaml:5: sources[0].url: \"ftp://example.kz/\" is not a host or an http(s) URL prefix"},
		"bad endpoint": {head + "    url: example.kz\n    from: 2011-01-01\n    to: 2012-01-01\n    endpoint: web.archive.org\n",
			"bad.yaml:8: sources[0].endpoint: \"web.archive.org\" is not a web archive's address"},
		"rate zero": {head + "    url: example.kz\n    from: 2011-01-01\n    to: 2012-01-01\n    rate: 0\n",
			"bad.yaml:8: sources[0].rate: 0 requests per second is not allowed"},
		"rate word": {head + "    url: example.kz\n    from: 2011-01-01\n    to: 2012-01-01\n    rate: slow\n",
			"bad.yaml:8: sources[0].rate: "},
		"bad path": {head + "    url: example.kz\n    from: 2011-01-01\n    to: 2012-01-01\n    paths: [news/*]\n",
			"bad.yaml:8: sources[0].paths: [0] \"news/*\" is not a URL path pattern"},
		"from on a feed": {"sources:\n  - id: a\n    url: http://x/\n    from: 2011-01-01\n",
			"bad.yaml:4: sources[0].from: is only for type: wayback (this source is type: feed)"},
		"default keep without topics": {"sources:\n  - id: a\n    type: wayback\n    url: example.kz\n    from: 2011-01-01\n    to: 2012-01-01\n",
			"bad.yaml:2: sources[0].keep: a wayback source keeps only pages that match a topic"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "bad.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// The embedded configuration backfills the key outlets from December 2011
// to December 2012 from the Internet Archive, at its polite rate, keeping
// only what matches a topic except the campaign's own site.
func TestDefaultBackfillsDecember2011ToDecember2012(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC)
	got := map[string]model.Keep{}
	for _, s := range cfg.Sources {
		if s.Type != model.SourceWayback {
			continue
		}
		w := s.Wayback
		if w == nil || !w.From.Equal(from) || !w.To.Equal(to) || w.Endpoint != "https://web.archive.org" || w.Rate != 0.4 || s.Name == "" {
			t.Errorf("%s: %+v (%+v); want %s to %s from https://web.archive.org at 0.4 a second, with a name", s.ID, s, w, from, to)
		}
		got[s.ID] = s.Keep
	}
	want := map[string]model.Keep{"azattyq-2011": model.KeepTopic, "tengrinews-2011": model.KeepTopic, "inform-2011": model.KeepTopic,
		"eurasianet-2011": model.KeepTopic, "campaignkazakhstan-2011": model.KeepAll}
	if len(got) != len(want) {
		t.Errorf("backfills = %v, want %v", got, want)
	}
	for id, k := range want {
		if got[id] != k {
			t.Errorf("%s: keep %q, want %q", id, got[id], k)
		}
	}
}

// One reader for every date of the configuration: the same from: and to:
// give the same days for a backfill, a date walk and a sitemap.
func TestDatesReadAlikeInEverySource(t *testing.T) {
	for _, r := range []struct{ from, to, first, last string }{
		{"2011-12-16", "2011-12-31", "2011-12-16", "2011-12-31"},
		{"2011-12", "2012-02", "2011-12-01", "2012-02-29"},
		{"2011", "2012", "2011-01-01", "2012-12-31"},
	} {
		yaml := "topics: [{id: z, query: q}]\nsources:\n" +
			"  - {id: w, type: wayback, url: tengrinews.kz/, from: " + r.from + ", to: " + r.to + "}\n" +
			"  - {id: p, type: page, url_template: 'https://example.org/{yyyy}/{mm}/{dd}/', selectors: {item: article, link: a}, from: " + r.from + ", to: " + r.to + "}\n" +
			"  - {id: s, type: sitemap, url: https://example.org/sitemap.xml, from: " + r.from + ", to: " + r.to + "}\n"
		cfg, err := Parse([]byte(yaml), "d.yaml")
		if err != nil {
			t.Fatalf("from %s to %s: %v", r.from, r.to, err)
		}
		got := [][2]time.Time{{cfg.Sources[0].Wayback.From, cfg.Sources[0].Wayback.To}}
		for _, s := range cfg.Sources[1:] {
			got = append(got, [2]time.Time{s.Dates.From, s.Dates.To})
		}
		for i, g := range got {
			if g[0].Format(time.DateOnly) != r.first || g[1].Format(time.DateOnly) != r.last {
				t.Errorf("from %s to %s: source %s reads %s to %s; want %s to %s", r.from, r.to, cfg.Sources[i].ID,
					g[0].Format(time.DateOnly), g[1].Format(time.DateOnly), r.first, r.last)
			}
		}
	}
}
