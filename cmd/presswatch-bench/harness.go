package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
)

// A Figure is one measured quantity: a value per run, so that the report
// can give its spread, and, when it has one, the baseline measured in the
// same run and the target it is held to.
type Figure struct {
	Name  string    // what was measured, e.g. "304 pass, wall time"
	Unit  string    // "s", "articles/s", "MiB", "" for a ratio or a count
	Runs  []float64 // one value per run; never empty in a report
	Base  *Baseline // the baseline measured alongside, if any
	Goal  *Target   // the target, if any
	Notes string    // one line: how it was measured, or what it means
}

// A Baseline is what the same measurement gave for a reference: either
// measured in the same run (Runs), or a published or earlier figure
// (Anchor, with Source saying where it comes from).
type Baseline struct {
	Name   string    // "plain Bleve", "extraction alone", "Miniflux"
	Runs   []float64 // measured in the same runs, one per run
	Anchor float64   // a fixed, published figure when Runs is empty
	Source string    // where Anchor comes from
}

// A Target is a bound the figure must keep: Max (at most) or Min (at
// least), applied to the figure's worst run.
type Target struct {
	Min, Max float64
	Text     string // as written in the issue, e.g. "at most 1.5 × Miniflux's 7.7 s"
}

// Met reports whether every run keeps the target. With no target it is
// true.
func (f Figure) Met() bool {
	if f.Goal == nil {
		return true
	}
	for _, v := range f.Runs {
		if f.Goal.Max != 0 && v > f.Goal.Max {
			return false
		}
		if f.Goal.Min != 0 && v < f.Goal.Min {
			return false
		}
	}
	return true
}

// A Section is one group of measurements, run by the harness in turn.
type Section struct {
	Key     string // short name for -only: "poll", "ingest", ...
	Name    string // heading in BENCHMARKS.md
	Command string // how to rerun just this section
	Run     func(ctx context.Context, e *Env) ([]Figure, error)
}

// Env is what every section gets.
type Env struct {
	Bin    string // the presswatch binary, built for this run
	Work   string // a scratch folder for this run, removed afterwards
	Corpus string // the shared corpus folder
	Runs   int    // how many times to repeat each measurement
	Scale  []int  // article counts for the memory and scale sections
	Log    *slog.Logger

	// Profiles, when set, is a folder where each presswatch child writes
	// a CPU profile named after its command and a sequence number.
	Profiles string
	children atomic.Int64
}

// childEnv is the environment of a presswatch child running command:
// envWithoutProfile, with a profile of the child's own when e.Profiles is
// set.
func (e *Env) childEnv(command string) []string {
	env := envWithoutProfile()
	if e.Profiles != "" {
		n := e.children.Add(1)
		env = append(env, "PRESSWATCH_CPUPROFILE="+filepath.Join(e.Profiles, fmt.Sprintf("%s-%02d.pprof", command, n)))
	}
	return env
}

// check refuses figures that would put an unmeasured number in the
// report: no runs, a NaN or infinite value, or a same-run baseline with a
// different number of runs.
func check(section string, figs []Figure) error {
	if len(figs) == 0 {
		return fmt.Errorf("%s: no figures", section)
	}
	for _, f := range figs {
		if len(f.Runs) == 0 {
			return fmt.Errorf("%s: %s: not measured", section, f.Name)
		}
		bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
		if slices.ContainsFunc(f.Runs, bad) {
			return fmt.Errorf("%s: %s: a run gave %v", section, f.Name, f.Runs)
		}
		if b := f.Base; b != nil {
			if len(b.Runs) == 0 && b.Source == "" {
				return fmt.Errorf("%s: %s: baseline %q did not run", section, f.Name, b.Name)
			}
			if len(b.Runs) > 0 && len(b.Runs) != len(f.Runs) {
				return fmt.Errorf("%s: %s: baseline %q ran %d times, the figure %d", section, f.Name, b.Name, len(b.Runs), len(f.Runs))
			}
			if slices.ContainsFunc(b.Runs, bad) {
				return fmt.Errorf("%s: %s: baseline %q gave %v", section, f.Name, b.Name, b.Runs)
			}
		}
	}
	return nil
}

// spread writes runs as "median (min–max, n runs)", or the one value.
func spread(runs []float64, unit string) string {
	s := slices.Sorted(slices.Values(runs))
	u := ""
	if unit != "" {
		u = " " + unit
	}
	if len(s) == 1 {
		return num(s[0]) + u
	}
	return fmt.Sprintf("%s%s (%s–%s, %d runs)", num(median(s)), u, num(s[0]), num(s[len(s)-1]), len(s))
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// num prints v with three significant digits, without exponents.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 100 || v == math.Trunc(v):
		return strings.TrimSuffix(fmt.Sprintf("%.0f", v), ".")
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

// envWithoutProfile is the bench's environment without
// PRESSWATCH_CPUPROFILE, which would have every child profile itself into
// the same file.
func envWithoutProfile() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PRESSWATCH_CPUPROFILE=")
	})
}
