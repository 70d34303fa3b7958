package digest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/config"
	"presswatch/internal/corpus"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/testsite"
)

// The syndicated day's size: the 2,000 articles from 200 sources.
const (
	synArticles = 2000
	synSeed     = 1
	synSiteN    = 200
)

// ingestedDay is a store in which the fixture site was crawled and then a
// generated day of syndicated coverage ingested, through the crawler and
// ingest.Ingester as presswatch stores them, so the copy clusters are
// presswatch's own. Every article matches the topic.
type ingestedDay struct {
	st     *store.Store
	topic  model.Topic
	period Period // from the crawl's start to the last article's ingest
	truth  map[int64]int
	texts  map[int64]string      // every article's text as stored
	gen    map[int64]*synArticle // the generated articles
	site   map[int64]string      // the fixture site's articles: their URL
	day    *synDay
	took   time.Duration // the crawl and the ingest
}

// dayCache keeps the ingested day for the process: ingesting it takes
// seconds, and the benchmarks run again with -count. TestMain closes and
// removes it.
var dayCache struct {
	sync.Mutex
	dir string
	day *ingestedDay
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dayCache.day != nil {
		dayCache.day.st.Close()
	}
	if dayCache.dir != "" {
		os.RemoveAll(dayCache.dir)
	}
	os.Exit(code)
}

// syndicatedDay returns the ingested day, ingesting it the first time the
// process asks. It skips when the shared corpus is absent.
func syndicatedDay(tb testing.TB) *ingestedDay {
	tb.Helper()
	dayCache.Lock()
	defer dayCache.Unlock()
	if dayCache.day != nil {
		return dayCache.day
	}
	corpus.Dir(tb) // skips without the shared corpus
	dir, err := os.MkdirTemp("", "presswatch-digest-day-")
	if err != nil {
		tb.Fatal(err)
	}
	dayCache.dir = dir
	d, err := ingestDay(tb, filepath.Join(dir, "presswatch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	dayCache.day = d
	return d
}

// fixtureSources are the fixture site's listings, feeds and sitemaps, as
// cmd/presswatch's crawl test reads them, and the topic of every article.
const fixtureSources = `
allow_private_networks: true
topics:
  - {id: zhanaozen, name: Zhanaozen, query: "*"}
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
`

// everyArticle matches every article to one topic: the digest is of all
// the day's coverage, and the topic matcher's own choices stay out of the
// measure.
type everyArticle string

func (t everyArticle) Match(*model.Article) ([]string, error) { return []string{string(t)}, nil }

// recordingSink is the Ingester, noting the articles it stored as new.
type recordingSink struct {
	*ingest.Ingester
	mu  sync.Mutex
	new []*model.Article
}

func (s *recordingSink) Put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error) {
	o, a, err := s.Ingester.Put(ctx, src, doc)
	if err == nil && o == model.OutcomeNew {
		s.mu.Lock()
		s.new = append(s.new, a)
		s.mu.Unlock()
	}
	return o, a, err
}

func ingestDay(tb testing.TB, path string) (*ingestedDay, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	d := &ingestedDay{st: st, topic: model.Topic{ID: "zhanaozen", Name: "Zhanaozen", Query: "*"},
		truth: map[int64]int{}, texts: map[int64]string{}, gen: map[int64]*synArticle{}, site: map[int64]string{}}
	if _, err := st.SyncTopics(ctx, []model.Topic{d.topic}); err != nil {
		return d, err
	}
	start := time.Now().Truncate(time.Millisecond)
	in := &recordingSink{Ingester: ingest.New(st, everyArticle(d.topic.ID), nil)}

	// The fixture site, crawled.
	site := testsite.Start(tb, testsite.Options{})
	cfg, err := config.Parse(fmt.Appendf(nil, fixtureSources, site.URL), "fixture.yaml")
	if err != nil {
		return d, err
	}
	// The generated sources are those of the day, whatever it holds.
	day := generateDay(tb, 0, synSiteN, synSeed, nil)
	var sources []model.Source
	for _, s := range day.sources {
		sources = append(sources, s.Source)
	}
	if err := st.SyncSources(ctx, append(sources, cfg.Sources...)); err != nil {
		return d, err
	}
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", PerHost: 1, Workers: 4, MinDelay: time.Millisecond, AllowPrivate: true})
	if err != nil {
		return d, err
	}
	defer f.Close()
	cr, err := crawler.New(crawler.Options{Fetcher: f, Sink: in, State: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return d, err
	}
	for _, src := range cfg.Sources {
		if rep := cr.Run(ctx, src); rep.Err != nil {
			return d, fmt.Errorf("crawl of the fixture site's %s: %w", src.ID, rep.Err)
		}
	}
	var fixture []string
	for _, a := range in.new {
		d.truth[a.ID] = -1 - len(d.site) // each its own story; the appeal's translations too
		d.site[a.ID], d.texts[a.ID] = a.URL, a.Text
		if strings.Contains(a.URL, "/ru/vestnik/") {
			fixture = append([]string{a.Title}, strings.FieldsFunc(a.Text, func(r rune) bool { return r == '\n' })...)
		}
	}
	if want := countExpected(site); len(d.site) != want || fixture == nil {
		return d, fmt.Errorf("the crawl stored %d of the fixture site's %d articles (the windows-1251 story found: %v)",
			len(d.site), want, fixture != nil)
	}

	// The generated day, in the order of publication, as a crawl of the
	// 200 sites would meet it.
	n := synArticles
	if raceEnabled {
		n /= 8
	}
	d.day = generateDay(tb, n, synSiteN, synSeed, fixture)
	for i, a := range d.day.arts {
		doc := &model.Document{URL: fmt.Sprintf("https://%s.example/2011/12/17/%d.html", a.src.ID, i), Title: a.title, Text: a.text,
			Published: a.pub, DateSource: model.DateFromMeta, Lang: a.src.Lang, Provenance: model.ProvenanceCrawl}
		o, stored, err := in.Ingester.Put(ctx, a.src.Source, doc)
		if err != nil {
			return d, err
		}
		if o != model.OutcomeNew {
			return d, fmt.Errorf("generated article %d (%s): %s, want new", i, a.src.ID, o)
		}
		d.truth[stored.ID], d.gen[stored.ID], d.texts[stored.ID] = a.group, a, stored.Text
	}
	for id, g := range d.truth {
		if g < 0 && strings.Contains(d.site[id], "/ru/vestnik/") {
			d.truth[id] = d.day.fixtureGroup
		}
	}
	end := time.Now().Add(time.Millisecond)
	d.took = end.Sub(start)
	d.period, err = Since(end, end.Sub(start), almaty)
	return d, err
}

func countExpected(site *testsite.Site) int {
	n := 0
	for _, a := range site.Expected() {
		if !a.RobotsDisallowed {
			n++
		}
	}
	return n
}
