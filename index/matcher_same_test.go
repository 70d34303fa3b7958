package index

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/index/qparse"
	"presswatch/internal/config"
	"presswatch/internal/corpus"
	"presswatch/internal/model"
)

// featureTopics use every part of the query language a topic may: words,
// phrases, words near each other, fuzzy words, patterns of words and of
// keywords, fields, dates and negation.
var featureTopics = []model.Topic{
	{ID: "phrase", Query: `"oil workers" OR "нефтяников Жанаозена"`},
	{ID: "near", Query: `"police fire"~3 OR "полиция огонь"~4`},
	{ID: "fuzzy", Query: "Zhanaozne~1 OR Nazarbaev~2"},
	{ID: "patterns", Query: "Kazakh* Жанаоз* Mangyst*"},
	{ID: "pattern-and", Query: "+Kazakh* +oil*"},
	{ID: "source-pattern", Query: "source:teng* OR source:rfe*"},
	{ID: "url-pattern", Query: "url:https://example.org/dw*"},
	{ID: "title", Query: "title:суд OR title:Prozess OR title:trial"},
	{ID: "fields", Query: "+lang:en +stance:international -title:Zhanaozen"},
	{ID: "dates", Query: `published:[2011-12-16 TO 2011-12-17] OR first_seen:>=2012-06`},
	{ID: "not", Query: "+Kazakhstan -Zhanaozen -Жанаозен"},
	{ID: "surname", Query: "Sokolova OR Соколова"},
	{ID: "group", Query: "(strike OR забастовка) AND (oil OR нефть OR нефтяники)"},
	{ID: "boost", Query: "police^3 полиция^2"},
	{ID: "state", Query: "+state:live +Aktau"},
}

// sameTopics are the topics the matchers are compared on, with the
// options serve would give them: the deployment's (the embedded
// configuration's, with its alias groups), the package tests' and
// featureTopics, and every query of the search set (testdata/searchset)
// as a topic.
func sameTopics(t *testing.T) ([]model.Topic, []Option) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	topics := slices.Concat(cfg.Topics, renamed("test-", testTopics), featureTopics)
	b, err := os.ReadFile(filepath.Join("testdata", "searchset", "searches.json"))
	if err != nil {
		t.Fatal(err)
	}
	var searches []setSearch
	if err := json.Unmarshal(b, &searches); err != nil {
		t.Fatal(err)
	}
	probe, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	for _, s := range searches {
		if _, err := probe.parseQuery(s.Q, qparse.OpOr); err != nil {
			continue // a query the set expects to be refused
		}
		topics = append(topics, model.Topic{ID: "set-" + s.Name, Query: s.Q})
	}
	var ids []string
	var aliases [][]string
	for _, tp := range topics {
		ids = append(ids, tp.ID)
		aliases = append(aliases, tp.Aliases...)
	}
	sources := slices.Clone(testSources)
	for _, s := range cfg.Sources {
		sources = append(sources, model.Source{ID: s.ID, Stance: s.Stance})
	}
	return topics, []Option{WithSources(sources), WithAliases(aliases), WithTopics(ids)}
}

// sameArticles are the articles the matchers are compared on: the
// package's Zhanaozen articles, the search set's (ten languages, with
// distractors), the project's five seed documents from the corpus (a
// union motion, a campaign blog, an appeal in seven languages...) whole,
// as if in English, Russian and Kazakh, and every fourth paragraph of
// them, and generated ones.
func sameArticles(t *testing.T) []*model.Article {
	t.Helper()
	arts := testArticles()
	docs, _ := loadSearchSet(t)
	for _, d := range docs {
		pub, err := time.Parse(time.RFC3339, d.Published)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, &model.Article{ID: 1000 + d.ID, SourceID: d.Source, Lang: d.Lang, Title: d.Title, Text: d.Text,
			URL: fmt.Sprintf("https://example.org/%s/%d", d.Source, d.ID), Published: pub, FirstSeen: pub.Add(time.Hour)})
	}
	var seeds []string
	if dir, err := corpus.Find(); err != nil {
		t.Logf("without the seed documents: %v", err)
	} else if seeds, err = filepath.Glob(filepath.Join(dir, "seeds", "*.txt")); err != nil || len(seeds) == 0 {
		t.Fatalf("no seed documents in %s/seeds (%v)", dir, err)
	}
	id := int64(5000)
	add := func(title, text, lang string) {
		id++
		arts = append(arts, &model.Article{ID: id, SourceID: "tengrinews", Lang: lang, Title: title, Text: text,
			URL: fmt.Sprintf("https://example.org/seeds/%d", id), FirstSeen: day("2012-06-10T08:00:00Z")})
	}
	langs := []string{"en", "ru", "kk"}
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := strings.TrimSpace(string(b))
		title, _, _ := strings.Cut(doc, "\n")
		for _, lang := range langs {
			add(title, doc, lang) // the whole document
		}
		for i, para := range strings.Split(doc, "\n\n") {
			if para = strings.TrimSpace(para); len(para) >= 40 && i%4 == 0 {
				title, _, _ := strings.Cut(para, "\n")
				add(title, para, langs[i/4%len(langs)]) // every fourth paragraph
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 50 {
		a := memArticle(r, i)
		a.ID = 9000 + int64(i)
		arts = append(arts, a)
	}
	return arts
}

// TestMatcherSameAsLocked checks that Matcher finds exactly the topics
// the matcher it replaced (one index under one lock) found, article by
// article, on the deployment's topics, the tests' and the search set's
// queries; then that it still does with Match called from four
// goroutines at once (run it with -race). -short compares the package's
// articles and a quarter of the others on a quarter of the search set's
// queries.
func TestMatcherSameAsLocked(t *testing.T) {
	topics, opts := sameTopics(t)
	arts := sameArticles(t)
	if testing.Short() { // see above
		topics = slices.DeleteFunc(topics, func(tp model.Topic) bool { return strings.HasPrefix(tp.ID, "set-") && len(tp.ID)%4 != 0 })
		arts = slices.DeleteFunc(arts, func(a *model.Article) bool { return a.ID > 1000 && a.ID%4 != 0 })
	}
	old, err := newLockedMatcher(topics, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	m, err := NewMatcher(topics, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := make([][]string, len(arts))
	hits := map[string]int{}
	for i, a := range arts {
		if want[i], err = old.Match(a); err != nil {
			t.Fatalf("locked matcher, article %d: %v", a.ID, err)
		}
		for _, id := range want[i] {
			hits[id]++
		}
		got, err := m.Match(a)
		if err != nil {
			t.Fatalf("article %d: %v", a.ID, err)
		}
		if !slices.Equal(got, want[i]) {
			t.Errorf("article %d (%s %q): topics %q, the locked matcher's %q", a.ID, a.Lang, clip(a.Title), got, want[i])
		}
	}
	// The comparison means something only if the topics tell the
	// articles apart: each of the deployment's and the tests' topics
	// matches some article and misses some.
	for _, tp := range slices.Concat(topics[:1], renamed("test-", testTopics), featureTopics) {
		if n := hits[tp.ID]; n == 0 || n == len(arts) {
			t.Errorf("topic %s (%s) matched %d of the %d articles: it tells none apart", tp.ID, tp.Query, n, len(arts))
		}
	}
	t.Logf("%d articles, %d topics, %d matches", len(arts), len(topics), sumValues(hits))

	var next atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(arts) {
					return
				}
				a := arts[i%len(arts)]
				got, err := m.Match(a)
				if err != nil {
					t.Errorf("concurrent, article %d: %v", a.ID, err)
					return
				}
				if !slices.Equal(got, want[i%len(arts)]) {
					t.Errorf("concurrent, article %d: topics %q, the locked matcher's %q", a.ID, got, want[i%len(arts)])
				}
			}
		})
	}
	wg.Wait()
}

