package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/config"
	"presswatch/internal/farm"
	"presswatch/internal/quality"
	"presswatch/internal/store"
)

// minifluxSource is where the Miniflux figures come from.
const minifluxSource = "published, this project's 2-core machine"

// pollShape is the farm of the polling section, as issue 5 sets it.
var pollShape = farmShape{hosts: 200, feeds: 10, items: 20, seed: 1}

// pollCrawl is the crawl configuration of the measured passes: one
// request at a time per host, 250 ms between the starts of two requests to
// one host, as a deployment polling 10 feeds of a site could run.
var pollCrawl = config.Crawl{Workers: 32, PerHost: 1, MinDelay: 250 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

// seedCrawl fills the store before the measured passes. The politeness
// delay is short since the seeding is not measured; everything else is
// as in pollCrawl.
var seedCrawl = config.Crawl{Workers: 32, PerHost: 1, MinDelay: 2 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

type farmShape struct {
	hosts, feeds, items int
	seed                uint64
	pages               [][]byte // real article pages (farm.Options.Pages); nil: generated ones
	about               string   // what the pages are, for the notes
}

func (s farmShape) start(e *Env) (*farm.Farm, error) {
	return farm.Start(farm.Options{Hosts: s.hosts, FeedsPerHost: s.feeds, ItemsPerFeed: s.items, Format: farm.Mixed,
		Sentences: filepath.Join(e.Corpus, "lingua-sentences"), Seed: s.seed, MaxLife: farm.MaxLife, Pages: s.pages})
}

func pollSection() Section {
	return Section{
		Key:     "poll",
		Name:    "Polling at scale: 2,000 feeds on 200 hosts, against Miniflux",
		Command: "go run ./cmd/presswatch-bench -only poll",
		Run:     func(ctx context.Context, e *Env) ([]Figure, error) { return runPoll(ctx, e, pollShape) },
	}
}

// runPoll serves the farm, brings a store to the steady state (every
// announced item known, every feed's validators saved) with one crawl of
// tiny article pages, then, e.Runs times, measures a crawl in which every
// feed answers 304, advances every feed by one item, and measures the
// crawl that fetches, extracts, stores and indexes the new articles. Each
// run starts from the state the previous one left, as a deployment's
// successive polls do.
func runPoll(ctx context.Context, e *Env, shape farmShape) ([]Figure, error) {
	fm, err := shape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	dir := filepath.Join(e.Work, "poll")
	data := filepath.Join(dir, "data")
	seedCfg, cfg := filepath.Join(dir, "seed.yaml"), filepath.Join(dir, "poll.yaml")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	if err := fm.WriteConfig(seedCfg, seedCrawl); err != nil {
		return nil, err
	}
	if err := fm.WriteConfig(cfg, pollCrawl); err != nil {
		return nil, err
	}
	nfeeds, nitems := shape.hosts*shape.feeds, shape.hosts*shape.feeds*shape.items

	fm.SetTinyPages(true)
	e.Log.Info("poll: seeding the store with a crawl of tiny pages", "feeds", nfeeds, "items", nitems)
	seed, err := seedStore(ctx, e, seedCfg, data, nitems)
	if err != nil {
		return nil, err
	}
	fm.SetTinyPages(false)

	var (
		nmWall, nmCPU, nmReq, nmFlight []float64
		adWall, adCPU, adReq, adFlight []float64
		adRSS                          []float64
	)
	for r := range e.Runs {
		fm.ResetStats()
		nm, err := crawlOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("304 pass, run %d: %w", r+1, err)
		}
		st := fm.Stats()
		if st.NotModified != int64(nfeeds) || nm.New != 0 {
			return nil, fmt.Errorf("304 pass, run %d: %d of %d feeds answered 304, %d new articles", r+1, st.NotModified, nfeeds, nm.New)
		}
		e.Log.Info("poll: 304 pass", "run", r+1, "wall", nm.Wall, "cpu", nm.CPU, "requests", st.Requests, "max_in_flight", st.MaxInFlight)
		nmWall, nmCPU = append(nmWall, nm.Wall.Seconds()), append(nmCPU, nm.CPU.Seconds())
		nmReq, nmFlight = append(nmReq, float64(st.Requests)), append(nmFlight, float64(st.MaxInFlight))

		if err := fm.Advance(1); err != nil {
			return nil, err
		}
		fm.Render(fm.NewestItems(1)) // the farm's own work stays out of the measured pass
		fm.ResetStats()
		ad, err := crawlOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("new-item pass, run %d: %w", r+1, err)
		}
		st = fm.Stats()
		if ad.New != nfeeds || ad.Failed != 0 || st.Pages != int64(nfeeds) {
			return nil, fmt.Errorf("new-item pass, run %d: %d new articles, %d failed, %d pages fetched; want %d, 0, %d",
				r+1, ad.New, ad.Failed, st.Pages, nfeeds, nfeeds)
		}
		e.Log.Info("poll: new-item pass", "run", r+1, "wall", ad.Wall, "cpu", ad.CPU, "requests", st.Requests,
			"max_in_flight", st.MaxInFlight, "stages", ad.Stages)
		adWall, adCPU, adRSS = append(adWall, ad.Wall.Seconds()), append(adCPU, ad.CPU.Seconds()), append(adRSS, ad.Mem.Peak)
		adReq, adFlight = append(adReq, float64(st.Requests)), append(adFlight, float64(st.MaxInFlight))
	}

	setting := fmt.Sprintf("crawl workers %d, per_host %d, min_delay %s", pollCrawl.Workers, pollCrawl.PerHost, pollCrawl.MinDelay)
	farmText := fmt.Sprintf("%d feeds on %d hosts (127.77.x.y), %d items each, RSS and Atom in turn", nfeeds, shape.hosts, shape.items)
	one := &Target{Max: 1, Text: "never more than one request at a time per host"}
	return []Figure{
		{Name: "304 pass: wall time", Unit: "s", Runs: nmWall,
			Base:  &Baseline{Name: "Miniflux", Anchor: 7.7, Source: minifluxSource},
			Goal:  &Target{Max: 1.5 * 7.7, Text: "at most 1.5 × Miniflux's 7.7 s"},
			Notes: fmt.Sprintf("`presswatch crawl` as a child process, start to exit, every feed answering 304; %s; %s; the store seeded as described below", farmText, setting)},
		{Name: "304 pass: CPU time", Unit: "s", Runs: nmCPU,
			Base:  &Baseline{Name: "Miniflux (with its PostgreSQL)", Anchor: 13.8, Source: minifluxSource},
			Goal:  &Target{Max: 13.8 / 2, Text: "at most half of Miniflux's 13.8 CPU-s"},
			Notes: "user + system time of the crawl process (rusage); the farm runs in the bench process and is not counted"},
		{Name: "304 pass: most requests in flight at one host", Runs: nmFlight, Goal: one,
			Notes: "counted by the farm: requests received and not yet answered, the largest of the " + fmt.Sprint(shape.hosts) + " hosts"},
		{Name: "304 pass: requests", Runs: nmReq,
			Notes: fmt.Sprintf("%d conditional feed requests plus one robots.txt per host (the crawl process starts with no robots.txt cache)", nfeeds)},
		{Name: "new-item pass: wall time", Unit: "s", Runs: adWall,
			Base:  &Baseline{Name: "Miniflux (no extraction)", Anchor: 99, Source: minifluxSource},
			Goal:  &Target{Max: 99, Text: "less than Miniflux's 99 s, with the 2,000 articles extracted"},
			Notes: fmt.Sprintf("after the farm's Advance(1): %d feeds answer 200 with one new item each; the crawl fetches, extracts, stores and indexes the %d new full news pages before it exits; %s", nfeeds, nfeeds, setting)},
		{Name: "new-item pass: CPU time", Unit: "s", Runs: adCPU,
			Base:  &Baseline{Name: "Miniflux (with its PostgreSQL, no extraction)", Anchor: 184, Source: minifluxSource},
			Notes: "user + system time of the crawl process"},
		{Name: "new-item pass: most requests in flight at one host", Runs: adFlight, Goal: one,
			Notes: "counted by the farm, the largest of the " + fmt.Sprint(shape.hosts) + " hosts"},
		{Name: "new-item pass: requests", Runs: adReq,
			Notes: fmt.Sprintf("%d feeds, %d article pages and one robots.txt per host", nfeeds, nfeeds)},
		{Name: "new-item pass: peak RSS", Unit: "MiB", Runs: adRSS, Notes: "the kernel's high-water mark of the crawl process's resident memory (VmHWM), as the crawl printed it when it ended"},
		{Name: "steady state: seeding crawl (not a target)", Unit: "s", Runs: []float64{seed.Wall.Seconds()},
			Notes: fmt.Sprintf("once per section (one run): a crawl of the %d announced items with the farm serving tiny article pages (title and one short paragraph) and min_delay %s, which leaves exactly what a crawl leaves: the items known, every feed's ETag and Last-Modified saved, the articles stored and indexed", nitems, seedCrawl.MinDelay)},
	}, nil
}

