package copies

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"
)

var tune = flag.Bool("copies.tune", false, "sweep the parameters on the dev half and log the figures")

// scores are the pairwise figures of a clustering against the groups.
type scores struct {
	precision, recall, ari float64
	candidates, verified   int // LSH candidates looked at, pairs Verify called copies
}

func (s scores) String() string {
	return fmt.Sprintf("precision %.4f recall %.4f ARI %.4f (candidates %d, copies %d)", s.precision, s.recall, s.ari, s.candidates, s.verified)
}

// cluster runs what the store will do, one article after another: look
// up its band keys, verify the articles found, join those that are
// copies, then add its keys. It returns each doc's cluster label, the
// number of candidates looked at and the pairs verified.
func cluster(p params, docs []doc) ([]int, int, []Pair) {
	sketches := make([]Sketch, len(docs))
	for i, d := range docs {
		sketches[i] = p.sketch(d.text)
	}
	byKey := map[int64][]int{}
	var pairs []Pair
	candidates := 0
	for i, s := range sketches {
		seen := map[int]bool{}
		for _, k := range s.BandKeys() {
			for _, j := range byKey[k] {
				if seen[j] {
					continue
				}
				seen[j] = true
				candidates++
				if _, ok := p.verify(s, sketches[j]); ok {
					pairs = append(pairs, Pair{int64(i), int64(j)})
				}
			}
			byKey[k] = append(byKey[k], i)
		}
	}
	articles := make([]Article, len(docs))
	for i := range docs {
		articles[i] = Article{ID: int64(i)}
	}
	labels := make([]int, len(docs))
	for c, cl := range Group(articles, pairs) {
		for _, m := range cl.Members {
			labels[m.ID] = c
		}
	}
	return labels, candidates, pairs
}

// baseline is what presswatch does today: articles with the same SHA-256
// of the whitespace-normalised text are one.
func baseline(docs []doc) []int {
	ids := map[[32]byte]int{}
	labels := make([]int, len(docs))
	for i, d := range docs {
		sum := sha256.Sum256([]byte(strings.Join(strings.Fields(d.text), " ")))
		if _, ok := ids[sum]; !ok {
			ids[sum] = len(ids)
		}
		labels[i] = ids[sum]
	}
	return labels
}

