package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"presswatch/index"
	"presswatch/internal/config"
	"presswatch/internal/farm"
	"presswatch/internal/store"
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

// loadShape is the farm serve crawls during the test: 40,000 new items a
// run (400 feeds on 40 hosts), about four times what the crawl ingested
// in a run's 190 s on a quiet machine (70 a second quiet, 46 under load:
// about 10,400), so that it never runs out of work. Each run advances
// every feed by loadShape.items, and the crawl reads them all (MaxItems).
var loadShape = farmShape{hosts: 40, feeds: 10, items: 100, seed: 4}

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
		quiet, rss []float64
		loads      []string
		stored     int
		kinds      = [2]loadFigures{}
	)
	for r := range e.Runs {
		if r > 0 {
			if err := fm.Advance(loadShape.items); err != nil {
				return nil, err
			}
		}
		if err := makeSourcesDue(ctx, data); err != nil {
			return nil, err
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
		for k, l := range res.load {
			e.Log.Info("load run", "run", r+1, "clients", loadClientKinds[k].name, "served", len(l.ok), "shed", len(l.shed), "other", len(l.other),
				"p95_ms", pct(l.ok, 95), "shed_p95_ms", pct(l.shed, 95), "quiet_rate", res.quiet, "loaded_rate", res.loaded[k],
				"peak_rss_mib", res.mem.Peak, "load_avg", res.loadAvg)
			kinds[k].add(r, l, res.loaded[k], res.quiet)
		}
		quiet, rss = append(quiet, res.quiet), append(rss, res.mem.Peak)
		loads = append(loads, res.loadAvg)
	}
	mix := fmt.Sprintf("each of %d clients (one keep-alive connection each) asks in turn GET /search and GET /api/search for the %d queries of the scale section, every second request restricted to one language, for %s or %d requests, whichever ends first",
		loadClients, len(scaleQueries), loadFor, loadPerClient)
	setting := fmt.Sprintf("`presswatch serve` on 127.0.0.1 (default limits: GOMAXPROCS and Options.MaxSearches, one slot fewer while the crawl reads items) with the store and index of %s generated articles (%d at the last run's start: each run adds what it crawls), its scheduler crawling a loopback farm of %d feeds on %d hosts with %d new items each (crawl workers %d, per_host %d, min_delay %s)",
		countLabel(loadArticles), stored, loadShape.hosts*loadShape.feeds, loadShape.hosts, loadShape.items, loadCrawl.Workers, loadCrawl.PerHost, loadCrawl.MinDelay)
	machine := fmt.Sprintf("the machine's load average (1, 5, 15 min) at the end of each run: %s; other work may share the 2 cores, and every latency here includes any wait for one", strings.Join(loads, "; "))
	var figs []Figure
	for k, kind := range loadClientKinds {
		f := kinds[k].figures(kind)
		if k == 0 {
			f[0].Notes = setting + "; " + mix + "; each run loads serve twice, first with clients that ask again at once after a 503, then with clients that wait its Retry-After; " + machine
		}
		figs = append(figs, f...)
	}
	return append(figs,
		Figure{Name: "crawl's ingest rate, quiet", Unit: "articles/s", Runs: quiet,
			Notes: fmt.Sprintf("article pages the farm served per second in the same serve process with no client, the mean of three %s windows: before the first load (after %s of warm-up), between the loads and after the second; each page becomes a stored, indexed article (the pages in flight differ by at most the %d workers)", loadQuiet, loadWarm, loadCrawl.Workers)},
		Figure{Name: "serve: peak RSS", Unit: "MiB", Runs: rss, Notes: "VmHWM of the serve process over its life (start, the windows and loads, shutdown)"},
	), nil
}

// loadClientKind is how the load's clients answer a 503.
type loadClientKind struct {
	name   string // in the log
	prefix string // of the figures' names
	honour bool   // wait the 503's Retry-After before asking again
	notes  string
}

