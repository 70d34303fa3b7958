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
	"time"

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

// runQuality measures extraction once, its CPU time in e.Runs rounds (its
// scores are the same every round), and dates and languages once (their
// figures are the same every run). Each writes its misses into missesDir.
func runQuality(ctx context.Context, e *Env) ([]Figure, error) {
	dir := missesDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	text, err := quality.Text(ctx, e.Corpus, quality.TextOptions{Workers: workers, Rounds: e.Runs})
	if err != nil {
		return nil, err
	}
	e.Log.Info("text extraction", "f1_test", text.Presswatch.Scores[quality.Test].F1,
		"plain_f1_test", text.Plain.Scores[quality.Test].F1, "cpu", text.Presswatch.MedianCPU(), "plain_cpu", text.Plain.MedianCPU())
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
	figs := append(textFigures(text, workers, textMisses), dateFigures(dates, dateMisses)...)
	return append(figs, []Figure{
		{Name: "language, sentences: accuracy", Runs: one(langs.Sentences.Accuracy),
			Notes: fmt.Sprintf("%d sentences of lingua-sentences in the nine deployed languages: %s. Misses: %s", langs.Sentences.Texts, perLang(&langs.Sentences), langMisses)},
		{Name: "language, sentences: Kazakh taken for Russian or Mongolian", Runs: one(langs.Sentences.KazakhAsRuMnShare),
			Goal: &Target{Max: 0.03, Text: "at most 3 %"}},
		{Name: "language, short texts (3–6 words): accuracy", Runs: one(langs.Short.Accuracy),
			Notes: fmt.Sprintf("each sentence's first words, as headlines are: %s", perLang(&langs.Short))},
		{Name: "language, short texts: Kazakh taken for Russian or Mongolian", Runs: one(langs.Short.KazakhAsRuMnShare),
			Goal: &Target{Max: 0.03, Text: "at most 3 %"}},
	}...), nil
}

// dateFigures are the publication day's figures: accuracy to the day on
// each half beside plain go-htmldate in the same run, with presswatch's
// misses by kind.
func dateFigures(dates *quality.DateReport, misses string) []Figure {
	one := func(v float64) []float64 { return []float64{v} }
	acc := func(h quality.Half) Figure {
		pw, base := dates.Presswatch.Scores[h], dates.HTMLDate.Scores[h]
		return Figure{Name: fmt.Sprintf("publication date: accuracy to the day, %s half", h), Runs: one(pw.Accuracy),
			Base: &Baseline{Name: dates.HTMLDate.Name, Runs: one(base.Accuracy)},
			Notes: fmt.Sprintf("%d of %d pages of htmldate-eval (default set) right, go-htmldate %d, the same every run; presswatch's misses: %s",
				pw.Right, pw.Pages, base.Right, dates.Kinds[h])}
	}
	test := acc(quality.Test)
	test.Goal = &Target{Min: 0.92, Text: "at least 0.92, ahead of htmldate's published 0.903"}
	all := acc(quality.All)
	all.Notes += fmt.Sprintf(". Found by: %s. Published on all pages: htmldate (Python, extensive) 0.903, newspaper and news-please 0.68. Dev half's misses: %s",
		dateCounts(dates.BySource), misses)
	return []Figure{test, acc(quality.Dev), all}
}

// textFigures are the main text's figures: F1 on each half beside plain
// go-trafilatura (and with its fallback, in the notes), and the CPU time
// per page of each, with the ratios round by round.
func textFigures(text *quality.TextReport, workers int, misses string) []Figure {
	one := func(v float64) []float64 { return []float64{v} }
	pw, plain, fb := &text.Presswatch, &text.Plain, &text.Fallback
	f1 := func(h quality.Half) Figure {
		name := "main text: F1, " + h.String() + " half"
		if h == quality.All {
			name = "main text: F1, all pages"
		}
		return Figure{Name: name, Runs: one(pw.Scores[h].F1),
			Base: &Baseline{Name: "go-trafilatura", Runs: one(plain.Scores[h].F1)},
			Notes: fmt.Sprintf("%d pages; go-trafilatura with its fallback %.3f (precision %.3f, recall %.3f); presswatch precision %.3f, recall %.3f",
				text.Count[h], fb.Scores[h].F1, fb.Scores[h].Precision, fb.Scores[h].Recall, pw.Scores[h].Precision, pw.Scores[h].Recall)}
	}
	ms := func(x *quality.Extraction) []float64 {
		v := make([]float64, len(x.CPU))
		for i, c := range x.CPU {
			v[i] = float64(c.PerPage) / float64(time.Millisecond)
		}
		return v
	}
	ratios := func(base *quality.Extraction) []float64 {
		v := make([]float64, len(pw.CPU))
		for i := range pw.CPU {
			v[i] = float64(pw.CPU[i].PerPage) / float64(base.CPU[i].PerPage)
		}
		return v
	}
	test := f1(quality.Test)
	test.Goal = &Target{Min: plain.Scores[quality.Test].F1, Text: "at least plain go-trafilatura's, same run"}
	all := f1(quality.All)
	all.Notes += ". Published on all pages: trafilatura 2.2.0 0.924, go-trafilatura 0.904 (0.915 with fallback), go-readability 0.881"
	return []Figure{
		test,
		f1(quality.Dev),
		all,
		{Name: "main text: CPU per page", Unit: "ms", Runs: ms(pw),
			Base: &Baseline{Name: "go-trafilatura", Runs: ms(plain)},
			Notes: fmt.Sprintf("the process's user + system time over a round of the %d pages ÷ pages, garbage collection included, %d workers; each round runs the three extractors one after the other over the same decoded pages, the order turning every round; go-trafilatura with its fallback: %s ms; extractors chosen: %s. Dev half's misses: %s",
				text.Pages, workers, spread(ms(fb), ""), counts(text.Extractors), misses)},
		{Name: "main text: CPU against go-trafilatura with its fallback", Runs: ratios(fb),
			Goal:  &Target{Max: 1.2, Text: "at most 1.2 times"},
			Notes: "presswatch's CPU per page over go-trafilatura's (fallback on: go-readability and go-domdistiller, extensive date search) in the same round"},
		{Name: "main text: CPU against plain go-trafilatura", Runs: ratios(plain),
			Goal:  &Target{Max: 1.2, Text: "at most 1.2 times"},
			Notes: "the same over go-trafilatura's default options (no fallback, fast date search): the comparison issue 15 sets, the library a user would otherwise run"},
	}
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
