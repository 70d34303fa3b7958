package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCheckRefusesUnmeasuredFigures(t *testing.T) {
	ok := Figure{Name: "a", Runs: []float64{1, 2}, Base: &Baseline{Name: "b", Runs: []float64{3, 4}}}
	if err := check("s", []Figure{ok}); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]Figure{
		"not measured":        {Name: "a"},
		"gave":                {Name: "a", Runs: []float64{1, math.NaN()}},
		"did not run":         {Name: "a", Runs: []float64{1}, Base: &Baseline{Name: "b"}},
		"ran 1 times":         {Name: "a", Runs: []float64{1, 2}, Base: &Baseline{Name: "b", Runs: []float64{1}}},
		"baseline \"b\" gave": {Name: "a", Runs: []float64{1}, Base: &Baseline{Name: "b", Runs: []float64{math.Inf(1)}}},
	} {
		err := check("s", []Figure{ok, f})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := check("s", nil); err == nil {
		t.Error("a section without figures passed")
	}
}

func TestMetAppliesTheTargetToEveryRun(t *testing.T) {
	f := Figure{Runs: []float64{9, 12}, Goal: &Target{Max: 11.55}}
	if f.Met() {
		t.Error("a run over the maximum met it")
	}
	f.Runs = []float64{9, 11}
	if !f.Met() {
		t.Error("runs under the maximum did not meet it")
	}
	f.Goal = &Target{Min: 0.8}
	f.Runs = []float64{0.9, 0.79}
	if f.Met() {
		t.Error("a run under the minimum met it")
	}
}

func TestSpread(t *testing.T) {
	for _, c := range []struct {
		runs []float64
		unit string
		want string
	}{
		{[]float64{3.2, 1.5, 2.25}, "s", "2.25 s (1.50–3.20, 3 runs)"},
		{[]float64{640, 610}, "articles/s", "625 articles/s (610–640, 2 runs)"},
		{[]float64{0.9312}, "", "0.931"},
	} {
		if got := spread(c.runs, c.unit); got != c.want {
			t.Errorf("spread(%v) = %q, want %q", c.runs, got, c.want)
		}
	}
}

func TestSpliceReplacesOnlyItsSections(t *testing.T) {
	m := machine{CPU: "2 cores", Memory: "1 GiB", Go: "go", Commit: "abc"}
	e := &Env{Runs: 2}
	figs := []Figure{{Name: "x", Unit: "s", Runs: []float64{1, 2}, Goal: &Target{Max: 1.5, Text: "at most 1.5 s"}}}
	one := block{Key: "one", Text: render(Section{Key: "one", Name: "One", Command: "cmd one"}, figs, m, e, time.Second)}
	two := block{Key: "two", Text: render(Section{Key: "two", Name: "Two", Command: "cmd two"}, figs, m, e, time.Second)}
	doc := "# Benchmarks\n\nIntro.\n\n## Earlier figures\n\nKept as written.\n"
	out := string(splice([]byte(doc), []block{one, two}))
	if !strings.Contains(out, "Kept as written.") || !strings.Contains(out, "Intro.") {
		t.Fatalf("hand-written text lost:\n%s", out)
	}
	if strings.Index(out, generatedHeading) > strings.Index(out, "## Earlier figures") ||
		strings.Index(out, "### One") > strings.Index(out, "### Two") ||
		strings.Index(out, "### Two") > strings.Index(out, "## Earlier figures") {
		t.Fatalf("sections out of place:\n%s", out)
	}
	if !strings.Contains(out, "| no |") || !strings.Contains(out, "Reproduce: `cmd one`") {
		t.Errorf("a missed target or the command is not shown:\n%s", out)
	}
	// Running one section again replaces it and nothing else.
	figs[0].Runs = []float64{1, 1.2}
	again := block{Key: "one", Text: render(Section{Key: "one", Name: "One", Command: "cmd one"}, figs, m, e, time.Second)}
	out2 := string(splice([]byte(out), []block{again}))
	if strings.Count(out2, "### One") != 1 || strings.Count(out2, "### Two") != 1 || !strings.Contains(out2, "1.10 s (1–1.20, 2 runs)") {
		t.Errorf("rerun:\n%s", out2)
	}
	if strings.Replace(out2, again.Text, one.Text, 1) != out {
		t.Errorf("a rerun changed more than its section")
	}
}
