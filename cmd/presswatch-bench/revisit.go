package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"presswatch/internal/config"
	"presswatch/internal/farm"
)

// revisitShape is the farm of the revisit section: 10,000 articles, 100
// a host.
var revisitShape = farmShape{hosts: 100, feeds: 10, items: 10, seed: 4}

// Shares of the stored articles the farm changes before each revisit.
const (
	revisitEditShare   = 0.01
	revisitRemoveShare = 0.01
)

// revisitCrawl is the crawl configuration of the seeding crawl and of the
// revisits, which fetch through the same polite fetcher: one request at a
// time per host, min_delay between two to one host.
var revisitCrawl = config.Crawl{Workers: 16, PerHost: 1, MinDelay: 20 * time.Millisecond, Timeout: 30 * time.Second, MaxItems: 100}

// revisitWorkers is how many revisits run at once (revisit.workers; the
// default is 2, which suits serve's background passes of 300): enough to
// keep both cores busy while others wait on the wire.
const revisitWorkers = 8

func revisitSection() Section {
	return Section{
		Key:     "revisit",
		Name:    "Revisits: 10,000 stored articles read again, 1 % edited and 1 % removed at their source",
		Command: "go run ./cmd/presswatch-bench -only revisit",
		Run:     func(ctx context.Context, e *Env) ([]Figure, error) { return runRevisit(ctx, e, revisitShape) },
	}
}

// runRevisit crawls the farm once into a data folder (its full pages,
// stored and indexed), then, e.Runs times: copies that folder, has the
// farm edit and remove a share of the pages (another choice each run),
// runs `presswatch revisit --all` on the copy and checks what it reported
// against what the farm changed. A run that reports one article wrong
// fails the section.
func runRevisit(ctx context.Context, e *Env, shape farmShape) ([]Figure, error) {
	fm, err := shape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	n := shape.hosts * shape.feeds * shape.items
	dir := filepath.Join(e.Work, "revisit")
	seeded := filepath.Join(dir, "seeded")
	if err := os.MkdirAll(seeded, 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "revisit.yaml")
	extra := fmt.Sprintf("revisit:\n  workers: %d\n", revisitWorkers)
	if err := writeFarmConfig(fm, cfg, revisitCrawl, extra); err != nil {
		return nil, err
	}
	e.Log.Info("revisit: seeding the store with a crawl of the farm's full pages", "articles", n)
	seed, err := seedStore(ctx, e, cfg, seeded, n)
	if err != nil {
		return nil, err
	}
	items := fm.Items()

	var (
		wall, cpu, perArticle, flight, requests, rss, found []float64
		edits, removals                                     int
	)
	for r := range e.Runs {
		data := filepath.Join(dir, fmt.Sprintf("data-%d", r+1))
		if err := exec.CommandContext(ctx, "cp", "-a", seeded, data).Run(); err != nil {
			return nil, fmt.Errorf("copying the seeded data folder: %w", err)
		}
		m, err := fm.Mutate(revisitEditShare, revisitRemoveShare, uint64(r+1))
		if err != nil {
			return nil, err
		}
		fm.Render(m.Edited) // the farm's own work stays out of the measured pass
		fm.ResetStats()
		res, err := revisitOnce(ctx, e, cfg, data)
		if err != nil {
			return nil, fmt.Errorf("run %d: %w", r+1, err)
		}
		st := fm.Stats()
		if err := checkRevisit(res.outcomes, items, m); err != nil {
			return nil, fmt.Errorf("run %d: %w", r+1, err)
		}
		if st.Gone != int64(len(m.Removed)) || st.Edited != int64(len(m.Edited)) || st.Pages != int64(n-len(m.Removed)) {
			return nil, fmt.Errorf("run %d: the farm served %d pages, %d of them edited, and %d 404s; want %d, %d and %d",
				r+1, st.Pages, st.Edited, st.Gone, n-len(m.Removed), len(m.Edited), len(m.Removed))
		}
		e.Log.Info("revisit run", "run", r+1, "wall", res.wall, "cpu", res.cpu, "requests", st.Requests,
			"max_in_flight", st.MaxInFlight, "edited", len(m.Edited), "removed", len(m.Removed), "peak_rss_mib", res.mem.Peak)
		wall, cpu = append(wall, res.wall.Seconds()), append(cpu, res.cpu.Seconds())
		perArticle = append(perArticle, 1000*res.cpu.Seconds()/float64(n))
		flight, requests = append(flight, float64(st.MaxInFlight)), append(requests, float64(st.Requests))
		rss, found = append(rss, res.mem.Peak), append(found, float64(len(m.Edited)+len(m.Removed)))
		edits, removals = len(m.Edited), len(m.Removed)
		if err := os.RemoveAll(data); err != nil {
			return nil, err
		}
	}
	setting := fmt.Sprintf("%d articles on %d hosts (127.77.x.y), stored by one crawl of the farm's full news pages; revisit workers %d, per_host %d, min_delay %s; the WARC archive on, as by default",
		n, shape.hosts, revisitWorkers, revisitCrawl.PerHost, revisitCrawl.MinDelay)
	return []Figure{
		{Name: "revisit of every article: wall time", Unit: "s", Runs: wall,
			Notes: fmt.Sprintf("`presswatch revisit --all` as a child process, start to exit (the index updated); %s", setting)},
		{Name: "revisit: CPU time", Unit: "s", Runs: cpu,
			Notes: "user + system time of the revisit process (rusage); the farm runs in the bench process and is not counted"},
		{Name: "revisit: CPU time per article", Unit: "ms", Runs: perArticle,
			Notes: "every page is fetched in full and extracted again: the crawl keeps no validators of an article's page for its first revisit, and the farm's article pages send none"},
		{Name: "revisit: most requests in flight at one host", Runs: flight, Goal: &Target{Max: 1, Text: "never more than one request at a time per host"},
			Notes: fmt.Sprintf("counted by the farm: requests received and not yet answered, the largest of the %d hosts", shape.hosts)},
		{Name: "revisit: requests", Runs: requests,
			Notes: fmt.Sprintf("%d article pages (the removed ones answering 404) and one robots.txt per host", n)},
		{Name: "revisit: edits and removals found", Runs: found,
			Notes: fmt.Sprintf("before each run the farm edits %d pages (farm.Mutate: the first number of the article's text raised by two, \"14 killed\" becoming \"16 killed\") and removes %d (404), picked by a hash of the URL seeded with the run's number; the other %d are served byte for byte as crawled. Every run reported exactly the edited ones `edited`, the removed ones `removed` and every other article `unchanged`, or the section would have failed", edits, removals, n-edits-removals)},
		{Name: "revisit: peak RSS", Unit: "MiB", Runs: rss,
			Notes: "the kernel's high-water mark of the revisit process's resident memory (VmHWM), as it printed it when it ended"},
		{Name: "revisit: seeding crawl (not a target)", Unit: "s", Runs: []float64{seed.Wall.Seconds()},
			Notes: fmt.Sprintf("once per section (one run): `presswatch crawl` of the %d articles into the data folder each run copies, crawl workers %d", n, revisitCrawl.Workers)},
	}, nil
}

