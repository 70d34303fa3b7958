package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"presswatch/internal/corpus"
)

// TestFarmSections runs the poll and ingest sections when asked, as
// PRESSWATCH_BENCH_FARM=poll,ingest,real,revisit,warc (the full farms; give
// -timeout 30m) or poll-small,ingest-small,real-small,revisit-small,warc-small
// (a few hosts, to check the wiring in a minute or two);
// PRESSWATCH_BENCH_RUNS sets the runs (default 2).
// They build presswatch and take minutes, so go test ./... skips them.
func TestFarmSections(t *testing.T) {
	which := os.Getenv("PRESSWATCH_BENCH_FARM")
	if which == "" {
		t.Skip("set PRESSWATCH_BENCH_FARM=poll,ingest (or poll-small,ingest-small) to run the farm sections")
	}
	dir := corpus.Dir(t)
	work := t.TempDir()
	bin := filepath.Join(work, "presswatch")
	build := exec.Command("go", "build", "-o", bin, "presswatch/cmd/presswatch")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	runs := 2
	if n, err := strconv.Atoi(os.Getenv("PRESSWATCH_BENCH_RUNS")); err == nil && n >= 2 {
		runs = n
	}
	e := &Env{Bin: bin, Work: work, Corpus: dir, Runs: runs, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	small := farmShape{hosts: 6, feeds: 2, items: 5, seed: 3}
	sections := map[string]func(context.Context, *Env) ([]Figure, error){
		"poll":   pollSection().Run,
		"ingest": ingestSection().Run,
		"real":   ingestRealSection().Run,
		"real-small": func(ctx context.Context, e *Env) ([]Figure, error) {
			shape, err := realShape(ctx, e, 2)
			if err != nil {
				return nil, err
			}
			return runIngest(ctx, e, shape)
		},
		"poll-small":    func(ctx context.Context, e *Env) ([]Figure, error) { return runPoll(ctx, e, small) },
		"ingest-small":  func(ctx context.Context, e *Env) ([]Figure, error) { return runIngest(ctx, e, small) },
		"revisit":       revisitSection().Run,
		"warc":          warcSection().Run,
		"revisit-small": func(ctx context.Context, e *Env) ([]Figure, error) { return runRevisit(ctx, e, small) },
		"warc-small":    func(ctx context.Context, e *Env) ([]Figure, error) { return runWARC(ctx, e, small) },
	}
	for _, name := range strings.Split(which, ",") {
		run := sections[name]
		if run == nil {
			t.Fatalf("no farm section %q", name)
		}
		figs, err := run(context.Background(), e)
		if err == nil {
			err = check(name, figs)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range figs {
			base := ""
			if f.Base != nil && len(f.Base.Runs) > 0 {
				base = fmt.Sprintf(" against %s %s", f.Base.Name, spread(f.Base.Runs, f.Unit))
			}
			t.Logf("%s: %s: %s%s (target met: %v) — %s", name, f.Name, spread(f.Runs, f.Unit), base, f.Met(), f.Notes)
		}
	}
}

func TestParallelCallsEachOnceAndStopsAtAnError(t *testing.T) {
	var calls [100]atomic.Int64
	if err := parallel(len(calls), func(i int) error { calls[i].Add(1); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range calls {
		if n := calls[i].Load(); n != 1 {
			t.Fatalf("fn(%d) called %d times, want once", i, n)
		}
	}
	var after atomic.Int64
	err := parallel(1000, func(i int) error {
		if i == 10 {
			return fmt.Errorf("page %d", i)
		}
		if i > 10+cpus() {
			after.Add(1)
		}
		return nil
	})
	if err == nil || err.Error() != "page 10" {
		t.Errorf("err = %v, want page 10's", err)
	}
	if n := after.Load(); n > 100 {
		t.Errorf("%d calls went on after the error", n)
	}
}

func TestPlainAloneExtractsEveryPage(t *testing.T) {
	article := []byte(`<html><head><title>A</title></head><body><article><h1>A</h1><p>` +
		strings.Repeat("A sentence of a news article, long enough to be one. ", 30) + `</p></article></body></html>`)
	pages := []farmPage{
		{url: "http://127.0.0.1/a", ctype: "text/html", body: article},
		{url: "http://127.0.0.1/empty", ctype: "text/html", body: []byte("<html><body></body></html>")},
	}
	rate, cpu, err := plainAlone(pages)
	if err != nil || rate <= 0 || cpu < 0 {
		t.Fatalf("plainAlone = %v pages/s, %v CPU, %v; want a rate, and no error for a page without text", rate, cpu, err)
	}
	pages = append(pages, farmPage{url: "http://127.0.0.1/%zz", ctype: "text/html", body: article})
	if _, _, err := plainAlone(pages); err == nil || !strings.Contains(err.Error(), "%zz") {
		t.Errorf("plainAlone with a URL that does not parse: %v, want an error naming it", err)
	}
}