// seedStore crawls until every one of the n announced items is stored, as
// a deployment's next runs retry what failed (a page that timed out on a
// loaded machine), at most three crawls. It returns the first crawl, and
// fails unless the last one had nothing left to fail.
func seedStore(ctx context.Context, e *Env, cfg, data string, n int) (*crawlResult, error) {
	var first *crawlResult
	stored := 0
	for try := 1; try <= 3; try++ {
		res, err := crawlOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("seeding crawl: %w", err)
		}
		if first == nil {
			first = res
		}
		stored += res.New
		e.Log.Info("poll: seeding crawl", "try", try, "new", res.New, "failed", res.Failed, "wall", res.Wall, "cpu", res.CPU)
		if res.Failed > 0 {
			e.Log.Warn("poll: seeding crawl failures", "stderr", failedLines(res.Stderr))
		}
		if stored == n && res.Failed == 0 {
			return first, nil
		}
	}
	return nil, fmt.Errorf("seeding crawls stored %d articles, want %d", stored, n)
}

// failedLines picks the log lines about failed items from a crawl's stderr.
func failedLines(stderr string) string {
	var out []string
	for line := range strings.Lines(stderr) {
		if strings.Contains(line, "failed") && strings.Contains(line, "level=") && len(out) < 5 {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return strings.Join(out, " | ")
}

// crawlResult is what one `presswatch crawl` child did.
type crawlResult struct {
	Wall, CPU               time.Duration
	Mem                     memory
	New, Failed, FailedSrcs int
	Stages                  map[string]float64 // seconds, summed over workers: wait, fetch, parse, extract, store, index
	Stderr                  string
}

var (
	summaryLine = regexp.MustCompile(`(?m)^(\d+) sources: (\d+) new, \d+ updated, \d+ unchanged, \d+ skipped \(off-topic\), (\d+) failed items; (\d+) sources failed$`)
	stagesLine  = regexp.MustCompile(`(?m)^stages: (.*) \(seconds`)
)

// crawlOnce runs `presswatch crawl` on data and reads its summary.
func crawlOnce(ctx context.Context, e *Env, cfg, data string) (*crawlResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.Bin, "crawl", "--config", cfg, "--data", data, "--log-level", "warn")
	cmd.Env = e.childEnv("crawl")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = time.Minute
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("presswatch crawl: %w", err)
	}
	used, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String)
	wall := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("presswatch crawl: %v: %s", err, tail(stderr.String()))
	}
	res := &crawlResult{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), Mem: used, Stderr: stderr.String()}
	m := summaryLine.FindStringSubmatch(res.Stderr)
	if m == nil {
		return nil, fmt.Errorf("presswatch crawl printed no summary: %s", tail(res.Stderr))
	}
	res.New, _ = strconv.Atoi(m[2])
	res.Failed, _ = strconv.Atoi(m[3])
	res.FailedSrcs, _ = strconv.Atoi(m[4])
	if res.FailedSrcs > 0 {
		return nil, fmt.Errorf("presswatch crawl: %s sources failed: %s", m[4], tail(res.Stderr))
	}
	if s := stagesLine.FindStringSubmatch(res.Stderr); s != nil {
		res.Stages = map[string]float64{}
		for _, kv := range strings.Fields(s[1]) {
			k, v, _ := strings.Cut(kv, "=")
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				res.Stages[k] = f
			}
		}
	}
	return res, nil
}

