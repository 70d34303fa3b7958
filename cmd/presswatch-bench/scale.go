package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
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
	"presswatch/internal/gencorpus"
	"presswatch/internal/memstat"
	"presswatch/internal/store"
)

// scaleQueries are typed into the search page in turn: names in several
// spellings and scripts, words of the story, a phrase, a common word.
var scaleQueries = []string{"Zhanaozen", "Жанаозен", "Nazarbayev", "Назарбаев", "Sokolova", "Aktau",
	"нефтяники", "strike oil workers", `"oil workers"`, "Ölarbeiter"}

// searchesPerRun is how many search pages each serve run answers.
const searchesPerRun = 200

func scaleSection() Section {
	return Section{
		Key:     "scale",
		Name:    "Memory and scale: presswatch serve with 10k and 100k stored articles",
		Command: "go run ./cmd/presswatch-bench -only scale -scale 10000,100000  # -scale 1000000 is the 1M run, a manual step: by the 100k figures it needs about 30 GB of disk and hours",
		Run:     runScale,
	}
}

// runScale fills a store with n generated articles (internal/gencorpus,
// seed 1) for each n of e.Scale, then, e.Runs times each:
//
//   - starts `presswatch serve --no-crawl` on it with no index: serve
//     indexes every stored article at start (the catch-up after a first
//     start on an existing store, a lost index or a new mapping), answers
//     searchesPerRun search pages, and is stopped;
//   - starts serve again on the index that run left, as it starts every
//     other day, and measures searchesPerRun search pages;
//   - crawls scaleCrawlArticles new articles into the same data folder.
//
// It reports the catch-up rate, the index size, the search page latency
// as the client sees it, and each process's memory.
func runScale(ctx context.Context, e *Env) ([]Figure, error) {
	var figs []Figure
	for _, n := range e.Scale {
		data := filepath.Join(e.Work, fmt.Sprintf("scale-%d", n))
		cfgPath, err := fillStore(ctx, e, data, n)
		if err != nil {
			return nil, err
		}
		var rebuild, ready serveRuns
		for _, kind := range []struct {
			what    string
			rebuild bool
			runs    *serveRuns
		}{{"rebuilding the index", true, &rebuild}, {"with the index ready", false, &ready}} {
			for r := range e.Runs {
				res, err := serveOnce(ctx, e, data, cfgPath, n, kind.rebuild)
				if err != nil {
					return nil, fmt.Errorf("serve %s, %d articles, run %d: %w", kind.what, n, r+1, err)
				}
				e.Log.Info("serve run "+kind.what, "articles", n, "run", r+1, "peak_rss_mib", res.mem.Peak, "private_mib", res.mem.Anon,
					"file_mib", res.mem.File, "index_rate", res.rate, "p95_ms", res.p95)
				kind.runs.add(res)
			}
		}
		crawls, err := crawlAtScale(ctx, e, data, n)
		if err != nil {
			return nil, err
		}
		label := countLabel(n)
		memGoal := &Target{Max: 500 / 1.048576, Text: "under 500 MB"}
		if n != 100_000 {
			memGoal = nil
		}
		searches := fmt.Sprintf("%d search pages (GET /search over loopback: %d queries in turn, names in several scripts, a phrase, a common word; each page with facets, the timeline stacked by stance and 20 highlighted results)", searchesPerRun, len(scaleQueries))
		figs = append(figs,
			Figure{Name: "serve at " + label + ": peak RSS", Unit: "MiB", Runs: ready.peak, Goal: memGoal,
				Notes: fmt.Sprintf("the kernel's high-water mark of the resident memory (VmHWM) of `serve --no-crawl` opening the index of %s articles and answering %s. It counts the pages of the index files Bleve maps and reads, which the kernel may drop at any time", label, searches)},
			Figure{Name: "serve at " + label + ": peak private memory", Unit: "MiB", Runs: ready.anon, Goal: memGoal,
				Notes: "the largest RssAnon sampled ten times a second over the same life: the memory only the process can give back (Go heap and runtime, SQLite)"},
			Figure{Name: "serve at " + label + ": peak mapped file pages", Unit: "MiB", Runs: ready.file,
				Notes: "the largest RssFile sampled over the same life: pages of the index files (and of the binary) mapped and read, page cache the kernel can reclaim"},
			Figure{Name: "search page at " + label + ": p50", Unit: "ms", Runs: ready.p50},
			Figure{Name: "search page at " + label + ": p95", Unit: "ms", Runs: ready.p95, Goal: &Target{Max: 150, Text: "under 150 ms"},
				Notes: "as the client sees it, over the " + searches},
			Figure{Name: "serve rebuilding the index of " + label + ": peak RSS", Unit: "MiB", Runs: rebuild.peak,
				Notes: fmt.Sprintf("VmHWM of `serve --no-crawl` started on the store of %s articles with no index: it indexes them all at start, then answers the %d search pages. The peak comes while Bleve merges segments, reading them through its maps", label, searchesPerRun)},
			Figure{Name: "serve rebuilding the index of " + label + ": peak private memory", Unit: "MiB", Runs: rebuild.anon,
				Notes: "the largest RssAnon of the same runs; the Go runtime's soft limit is 320 MiB unless GOMEMLIMIT says otherwise"},
			Figure{Name: "serve rebuilding the index of " + label + ": peak mapped file pages", Unit: "MiB", Runs: rebuild.file},
			Figure{Name: "serve rebuilding the index of " + label + ": indexing rate", Unit: "articles/s", Runs: rebuild.rate,
				Notes: "from start until /api/search stops answering 503 (the index holds every stored article)"},
			Figure{Name: "crawl at " + label + ": peak RSS", Unit: "MiB", Runs: crawls.peak, Goal: memGoal,
				Notes: fmt.Sprintf("VmHWM of `presswatch crawl` on the same data folder, reading %d new articles from a loopback farm (%d hosts × %d feeds) into the index of %s (%d more each run); crawl wall time %s",
					scaleCrawlArticles, scaleCrawl.hosts, scaleCrawl.feeds, label, scaleCrawlArticles, spread(crawls.wall, "s"))},
			Figure{Name: "crawl at " + label + ": peak private memory", Unit: "MiB", Runs: crawls.anon, Goal: memGoal,
				Notes: "the largest RssAnon of the same crawls, sampled ten times a second"},
			Figure{Name: "index at " + label + ": size on disk", Unit: "MiB", Runs: rebuild.size,
				Notes: fmt.Sprintf("after the catch-up; %.1f KiB per article (median run)", median(slices.Sorted(slices.Values(rebuild.size)))*1024/float64(n))},
		)
	}
	return figs, nil
}

