package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The hot paths are measured by the packages' own `go test -bench`
// benchmarks, each of which runs presswatch and its baseline side by side
// in one process; this section runs them -count e.Runs times and reports
// what they printed.

func hotSection() Section {
	return Section{
		Key:     "hot",
		Name:    "Hot paths: feed parsing, page extraction, indexing and the search page, each against its baseline",
		Command: "go run ./cmd/presswatch-bench -only hot",
		Run:     runHot,
	}
}

// A hotBench is one `go test -bench` invocation.
type hotBench struct {
	pkg, pattern, benchtime string
	env                     []string
}

var hotBenches = []hotBench{
	{pkg: "./crawler/parse", pattern: "^BenchmarkFeed$"},
	{pkg: "./crawler/extract", pattern: "^BenchmarkPage$"},
	{pkg: "./index", pattern: "^BenchmarkIndexing$", benchtime: "1x"},
	{pkg: "./index", pattern: "^BenchmarkSearchPage$/^(presswatch|plain)$", benchtime: "400x", env: []string{"PRESSWATCH_BENCH_N=10000"}},
}

// benchResult is one result line of `go test -bench`: the benchmark's
// name without the GOMAXPROCS suffix, and its metrics by unit.
type benchResult struct {
	name    string
	metrics map[string]float64
}

var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parseBench reads the result lines of `go test -bench` output.
func parseBench(out string) []benchResult {
	var rs []benchResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		f := strings.Fields(m[2])
		r := benchResult{name: m[1], metrics: map[string]float64{}}
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				r.metrics[f[i+1]] = v
			}
		}
		rs = append(rs, r)
	}
	return rs
}

// collect gathers, in run order, the values of one metric of one
// benchmark; it fails unless there is one per run.
func collect(rs []benchResult, name, unit string, runs int) ([]float64, error) {
	var vs []float64
	for _, r := range rs {
		if r.name != name {
			continue
		}
		v, ok := r.metrics[unit]
		if !ok {
			return nil, fmt.Errorf("benchmark %s printed no %s", name, unit)
		}
		vs = append(vs, v)
	}
	if len(vs) != runs {
		return nil, fmt.Errorf("benchmark %s: %d results of %s, want one per run (%d)", name, len(vs), unit, runs)
	}
	return vs, nil
}

func runHot(ctx context.Context, e *Env) ([]Figure, error) {
	var (
		rs   []benchResult
		logs []string
	)
	for _, hb := range hotBenches {
		args := []string{"test", "-run", "^$", "-bench", hb.pattern, "-count", strconv.Itoa(e.Runs), "-timeout", "60m"}
		if hb.benchtime != "" {
			args = append(args, "-benchtime", hb.benchtime)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, hb.pkg)...)
		cmd.Env = append(append(envWithoutProfile(), "PRESSWATCH_CORPUS="+e.Corpus), hb.env...)
		e.Log.Info("go test -bench", "package", hb.pkg, "bench", hb.pattern)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, tail(stdout.String()+stderr.String()))
		}
		// Only stdout: what a benchmark writes to stderr could land
		// inside a result line.
		rs = append(rs, parseBench(stdout.String())...)
		logs = append(logs, stdout.String())
	}
	// A missing result is reported with what go test printed, where a
	// skipped benchmark says why.
	results := func(name, unit string) ([]float64, error) {
		vs, err := collect(rs, name, unit, e.Runs)
		if err != nil {
			return nil, fmt.Errorf("%w; go test printed: %s", err, tail(strings.Join(logs, "\n")))
		}
		return vs, nil
	}
	ms := func(ns []float64) []float64 {
		out := make([]float64, len(ns))
		for i, v := range ns {
			out[i] = v / 1e6
		}
		return out
	}
	pair := func(name, unit, base string) ([]float64, []float64, error) {
		a, err := results(name+"/presswatch", unit)
		if err != nil {
			return nil, nil, err
		}
		b, err := results(name+"/"+base, unit)
		return a, b, err
	}
	var figs []Figure

	pw, gf, err := pair("Feed", "ns/op", "gofeed")
	if err != nil {
		return nil, err
	}
	figs = append(figs, Figure{Name: "parse a 50-item RSS feed", Unit: "ms", Runs: ms(pw),
		Base:  &Baseline{Name: "gofeed alone", Runs: ms(gf)},
		Notes: "BenchmarkFeed (crawler/parse): parse.Feed, which builds on gofeed and adds dates, links and sanitised summaries, against gofeed's Parse on the same bytes"})

	for i, page := range []string{"football.ua.podolski.html", "lastampa.it.temperature.html", "energetyka24.com.gaz.html"} {
		pw, gt, err := pair("Page/"+page, "ns/op", "go-trafilatura")
		if err != nil {
			return nil, err
		}
		f := Figure{Name: "extract " + page, Unit: "ms", Runs: ms(pw), Base: &Baseline{Name: "plain go-trafilatura (fallback on)", Runs: ms(gt)}}
		if i == 0 {
			f.Notes = "BenchmarkPage (crawler/extract), three real news pages: extract.Page, the crawler's whole extraction (trafilatura, its fallbacks only when its text is under 500 letters, dates, language, cleanup), against one go-trafilatura run on the same page; the quality section gives the ratio over 990 pages"
		}
		figs = append(figs, f)
	}

	pw, pl, err := pair("Indexing", "articles/s", "plain")
	if err != nil {
		return nil, err
	}
	ratio := make([]float64, len(pw))
	for i := range pw {
		ratio[i] = pw[i] / pl[i]
	}
	figs = append(figs,
		Figure{Name: "indexing 5,000 articles", Unit: "articles/s", Runs: pw,
			Base:  &Baseline{Name: "plain Bleve (standard analyzer, dynamic mapping)", Runs: pl},
			Notes: "BenchmarkIndexing (index): batches of 500 generated articles (5.2 KB of text on average) into a new on-disk index, until Bleve's persister and merger have caught up, both with the Go runtime's defaults (no soft memory limit, under which presswatch does not cut a Put's batch by its text: see index's batchTextBound); presswatch indexes each text three times (its language's analyzer, the fold of every spelling, the words as written)"},
		Figure{Name: "indexing: presswatch ÷ plain Bleve", Runs: ratio, Goal: &Target{Min: 0.5, Text: "at least half the plain rate"}})

	pw, pl, err = pair("SearchPage", "p95-ms", "plain")
	if err != nil {
		return nil, err
	}
	matches, err := results("SearchPage/presswatch", "matches/op")
	if err != nil {
		return nil, err
	}
	plainMatches, err := results("SearchPage/plain", "matches/op")
	if err != nil {
		return nil, err
	}
	figs = append(figs,
		Figure{Name: "search page at 10k, p95", Unit: "ms", Runs: pw,
			Base: &Baseline{Name: "plain Bleve, same request built by hand", Runs: pl},
			Notes: fmt.Sprintf("BenchmarkSearchPage (index, PRESSWATCH_BENCH_N=10000): 400 requests cycling through 20 queries, each with 20 highlighted hits, three term facets and the timeline; presswatch matches %.0f articles a query on average where plain Bleve matches %.0f, since it finds every spelling",
				median(slices.Sorted(slices.Values(matches))), median(slices.Sorted(slices.Values(plainMatches))))})
	return figs, nil
}