// storeCounts reads how many articles data's store holds and how many of
// them wait for the index.
func storeCounts(ctx context.Context, data string) (store.Counts, error) {
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		return store.Counts{}, err
	}
	defer st.Close()
	return st.Counts(ctx)
}

// ingestShape is the farm of the ingest section: 2,000 articles, 40 per
// host, so that politeness (44 requests a host) does not bound a run.
var ingestShape = farmShape{hosts: 50, feeds: 4, items: 10, seed: 2}

// ingestCrawl is the crawl configuration of the ingest runs.
var ingestCrawl = config.Crawl{Workers: 16, PerHost: 1, MinDelay: 100 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

func ingestSection() Section {
	return Section{
		Key:     "ingest",
		Name:    "End-to-end ingest: from feed announced to searchable, against extraction alone",
		Command: "go run ./cmd/presswatch-bench -only ingest",
		Run:     func(ctx context.Context, e *Env) ([]Figure, error) { return runIngest(ctx, e, ingestShape) },
	}
}

// realPerHost is how many real pages each host of the real-page farm
// serves: as in ingestShape, four feeds of ten items.
const realPerHost = 40

func ingestRealSection() Section {
	return Section{
		Key:     "real",
		Name:    "End-to-end ingest of real news pages: from feed announced to searchable, against extraction alone",
		Command: "go run ./cmd/presswatch-bench -only real",
		Run: func(ctx context.Context, e *Env) ([]Figure, error) {
			shape, err := realShape(ctx, e, 0)
			if err != nil {
				return nil, err
			}
			return runIngest(ctx, e, shape)
		},
	}
}

// realShape is the farm of the real-page ingest: the news pages of the
// corpus's main-text set that presswatch extracts to a text, as many
// hosts of realPerHost as they fill (at most hosts, if hosts > 0). A page
// without text would make no article; the crawl must store every page
// served as a new one, or runIngest fails.
func realShape(ctx context.Context, e *Env, hosts int) (farmShape, error) {
	all, err := quality.NewsPages(ctx, e.Corpus)
	if err != nil {
		return farmShape{}, err
	}
	ok := make([]bool, len(all))
	texts := make([]string, len(all))
	parallel(len(all), func(i int) error {
		html, _, _ := fetch.DecodeHTML(all[i].Raw, "text/html")
		res, err := extract.Page(html, all[i].URL)
		ok[i] = err == nil && strings.TrimSpace(res.Text) != ""
		if ok[i] {
			texts[i] = res.Text
		}
		return nil
	})
	// The set holds two captures of one article more than once; the
	// store keeps one copy of a text, so only the first is served.
	var pages [][]byte
	seen := map[string]bool{}
	for i, p := range all {
		if ok[i] && !seen[texts[i]] {
			seen[texts[i]] = true
			pages = append(pages, p.Raw)
		}
	}
	n := len(pages) / realPerHost
	if hosts > 0 {
		n = min(n, hosts)
	}
	if n == 0 {
		return farmShape{}, fmt.Errorf("%d of the %d pages of %s extract to a text; %d are needed", len(pages), len(all), quality.TextSet, realPerHost)
	}
	return farmShape{hosts: n, feeds: 4, items: realPerHost / 4, seed: 3, pages: pages[:n*realPerHost],
		about: fmt.Sprintf("the article pages are real news pages of %s: %d of its %d extract to a text of their own, and the first %d of them (whole hosts of %d) are served",
			quality.TextSet, len(pages), len(all), n*realPerHost, realPerHost)}, nil
}

// meanKiB is the mean size of the pages.
func meanKiB(pages []farmPage) float64 {
	var sum int
	for _, p := range pages {
		sum += len(p.body)
	}
	return float64(sum) / float64(max(len(pages), 1)) / 1024
}

// stageNames are the stages the crawl reports, in pipeline order.
var stageNames = []string{"fetch", "parse", "extract", "store", "index"}

// runIngest serves the farm and, e.Runs times, first extracts every
// article page alone (pages fetched once into memory, fetch.DecodeHTML
// and extract.Page on as many goroutines as cores, in this process), then
// crawls the farm into a fresh data folder with `presswatch crawl`, which
// exits once the index holds every article.
func runIngest(ctx context.Context, e *Env, shape farmShape) ([]Figure, error) {
	fm, err := shape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	n := shape.hosts * shape.feeds * shape.items
	// A folder of its own per farm: the ingest and real sections run in
	// one invocation, and each run must start from an empty data folder.
	dir, err := os.MkdirTemp(e.Work, "ingest-")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "ingest.yaml")
	if err := fm.WriteConfig(cfg, ingestCrawl); err != nil {
		return nil, err
	}
	pages, err := loadPages(ctx, fm.Items())
	if err != nil {
		return nil, err
	}
	var (
		e2e, alone, ratio, flight, wait []float64
		cpuE2E, cpuAlone, cpuRatio, rss []float64
		plainWall, plainRatio, cpuPlain []float64
		shares                          = map[string][]float64{}
	)
	for r := range e.Runs {
		// The two extractions alone take turns going first.
		var rate, plainRate float64
		var cpu, plainCPU time.Duration
		for i := range 2 {
			if (i+r)%2 == 0 {
				rate, cpu, err = extractAlone(pages)
			} else {
				plainRate, plainCPU, err = plainAlone(pages)
			}
			if err != nil {
				return nil, err
			}
		}
		data := filepath.Join(dir, fmt.Sprintf("data-%d", r+1))
		fm.ResetStats()
		res, err := crawlOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("run %d: %w", r+1, err)
		}
		c, err := storeCounts(ctx, data)
		if err != nil {
			return nil, err
		}
		if res.New != n || c.Articles != n || c.Unindexed != 0 {
			return nil, fmt.Errorf("run %d: %d new, %d stored, %d not indexed; want %d stored and indexed", r+1, res.New, c.Articles, c.Unindexed, n)
		}
		if res.Stages == nil {
			return nil, fmt.Errorf("run %d: the crawl printed no stage times", r+1)
		}
		st := fm.Stats()
		e.Log.Info("ingest run", "run", r+1, "wall", res.Wall, "rate", float64(n)/res.Wall.Seconds(), "extraction_alone", rate,
			"cpu", res.CPU, "peak_rss_mib", res.Mem.Peak,
			"max_in_flight", st.MaxInFlight, "stages", res.Stages)
		e2e, alone = append(e2e, float64(n)/res.Wall.Seconds()), append(alone, rate)
		cpuE2E, cpuAlone = append(cpuE2E, 1000*res.CPU.Seconds()/float64(n)), append(cpuAlone, 1000*cpu.Seconds()/float64(n))
		cpuRatio = append(cpuRatio, cpu.Seconds()/res.CPU.Seconds())
		rss = append(rss, res.Mem.Peak)
		ratio = append(ratio, float64(n)/res.Wall.Seconds()/rate)
		plainWall, cpuPlain = append(plainWall, float64(n)/res.Wall.Seconds()/plainRate), append(cpuPlain, 1000*plainCPU.Seconds()/float64(n))
		plainRatio = append(plainRatio, plainCPU.Seconds()/res.CPU.Seconds())
		flight, wait = append(flight, float64(st.MaxInFlight)), append(wait, res.Stages["wait"])
		var sum float64
		for _, s := range stageNames {
			sum += res.Stages[s]
		}
		for _, s := range stageNames {
			shares[s] = append(shares[s], 100*res.Stages[s]/sum)
		}
	}
	setting := fmt.Sprintf("%d articles from %d feeds on %d hosts; crawl workers %d, per_host %d, min_delay %s",
		n, shape.hosts*shape.feeds, shape.hosts, ingestCrawl.Workers, ingestCrawl.PerHost, ingestCrawl.MinDelay)
	if shape.about != "" {
		setting += "; " + shape.about
	}
	setting += fmt.Sprintf("; article pages %s KiB on average", num(meanKiB(pages)))
	figs := []Figure{
		{Name: "end-to-end ingest rate", Unit: "articles/s", Runs: e2e,
			Base:  &Baseline{Name: "extraction alone, same pages, same run", Runs: alone},
			Notes: fmt.Sprintf("articles ÷ wall time of `presswatch crawl` in a fresh data folder, start to exit (it exits once the index holds them all); %s; extraction alone: fetch.DecodeHTML + extract.Page on %d goroutines over the pages held in memory", setting, cpus())},
		{Name: "end-to-end ÷ extraction alone", Runs: ratio, Goal: &Target{Min: 0.8, Text: "at least 80 % of the extraction-only rate"},
			Notes: "per run, both measured back to back; on a machine other work keeps busy this favours the crawl, whose process gets more of the cores than two extracting goroutines do (see the CPU ratio)"},
		{Name: "end-to-end ÷ extraction alone, by CPU time", Runs: cpuRatio, Goal: &Target{Min: 0.8, Text: "at least 80 % of the extraction-only rate"},
			Notes: "extraction alone's CPU time ÷ the crawl's, per run: the ratio of the two rates when both have the cores to themselves"},
		{Name: "end-to-end ÷ plain go-trafilatura alone", Runs: plainWall,
			Notes: fmt.Sprintf("the crawl's rate ÷ plain go-trafilatura's alone (fetch.DecodeHTML + html.Parse + trafilatura.ExtractDocument with its default options, comments excluded, on %d goroutines over the pages held in memory), per run; it and presswatch's extraction alone take turns going first; as above, on a busy machine this favours the crawl", cpus())},
		{Name: "end-to-end ÷ plain go-trafilatura alone, by CPU time", Runs: plainRatio, Goal: &Target{Min: 0.6, Text: "at least 0.6 of plain go-trafilatura's rate"},
			Notes: "plain go-trafilatura's CPU time ÷ the crawl's, per run: what the crawl gets from the cores against a user running the library alone on the same pages"},
		{Name: "CPU time per article, against plain go-trafilatura", Unit: "ms", Runs: cpuE2E,
			Base:  &Baseline{Name: "plain go-trafilatura alone, same pages, same run", Runs: cpuPlain},
			Notes: "the crawl's CPU time per article as above; plain go-trafilatura: this process's rusage over its extraction"},
		{Name: "most requests in flight at one host", Runs: flight, Goal: &Target{Max: 1, Text: "never more than one request at a time per host"},
			Notes: "counted by the farm, the largest of its hosts"},
		{Name: "CPU time per article", Unit: "ms", Runs: cpuE2E,
			Base:  &Baseline{Name: "extraction alone, same pages, same run", Runs: cpuAlone},
			Notes: "user + system time of the crawl process ÷ articles; extraction alone: this process's rusage over the extraction, with the farm idle"},
	}
	for _, s := range stageNames {
		figs = append(figs, Figure{Name: "share of stage time: " + s, Unit: "%", Runs: shares[s],
			Notes: stageNote[s]})
	}
	figs = append(figs, Figure{Name: "peak RSS of the crawl", Unit: "MiB", Runs: rss, Notes: "the kernel's high-water mark of the crawl process's resident memory (VmHWM), as the crawl printed it when it ended"})
	figs = append(figs, Figure{Name: "politeness waits, summed over workers", Unit: "s", Runs: wait,
		Notes: "time requests spent waiting for their host's turn (min_delay, one at a time), not counted in the shares"})
	return figs, nil
}

