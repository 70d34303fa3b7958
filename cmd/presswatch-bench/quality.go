package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"presswatch/internal/quality"
)

func qualitySection() Section {
	return Section{
		Key:     "quality",
		Name:    "Quality against published anchors: main text, publication dates, language",
		Command: "go run ./cmd/presswatch-bench -only quality  # or: go test ./internal/quality ./internal/lang -v",
		Run:     runQuality,
	}
}

// missesDir is where the quality section leaves its per-page misses.
func missesDir() string { return filepath.Join(os.TempDir(), "presswatch-misses") }

// runQuality measures extraction e.Runs times (its speed varies; the
// scores do not), and dates and languages once (their figures are the
// same every run). Each writes its misses into missesDir.
func runQuality(ctx context.Context, e *Env) ([]Figure, error) {
	dir := missesDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	var f1, baseF1, prec, rec, speed, ratio []float64
	var text *quality.TextReport
	for r := range e.Runs {
		rep, err := quality.Text(ctx, e.Corpus, workers)
		if err != nil {
			return nil, err
		}
		if rep.Baseline.PagesPerSec == 0 {
			return nil, fmt.Errorf("the go-trafilatura baseline did not run")
		}
		e.Log.Info("text extraction", "run", r+1, "f1", rep.F1, "baseline_f1", rep.Baseline.F1, "speed_ratio", rep.SpeedRatio())
		f1, baseF1 = append(f1, rep.F1), append(baseF1, rep.Baseline.F1)
		prec, rec = append(prec, rep.Precision), append(rec, rep.Recall)
		speed, ratio = append(speed, rep.PagesPerSec), append(ratio, rep.SpeedRatio())
		text = rep
	}
	textMisses := filepath.Join(dir, "text-misses.jsonl")
	if err := text.WriteMisses(textMisses); err != nil {
		return nil, err
	}
	dates, err := quality.Dates(ctx, e.Corpus, workers)
	if err != nil {
		return nil, err
	}
	dateMisses := filepath.Join(dir, "date-misses.jsonl")
	if err := dates.WriteMisses(dateMisses); err != nil {
		return nil, err
	}
	langs, err := quality.Languages(ctx, e.Corpus)
	if err != nil {
		return nil, err
	}
	langMisses := filepath.Join(dir, "lang-misses.jsonl")
	if err := langs.WriteMisses(langMisses); err != nil {
		return nil, err
	}
	one := func(v float64) []float64 { return []float64{v} }
	return []Figure{
		{Name: "main text: F1", Runs: f1, Goal: &Target{Min: 0.93, Text: "at least 0.93, above trafilatura 2.2.0 (0.924, published)"},
			Base: &Baseline{Name: "go-trafilatura, fallback on", Runs: baseF1},
			Notes: fmt.Sprintf("%d pages of trafilatura-eval, scored as that project does (with / without segments); each page through fetch.DecodeHTML and extract.Page as in a crawl. Published: trafilatura 2.2.0 0.924, go-trafilatura 0.904 (0.915 with fallback), go-readability 0.881. Misses: %s",
				text.Pages, textMisses)},
		{Name: "main text: precision", Runs: prec},
		{Name: "main text: recall", Runs: rec},
		{Name: "main text: pages/s", Unit: "pages/s", Runs: speed,
			Notes: fmt.Sprintf("summed time in decoding and extraction, %d workers; extractors chosen: %s", workers, counts(text.Extractors))},
		{Name: "main text: speed against go-trafilatura", Runs: ratio, Goal: &Target{Min: 0.5, Text: "at least half of go-trafilatura's"},
			Notes: "pages/s of presswatch over plain go-trafilatura's, each page through both in turn on the same worker"},
		{Name: "publication date: accuracy to the day", Runs: one(dates.Accuracy), Goal: &Target{Min: 0.92, Text: "at least 0.92"},
			Base: &Baseline{Name: "htmldate, extensive", Anchor: 0.903, Source: "published; newspaper and news-please 0.68"},
			Notes: fmt.Sprintf("%d of %d pages of htmldate-eval (default set), the same every run; found by: %s. Misses: %s",
				dates.Right, dates.Pages, dateCounts(dates.BySource), dateMisses)},
		{Name: "language, sentences: accuracy", Runs: one(langs.Sentences.Accuracy),
			Notes: fmt.Sprintf("%d sentences of lingua-sentences in the nine deployed languages: %s. Misses: %s", langs.Sentences.Texts, perLang(&langs.Sentences), langMisses)},
		{Name: "language, sentences: Kazakh taken for Russian or Mongolian", Runs: one(langs.Sentences.KazakhAsRuMnShare),
			Goal: &Target{Max: 0.03, Text: "at most 3 %"}},
		{Name: "language, short texts (3–6 words): accuracy", Runs: one(langs.Short.Accuracy),
			Notes: fmt.Sprintf("each sentence's first words, as headlines are: %s", perLang(&langs.Short))},
		{Name: "language, short texts: Kazakh taken for Russian or Mongolian", Runs: one(langs.Short.KazakhAsRuMnShare),
			Goal: &Target{Max: 0.03, Text: "at most 3 %"}},
	}, nil
}

func counts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func dateCounts(m map[string]quality.Count) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d of %d right", k, m[k].Right, m[k].Total))
	}
	return strings.Join(parts, ", ")
}

func perLang(r *quality.LangRow) string {
	parts := make([]string, len(quality.DeployedLanguages))
	for i, l := range quality.DeployedLanguages {
		parts[i] = fmt.Sprintf("%s %.3f", l, r.LangAccuracy(l))
	}
	return strings.Join(parts, ", ")
}
