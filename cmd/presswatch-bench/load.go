package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"presswatch/index"
	"presswatch/internal/config"
	"presswatch/internal/farm"
)

// The load test, as issue 14 sets it: 50 clients for 60 s against the
// index of 100k articles while serve's own scheduler crawls a farm.
const (
	loadClients   = 50
	loadFor       = 60 * time.Second
	loadPerClient = 5000 // requests a client makes at most, so the count is bounded too
	// loadQuiet is each unloaded window of the crawl, one before and one
	// after the load; loadWarm lets the scheduler's first runs (spread
	// over 5 s) and robots.txt pass before the first window.
	loadQuiet = 20 * time.Second
	loadWarm  = 10 * time.Second
)

// loadShape is the farm serve crawls during the test: 16,000 new items
// (400 feeds on 40 hosts), more than the crawl can ingest in the 110 s of
// the three windows, so that it never runs out of work. Each run advances
// every feed by loadShape.items.
var loadShape = farmShape{hosts: 40, feeds: 10, items: 40, seed: 4}

// loadCrawl is serve's crawl configuration in the test.
var loadCrawl = config.Crawl{Workers: 16, PerHost: 1, MinDelay: 20 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

func loadSection() Section {
	return Section{
		Key:     "load",
		Name:    "Under load: 50 clients for 60 s against serve's index while its scheduler crawls",
		Command: "go run ./cmd/presswatch-bench -only load -keep  # 100k articles unless -scale says otherwise; -work FOLDER then reuses the store and index",
		Run:     runLoad,
	}
}

// runLoad fills (or reuses) the store of -scale's largest count (100k by
// default) of articles as the scale section builds it, indexes it with
// `presswatch reindex` when its index is missing or made with another
// mapping, then, e.Runs times, starts `presswatch serve` crawling a farm of new items and
// measures the crawl's ingest rate in a quiet window, under 50 clients
// and in a quiet window again, and every answer the clients got.
func runLoad(ctx context.Context, e *Env) ([]Figure, error) {
	loadArticles := slices.Max(e.Scale) // 100k unless -scale says otherwise
	data := filepath.Join(e.Work, fmt.Sprintf("scale-%d", loadArticles))
	if _, err := fillStore(ctx, e, data, loadArticles); err != nil {
		return nil, err
	}
	// A kept index made with another mapping would be rebuilt by serve
	// while the load runs: rebuild it first.
	if stale, err := indexStale(filepath.Join(data, "index.bleve")); err != nil {
		return nil, err
	} else if stale {
		e.Log.Info("load: indexing the store", "articles", loadArticles)
		if err := reindex(ctx, e, data); err != nil {
			return nil, err
		}
	}
	fm, err := loadShape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	cfg := filepath.Join(data, "load.yaml")
	if err := writeTopicConfig(fm, cfg, loadCrawl); err != nil {
		return nil, err
	}
	var (
		served, p50, p95, p99, shed, shedP95, noRetry, other []float64
		quiet, loaded, ratio, rss                            []float64
		errs, loads                                          []string
		stored                                               int
	)
	for r := range e.Runs {
		if r > 0 {
			if err := fm.Advance(loadShape.items); err != nil {
				return nil, err
			}
		}
		before, err := storeCounts(ctx, data)
		if err != nil {
			return nil, err
		}
		stored = max(stored, before.Articles)
		res, err := loadOnce(ctx, e, fm, data, cfg)
		if err != nil {
			return nil, fmt.Errorf("run %d: %w", r+1, err)
		}
		l := res.load
		e.Log.Info("load run", "run", r+1, "served", len(l.ok), "shed", len(l.shed), "other", len(l.other),
			"p95_ms", pct(l.ok, 95), "shed_p95_ms", pct(l.shed, 95), "quiet_rate", res.quiet, "loaded_rate", res.loaded,
			"peak_rss_mib", res.mem.Peak, "load_avg", res.loadAvg)
		served, shed = append(served, float64(len(l.ok))), append(shed, float64(len(l.shed)))
		p50, p95, p99 = append(p50, pct(l.ok, 50)), append(p95, pct(l.ok, 95)), append(p99, pct(l.ok, 99))
		shedP95 = append(shedP95, pct(l.shed, 95))
		noRetry, other = append(noRetry, float64(l.noRetry)), append(other, float64(len(l.other)))
		quiet, loaded = append(quiet, res.quiet), append(loaded, res.loaded)
		ratio, rss = append(ratio, res.loaded/res.quiet), append(rss, res.mem.Peak)
		loads = append(loads, res.loadAvg)
		for _, o := range l.other {
			errs = append(errs, fmt.Sprintf("run %d: %s", r+1, o))
		}
	}
	otherNote := "none"
	if len(errs) > 0 {
		otherNote = strings.Join(errs[:min(len(errs), 10)], "; ")
	}
	mix := fmt.Sprintf("each of %d clients (one keep-alive connection each) asks in turn GET /search and GET /api/search for the %d queries of the scale section, every second request restricted to one language, for %s or %d requests, whichever ends first",
		loadClients, len(scaleQueries), loadFor, loadPerClient)
	setting := fmt.Sprintf("`presswatch serve` on 127.0.0.1 (default limits: GOMAXPROCS and Options.MaxSearches) with the store and index of %s generated articles (%d at the last run's start: each run adds what it crawls), its scheduler crawling a loopback farm of %d feeds on %d hosts with %d new items each (crawl workers %d, per_host %d, min_delay %s)",
		countLabel(loadArticles), stored, loadShape.hosts*loadShape.feeds, loadShape.hosts, loadShape.items, loadCrawl.Workers, loadCrawl.PerHost, loadCrawl.MinDelay)
	machine := fmt.Sprintf("the machine's load average (1, 5, 15 min) at the end of each run: %s; colleagues share the 2 cores, so every latency here includes waiting for a core", strings.Join(loads, "; "))
	return []Figure{
		{Name: "requests served (200)", Runs: served, Notes: setting + "; " + mix + "; " + machine},
		{Name: "served requests: p50", Unit: "ms", Runs: p50, Notes: "as each client sees it, request sent to body read"},
		{Name: "served requests: p95", Unit: "ms", Runs: p95},
		{Name: "served requests: p99", Unit: "ms", Runs: p99},
		{Name: "requests shed (503)", Runs: shed, Notes: "answered 503 for load, each with Retry-After"},
		{Name: "503s without Retry-After", Runs: noRetry, Goal: &Target{Max: 0.5, Text: "none"}},
		{Name: "shed requests: p95 of the time to answer", Unit: "ms", Runs: shedP95, Goal: &Target{Max: 50, Text: "at most 50 ms"},
			Notes: "request sent to the 503's body read"},
		{Name: "any other answer or error", Runs: other, Goal: &Target{Max: 0.5, Text: "none"},
			Notes: "any status but 200 and 503, and any failed request (a client times out after 30 s): " + otherNote},
		{Name: "crawl's ingest rate, quiet", Unit: "articles/s", Runs: quiet,
			Notes: fmt.Sprintf("article pages the farm served per second in the same serve process with no client, the mean of a %s window before the load (after %s of warm-up) and one after it; each page becomes a stored, indexed article (the pages in flight differ by at most the %d workers)", loadQuiet, loadWarm, loadCrawl.Workers)},
		{Name: "crawl's ingest rate, under load", Unit: "articles/s", Runs: loaded, Notes: "the same count over the 60 s of the load"},
		{Name: "ingest under load ÷ quiet", Runs: ratio, Goal: &Target{Min: 0.5, Text: "at least 0.5"}},
		{Name: "serve: peak RSS", Unit: "MiB", Runs: rss, Notes: "VmHWM of the serve process over its life (start, the three windows, shutdown)"},
	}, nil
}

// writeTopicConfig writes fm's configuration with crawl, and the topics
// of a deployment (the scale section's), so that ingest matches topics
// as it does in use.
func writeTopicConfig(fm *farm.Farm, path string, crawl config.Crawl) error {
	topics := scaleConfig()
	i, j := strings.Index(topics, "topics:\n"), strings.Index(topics, "sources:\n")
	if i < 0 || j < i {
		return fmt.Errorf("the scale configuration has no topics before its sources")
	}
	cfg := string(fm.Config(crawl))
	k := strings.Index(cfg, "sources:\n")
	if k < 0 {
		return fmt.Errorf("the farm's configuration lists no sources")
	}
	b := []byte(cfg[:k] + topics[i:j] + cfg[k:])
	if _, err := config.Parse(b, path); err != nil {
		return fmt.Errorf("the farm's configuration with topics: %w", err)
	}
	return os.WriteFile(path, b, 0o644)
}

// reindex builds data's index with `presswatch reindex`: on shared
// cores 100k articles can take half an hour.
func reindex(ctx context.Context, e *Env, data string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.Bin, "reindex", "--data", data, "--log-level", "warn")
	cmd.Env = e.childEnv("reindex")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = time.Minute
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("presswatch reindex: %w: %s", err, tail(string(out)))
	}
	return nil
}