// revisitResult is what one `presswatch revisit --all` child did.
type revisitResult struct {
	wall, cpu time.Duration
	mem       memory
	outcomes  map[string]string // by URL
}

var revisitSummary = regexp.MustCompile(`(?m)^(\d+) revisits: (\d+) unchanged, (\d+) edited, (\d+) removed, \d+ back, \d+ moved, \d+ completed, (\d+) failed; `)

// revisitOnce runs `presswatch revisit --all` on data and reads the
// outcome it printed for each article.
func revisitOnce(ctx context.Context, e *Env, cfg, data string) (*revisitResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.Bin, "revisit", "--all", "--config", cfg, "--data", data, "--log-level", "warn")
	cmd.Env = e.childEnv("revisit")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = time.Minute
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("presswatch revisit: %w", err)
	}
	used, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String)
	wall := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("presswatch revisit: %v: %s", err, tail(stderr.String()))
	}
	if revisitSummary.FindString(stderr.String()) == "" {
		return nil, fmt.Errorf("presswatch revisit printed no summary: %s", tail(stderr.String()))
	}
	res := &revisitResult{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), mem: used,
		outcomes: map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("presswatch revisit printed %q, not outcome, id and URL", sc.Text())
		}
		if _, dup := res.outcomes[f[2]]; dup {
			return nil, fmt.Errorf("presswatch revisit reported %s twice", f[2])
		}
		res.outcomes[f[2]] = f[0]
	}
	return res, nil
}

// checkRevisit holds what a revisit reported, by URL, to what the farm
// changed: exactly the edited pages edited, the removed ones removed, and
// every other announced article unchanged.
func checkRevisit(outcomes map[string]string, items []farm.Item, m farm.Mutation) error {
	want := map[string]string{}
	for _, it := range items {
		want[it.URL] = "unchanged"
	}
	for _, it := range m.Edited {
		want[it.URL] = "edited"
	}
	for _, it := range m.Removed {
		want[it.URL] = "removed"
	}
	var wrong []string
	for u, w := range want {
		if got := outcomes[u]; got != w {
			wrong = append(wrong, fmt.Sprintf("%s: %q, want %q", u, got, w))
		}
	}
	for u, got := range outcomes {
		if _, ok := want[u]; !ok {
			wrong = append(wrong, fmt.Sprintf("%s: %q, an article the farm does not announce", u, got))
		}
	}
	if len(wrong) > 0 {
		slices.Sort(wrong)
		return fmt.Errorf("the revisit reported %d of %d articles wrong (the farm edited %d and removed %d), among them: %s",
			len(wrong), len(want), len(m.Edited), len(m.Removed), strings.Join(wrong[:min(5, len(wrong))], "; "))
	}
	return nil
}

// writeFarmConfig writes the farm's configuration with crawl, followed by
// extra top-level YAML (a revisit or archive block).
func writeFarmConfig(fm *farm.Farm, path string, crawl config.Crawl, extra string) error {
	b := append(fm.Config(crawl), extra...)
	if _, err := config.Parse(b, path); err != nil {
		return fmt.Errorf("the farm's configuration: %w", err)
	}
	return os.WriteFile(path, b, 0o644)
}