var stageNote = map[string]string{
	"fetch":   "each stage's time summed over the crawl's goroutines (printed by crawl on its stages: line), as a share of the five; fetch is the time on the wire as the client sees it, which on two busy cores includes waiting for a core, so it overstates the network",
	"parse":   "reading the feeds (gofeed)",
	"extract": "fetch.DecodeHTML + extract.Page, at most GOMAXPROCS pages at once",
	"store":   "known-item checks, storing documents (the ingester's lock included), fetch records and source health in SQLite",
	"index":   "Bleve batches of 500 during the crawl and the rest at its end",
}

// farmPage is an article page held in memory.
type farmPage struct {
	url, ctype string
	body       []byte
}

// loadPages fetches every item's page once.
func loadPages(ctx context.Context, items []farm.Item) ([]farmPage, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	out := make([]farmPage, 0, len(items))
	for _, it := range items {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, it.URL, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d %v", it.URL, resp.StatusCode, err)
		}
		out = append(out, farmPage{url: it.URL, ctype: resp.Header.Get("Content-Type"), body: body})
	}
	return out, nil
}

func cpus() int { return runtime.GOMAXPROCS(0) }

// extractAlone decodes and extracts every page on cpus() goroutines and
// returns pages per second and the CPU time it took.
func extractAlone(pages []farmPage) (float64, time.Duration, error) {
	cpu0, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	err = parallel(len(pages), func(i int) error {
		html, _, _ := fetch.DecodeHTML(pages[i].body, pages[i].ctype)
		_, err := extract.Page(html, pages[i].url)
		return err
	})
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("extraction alone: %w", err)
	}
	cpu1, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	return float64(len(pages)) / took.Seconds(), cpu1 - cpu0, nil
}

