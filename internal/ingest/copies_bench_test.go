package ingest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"presswatch/internal/copies"
	"presswatch/internal/corpus"
	"presswatch/internal/gencorpus"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// The benchmark's stores grow as a deployment's does, by the day: the
// same number of articles a day (about what 70 sources publish), so 10k
// articles span the last 143 days and 100k the last four years, all
// ending on copiesBenchEnd. A new article is dated the day after, so the
// 30-day window around it holds the same 2,100 articles in both stores.
const copiesBenchPerDay = 70

var copiesBenchEnd = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// copiesBenchSource publishes the new articles: a wire no stored article
// comes from, so a reprint is a copy, never the source's own article at a
// new URL.
var copiesBenchSource = model.Source{ID: "bench-wire", URL: "https://bench.example/", Type: model.SourceFeed,
	Keep: model.KeepAll, Stance: model.StanceIndependent, Every: time.Hour}

// copiesBenchSizes are the stores BenchmarkCopiesOf measures.
var copiesBenchSizes = []int{10_000, 100_000}

// copiesStores are the stores seeded in this process, by size: seeding
// 100k articles takes minutes, and -count runs the benchmark again.
// TestMain removes their folder, unless PRESSWATCH_BENCH_COPIES_DIR names
// a folder to keep them in for the next runs.
var copiesStores struct {
	sync.Mutex
	dir  string
	keep bool
	path map[int]string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if copiesStores.dir != "" && !copiesStores.keep {
		os.RemoveAll(copiesStores.dir)
	}
	os.Exit(code)
}

// BenchmarkCopiesOf measures clustering one new article at ingest with
// 10k and 100k stored articles: copiesOf alone (the content hash look-up,
// the sketch, the band-key look-up within 30 days and the verification of
// the candidates), and a whole Put (the same, plus storing the article,
// its version, sketch and band keys). One new article in four is a
// reprint of a stored article of the last 30 days (an agency credit
// before it, a share line after), as syndication makes them; the others
// are new texts of the same generated corpus, which share some sentences
// with stored ones, as real news shares quotes. The cost should not grow
// with the store: the window holds the same articles in both.
//
//	go test -run '^$' -bench CopiesOf -benchtime 2s -count 3 ./internal/ingest/
//	PRESSWATCH_BENCH_COPIES_DIR=$TMPDIR/copies go test ...  # keep the seeded stores for the next runs
func BenchmarkCopiesOf(b *testing.B) {
	sentences := filepath.Join(corpus.Dir(b), "lingua-sentences")
	g, err := gencorpus.New(sentences, 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range copiesBenchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			ctx := context.Background()
			path := copiesStore(b, g, n)
			st, err := store.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			in := New(st, nil, nil)
			news := newCopiesArticles(g, n, 0, 256)

			b.Run("copiesOf", func(b *testing.B) {
				// Once through the articles ahead, untimed: a running
				// deployment reads a store whose pages the system caches.
				for _, a := range news {
					if _, _, _, err := in.copiesOf(ctx, a); err != nil {
						b.Fatal(err)
					}
				}
				found := 0
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					_, stories, _, err := in.copiesOf(ctx, news[i%len(news)])
					if err != nil {
						b.Fatal(err)
					}
					found += min(len(stories), 1)
					i++
				}
				b.ReportMetric(float64(found)/float64(i), "copies/op")
			})
			b.Run("Put", func(b *testing.B) {
				// Each Put stores a new article, so it gets a copy of the
				// store, which keeps the size it was seeded with for the
				// next run, and articles of its own, never one twice.
				pst, err := store.Open(ctx, copyFile(b, path))
				if err != nil {
					b.Fatal(err)
				}
				defer pst.Close()
				if err := pst.EnsureSource(ctx, copiesBenchSource); err != nil {
					b.Fatal(err)
				}
				pin := New(pst, nil, nil)
				var fresh []*model.Article
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if i == len(fresh) {
						b.StopTimer()
						fresh = append(fresh, newCopiesArticles(g, n, 1000+i, 512)...)
						b.StartTimer()
					}
					a := fresh[i]
					doc := &model.Document{URL: fmt.Sprintf("https://bench.example/new/%d", i), Title: a.Title, Text: a.Text,
						Published: a.Published, Lang: a.Lang, Provenance: model.ProvenanceCrawl}
					if _, _, err := pin.Put(ctx, copiesBenchSource, doc); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}

// newCopiesArticles returns k new articles, from the generator's article
// n+from on, dated the day after the newest of a store of n: one in four
// a reprint of one of the store's last 30 days.
func newCopiesArticles(g *gencorpus.Generator, n, from, k int) []*model.Article {
	r := rand.New(rand.NewPCG(7, uint64(n+from)))
	day := copiesBenchEnd.Add(24 * time.Hour)
	out := make([]*model.Article, k)
	for i := range out {
		var a *model.Article
		if i%4 == 0 {
			orig := g.Article(n - 1 - r.IntN(30*copiesBenchPerDay))
			a = &model.Article{Title: orig.Title, Text: "ALMATY (Steppe Wire) — " + orig.Text + "\nShare this article.", Lang: orig.Lang}
		} else {
			a = g.Article(n + from + i)
		}
		a.ID, a.URL, a.SourceID = 0, fmt.Sprintf("https://bench.example/pool/%d", from+i), copiesBenchSource.ID
		a.Published = day.Add(time.Duration(i) * time.Minute)
		a.FirstSeen = a.Published
		a.Text = normalizeText(a.Text)
		a.ContentHash = ContentHash(a.Title, a.Text)
		out[i] = a
	}
	return out
}

// copiesStore returns the path of a store of n generated articles with
// their copy keys, seeding it the first time this process asks.
func copiesStore(b *testing.B, g *gencorpus.Generator, n int) string {
	copiesStores.Lock()
	defer copiesStores.Unlock()
	if p, ok := copiesStores.path[n]; ok {
		return p
	}
	if copiesStores.dir == "" {
		copiesStores.path = map[int]string{}
		if dir := os.Getenv("PRESSWATCH_BENCH_COPIES_DIR"); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			copiesStores.dir, copiesStores.keep = dir, true
		} else {
			dir, err := os.MkdirTemp("", "presswatch-copies-bench-")
			if err != nil {
				b.Fatal(err)
			}
			copiesStores.dir = dir
		}
	}
	// Named after what makes them: a kept store of another corpus or
	// layout is never read.
	name := fmt.Sprintf("copies-%d-gencorpus%s-%dperday.db", n, gencorpus.Version, copiesBenchPerDay)
	path := filepath.Join(copiesStores.dir, name)
	done := path + ".done"
	if _, err := os.Stat(done); err == nil {
		b.Logf("reusing the seeded store %s", path)
	} else {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(f)
		}
		start := time.Now()
		if err := seedCopiesStore(context.Background(), g, path, n); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d articles with their copy keys in %s (%s)", n, time.Since(start).Round(time.Second), path)
	}
	copiesStores.path[n] = path
	return path
}

