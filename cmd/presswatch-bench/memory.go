package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"presswatch/internal/config"
	"presswatch/internal/memstat"
	"presswatch/internal/store"
)

// memCounts are the article counts at which the long crawl and the long
// serve are sampled, in one process each.
var memCounts = []int{1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000}

// memShape is the farm of the long runs: 100,000 items, 1,000 feeds on
// 100 hosts. It serves tiny article pages (a title and a short
// paragraph): what stays per article (store, index, topic matching) is
// what the long runs measure, and on two shared cores a full page's
// extraction would make each run take hours.
var memShape = farmShape{hosts: 100, feeds: 10, items: 100, seed: 5}

// memCrawlSetting is the crawl configuration of the long runs.
var memCrawlSetting = config.Crawl{Workers: 32, PerHost: 1, MinDelay: 2 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

// smallShape and smallCrawl are the crawl of issue 14's memory finding:
// 4,000 articles from 200 feeds on 20 hosts, workers 32, min_delay
// 250 ms. It is a section of its own (crawl32): run beside the long runs
// on two cores, each of its runs waited for the cores they held.
var (
	smallShape = farmShape{hosts: 20, feeds: 10, items: 20, seed: 6}
	smallCrawl = config.Crawl{Workers: 32, PerHost: 1, MinDelay: 250 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}
)

func crawl32Section() Section {
	return Section{
		Key:     "crawl32",
		Name:    "The 32-worker crawl of 4,000 articles: CPU per article and the collector's share with the default memory limit",
		Command: "go run ./cmd/presswatch-bench -only crawl32",
		Run: func(ctx context.Context, e *Env) ([]Figure, error) {
			dir := filepath.Join(e.Work, "crawl32")
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
			start := loadAverage()
			figs, err := smallCrawls(ctx, e, dir)
			if err != nil {
				return nil, err
			}
			figs[0].Notes += fmt.Sprintf("; load average (1, 5, 15 min) at the section's start %s, at its end %s", start, loadAverage())
			return figs, nil
		},
	}
}

func memorySection() Section {
	return Section{
		Key:     "memory",
		Name:    "Memory that stays flat: live heap and RSS of crawl and serve as one process ingests, and the CPU of a 32-worker crawl",
		Command: "go run ./cmd/presswatch-bench -only memory",
		Run:     runMemory,
	}
}

// runMemory runs, at once, one `presswatch crawl` of the 100k farm, one
// `presswatch serve` ingesting a farm of the same shape into a fresh
// folder, each sampled as it passes memCounts. Run apart they would take hours on two
// shared cores; what they measure (memory, CPU time) does not depend on
// sharing them. Every child runs with the default memory limit and
// GODEBUG=gctrace=1, whose lines give the live heap each collection left.
func runMemory(ctx context.Context, e *Env) ([]Figure, error) {
	start := loadAverage()
	dir := filepath.Join(e.Work, "memory")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	commands := []string{"crawl", "serve"}
	runs := make([]*traced, len(commands))
	errs := make([]error, len(commands))
	var wg sync.WaitGroup
	for i, cmd := range commands {
		wg.Go(func() { runs[i], errs[i] = longMemRun(ctx, e, filepath.Join(dir, cmd), cmd) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("the long %s: %w", commands[i], err)
		}
	}
	var figs []Figure
	for i, cmd := range commands {
		figs = append(figs, runs[i].figures(cmd)...)
	}
	figs[0].Notes += fmt.Sprintf(". The long crawl and the long serve ran at the same time, each against its own farm. Load average (1, 5, 15 min) at the section's start %s, at its end %s; other work may share the 2 cores", start, loadAverage())
	return figs, nil
}

// longMemRun starts a farm of memShape and runs command on it into
// the fresh folder data.
func longMemRun(ctx context.Context, e *Env, data, command string) (*traced, error) {
	fm, err := memShape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	fm.SetTinyPages(true)
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(data, "farm.yaml")
	if err := writeTopicConfig(fm, cfg, memCrawlSetting); err != nil {
		return nil, err
	}
	if err := longRunConfig(cfg); err != nil {
		return nil, err
	}
	e.Log.Info("memory: a long "+command, "articles", memCounts[len(memCounts)-1])
	return longRun(ctx, e, command, cfg, data)
}

// traced is a presswatch child run with GODEBUG=gctrace=1.
type traced struct {
	samples []heapAt
	mem     memory
	wall    time.Duration
	cpu     time.Duration
	trace   *heapTrace
	stored  int // articles the child reported new (crawl), or the farm served (serve)
}

// heapAt is what a child held once it had ingested count articles.
type heapAt struct {
	count            int
	live, anon, peak float64 // MiB
	at               time.Duration
	before           bool // the child ended first: the last collection before the count
	stopped          bool // the time budget or the child's end stopped the run: count is what it had stored
	ended            bool // the child ended by itself
}

// tracedEnv is a child's environment for command with the runtime's
// collection trace on and the default memory limit (no GOMEMLIMIT).
func tracedEnv(e *Env, command string) []string {
	env := slices.DeleteFunc(e.childEnv(command), func(kv string) bool {
		return strings.HasPrefix(kv, "GOMEMLIMIT=") || strings.HasPrefix(kv, "GODEBUG=") || strings.HasPrefix(kv, "GOGC=")
	})
	return append(env, "GODEBUG=gctrace=1")
}

// memBudget bounds each long run: on shared cores 100k articles can take
// hours. A run stopped by it reports the counts it passed and what it held
// when stopped.
const memBudget = 42 * time.Minute

// longRunConfig lets a long run go on: each source's run may take two
// hours (the default 10 minutes ended a 1,000-feed crawl at 18k articles
// on shared cores), and serve polls every source each minute, not each
// hour, so a source whose run its budget cut short goes on soon.
func longRunConfig(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := strings.Replace(string(b), "crawl:\n", "crawl:\n  run_budget: 2h\n", 1)
	s = strings.ReplaceAll(s, "every: 1h,", "every: 1m,")
	if _, err := config.Parse([]byte(s), path); err != nil {
		return fmt.Errorf("the long run's configuration: %w", err)
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

// longRun runs command (crawl or serve) on the farm until the store holds
// memCounts' last count of articles or memBudget has passed, sampling at
// each count.
func longRun(ctx context.Context, e *Env, command, cfg, data string) (*traced, error) {
	ctx, cancel := context.WithTimeout(ctx, memBudget+10*time.Minute)
	defer cancel()
	db := filepath.Join(data, "presswatch.db")
	st, err := store.Open(ctx, db) // made and migrated before the child opens it
	if err != nil {
		return nil, err
	}
	defer st.Close()
	stored := func() int64 {
		c, err := st.Counts(ctx)
		if err != nil {
			return 0
		}
		return int64(c.Articles)
	}
	args := []string{command, "--config", cfg, "--data", data, "--log-level", "warn"}
	switch command {
	case "serve":
		args = append(args, "--addr", "127.0.0.1:0")
	case "crawl":
		// The crawl's own --max-time (30 minutes by default) would end
		// it before the budget does: 64,650 articles at 30m10s.
		args = append(args, "--max-time", (memBudget + time.Minute).String())
	}
	cmd := e.presswatch(ctx, tracedEnv(e, command), syscall.SIGTERM, time.Minute, args...)
	tr := &heapTrace{}
	t := &traced{trace: tr}
	start := time.Now()
	var mem *memWatch
	if command == "serve" {
		if _, mem, err = startServe(ctx, cmd, tr); err != nil {
			return nil, err
		}
	} else {
		cmd.Stderr = tr
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		mem = watchMemory(cmd.Process.Pid)
	}
	bctx, bcancel := context.WithTimeout(ctx, memBudget)
	samples, serr := sampleAt(bctx, cmd.Process.Pid, tr, stored, memCounts, start, exited(cmd.Process.Pid))
	bcancel()
	for _, s := range samples {
		e.Log.Info("memory: sampled "+command, "articles", s.count, "live_mib", s.live, "private_mib", s.anon, "peak_mib", s.peak, "after", s.at.Round(time.Second), "stopped", s.stopped)
	}
	t.samples = samples
	if command == "serve" || (len(samples) > 0 && samples[len(samples)-1].stopped) {
		cmd.Process.Signal(syscall.SIGTERM)
	}
	m, err := finish(cmd, mem, tr.String)
	var exit *exec.ExitError
	if stopped := len(samples) > 0 && samples[len(samples)-1].stopped; stopped && errors.As(err, &exit) && exit.ExitCode() == 130 {
		// A crawl stopped by the budget says it was interrupted (130)
		// after printing its peak.
		if p := peakLine.FindStringSubmatch(tr.String()); p != nil {
			v, _ := strconv.ParseFloat(p[1], 64)
			m.Peak, err = max(m.Peak, v), nil
		}
	}
	t.wall, t.mem = time.Since(start), m
	if serr != nil {
		return nil, fmt.Errorf("%w: %s", serr, tail(tr.String()))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, tail(tr.String()))
	}
	t.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	t.stored = int(stored())
	return t, nil
}

// sampleAt watches ingested until it reaches each of counts in turn,
// then waits for the child's next collection and takes the live heap it
// left, the private memory and the high-water mark. When ctx ends first
// (the time budget), the last sample is what the child held then, marked
// stopped. A child that ends (gone is closed) before the collection after
// the last count leaves that count the last collection it made and the
// last memory read.
func sampleAt(ctx context.Context, pid int, tr *heapTrace, ingested func() int64, counts []int, start time.Time, gone <-chan struct{}) ([]heapAt, error) {
	var out []heapAt
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last memstat.Status
	read := func() {
		if st, err := memstat.Read(pid); err == nil && st.Anon > 0 {
			last = st
		}
	}
	for i, c := range counts {
		for ingested() < int64(c) {
			select {
			case <-ctx.Done():
				read()
				_, live, _ := tr.last()
				if last.Anon == 0 {
					return out, fmt.Errorf("%d of %d articles ingested when the time budget ran out", ingested(), c)
				}
				return append(out, heapAt{count: int(ingested()), live: live, anon: last.Anon, peak: last.Peak, at: time.Since(start), stopped: true}), nil
			case <-gone:
				// A crawl ends when every source's run has: what it
				// reached is its last sample.
				_, live, _ := tr.last()
				if last.Anon == 0 {
					return out, fmt.Errorf("the child ended with %d of %d articles ingested", ingested(), c)
				}
				return append(out, heapAt{count: int(ingested()), live: live, anon: last.Anon, peak: last.Peak, at: time.Since(start), stopped: true, ended: true}), nil
			case <-tick.C:
			}
		}
		at := time.Since(start)
		g0, _, _ := tr.last()
		for {
			read()
			if g, live, _ := tr.last(); g > g0 && last.Anon > 0 {
				out = append(out, heapAt{count: c, live: live, anon: last.Anon, peak: last.Peak, at: at})
				break
			}
			select {
			case <-ctx.Done():
				return out, fmt.Errorf("no collection after %d articles before the time budget ran out", c)
			case <-gone:
				if g, live, _ := tr.last(); i == len(counts)-1 && g > 0 && last.Anon > 0 {
					out = append(out, heapAt{count: c, live: live, anon: last.Anon, peak: last.Peak, at: at, before: true})
					return out, nil
				}
				return out, fmt.Errorf("the child ended before a collection after %d articles", c)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return out, nil
}

// exited is closed once process pid has ended, without reaping it.
func exited(pid int) <-chan struct{} {
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		var info unix.Siginfo
		for unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil) == unix.EINTR {
		}
	}()
	return gone
}

// figures are the long run's figures: one process, so one value each.
func (t *traced) figures(command string) []Figure {
	what := map[string]string{
		"crawl": fmt.Sprintf("one `presswatch crawl` reading a loopback farm of %d feeds on %d hosts with %d items each (tiny generated pages: a title and a short paragraph; crawl workers %d, per_host %d, min_delay %s; the deployment's topics), sampled as its store passed each count of articles (the bench counts them in the store every second)",
			memShape.hosts*memShape.feeds, memShape.hosts, memShape.items, memCrawlSetting.Workers, memCrawlSetting.PerHost, memCrawlSetting.MinDelay),
		"serve": "one `presswatch serve` on 127.0.0.1 whose scheduler reads the same farm into a fresh data folder (every source runs once at start), sampled the same way; its index loop indexes every 2 s",
	}[command]
	var figs []Figure
	for i, s := range t.samples {
		label := fmt.Sprintf("%s after %s articles", command, countLabel(s.count))
		if s.stopped {
			label = fmt.Sprintf("%s stopped by the %s budget at %d articles", command, memBudget, s.count)
		}
		if s.ended {
			label = fmt.Sprintf("%s at its end, %d articles", command, s.count)
		}
		live := Figure{Name: label + ": live heap after collection", Unit: "MiB", Runs: []float64{s.live}}
		if i == 0 {
			live.Notes = what + fmt.Sprintf("; one process, so one value a count. The live heap is what the first collection after the count left marked (GODEBUG=gctrace=1, the third heap figure of its line); the default soft memory limit (no GOMEMLIMIT). Reached after %s", s.at.Round(time.Second))
		} else {
			live.Notes = fmt.Sprintf("reached after %s", s.at.Round(time.Second))
		}
		switch {
		case s.ended:
			live.Notes += "; the process ended before it reached the next count: what it held then (the last collection)"
		case s.stopped:
			live.Notes += fmt.Sprintf("; the run was stopped by its time budget of %s before it reached the next count: what it held then (the last collection)", memBudget)
		}
		if s.before {
			live.Notes += "; the process ended before another collection: the last one before the count, and the last memory read"
		}
		figs = append(figs, live,
			Figure{Name: label + ": private memory (RssAnon)", Unit: "MiB", Runs: []float64{s.anon}},
			Figure{Name: label + ": peak RSS so far (VmHWM)", Unit: "MiB", Runs: []float64{s.peak}})
	}
	_, _, maxLive := t.trace.last()
	gcs, _, _ := t.trace.last()
	figs = append(figs,
		Figure{Name: command + ": largest live heap of any collection", Unit: "MiB", Runs: []float64{maxLive},
			Notes: fmt.Sprintf("over %d collections in the life of the process", gcs)},
		Figure{Name: command + ": peak RSS over its life", Unit: "MiB", Runs: []float64{t.mem.Peak},
			Notes: fmt.Sprintf("VmHWM as the process printed it at exit; %d articles, wall time %s, CPU %s (%s ms an article)",
				t.stored, t.wall.Round(time.Second), t.cpu.Round(time.Second), num(1000*t.cpu.Seconds()/float64(max(t.stored, 1))))},
	)
	return figs
}

// smallCrawls runs the 4,000-article crawl e.Runs times, each into a
// fresh data folder, and returns its figures.
func smallCrawls(ctx context.Context, e *Env, dir string) ([]Figure, error) {
	fm, err := smallShape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	n := smallShape.hosts * smallShape.feeds * smallShape.items
	fm.Render(fm.Items())
	var cpu, wall, live, peak, share []float64
	for r := range e.Runs {
		data := filepath.Join(dir, fmt.Sprintf("data-%d", r+1))
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, err
		}
		cfg := filepath.Join(data, "farm.yaml")
		if err := writeTopicConfig(fm, cfg, smallCrawl); err != nil {
			return nil, err
		}
		t, err := tracedCrawl(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("the %d-article crawl, run %d: %w", n, r+1, err)
		}
		if t.stored != n {
			return nil, fmt.Errorf("the %d-article crawl, run %d: %d new articles", n, r+1, t.stored)
		}
		_, _, maxLive := t.trace.last()
		e.Log.Info("memory: small crawl", "run", r+1, "wall", t.wall, "cpu", t.cpu, "max_live_mib", maxLive, "peak_mib", t.mem.Peak, "gc_share", t.trace.share())
		cpu, wall = append(cpu, 1000*t.cpu.Seconds()/float64(n)), append(wall, t.wall.Seconds())
		live, peak, share = append(live, maxLive), append(peak, t.mem.Peak), append(share, t.trace.share())
	}
	setting := fmt.Sprintf("`presswatch crawl` of %d articles from %d feeds on %d hosts (generated news pages), workers %d, per_host %d, min_delay %s, the deployment's topics, the default memory limit (no GOMEMLIMIT), a fresh data folder each run",
		n, smallShape.hosts*smallShape.feeds, smallShape.hosts, smallCrawl.Workers, smallCrawl.PerHost, smallCrawl.MinDelay)
	issue := "issue 14, before the matcher's fix"
	label := countLabel(n) + "-article crawl"
	perHost := n / smallShape.hosts
	return []Figure{
		{Name: label + ": CPU time per article", Unit: "ms", Runs: cpu,
			Base:  &Baseline{Name: issue, Anchor: 124, Source: "124 ms; 28 ms with GOMEMLIMIT=4GiB"},
			Notes: setting + "; user + system time of the crawl process (rusage) ÷ articles"},
		{Name: label + ": wall time", Unit: "s", Runs: wall, Base: &Baseline{Name: issue, Anchor: 255, Source: "255 s"},
			Notes: fmt.Sprintf("at least %d pages a host × %s of politeness: %s", perHost, smallCrawl.MinDelay, time.Duration(perHost)*smallCrawl.MinDelay)},
		{Name: label + ": largest live heap of any collection", Unit: "MiB", Runs: live,
			Base: &Baseline{Name: issue + ", growing to it", Anchor: 1194 / 1.048576, Source: "1,194 MB"}},
		{Name: label + ": share of CPU in the collector", Unit: "%", Runs: share,
			Base:  &Baseline{Name: issue, Anchor: 70, Source: "about 70 %"},
			Notes: "the runtime's own figure on its last gctrace line: the share of the process's time spent collecting since it started"},
		{Name: label + ": peak RSS", Unit: "MiB", Runs: peak},
	}, nil
}

// tracedCrawl runs one `presswatch crawl` with the collection trace.
func tracedCrawl(ctx context.Context, e *Env, cfg, data string) (*traced, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	cmd := e.presswatch(ctx, tracedEnv(e, "crawl"), syscall.SIGINT, time.Minute, "crawl", "--config", cfg, "--data", data, "--log-level", "warn")
	tr := &heapTrace{}
	cmd.Stderr = tr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m, err := finish(cmd, watchMemory(cmd.Process.Pid), tr.String)
	if err != nil {
		return nil, fmt.Errorf("presswatch crawl: %w: %s", err, tail(tr.String()))
	}
	t := &traced{trace: tr, mem: m, wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	s := summaryLine.FindStringSubmatch(tr.String())
	if s == nil {
		return nil, fmt.Errorf("presswatch crawl printed no summary: %s", tail(tr.String()))
	}
	t.stored, _ = strconv.Atoi(s[2])
	return t, nil
}

// heapTrace is a Go child's stderr. It keeps the text without the lines
// GODEBUG=gctrace=1 has the runtime print, and from those lines the
// live heap each collection left and the runtime's share of time spent
// collecting. It is safe for one writer and any readers at once.
type heapTrace struct {
	mu      sync.Mutex
	text    strings.Builder
	partial []byte
	gcs     int
	live    float64 // MiB the last collection left marked
	maxLive float64
	pct     float64 // share of time in the collector since the start, %
}

// gcLine is one collection's trace line (runtime/extern.go documents it):
// "gc 7 @1.234s 3%: ... ms clock, ... ms cpu, 12->13->5 MB, 14 MB goal, ...".
var gcLine = regexp.MustCompile(`^gc \d+ @[0-9.]+s (\d+)%: .* \d+->\d+->(\d+) MB`)

func (h *heapTrace) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.partial = append(h.partial, p...)
	rest := h.partial
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		line := rest[:i+1]
		rest = rest[i+1:]
		if m := gcLine.FindSubmatch(line); m != nil {
			pct, _ := strconv.ParseFloat(string(m[1]), 64)
			live, _ := strconv.ParseFloat(string(m[2]), 64)
			h.gcs, h.live, h.maxLive, h.pct = h.gcs+1, live, max(h.maxLive, live), pct
			continue
		}
		h.text.Write(line)
	}
	h.partial = append(h.partial[:0], rest...)
	return len(p), nil
}

// String is the text written so far, without the collection lines.
func (h *heapTrace) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.text.String() + string(h.partial)
}

// last returns how many collections were traced, the live heap the last
// one left and the largest any left, in MiB.
func (h *heapTrace) last() (gcs int, live, maxLive float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gcs, h.live, h.maxLive
}

// share is the runtime's share of time spent collecting, as of the last
// collection, in percent.
func (h *heapTrace) share() float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pct
}