// plainAlone is extractAlone with plain go-trafilatura instead of
// extract.Page: its default options, comments excluded, as in the
// quality section's baseline. A page it finds no text in is no error:
// only a page URL that does not parse is.
func plainAlone(pages []farmPage) (float64, time.Duration, error) {
	cpu0, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	err = parallel(len(pages), func(i int) error {
		page, _, _ := fetch.DecodeHTML(pages[i].body, pages[i].ctype)
		u, err := url.Parse(pages[i].url)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			return fmt.Errorf("%s: %w", pages[i].url, err)
		}
		// A page it finds no text in cost its CPU all the same.
		trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, ExcludeComments: true})
		return nil
	})
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("plain go-trafilatura alone: %w", err)
	}
	cpu1, err := selfCPU()
	if err != nil {
		return 0, 0, err
	}
	return float64(len(pages)) / took.Seconds(), cpu1 - cpu0, nil
}

// parallel calls fn for 0 to n-1 on cpus() goroutines, each taking the
// next i until none is left or a call has failed; it returns the first
// error.
func parallel(n int, fn func(i int) error) error {
	var (
		next   atomic.Int64
		failed atomic.Bool
		first  error
		once   sync.Once
		wg     sync.WaitGroup
	)
	for range cpus() {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n && !failed.Load(); i = int(next.Add(1)) - 1 {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return first
}

// selfCPU is the user + system time this process has used.
func selfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
