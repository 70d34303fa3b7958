package main

import (
	"encoding/json"
	"strings"
	"testing"

	"presswatch/internal/testsite"
)

func TestDigestCommandAfterACrawl(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)

	out, _ := presswatch(t, 0, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--since", "1h", "--format", "json")
	var d struct {
		Articles int `json:"articles"`
		Failed   []struct {
			Source string `json:"source"`
			Down   bool   `json:"down"`
		} `json:"failed_sources"`
		Stories []struct {
			Copies []struct {
				URL   string `json:"url"`
				Title string `json:"title"`
			} `json:"copies"`
		} `json:"stories"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("digest --format json: %v\n%s", err, out)
	}
	// Every article of the topic the crawl stored is in it, once.
	want := int(searchJSON(t, data, "topic:zhanaozen", "--limit", "1").Total)
	seen := map[string]bool{}
	for _, s := range d.Stories {
		if len(s.Copies) == 0 {
			t.Fatalf("a story without copies: %s", out)
		}
		for _, c := range s.Copies {
			if !strings.HasPrefix(c.URL, site.URL+"/") || seen[c.URL] {
				t.Errorf("copy %q: not the site's, or listed twice", c.URL)
			}
			seen[c.URL] = true
		}
	}
	if d.Articles != want || len(seen) < want || len(d.Stories) == 0 {
		t.Errorf("digest: %d articles in %d stories (%d copies), want %d articles", d.Articles, len(d.Stories), len(seen), want)
	}
	// The two broken sources are named as what the digest may be missing.
	failed := map[string]bool{}
	for _, f := range d.Failed {
		failed[f.Source] = f.Down
	}
	if !failed["missing-feed"] || !failed["html-not-feed"] || len(failed) != 2 {
		t.Errorf("failed sources = %+v, want missing-feed and html-not-feed, down", d.Failed)
	}

	text, _ := presswatch(t, 0, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--since", "2h")
	if !strings.Contains(text, "Zhanaozen: digest of the 2h0m0s to") || !strings.Contains(text, "could not be reached since") {
		t.Errorf("text digest:\n%s", text)
	}
	// A day with nothing says so; --store keeps it; --send without smtp
	// is refused with the reason, and the digest stays stored.
	empty, _ := presswatch(t, 0, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--date", "2001-01-01", "--store")
	if !strings.Contains(empty, "Nothing new on this topic in this period.") {
		t.Errorf("empty day:\n%s", empty)
	}
	_, stderr := presswatch(t, 1, "digest", "--config", cfg, "--data", data, "--topic", "zhanaozen", "--date", "2001-01-01", "--send")
	if !strings.Contains(stderr, "no SMTP server is configured") {
		t.Errorf("--send without smtp: %s", stderr)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--topic", "nope"}, `no topic "nope" (known: zhanaozen)`},
		{[]string{"--topic", "zhanaozen", "--date", "17.12.2011"}, `--date: digest: day "17.12.2011": want YYYY-MM-DD`},
		{[]string{"--topic", "zhanaozen", "--date", "2011-12-17", "--since", "24h"}, "give --date or --since, not both"},
		{[]string{"--topic", "zhanaozen", "--since", "yesterday"}, `"yesterday" is not a duration such as 24h or 7d`},
		{[]string{"--topic", "zhanaozen", "--format", "pdf"}, `--format "pdf": want one of html, md, text, json`},
		{[]string{}, "--topic is required"},
	} {
		_, stderr := presswatch(t, 2, append([]string{"digest", "--config", cfg, "--data", data}, c.args...)...)
		if !strings.Contains(stderr, c.want) {
			t.Errorf("digest %v: stderr %q, want %q", c.args, stderr, c.want)
		}
	}
}