// loadClientKinds are the two loads of each run, in order: clients that
// ask again at once (the worst case: the server spends its CPU shedding)
// and clients that wait as the 503 tells them, as a browser's user or a
// well-behaved API client does.
var loadClientKinds = [2]loadClientKind{
	{name: "instant", prefix: "",
		notes: "clients that ask again at once after a 503, ignoring its Retry-After"},
	{name: "retry-after", prefix: "clients honouring Retry-After: ", honour: true,
		notes: "the same clients, but one answered 503 waits its Retry-After (1 s) before its next request"},
}

// loadFigures gathers one kind of load's answers over the runs.
type loadFigures struct {
	served, p50, p95, p99, shed, shedP95, noRetry, other, loaded, ratio []float64
	errs                                                                []string
}

func (f *loadFigures) add(run int, l *loadAnswers, loaded, quiet float64) {
	f.served, f.shed = append(f.served, float64(len(l.ok))), append(f.shed, float64(len(l.shed)))
	f.p50, f.p95, f.p99 = append(f.p50, pct(l.ok, 50)), append(f.p95, pct(l.ok, 95)), append(f.p99, pct(l.ok, 99))
	f.shedP95 = append(f.shedP95, pct(l.shed, 95))
	f.noRetry, f.other = append(f.noRetry, float64(l.noRetry)), append(f.other, float64(len(l.other)))
	f.loaded, f.ratio = append(f.loaded, loaded), append(f.ratio, loaded/quiet)
	for _, o := range l.other {
		f.errs = append(f.errs, fmt.Sprintf("run %d: %s", run+1, o))
	}
}

func (f *loadFigures) figures(k loadClientKind) []Figure {
	otherNote := "none"
	if len(f.errs) > 0 {
		otherNote = strings.Join(f.errs[:min(len(f.errs), 10)], "; ")
	}
	p := k.prefix
	return []Figure{
		{Name: p + "requests served (200)", Runs: f.served, Notes: k.notes},
		{Name: p + "served requests: p50", Unit: "ms", Runs: f.p50, Notes: "as each client sees it, request sent to body read"},
		{Name: p + "served requests: p95", Unit: "ms", Runs: f.p95},
		{Name: p + "served requests: p99", Unit: "ms", Runs: f.p99},
		{Name: p + "requests shed (503)", Runs: f.shed, Notes: "answered 503 for load, each with Retry-After"},
		{Name: p + "503s without Retry-After", Runs: f.noRetry, Goal: &Target{Max: 0.5, Text: "none"}},
		{Name: p + "shed requests: p95 of the time to answer", Unit: "ms", Runs: f.shedP95, Goal: &Target{Max: 50, Text: "at most 50 ms"},
			Notes: "request sent to the 503's body read"},
		{Name: p + "any other answer or error", Runs: f.other, Goal: &Target{Max: 0.5, Text: "none"},
			Notes: "any status but 200 and 503, and any failed request (a client times out after 30 s): " + otherNote},
		{Name: p + "crawl's ingest rate, under load", Unit: "articles/s", Runs: f.loaded, Notes: "the same count as the quiet rate's, over the 60 s of this load"},
		{Name: p + "ingest under load ÷ quiet", Runs: f.ratio, Goal: &Target{Min: 0.5, Text: "at least 0.5"}},
	}
}

