package gencorpus

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"presswatch/internal/corpus"
)

func newGenerator(t *testing.T, seed uint64) *Generator {
	t.Helper()
	g, err := New(filepath.Join(corpus.Dir(t), "lingua-sentences"), seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestArticleIsDeterministic(t *testing.T) {
	a, b := newGenerator(t, 1), newGenerator(t, 1)
	for _, i := range []int{0, 1, 999, 99_999} {
		if x, y := a.Article(i), b.Article(i); !reflect.DeepEqual(x, y) {
			t.Errorf("article %d differs between two generators of one seed", i)
		}
	}
	if reflect.DeepEqual(a.Article(5).Text, newGenerator(t, 2).Article(5).Text) {
		t.Error("seeds 1 and 2 give the same article 5")
	}
	var streamed int
	for art := range a.Articles(50) {
		if want := a.Article(streamed); !reflect.DeepEqual(art, want) {
			t.Fatalf("Articles yields article %d unlike Article(%d)", art.ID, streamed)
		}
		streamed++
	}
}

func TestBatches(t *testing.T) {
	g := newGenerator(t, 1)
	var sizes []int
	next := int64(1)
	for batch := range g.Batches(1_234, 500) {
		sizes = append(sizes, len(batch))
		for _, a := range batch {
			if a.ID != next {
				t.Fatalf("got article %d, want %d", a.ID, next)
			}
			next++
		}
	}
	if want := []int{500, 500, 234}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
}

// TestCorpusShape checks what the benchmarks rely on, over 3,000 articles:
// the language mix, news length, the share that names the topic, the
// sources and the dates.
func TestCorpusShape(t *testing.T) {
	const n = 3_000
	g := newGenerator(t, 1)
	stance := map[string]string{}
	for _, s := range Sources() {
		stance[s.ID] = string(s.Stance)
	}
	first, end := Span()
	langs := map[string]int{}
	used := map[string]bool{}
	var topic, spike, undated int
	for a := range g.Articles(n) {
		langs[a.Lang]++
		used[a.SourceID] = true
		if stance[a.SourceID] == "" {
			t.Fatalf("article %d: source %q is not in Sources", a.ID, a.SourceID)
		}
		if words := len(strings.Fields(a.Text)); words < 400 || words > 800 {
			t.Errorf("article %d has %d words, want 400 to 800", a.ID, words)
		}
		if a.Title == "" || a.URL == "" || a.FirstSeen.IsZero() {
			t.Errorf("article %d lacks a title, URL or first-seen time", a.ID)
		}
		if hasPlaceholder(a.Text) || hasPlaceholder(a.Title) {
			t.Errorf("article %d has an unfilled placeholder", a.ID)
		}
		if hasTopicName(a.Text) {
			topic++
		}
		switch p := a.Published; {
		case p.IsZero():
			undated++
		case p.Before(first.AddDate(0, 0, -1)) || !p.Before(end.AddDate(0, 0, 1)):
			t.Errorf("article %d published %v, outside %v .. %v", a.ID, p, first, end)
		case p.Year() == 2011 && p.Month() == 12 && p.Day() >= 16:
			spike++
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	for lang, want := range map[string]float64{"ru": .35, "en": .20, "kk": .10, "pl": .06} {
		if got := share(langs[lang]); got < want-.03 || got > want+.03 {
			t.Errorf("%s is %.3f of articles, want about %.2f", lang, got, want)
		}
	}
	if len(used) != len(Sources()) {
		t.Errorf("%d of %d sources used", len(used), len(Sources()))
	}
	if got := share(topic); got < TopicShare-.03 || got > TopicShare+.03 {
		t.Errorf("%.3f of articles name the topic, want about %.2f", got, TopicShare)
	}
	if got := share(spike); got < .12 {
		t.Errorf("%.3f of articles in the second half of December 2011, want a spike (at least 0.12)", got)
	}
	if undated == 0 || share(undated) > .03 {
		t.Errorf("%d of %d articles undated, want about 1 %%", undated, n)
	}
}

func hasPlaceholder(s string) bool {
	for _, p := range placeholders {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// hasTopicName reports whether s holds a spelling of one of the
// deployment's names.
func hasTopicName(s string) bool {
	for _, p := range []string{"%P", "%N", "%S", "%A", "%M", "%K", "%O"} {
		for _, form := range allSpellings(p) {
			if strings.Contains(s, form) {
				return true
			}
		}
	}
	return false
}