// memWords is a vocabulary for generated articles: common words, and
// per article a few it alone has (names, numbers), as a crawl brings.
var memWords = strings.Fields(`the strike in Zhanaozen oil workers court trial
	police city square protest wages company government minister said on
	Tuesday report statement families victims lawyer prosecutor judge sentence
	Kazakhstan Mangystau region union demands dismissed hundreds thousands`)

// memArticle returns the i-th generated article: a few sentences of
// memWords and words of its own.
func memArticle(r *rand.Rand, i int) *model.Article {
	var b strings.Builder
	for s := range 12 {
		for range 8 + r.IntN(10) {
			b.WriteString(memWords[r.IntN(len(memWords))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "Name%dx%d %d. ", i, s, r.IntN(1_000_000))
	}
	return &model.Article{
		ID: int64(i + 1), SourceID: "src", Lang: "en",
		URL:   fmt.Sprintf("https://example.org/news/%d", i),
		Title: fmt.Sprintf("Report %d from Mangystau", i), Text: b.String(),
		FirstSeen: time.Date(2012, 7, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
	}
}

// renamed returns topics with prefix before each id.
func renamed(prefix string, topics []model.Topic) []model.Topic {
	out := slices.Clone(topics)
	for i := range out {
		out[i].ID = prefix + out[i].ID
	}
	return out
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// BenchmarkMatchers matches the generated articles against the test
// topics and a pattern topic (as BenchmarkMatch) from 1 and 2 goroutines,
// with the matcher that runs one Match at a time (locked) and with
// Matcher, in the same run. ns/op is the wall time per article: with 2
// goroutines on 2 free cores Matcher should take about half of locked's.
// goroutines/op counts the goroutines one Match makes.
//
//	go test ./index -run '^$' -bench BenchmarkMatchers -benchtime 2000x -count 3
func BenchmarkMatchers(b *testing.B) {
	topics := append(testTopics[:len(testTopics):len(testTopics)],
		model.Topic{ID: "pattern", Query: "Mangyst* OR Name1x*"})
	r := rand.New(rand.NewPCG(1, 2))
	arts := make([]*model.Article, 1000)
	for i := range arts {
		arts[i] = memArticle(r, i)
	}
	type matcher interface {
		Match(*model.Article) ([]string, error)
		Close() error
	}
	kinds := []struct {
		name string
		make func() (matcher, error)
	}{
		{"locked", func() (matcher, error) { return newLockedMatcher(topics) }},
		{"concurrent", func() (matcher, error) { return NewMatcher(topics) }},
	}
	for _, goroutines := range []int{1, 2} {
		for _, k := range kinds {
			b.Run(fmt.Sprintf("%s/goroutines=%d", k.name, goroutines), func(b *testing.B) {
				m, err := k.make()
				if err != nil {
					b.Fatal(err)
				}
				defer m.Close()
				b.ReportAllocs()
				var next atomic.Int64
				var wg sync.WaitGroup
				created := goroutinesCreated()
				b.ResetTimer()
				for range goroutines {
					wg.Go(func() {
						for {
							i := int(next.Add(1))
							if i > b.N {
								return
							}
							a := *arts[i%len(arts)]
							a.ID = int64(i)
							if _, err := m.Match(&a); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				// Each is scheduled like a request's: a load-independent
				// measure of what Match adds to the run queues.
				b.ReportMetric(float64(goroutinesCreated()-created)/float64(b.N), "goroutines/op")
			})
		}
	}
}

// goroutinesCreated is the count of goroutines the process has created.
func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