// indexStale says whether the index at dir is missing or made with
// another mapping than this build's (which serve would rebuild).
func indexStale(dir string) (bool, error) {
	if _, err := os.Stat(dir); err != nil {
		return true, nil
	}
	ix, err := index.Open(dir)
	if err != nil {
		return false, fmt.Errorf("opening the kept index: %w", err)
	}
	stale := ix.Stale()
	return stale, ix.Close()
}

// loadResult is one load run.
type loadResult struct {
	load          *loadAnswers
	quiet, loaded float64 // the crawl's ingest rate, articles/s
	mem           memory
	loadAvg       string
}

// loadOnce runs one serve with its crawl, the windows and the load.
func loadOnce(ctx context.Context, e *Env, fm *farm.Farm, data, cfg string) (*loadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	fm.Render(fm.NewestItems(loadShape.items)) // the farm's own work stays out of the windows
	fm.ResetStats()
	total := int64(loadShape.hosts * loadShape.feeds * loadShape.items)
	cmd := exec.CommandContext(ctx, e.Bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg, "--log-level", "warn")
	cmd.Env = e.childEnv("serve")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	stderr := &heapTrace{}
	base, mem, err := startServe(ctx, cmd, stderr)
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
		mem.stop()
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	for {
		code, err := get(ctx, client, base+"/readyz")
		if err == nil && code == http.StatusOK {
			break
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("serve never got ready: %s", tail(stderr.String()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	pages := func() int64 { return fm.Stats().Pages }
	wait := func(d time.Duration) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := wait(loadWarm); err != nil {
		return nil, err
	}
	p0 := pages()
	if err := wait(loadQuiet); err != nil {
		return nil, err
	}
	p1 := pages()
	l := hammer(ctx, base)
	p2 := pages()
	if err := wait(loadQuiet); err != nil {
		return nil, err
	}
	p3 := pages()
	res := &loadResult{load: l, loadAvg: loadAverage()}
	if p3 >= total-int64(loadCrawl.Workers) {
		return nil, fmt.Errorf("the crawl ran out of new items (%d pages of %d served) before the last window ended; the farm needs more", p3, total)
	}
	if p1 == p0 || p3 == p2 {
		return nil, fmt.Errorf("the crawl ingested nothing in a quiet window (pages %d, %d, %d, %d): %s", p0, p1, p2, p3, tail(stderr.String()))
	}
	res.quiet = float64(p1-p0+p3-p2) / (2 * loadQuiet.Seconds())
	res.loaded = float64(p2-p1) / l.took.Seconds()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return nil, err
	}
	stopped = true
	if res.mem, err = finish(cmd, mem, stderr.String); err != nil {
		return nil, fmt.Errorf("serve: %w: %s", err, tail(stderr.String()))
	}
	return res, nil
}

// startServe starts a serve command writing its stderr into stderr and
// returns its base URL, once it printed it, and the sampling of its
// memory.
func startServe(ctx context.Context, cmd *exec.Cmd, stderr *heapTrace) (string, *memWatch, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	mem := watchMemory(cmd.Process.Pid)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return "http://" + a, mem, nil
		}
		err = fmt.Errorf("serve printed no address")
	case <-ctx.Done():
		err = fmt.Errorf("serve did not start")
	}
	cmd.Process.Kill()
	cmd.Wait()
	mem.stop()
	return "", nil, fmt.Errorf("%w: %s", err, tail(stderr.String()))
}

// loadAnswers are the answers of one load, in milliseconds.
type loadAnswers struct {
	ok, shed []float64
	noRetry  int      // 503s without Retry-After
	other    []string // any other answer or failure, one line each, with its count
	took     time.Duration
}

// hammer runs loadClients clients against base for loadFor (or
// loadPerClient requests each) and gathers their answers.
func hammer(ctx context.Context, base string) *loadAnswers {
	ctx, cancel := context.WithTimeout(ctx, loadFor)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	parts := make([]loadAnswers, loadClients)
	start := time.Now()
	done := make(chan struct{})
	for c := range loadClients {
		go func() {
			defer func() { done <- struct{}{} }()
			a := &parts[c]
			for i := range loadPerClient {
				if ctx.Err() != nil {
					return
				}
				u := loadURL(base, c, i)
				t0 := time.Now()
				code, retry, err := getRetry(ctx, client, u)
				ms := float64(time.Since(t0).Microseconds()) / 1000
				switch {
				case ctx.Err() != nil:
					return // the load's end cut this request short: not an answer
				case err != nil:
					a.other = append(a.other, err.Error())
				case code == http.StatusOK:
					a.ok = append(a.ok, ms)
				case code == http.StatusServiceUnavailable:
					a.shed = append(a.shed, ms)
					if retry == "" {
						a.noRetry++
					}
				default:
					a.other = append(a.other, fmt.Sprintf("HTTP %d for %s", code, u))
				}
			}
		}()
	}
	for range loadClients {
		<-done
	}
	all := &loadAnswers{took: time.Since(start)}
	seen := map[string]int{}
	for _, p := range parts {
		all.ok, all.shed, all.noRetry = append(all.ok, p.ok...), append(all.shed, p.shed...), all.noRetry+p.noRetry
		for _, o := range p.other {
			seen[o]++
		}
	}
	for o, n := range seen {
		all.other = append(all.other, fmt.Sprintf("%s (×%d)", o, n))
	}
	slices.Sort(all.other)
	slices.Sort(all.ok)
	slices.Sort(all.shed)
	return all
}

// loadLangs restrict every second request to one language.
var loadLangs = []string{"ru", "kk", "en"}

// loadURL is client c's request i: the search page and the API in
// turn, over the scale section's queries, every second pair with a
// language filter.
func loadURL(base string, c, i int) string {
	q := url.Values{"q": {scaleQueries[(c+i/2)%len(scaleQueries)]}}
	if (i/2)%2 == 1 {
		q.Set("lang", loadLangs[(c+i)%len(loadLangs)])
	}
	path := "/search?"
	if i%2 == 1 {
		path = "/api/search?"
	}
	return base + path + q.Encode()
}

// getRetry is get, also returning the answer's Retry-After.
func getRetry(ctx context.Context, c *http.Client, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), err
}

// pct is the p-th percentile of sorted values, 0 when there are none.
func pct(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

// loadAverage is the machine's load average (1, 5 and 15 minutes), as
// /proc/loadavg has it, for the notes: colleagues may share the cores.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
