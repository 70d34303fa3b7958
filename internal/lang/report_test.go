package lang_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"presswatch/internal/corpus"
	"presswatch/internal/quality"
)

// Floors for quality.Languages on the lingua test sentences of the nine
// deployed languages, about 0.01 below what was measured (low-accuracy
// mode, go1.26, lingua-go v1.4.0):
//
//	sentences: 0.984 (8,852 of 9,000; about 3,200 a second): ru 0.959
//	           (uk 24, no answer 14), kk 0.998, en 0.984, de 0.998,
//	           fr 0.988, es 0.960 (pt 24), it 0.997, pl 0.998, pt 0.970
//	           (es 18); Kazakh as ru or mn: 0 of 1,000
//	short (first 3-6 words): 0.862 (7,758 of 9,000): ru 0.888,
//	           kk 0.946, en 0.834, de 0.945, fr 0.859, es 0.684 (pt 125,
//	           it 61), it 0.892, pl 0.952, pt 0.758 (es 80); about 4 % of
//	           them get no answer (under ten letters); Kazakh as ru or
//	           mn: 13 of 1,000 (1.3 %)
const (
	sentenceFloor = 0.97
	shortFloor    = 0.85
	// kazakhCeiling is the largest share of Kazakh texts that may be
	// labelled Russian or Mongolian (issue 5 asks it of sentences; it
	// holds for the short texts too).
	kazakhCeiling = 0.03
)

// TestLanguageReport measures language identification on sentences and on
// headline-length texts with quality.Languages, asserts the floors, and
// writes the misses to $PRESSWATCH_MISSES/lang-misses.jsonl when that
// names a folder. About 3 s; skipped in -short mode and under -race.
func TestLanguageReport(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("corpus test skipped in -short mode and under -race")
	}
	rep, err := quality.Languages(context.Background(), corpus.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []*quality.LangRow{&rep.Sentences, &rep.Short} {
		t.Logf("%s: accuracy %.3f (%d of %d), %.0f texts/s, Kazakh as ru or mn: %d (%.1f %%)",
			row.Kind, row.Accuracy, row.Right, row.Texts, row.TextsPerSec, row.KazakhAsRuMn, 100*row.KazakhAsRuMnShare)
		for _, code := range quality.DeployedLanguages {
			t.Logf("  %s %.3f%s", code, row.LangAccuracy(code), confusions(row.Confusion[code]))
		}
	}
	if dir := os.Getenv("PRESSWATCH_MISSES"); dir != "" {
		path := filepath.Join(dir, "lang-misses.jsonl")
		if err := rep.WriteMisses(path); err != nil {
			t.Fatal(err)
		}
		t.Logf("misses written to %s", path)
	}
	for _, row := range []*quality.LangRow{&rep.Sentences, &rep.Short} {
		if s := row.KazakhAsRuMnShare; s > kazakhCeiling {
			t.Errorf("%s: Kazakh labelled ru or mn: %.3f, want <= %.2f", row.Kind, s, kazakhCeiling)
		}
	}
	if a := rep.Sentences.Accuracy; a < sentenceFloor {
		t.Errorf("sentence accuracy %.3f, want >= %.3f", a, sentenceFloor)
	}
	if a := rep.Short.Accuracy; a < shortFloor {
		t.Errorf("short-text accuracy %.3f, want >= %.3f", a, shortFloor)
	}
}

// confusions lists the labels a language's texts got instead of its own,
// most frequent first: ` uk:24 "":14`.
func confusions(m map[string]int) string {
	labels := make([]string, 0, len(m))
	for l := range m {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if m[labels[i]] != m[labels[j]] {
			return m[labels[i]] > m[labels[j]]
		}
		return labels[i] < labels[j]
	})
	var b strings.Builder
	for _, l := range labels {
		name := l
		if name == "" {
			name = `""`
		}
		fmt.Fprintf(&b, " %s:%d", name, m[l])
	}
	return b.String()
}
