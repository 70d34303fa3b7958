package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// benchLangs are the languages presswatch follows; the benchmark text is
// real sentences in each (../shared/corpus/lingua-sentences).
var benchLangs = []string{"ru", "kk", "en", "de", "fr", "es", "it", "pl", "pt"}

// benchArticles returns n articles of about 600 words each, built from the
// corpus sentences; every tenth mentions Zhanaozen.
func benchArticles(b *testing.B, n int) []*model.Article {
	b.Helper()
	sentences := map[string][]string{}
	for _, l := range benchLangs {
		data, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "lingua-sentences", l+".txt"))
		if err != nil {
			b.Skipf("corpus missing: %v", err)
		}
		sentences[l] = strings.Split(strings.TrimSpace(string(data)), "\n")
	}
	start := day("2011-12-16T00:00:00Z")
	arts := make([]*model.Article, n)
	for i := range arts {
		lang := benchLangs[i%len(benchLangs)]
		ss := sentences[lang]
		var text strings.Builder
		for j, words := i*7, 0; words < 600; j++ {
			s := ss[j%len(ss)]
			words += len(strings.Fields(s))
			text.WriteString(s)
			text.WriteByte(' ')
		}
		if i%10 == 0 {
			text.WriteString("Zhanaozen oil workers strike.")
		}
		arts[i] = &model.Article{
			ID: int64(i + 1), SourceID: testSources[i%len(testSources)].ID, Lang: lang,
			URL: fmt.Sprintf("https://example.org/%d", i), Title: ss[(i*7)%len(ss)], Text: text.String(),
			Published: start.Add(time.Duration(i) * time.Hour), FirstSeen: start.Add(time.Duration(i)*time.Hour + time.Minute),
		}
	}
	return arts
}

// BenchmarkPut indexes batches of 500 new articles into an on-disk index.
func BenchmarkPut(b *testing.B) {
	arts := benchArticles(b, 500)
	ix, err := Open(filepath.Join(b.TempDir(), "index"), WithSources(testSources))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	batch := make([]*model.Article, len(arts))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for j, a := range arts {
			c := *a
			c.ID = int64(i*len(arts) + j + 1)
			batch[j] = &c
		}
		if err := ix.Put(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(arts))/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkSearch runs typical searches on 5,000 articles on disk.
func BenchmarkSearch(b *testing.B) {
	arts := benchArticles(b, 5000)
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "index"), WithSources(testSources))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for i := 0; i < len(arts); i += 500 {
		if err := ix.Put(ctx, arts[i:i+500]); err != nil {
			b.Fatal(err)
		}
	}
	page2, err := ix.Search(ctx, Request{Query: "Zhanaozen", Sort: SortNewest})
	if err != nil {
		b.Fatal(err)
	}
	tests := map[string]Request{
		"word":               {Query: "Zhanaozen"},
		"common word":        {Query: "government"},
		"phrase":             {Query: `"oil workers"`},
		"must and not":       {Query: "+Zhanaozen -lang:ru"},
		"filters newest":     {Query: "Zhanaozen", Langs: []string{"ru", "kk"}, Stances: []string{"state"}, From: day("2012-01-01T00:00:00Z"), Sort: SortNewest},
		"all newest":         {Sort: SortNewest},
		"next page":          {Query: "Zhanaozen", Sort: SortNewest, After: page2.Next},
		"all, 1000 per page": {Sort: SortOldest, Limit: MaxLimit},
	}
	for name, req := range tests {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
