package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/store"
	"presswatch/internal/testsite"
	"presswatch/web"
)

// TestMain lets a test run presswatch as a child process (to kill it):
// with PRESSWATCH_TEST_ARGS set, the test binary is presswatch.
//
// With PRESSWATCH_TEST_FSIZE set too, no file the child writes may grow
// past that many bytes (RLIMIT_FSIZE, with SIGXFSZ ignored): a write past
// it fails with EFBIG, as on a full disk, whoever runs the test.
func TestMain(m *testing.M) {
	if args := os.Getenv("PRESSWATCH_TEST_ARGS"); args != "" {
		if n, err := strconv.ParseUint(os.Getenv("PRESSWATCH_TEST_FSIZE"), 10, 64); err == nil {
			signal.Ignore(syscall.SIGXFSZ)
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
				fmt.Fprintln(os.Stderr, "RLIMIT_FSIZE:", err)
				os.Exit(3)
			}
		}
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// siteConfig writes a configuration whose sources are the fixture site's
// listing pages, feeds and sitemaps, plus two broken sources.
func siteConfig(t *testing.T, base string) string { return siteConfigTB(t, base) }

func siteConfigTB(t testing.TB, base string) string {
	t.Helper()
	cfg := fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 4, per_host: 1, min_delay: 2ms, timeout: 10s, max_items: 100}
topics:
  - id: zhanaozen
    name: Zhanaozen
    query: Zhanaozen Жанаозен Жанаозене Schanaosen Żanaozeń Zhenaozen Zhenazoen
sources:
  - id: campaign-blog
    type: page
    url: %[1]s/
    stance: campaign
    lang: en
    every: 1h
    selectors: {item: div.post, link: h2.entry-title a, title: h2.entry-title, date: .entry-meta, next: .nav-previous a, max_pages: 5}
  - {id: campaign-rss, type: feed, url: %[1]s/feed.rss, stance: campaign, every: 1h}
  - {id: campaign-atom, type: feed, url: %[1]s/atom.xml, stance: campaign, every: 1h}
  - {id: news, type: sitemap, url: %[1]s/sitemap-news.xml, stance: independent, every: 1h, keep: topic}
  - {id: archive, type: sitemap, url: %[1]s/sitemap-archive.xml.gz, stance: campaign, every: 1h}
  - {id: missing-feed, type: feed, url: %[1]s/no-such-feed.xml, every: 1h}
  - {id: html-not-feed, type: feed, url: %[1]s/page/2/, every: 1h}
`, base)
	path := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// presswatch runs a command in-process and returns its stdout and stderr.
func presswatch(t *testing.T, wantCode int, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	if code != wantCode {
		t.Fatalf("presswatch %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), code, wantCode, errOut.String())
	}
	return out.String(), errOut.String()
}

func searchJSON(t *testing.T, data string, args ...string) index.Result {
	t.Helper()
	out, _ := presswatch(t, 0, append([]string{"search", "--data", data, "--json"}, args...)...)
	var r index.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("search output is not JSON: %v\n%s", err, out)
	}
	return r
}

// announcers maps the fixture's listing paths to the sources reading them.
var announcers = map[string][]string{
	"/": {"campaign-blog"}, "/page/2/": {"campaign-blog"}, "/feed.rss": {"campaign-rss"},
	"/atom.xml": {"campaign-atom"}, "/sitemap-news.xml": {"news"}, "/sitemap-archive.xml.gz": {"archive"},
}

func TestCrawlFixtureSiteThenSearch(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()

	start := time.Now()
	_, stderr := presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	elapsed := time.Since(start)
	t.Logf("first crawl in %s:\n%s", elapsed.Round(time.Millisecond), stderr)

	stored := 0
	for _, want := range site.Expected() {
		if want.RobotsDisallowed {
			if n := site.Requests(want.Path); n != 0 {
				t.Errorf("%s is disallowed by robots.txt but was requested %d times", want.Path, n)
			}
			continue
		}
		stored++
		// Each article's distinctive word, quoted: other spellings of it in
		// other articles (Schanaosen, Żanaozeń) match too, but rank below;
		// quoted, it finds no misspelling (the word of one page is itself
		// the misspelling Zhenaozen).
		r := searchJSON(t, data, `"`+want.Word+`"`)
		if r.Total < 1 {
			t.Errorf("search %q: no hits, want %s", want.Word, want.Path)
			continue
		}
		h := r.Hits[0]
		var sources []string
		for _, l := range want.AnnouncedBy {
			sources = append(sources, announcers[l]...)
		}
		switch {
		case h.URL != site.URL+want.Path:
			t.Errorf("%s: url %s", want.Path, h.URL)
		case h.Title != want.Title:
			t.Errorf("%s: title %q, want %q", want.Path, h.Title, want.Title)
		case h.Published == nil || h.Published.Format(time.DateOnly) != want.Published: // the publisher's day
			t.Errorf("%s: published %v, want %s", want.Path, h.Published, want.Published)
		case h.Lang != want.Lang:
			t.Errorf("%s: lang %q, want %q", want.Path, h.Lang, want.Lang)
		case !slices.Contains(sources, h.Source):
			t.Errorf("%s: source %s, want one of %v", want.Path, h.Source, sources)
		}
	}
	all := searchJSON(t, data, "--limit", "100")
	if int(all.Total) < stored {
		t.Errorf("the index holds %d articles, want at least the %d of the fixture", all.Total, stored)
	}
	if r := searchJSON(t, data, "Жанаозене"); r.Total < 2 {
		t.Errorf("Жанаозене (windows-1251 and KOI8-R pages) found %d", r.Total)
	}
	// 03:30 in Almaty on 17 December is 16 December in UTC; users search
	// by the day the publisher printed.
	if r := searchJSON(t, data, "--from", "2011-12-17", "--to", "2011-12-17", "хулиганствующих"); r.Total != 1 {
		t.Errorf("the publisher's day 2011-12-17 finds %d of the early-morning article", r.Total)
	}
	if r := searchJSON(t, data, "--topic", "zhanaozen", "хулиганствующих"); r.Total != 1 {
		t.Errorf("--topic zhanaozen finds %d of the Russian article", r.Total)
	}
	if r := searchJSON(t, data, "--date", "first_seen", "--from", "2011-01-01", "--to", "2011-12-31"); r.Total != 0 {
		t.Errorf("nothing was first seen in 2011, --date first_seen finds %d", r.Total)
	}
	// The query language in the CLI: operators read, a query it cannot
	// read is the user's mistake (exit 2), said with its position.
	if a, b := searchJSON(t, data, "Жанаозене"), searchJSON(t, data, "Жанаозене", "AND", "NOT", "хулиганствующих"); b.Total != a.Total-1 || b.ReadAs == "" {
		t.Errorf("Жанаозене %d, Жанаозене AND NOT хулиганствующих %d (read as %q)", a.Total, b.Total, b.ReadAs)
	}
	if _, stderr := presswatch(t, 2, "search", "--data", data, "titel:Zhanaozen"); !strings.Contains(stderr, `unknown field "titel" at 1; did you mean "title"?`) {
		t.Errorf("a bad field: %s", stderr)
	}
	if m := site.MaxInFlight(); m != 1 {
		t.Errorf("the site saw %d requests at once; per_host is 1", m)
	}
	t.Logf("%d articles from %d requests, %.1f articles/s", all.Total, site.TotalRequests(), float64(all.Total)/elapsed.Seconds())

	// Broken sources are marked with a clear kind; the rest are healthy.
	out, _ := presswatch(t, 0, "sources", "--data", data, "--json")
	var got web.SourcesJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	wantKind := map[string]string{"missing-feed": "http_status", "html-not-feed": "not_a_feed"}
	for _, s := range got.Sources {
		if s.ErrorKind != wantKind[s.ID] {
			t.Errorf("source %s: kind %q (%s), want %q", s.ID, s.ErrorKind, s.Status, wantKind[s.ID])
		}
		if s.NextRun == nil || s.LastFetch == nil {
			t.Errorf("source %s: no last fetch or next run: %+v", s.ID, s)
		}
	}

	// A second crawl asks with validators, gets 304s and fetches no article again.
	pages := site.Requests(site.Expected()[0].Path)
	cond := site.ConditionalHits()
	_, stderr = presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	if site.ConditionalHits()-cond < 5 || site.NotModified() < 5 {
		t.Errorf("second crawl: %d conditional requests, %d 304s; want one per listing", site.ConditionalHits()-cond, site.NotModified())
	}
	if n := site.Requests(site.Expected()[0].Path); n != pages {
		t.Errorf("second crawl fetched an article page again (%d -> %d requests)", pages, n)
	}
	if !strings.Contains(stderr, " 0 new") {
		t.Errorf("second crawl summary: %s", stderr)
	}

	// reindex rebuilds the same index from the store.
	_, stderr = presswatch(t, 0, "reindex", "--data", data)
	if again := searchJSON(t, data, "--limit", "100"); again.Total != all.Total || !strings.Contains(stderr, fmt.Sprintf("reindexed %d articles", all.Total)) {
		t.Errorf("after reindex: %d articles (before %d); %s", again.Total, all.Total, stderr)
	}
}

var newInSummary = regexp.MustCompile(`\d+ sources: (\d+) new`)

// BenchmarkCrawlFixtureSite measures a first crawl of the fixture site
// into an empty data folder: fetching (one request at a time, as the
// site's only host), extraction, storing and indexing.
func BenchmarkCrawlFixtureSite(b *testing.B) {
	site := testsite.Start(b, testsite.Options{})
	cfg := siteConfigTB(b, site.URL)
	articles := 0
	start := time.Now()
	for b.Loop() {
		data := b.TempDir()
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"crawl", "--config", cfg, "--data", data, "--log-level", "error"}, &out, &errOut); code != 0 {
			b.Fatalf("crawl exited %d: %s", code, errOut.String())
		}
		m := newInSummary.FindStringSubmatch(errOut.String())
		if m == nil {
			b.Fatalf("no summary in: %s", errOut.String())
		}
		n, _ := strconv.Atoi(m[1])
		articles += n
	}
	b.ReportMetric(float64(articles)/time.Since(start).Seconds(), "articles/s")
}

func counts(t *testing.T, data string) store.Counts {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestImportThenSearch(t *testing.T) {
	data := t.TempDir()
	lists := filepath.Join("..", "..", "testdata", "site", "lists")
	_, stderr := presswatch(t, 0, "import", "--data", data, "--source", "labor-l", lists)
	if !strings.Contains(stderr, "2 files: 2 new, 0 updated, 1 unchanged, 0 failed") {
		t.Errorf("import summary: %s", stderr)
	}
	r := searchJSON(t, data, "Sultangaliev")
	if r.Total != 1 || r.Hits[0].Title != "Repression in Kazakhstan - your support needed now!" ||
		r.Hits[0].Published.Format(time.RFC3339) != "2001-03-21T21:06:21-05:00" || r.Hits[0].Source != "labor-l" {
		t.Fatalf("search after import: %+v", r)
	}
	// Importing again finds everything already there.
	_, stderr = presswatch(t, 0, "import", "--data", data, "--source", "labor-l", lists)
	if !strings.Contains(stderr, "0 new, 0 updated, 3 unchanged") {
		t.Errorf("second import: %s", stderr)
	}
	if _, stderr := presswatch(t, 1, "import", "--data", data, filepath.Join(lists, "nothing-here.eml")); !strings.Contains(stderr, "nothing-here.eml") {
		t.Errorf("a missing file is not named: %s", stderr)
	}
}

func TestBadConfigIsRefusedWithFileLineField(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"bad stance": {"sources:\n  - id: x\n    url: http://127.0.0.1/\n    stance: neutral\n",
			`:4: sources[0].stance: "neutral" is not one of`},
		"unclosed quote in a topic query": {"topics:\n  - id: z\n    query: '\"Zhanaozen'\nsources:\n  - {id: x, url: 'http://127.0.0.1/'}\n",
			`:3: topics[0].query: `},
		"unknown field in a topic query": {"topics:\n  - id: z\n    name: Z\n    query: titel:Zhanaozen\nsources:\n  - {id: x, url: 'http://127.0.0.1/'}\n",
			`:4: topics[0].query: `},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.yaml")
			os.WriteFile(path, []byte(tc.yaml), 0o644)
			data := t.TempDir()
			_, stderr := presswatch(t, 1, "crawl", "--config", path, "--data", data)
			if !strings.Contains(stderr, path+tc.want) {
				t.Errorf("stderr: %s\nwant it to contain %s%s", stderr, path, tc.want)
			}
			if _, err := os.Stat(filepath.Join(data, "presswatch.db")); err == nil {
				t.Error("the store was written before the configuration was checked")
			}
		})
	}
}

func TestImportWithoutConfigKeepsTheSourcesOfTheLastCrawl(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--source", "campaign-rss", "--source", "campaign-rss")
	note := filepath.Join(t.TempDir(), "note.txt")
	os.WriteFile(note, []byte("Zhanaozen notes\n\nWitnesses spoke of Жанаозен on 16 December 2011."), 0o644)
	presswatch(t, 0, "import", "--data", data, note)
	out, _ := presswatch(t, 0, "sources", "--data", data, "--json")
	var got web.SourcesJSON
	json.Unmarshal([]byte(out), &got)
	ids := map[string]bool{}
	for _, s := range got.Sources {
		if s.Active {
			ids[s.ID] = true
		}
	}
	if !ids["campaign-rss"] || !ids["import"] || ids["tengrinews"] {
		t.Errorf("active sources after import: %v", ids)
	}
}

func TestRemovedIndexIsBuiltAgainFromTheStore(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	before := searchJSON(t, data, "--limit", "1")
	if before.Total < 18 {
		t.Fatalf("first crawl indexed %d articles", before.Total)
	}
	target, err := filepath.EvalSymlinks(filepath.Join(data, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(target)
	os.RemoveAll(filepath.Join(data, "index.bleve"))

	// The next crawl finds nothing new, and still indexes the whole store.
	_, errOut := presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	if !strings.Contains(errOut, "the index was missing") {
		t.Errorf("no word of the missing index:\n%s", errOut)
	}
	after := searchJSON(t, data, "--limit", "1")
	if c := counts(t, data); after.Total != before.Total || c.Unindexed != 0 {
		t.Errorf("after removing the index: %d articles found, %d before; %d unindexed", after.Total, before.Total, c.Unindexed)
	}
}