// serveRuns gathers the serve runs of one kind at one scale.
type serveRuns struct{ peak, anon, file, rate, size, p50, p95 []float64 }

func (s *serveRuns) add(r *serveResult) {
	s.peak, s.anon, s.file = append(s.peak, r.mem.Peak), append(s.anon, r.mem.Anon), append(s.file, r.mem.File)
	s.rate, s.size = append(s.rate, r.rate), append(s.size, r.indexMiB)
	s.p50, s.p95 = append(s.p50, r.p50), append(s.p95, r.p95)
}

// scaleCrawl is the farm the scale section's crawls read: each run finds
// scaleCrawlArticles new articles.
var scaleCrawl = farmShape{hosts: 20, feeds: 5, items: 10, seed: 2}

const scaleCrawlArticles = 20 * 5 * 10

// crawlAtScale runs `presswatch crawl` e.Runs times on the data folder of
// n articles (indexed by serveOnce), each run reading scaleCrawlArticles
// new articles from a farm, and returns each run's memory and wall time.
func crawlAtScale(ctx context.Context, e *Env, data string, n int) (*scaleCrawls, error) {
	fm, err := scaleCrawl.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	cfg := filepath.Join(data, "farm.yaml")
	crawl := seedCrawl
	crawl.MinDelay = 20 * time.Millisecond
	if err := fm.WriteConfig(cfg, crawl); err != nil {
		return nil, err
	}
	var c scaleCrawls
	for r := range e.Runs {
		if r > 0 {
			if err := fm.Advance(scaleCrawl.items); err != nil {
				return nil, err
			}
		}
		res, err := crawlOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("crawl with %d articles, run %d: %w", n, r+1, err)
		}
		if res.New != scaleCrawlArticles {
			return nil, fmt.Errorf("crawl with %d articles, run %d: %d new articles, want %d", n, r+1, res.New, scaleCrawlArticles)
		}
		e.Log.Info("crawl run", "articles", n, "run", r+1, "peak_rss_mib", res.Mem.Peak, "private_mib", res.Mem.Anon, "wall", res.Wall)
		c.peak, c.anon = append(c.peak, res.Mem.Peak), append(c.anon, res.Mem.Anon)
		c.wall = append(c.wall, res.Wall.Seconds())
	}
	return &c, nil
}