// makeSourcesDue forgets when each source of data's store was last read,
// so that the next serve reads every source at its start: else a source
// the last run read through is not due for its interval (an hour), and a
// run after the first crawls only what the one before left unread.
func makeSourcesDue(ctx context.Context, data string) error {
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	sources, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	for _, si := range sources {
		s := si.State
		s.SourceID, s.LastFetch, s.NextDue = si.ID, time.Time{}, time.Time{}
		if err := st.SaveSourceState(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// stalled has a serve whose crawl stopped print its goroutines (SIGQUIT:
// the runtime's dump, then exit), waits for it to end (killing it after
// 10 s) and keeps its whole standard error in the system's temporary
// folder, which outlives the scratch folder: what it says names the file
// and ends with the last lines before the dump. The caller must not wait
// for cmd again.
func stalled(cmd *exec.Cmd, mem *memWatch, stderr *heapTrace) string {
	mem.stop() // before serve is reaped: its pid may be reused
	before := tail(stderr.String())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	if cmd.Process.Signal(syscall.SIGQUIT) == nil {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
	}
	cmd.Process.Kill()
	<-done
	f, err := os.CreateTemp("", "presswatch-serve-stalled-*.txt")
	if err != nil {
		return before
	}
	defer f.Close()
	if _, err := f.WriteString(stderr.String()); err != nil {
		return before
	}
	return "serve's goroutines are in " + f.Name() + "; its last lines before: " + before
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
	cmd := e.presswatch(ctx, e.childEnv("reindex"), syscall.SIGINT, time.Minute, "reindex", "--data", data, "--log-level", "warn")
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

// loadResult is one load run: each kind of client's load in turn.
type loadResult struct {
	load    [2]*loadAnswers
	loaded  [2]float64 // the crawl's ingest rate under each load, articles/s
	quiet   float64    // and in the quiet windows
	mem     memory
	loadAvg string
}

// loadOnce runs one serve with its crawl, the windows and the load.
func loadOnce(ctx context.Context, e *Env, fm *farm.Farm, data, cfg string) (*loadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	fm.Render(fm.NewestItems(loadShape.items)) // the farm's own work stays out of the windows
	fm.ResetStats()
	total := int64(loadShape.hosts * loadShape.feeds * loadShape.items)
	cmd := e.presswatch(ctx, e.childEnv("serve"), syscall.SIGTERM, 30*time.Second, "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg, "--log-level", "warn")
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
	res := &loadResult{}
	// A quiet window, then each load followed by a quiet window.
	q0 := pages()
	if err := wait(loadQuiet); err != nil {
		return nil, err
	}
	quietPages, quietTime := pages()-q0, loadQuiet
	for k, kind := range loadClientKinds {
		p1 := pages()
		l := hammer(ctx, base, kind.honour)
		p2 := pages()
		if err := wait(loadQuiet); err != nil {
			return nil, err
		}
		p3 := pages()
		if p3 == p2 {
			stopped = true // stalled ends serve
			return nil, fmt.Errorf("the crawl ingested nothing in the quiet window after the load of %s: %s", kind.notes, stalled(cmd, mem, stderr))
		}
		res.load[k], res.loaded[k] = l, float64(p2-p1)/l.took.Seconds()
		quietPages, quietTime = quietPages+p3-p2, quietTime+loadQuiet
	}
	res.loadAvg = loadAverage()
	if p := pages(); p >= total-int64(loadCrawl.Workers) {
		return nil, fmt.Errorf("the crawl ran out of new items (%d pages of %d served) before the last window ended; the farm needs more", p, total)
	}
	res.quiet = float64(quietPages) / quietTime.Seconds()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return nil, err
	}
	stopped = true
	if res.mem, err = finish(cmd, mem, stderr.String); err != nil {
		return nil, fmt.Errorf("serve: %w: %s", err, tail(stderr.String()))
	}
	return res, nil
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
func hammer(ctx context.Context, base string, honour bool) *loadAnswers {
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
					if honour {
						select {
						case <-time.After(retryWait(retry)):
						case <-ctx.Done():
							return
						}
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

// retryWait is how long a client that honours Retry-After waits: its
// seconds, or one second when it is missing or not a count of seconds.
func retryWait(retryAfter string) time.Duration {
	n, err := strconv.Atoi(retryAfter)
	if err != nil || n < 0 {
		return time.Second
	}
	return time.Duration(n) * time.Second
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
