// Command presswatch-bench runs presswatch's end-to-end measurements and
// writes them into BENCHMARKS.md: each figure with its spread over the
// runs, the baseline measured in the same run (or the published figure it
// is compared with), its target, the machine, and the command that
// reproduces it.
//
//	go run ./cmd/presswatch-bench                     # every section, 3 runs each
//	go run ./cmd/presswatch-bench -only poll,ingest   # some sections
//	go run ./cmd/presswatch-bench -scale 10000,100000 # article counts for memory and scale
//	go run ./cmd/presswatch-bench -list               # the sections
//
// Every network exchange stays on loopback: the feed farm listens on
// 127.0.0.0/8 and the configurations it writes name only its addresses.
//
// A section that fails, or a figure without a measured value or without
// the baseline it promises, stops the command before BENCHMARKS.md is
// touched: the file never gets a number that was not measured.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"presswatch/internal/corpus"
)

func sections() []Section {
	return []Section{
		qualitySection(),
		hotSection(),
		pollSection(),
		ingestSection(),
		ingestRealSection(),
		scaleSection(),
		loadSection(),
		memorySection(),
		crawl32Section(),
		revisitSection(),
		warcSection(),
		warcImportSection(),
		backfillSection(),
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "presswatch-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("presswatch-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		only  = fs.String("only", "", "run only these sections (comma-separated names; -list shows them)")
		runs  = fs.Int("runs", 3, "repeat each measurement this many `times` (at least 2, for a spread)")
		scale = fs.String("scale", "10000,100000", "article `counts` for the memory and scale sections")
		out   = fs.String("out", "BENCHMARKS.md", "the `file` to write the figures into")
		keep  = fs.Bool("keep", false, "keep the scratch folder (its path is printed)")
		reuse = fs.String("work", "", "use this scratch `folder` (one kept by -keep) instead of a new one, and keep it: the stores the scale and load sections filled there are reused")
		list  = fs.Bool("list", false, "list the sections and exit")
		dry   = fs.Bool("n", false, "print the report instead of writing it")
		prof  = fs.String("profile", "", "write a CPU profile of every presswatch crawl and serve into this `folder`; implies -n, since profiling costs CPU")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	all := sections()
	if *list {
		for _, s := range all {
			fmt.Fprintf(stdout, "%-8s %s\n", s.Key, s.Name)
		}
		return nil
	}
	if *runs < 2 {
		return fmt.Errorf("-runs %d: at least 2 runs are needed for a spread", *runs)
	}
	counts, err := parseCounts(*scale)
	if err != nil {
		return err
	}
	chosen, err := choose(all, *only)
	if err != nil {
		return err
	}
	dir, err := corpus.Find()
	if err != nil {
		return err
	}
	// go test runs each benchmark in its package's folder.
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}

	work, err := scratch(*reuse)
	if err != nil {
		return err
	}
	if *keep || *reuse != "" {
		fmt.Fprintln(stderr, "scratch folder:", work)
	} else {
		defer os.RemoveAll(work)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	bin := filepath.Join(work, "presswatch")
	log.Info("building presswatch", "binary", bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/presswatch")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building presswatch: %w", err)
	}
	m := describeMachine(ctx)
	env := &Env{Bin: bin, Work: work, Corpus: dir, Runs: *runs, Scale: counts, Log: log}
	if *prof != "" {
		*dry = true
		if env.Profiles, err = filepath.Abs(*prof); err != nil {
			return err
		}
		if err := os.MkdirAll(env.Profiles, 0o755); err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
	}

	var blocks []block
	for _, s := range chosen {
		log.Info("section", "name", s.Name)
		start := time.Now()
		figs, err := s.Run(ctx, env)
		if err == nil {
			err = check(s.Name, figs)
		}
		if err != nil {
			return fmt.Errorf("section %s: %w (BENCHMARKS.md left as it was)", s.Key, err)
		}
		blocks = append(blocks, block{Key: s.Key, Text: render(s, figs, m, env, time.Since(start))})
	}
	if *dry {
		for _, b := range blocks {
			fmt.Fprintln(stdout, b.Text)
		}
		return nil
	}
	old, err := os.ReadFile(*out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.WriteFile(*out, splice(old, blocks), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d sections into %s\n", len(blocks), *out)
	return nil
}

// scratch is the folder named by -work, which must exist, or a new one.
func scratch(reuse string) (string, error) {
	if reuse == "" {
		return os.MkdirTemp("", "presswatch-bench-")
	}
	if st, err := os.Stat(reuse); err != nil || !st.IsDir() {
		return "", fmt.Errorf("-work %s: not a folder a run of -keep left", reuse)
	}
	return filepath.Abs(reuse)
}

func parseCounts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 100 || n > 2_000_000 {
			return nil, fmt.Errorf("-scale %q: want article counts from 100 to 2,000,000, separated by commas", s)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func choose(all []Section, only string) ([]Section, error) {
	if only == "" {
		return all, nil
	}
	var out []Section
	for name := range strings.SplitSeq(only, ",") {
		i := slices.IndexFunc(all, func(s Section) bool { return s.Key == strings.TrimSpace(name) })
		if i < 0 {
			keys := make([]string, len(all))
			for j, s := range all {
				keys[j] = s.Key
			}
			return nil, fmt.Errorf("-only: no section %q (there are %s)", name, strings.Join(keys, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}