// scaleCrawls are the crawl runs at one scale: peak RSS and private
// memory in MiB, wall time in seconds.
type scaleCrawls struct{ peak, anon, wall []float64 }

func countLabel(n int) string {
	switch {
	case n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// fillStore makes data/presswatch.db with n generated articles, once per
// scratch folder, and a configuration naming their sources; it returns
// the configuration's path.
func fillStore(ctx context.Context, e *Env, data string, n int) (string, error) {
	cfgPath := filepath.Join(data, "presswatch.yaml")
	if _, err := os.Stat(cfgPath); err == nil {
		return cfgPath, nil
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return "", err
	}
	g, err := gencorpus.New(filepath.Join(e.Corpus, "lingua-sentences"), 1)
	if err != nil {
		return "", err
	}
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		return "", err
	}
	defer st.Close()
	if err := st.SyncSources(ctx, gencorpus.Sources()); err != nil {
		return "", err
	}
	e.Log.Info("filling a store", "articles", n, "folder", data)
	start := time.Now()
	for a := range g.Articles(n) {
		a.ID = 0
		if err := st.CreateArticle(ctx, a, nil, a.URL); err != nil {
			return "", err
		}
	}
	e.Log.Info("store filled", "articles", n, "took", time.Since(start).Round(time.Second))
	if err := os.WriteFile(cfgPath, []byte(scaleConfig()), 0o644); err != nil {
		return "", err
	}
	return cfgPath, nil
}

// scaleConfig lists the generated sources, with the deployment's topic
// and alias groups, as serve would be run. The sources' addresses are
// never fetched: serve runs with --no-crawl.
func scaleConfig() string {
	var b strings.Builder
	b.WriteString("allow_private_networks: false\ntopics:\n")
	if def, err := config.Default(); err == nil {
		for _, t := range def.Topics {
			fmt.Fprintf(&b, "  - id: %s\n    name: %q\n    query: %q\n    aliases:\n", t.ID, t.Name, t.Query)
			for _, group := range t.Aliases {
				quoted := make([]string, len(group))
				for i, a := range group {
					quoted[i] = fmt.Sprintf("%q", a)
				}
				fmt.Fprintf(&b, "      - [%s]\n", strings.Join(quoted, ", "))
			}
		}
	}
	b.WriteString("sources:\n")
	for _, s := range gencorpus.Sources() {
		fmt.Fprintf(&b, "  - {id: %s, name: %s, type: feed, url: %q, stance: %s, lang: %s, every: 1h, keep: all}\n",
			s.ID, s.Name, s.URL, s.Stance, s.Lang)
	}
	return b.String()
}

type serveResult struct {
	mem                      memory
	rate, indexMiB, p50, p95 float64
}

// memory is what a presswatch child used, in MiB.
type memory struct {
	// Peak is the kernel's high-water mark of the child's resident memory
	// (VmHWM), as the child printed it when its command ended (see
	// the peak memory line of cmd/presswatch), or as last sampled if that is
	// larger. The rusage of a waited-for child (ru_maxrss) cannot serve:
	// Go starts children with vfork, and at exec Linux keeps the parent's
	// high-water mark as the child's, so every child of a large bench
	// process seemed large. Peak counts the pages of the index files
	// Bleve maps, which the kernel may drop at any time.
	Peak float64
	// Anon is the largest private (anonymous) resident memory sampled:
	// what only the process can give back (Go heap, runtime, SQLite).
	Anon float64
	// File is the largest file-backed resident memory sampled: the
	// mapped pages of the index files and of the binary.
	File float64
}

// A memWatch samples a child's /proc/PID/status ten times a second.
type memWatch struct {
	done   chan struct{}
	result chan memory
	once   sync.Once
	m      memory
}

func watchMemory(pid int) *memWatch {
	w := &memWatch{done: make(chan struct{}), result: make(chan memory, 1)}
	go func() {
		var m memory
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if st, err := memstat.Read(pid); err == nil {
				m.Peak, m.Anon, m.File = max(m.Peak, st.Peak), max(m.Anon, st.Anon), max(m.File, st.File)
			}
			select {
			case <-w.done:
				w.result <- m
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// stop ends the sampling and returns what it saw; it may be called again.
func (w *memWatch) stop() memory {
	w.once.Do(func() {
		close(w.done)
		w.m = <-w.result
	})
	return w.m
}

var peakLine = regexp.MustCompile(`(?m)^peak memory: ([0-9.]+) MiB resident$`)

// finish waits for cmd to exit without reaping it, so that its PID cannot
// name another process while the sampling stops, then reaps it with
// cmd.Wait and returns its memory: the peak it printed on stderr, and
// the samples. It fails when the child printed no peak or when no sample
// of its private memory was read.
func finish(cmd *exec.Cmd, w *memWatch, stderr func() string) (memory, error) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			break // on another error cmd.Wait reports what happened
		}
	}
	m := w.stop()
	if err := cmd.Wait(); err != nil {
		return m, err
	}
	p := peakLine.FindStringSubmatch(stderr())
	if p == nil {
		return m, fmt.Errorf("the child printed no peak memory: %s", tail(stderr()))
	}
	reported, err := strconv.ParseFloat(p[1], 64)
	if err != nil || reported <= 0 {
		return m, fmt.Errorf("the child's peak memory %q is not a size", p[1])
	}
	m.Peak = max(m.Peak, reported)
	if m.Anon <= 0 {
		return m, fmt.Errorf("no sample of the child's memory was read from /proc/%d/status", cmd.Process.Pid)
	}
	return m, nil
}

var servingLine = regexp.MustCompile(`serving http://([0-9.:]+)/`)

// serveOnce runs one serve on data, with its index removed first when
// rebuild is set.
func serveOnce(ctx context.Context, e *Env, data, cfgPath string, n int, rebuild bool) (*serveResult, error) {
	if rebuild {
		if err := removeIndex(filepath.Join(data, "index.bleve")); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(n/100+120)*time.Second)
	defer cancel()
	cmd := e.presswatch(ctx, e.childEnv("serve"), syscall.SIGTERM, 30*time.Second, "serve", "--no-crawl", "--addr", "127.0.0.1:0", "--data", data, "--config", cfgPath, "--log-level", "warn")
	stderr := &heapTrace{}
	start := time.Now()
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
	// Ready when the catch-up is done: until then searches get 503.
	for {
		code, err := get(ctx, client, base+"/api/search?q=x")
		if err == nil && code == http.StatusOK {
			break
		}
		if err == nil && code != http.StatusServiceUnavailable {
			return nil, fmt.Errorf("/api/search answered %d while indexing", code)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("serve did not finish indexing in time: %s", tail(stderr.String()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	indexed := time.Since(start)
	var times []float64
	for i := range searchesPerRun {
		u := base + "/search?q=" + url.QueryEscape(scaleQueries[i%len(scaleQueries)])
		t0 := time.Now()
		code, err := get(ctx, client, u)
		if err != nil {
			return nil, err
		}
		if code != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d", u, code)
		}
		times = append(times, float64(time.Since(t0).Microseconds())/1000)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return nil, err
	}
	stopped = true
	m, err := finish(cmd, mem, stderr.String)
	if err != nil {
		return nil, fmt.Errorf("serve: %w: %s", err, tail(stderr.String()))
	}
	size, err := dirSize(filepath.Join(data, "index.bleve"))
	if err != nil {
		return nil, err
	}
	slices.Sort(times)
	return &serveResult{
		mem:      m,
		rate:     float64(n) / indexed.Seconds(),
		indexMiB: float64(size) / (1 << 20),
		p50:      times[len(times)/2],
		p95:      times[(len(times)-1)*95/100],
	}, nil
}

func get(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// removeIndex removes an index, following the link to its generation
// folder.
func removeIndex(path string) error {
	if target, err := filepath.EvalSymlinks(path); err == nil && target != path {
		if err := os.RemoveAll(target); err != nil {
			return err
		}
	}
	return os.RemoveAll(path)
}

// dirSize is the bytes of the files under path (a link is followed).
func dirSize(path string) (int64, error) {
	root, err := filepath.EvalSymlinks(path)
	if err != nil {
		return 0, err
	}
	var total int64
	err = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return err
	})
	return total, err
}

// tail is the end of a child's stderr, for an error message.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}
