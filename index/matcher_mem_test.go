//go:build !race

package index

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"presswatch/internal/model"
)

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestMatcherHoldsNothingPerArticle matches 20,000 articles and checks
// that the live heap after 20,000 is within a fixed bound of the heap
// after 2,000: Match keeps nothing of the articles it matched.
func TestMatcherHoldsNothingPerArticle(t *testing.T) {
	if testing.Short() {
		t.Skip("matches 20,000 articles")
	}
	topics := append(testTopics[:len(testTopics):len(testTopics)],
		model.Topic{ID: "pattern", Query: "Mangyst* OR Name1x*"})
	m, err := NewMatcher(topics)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	const first, total, bound = 2_000, 20_000, 20 << 20
	r := rand.New(rand.NewPCG(1, 2))
	var before uint64
	matched := 0
	for i := range total {
		ids, err := m.Match(memArticle(r, i))
		if err != nil {
			t.Fatal(err)
		}
		matched += len(ids)
		if i+1 == first {
			before = liveHeap()
		}
	}
	after := liveHeap()
	t.Logf("live heap after %d articles: %.1f MB, after %d: %.1f MB", first, float64(before)/1e6, total, float64(after)/1e6)
	if after > before+bound {
		t.Errorf("live heap grew by %.1f MB from %d to %d articles, want under %d MB",
			float64(after-before)/1e6, first, total, bound>>20)
	}
	if matched < total {
		t.Errorf("%d topic matches in %d articles, want every article to match the pattern topic", matched, total)
	}
}

// BenchmarkMatch matches generated articles against the test topics and
// a pattern topic, as ingest does for each new article.
func BenchmarkMatch(b *testing.B) {
	topics := append(testTopics[:len(testTopics):len(testTopics)],
		model.Topic{ID: "pattern", Query: "Mangyst* OR Name1x*"})
	m, err := NewMatcher(topics)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	r := rand.New(rand.NewPCG(1, 2))
	arts := make([]*model.Article, 1000)
	for i := range arts {
		arts[i] = memArticle(r, i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := *arts[i%len(arts)]
		a.ID = int64(i + 1)
		if _, err := m.Match(&a); err != nil {
			b.Fatal(err)
		}
	}
}