// pairScores compares predicted labels with the docs' groups: pairwise
// precision and recall, and the adjusted Rand index.
func pairScores(docs []doc, labels []int) scores {
	type cell struct{ g, l int }
	cells, groups, preds := map[cell]int{}, map[int]int{}, map[int]int{}
	for i, d := range docs {
		cells[cell{d.group, labels[i]}]++
		groups[d.group]++
		preds[labels[i]]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, truePairs, predPairs float64
	for _, n := range cells {
		tp += pairs(n)
	}
	for _, n := range groups {
		truePairs += pairs(n)
	}
	for _, n := range preds {
		predPairs += pairs(n)
	}
	all := pairs(len(docs))
	expected := truePairs * predPairs / all
	s := scores{precision: tp / predPairs, recall: tp / truePairs}
	if predPairs == 0 {
		s.precision = math.NaN()
	}
	s.ari = (tp - expected) / ((truePairs+predPairs)/2 - expected)
	return s
}

func evaluate(p params, docs []doc) scores {
	labels, cands, pairs := cluster(p, docs)
	s := pairScores(docs, labels)
	s.candidates, s.verified = cands, len(pairs)
	return s
}

// recallByKind is the share of each transformation's copies that landed
// in their original's cluster.
func recallByKind(docs []doc, labels []int) map[string]float64 {
	orig := map[int]int{}
	for i, d := range docs {
		if d.kind == "original" {
			orig[d.group] = labels[i]
		}
	}
	hit, n := map[string]int{}, map[string]int{}
	for i, d := range docs {
		if o, ok := orig[d.group]; ok && d.kind != "original" {
			n[d.kind]++
			if labels[i] == o {
				hit[d.kind]++
			}
		}
	}
	out := map[string]float64{}
	for k := range n {
		out[k] = float64(hit[k]) / float64(n[k])
	}
	return out
}

// falseJoins counts pairs of docs of different groups put in one cluster,
// by the kinds of the two.
func falseJoins(docs []doc, labels []int) map[string]int {
	byLabel := map[int][]int{}
	for i := range docs {
		byLabel[labels[i]] = append(byLabel[labels[i]], i)
	}
	out := map[string]int{}
	for _, m := range byLabel {
		for x, i := range m {
			for _, j := range m[x+1:] {
				if docs[i].group != docs[j].group {
					out[docs[i].name+" ~ "+docs[j].name]++
				}
			}
		}
	}
	return out
}

// directPairs says how many of the true pairs were found as pairs, not
// only through a chain, and how many verified pairs were false.
func directPairs(docs []doc, pairs []Pair) string {
	size := map[int]int{}
	for _, d := range docs {
		size[d.group]++
	}
	truePairs := 0
	for _, n := range size {
		truePairs += n * (n - 1) / 2
	}
	right := 0
	for _, p := range pairs {
		if docs[p.A].group == docs[p.B].group {
			right++
		}
	}
	return fmt.Sprintf("%d of %d true pairs (%.4f), %d false", right, truePairs, float64(right)/float64(truePairs), len(pairs)-right)
}

// Floors on the test half: the figures measured when the parameters were
// chosen (see doc.go), less a margin, so that a change that breaks
// folding, shingling, banding or verification fails here.
const (
	precisionFloor = 0.97
	recallFloor    = 0.95
	ariFloor       = 0.95
)

func TestEvaluation(t *testing.T) {
	set := loadEvalSet(t, 1)
	got := evaluate(defaults, set.docs)
	base := pairScores(set.docs, baseline(set.docs))
	t.Logf("test half: %d docs in %d groups", len(set.docs), set.groups)
	if raceEnabled {
		t.Log("under -race: one trafilatura-eval page in eight")
	}
	t.Logf("copies:   %v", got)
	t.Logf("baseline: %v (SHA-256 of the normalised text)", base)
	labels, _, pairs := cluster(defaults, set.docs)
	t.Logf("recall by transformation: %v", recallByKind(set.docs, labels))
	t.Logf("pairs found directly (a band key in common and Verify), without chains: %s", directPairs(set.docs, pairs))
	for pair, n := range falseJoins(set.docs, labels) {
		t.Logf("joined wrongly: %s (%d)", pair, n)
	}
	if got.precision < precisionFloor || got.recall < recallFloor || got.ari < ariFloor {
		t.Errorf("test half: %v, want precision >= %.2f, recall >= %.2f, ARI >= %.2f", got, precisionFloor, recallFloor, ariFloor)
	}
	if base.recall >= got.recall {
		t.Errorf("baseline recall %.4f, not below copies' %.4f", base.recall, got.recall)
	}

	// The stretch: translations are different texts to Verify.
	tl, _, _ := cluster(defaults, set.translations)
	joined := 0
	for pair := range falseJoins(set.translations, tl) {
		joined++
		t.Logf("translations joined: %s", pair)
	}
	t.Logf("translations of the appeal: %d of %d pairs joined", joined, len(set.translations)*(len(set.translations)-1)/2)
}

// TestTune sweeps the parameters on the dev half (go test -run Tune
// -copies.tune). It asserts nothing: it is how doc.go's choices were made.
func TestTune(t *testing.T) {
	if !*tune {
		t.Skip("run with -copies.tune to sweep the parameters on the dev half")
	}
	set := loadEvalSet(t, 0)
	t.Logf("dev half: %d docs in %d groups; baseline %v", len(set.docs), set.groups, pairScores(set.docs, baseline(set.docs)))
	for _, w := range []int{3, 4, 5, 6, 7} {
		for _, br := range [][2]int{{32, 2}, {48, 2}, {20, 3}, {32, 3}, {64, 3}, {16, 4}} {
			for _, th := range []float64{0.3, 0.4, 0.5, 0.6, 0.7} {
				p := defaults
				p.shingle, p.bands, p.rows, p.threshold = w, br[0], br[1], th
				t.Logf("shingle %d bands %d rows %d threshold %.1f: %v", w, br[0], br[1], th, evaluate(p, set.docs))
			}
		}
	}
}