// seedCopiesStore writes n generated articles into a new store at path,
// dated copiesBenchPerDay a day up to copiesBenchEnd, each with its sketch
// and band keys as Put stores them; sketches are made on every core and
// stored in order.
func seedCopiesStore(ctx context.Context, g *gencorpus.Generator, path string, n int) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SyncSources(ctx, gencorpus.Sources()); err != nil {
		return err
	}
	made := make([]chan store.NewArticle, n)
	for i := range made {
		made[i] = make(chan store.NewArticle, 1)
	}
	var next sync.Mutex
	todo := 0
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for {
				next.Lock()
				i := todo
				todo++
				next.Unlock()
				if i >= n {
					return
				}
				made[i] <- copiesArticle(g, i, n)
			}
		}()
	}
	for i := range n {
		na := <-made[i]
		if na.Copy == nil {
			return fmt.Errorf("generated article %d is too short to sketch", i)
		}
		if err := st.Create(ctx, na); err != nil {
			return err
		}
	}
	return nil
}

// copiesArticle is article i of a store of n, as seedCopiesStore stores it.
func copiesArticle(g *gencorpus.Generator, i, n int) store.NewArticle {
	a := g.Article(i)
	a.ID = 0
	a.Published = copiesBenchEnd.Add(-time.Duration(n-1-i) * 24 * time.Hour / copiesBenchPerDay)
	a.FirstSeen, a.LastChecked = a.Published.Add(time.Hour), a.Published.Add(time.Hour)
	a.Text = normalizeText(a.Text)
	a.ContentHash = ContentHash(a.Title, a.Text)
	na := store.NewArticle{Article: a}
	if sk := copies.NewSketch(a.Text); !sk.Empty() {
		blob, err := sk.MarshalBinary()
		if err == nil {
			na.Copy = &store.CopyKeys{Sketch: blob, Bands: sk.BandKeys(), Day: store.Day(dateOf(a))}
		}
	}
	return na
}

// copyFile copies the store at path (and its WAL, none after Close) into
// the benchmark's temporary folder, and syncs it, so that writing the copy
// back to disk does not fall into the measured Puts.
func copyFile(b *testing.B, path string) string {
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	name := filepath.Join(b.TempDir(), filepath.Base(path))
	out, err := os.Create(name)
	if err == nil {
		_, err = io.Copy(out, in)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	return name
}
