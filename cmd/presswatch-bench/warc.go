package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// warcShape is the farm of the warc section: 2,000 articles, as in the
// ingest section, with a seed of its own.
var warcShape = farmShape{hosts: 50, feeds: 4, items: 10, seed: 5}

func warcSection() Section {
	return Section{
		Key:     "warc",
		Name:    "The WARC archive's cost: the same crawl with the archive off and on",
		Command: "go run ./cmd/presswatch-bench -only warc",
		Run:     func(ctx context.Context, e *Env) ([]Figure, error) { return runWARC(ctx, e, warcShape) },
	}
}

// runWARC serves the farm and, e.Runs times, crawls it twice into fresh
// data folders, once with `archive: {enabled: false}` and once with the
// archive on (the default), the order alternating from run to run so
// that neither always finds the machine warmer. It reports the CPU time
// per article of each, their ratio, and the archive's size per article.
func runWARC(ctx context.Context, e *Env, shape farmShape) ([]Figure, error) {
	fm, err := shape.start(e)
	if err != nil {
		return nil, err
	}
	defer fm.Close()
	n := shape.hosts * shape.feeds * shape.items
	dir := filepath.Join(e.Work, "warc")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cfgs := map[bool]string{false: filepath.Join(dir, "archive-off.yaml"), true: filepath.Join(dir, "archive-on.yaml")}
	if err := writeFarmConfig(fm, cfgs[false], ingestCrawl, "archive:\n  enabled: false\n"); err != nil {
		return nil, err
	}
	if err := writeFarmConfig(fm, cfgs[true], ingestCrawl, ""); err != nil {
		return nil, err
	}
	// Fetched once ahead: every page is rendered and cached before the
	// first crawl, so both crawls find the farm alike.
	pages, err := loadPages(ctx, fm.Items())
	if err != nil {
		return nil, err
	}
	var offCPU, onCPU, ratio, wallRatio, perArticle []float64
	for r := range e.Runs {
		order := []bool{false, true}
		if r%2 == 1 {
			order = []bool{true, false}
		}
		res := map[bool]*crawlResult{}
		for _, on := range order {
			data := filepath.Join(dir, fmt.Sprintf("data-%d-%s", r+1, onOff(on)))
			c, err := crawlOnce(ctx, e, cfgs[on], data)
			if err != nil {
				return nil, fmt.Errorf("run %d, archive %s: %w", r+1, onOff(on), err)
			}
			counts, err := storeCounts(ctx, data)
			if err != nil {
				return nil, err
			}
			if c.New != n || counts.Articles != n {
				return nil, fmt.Errorf("run %d, archive %s: %d new, %d stored; want %d", r+1, onOff(on), c.New, counts.Articles, n)
			}
			size, err := warcSize(filepath.Join(data, "warc"))
			if err != nil {
				return nil, err
			}
			if on != (size > 0) {
				return nil, fmt.Errorf("run %d, archive %s: data/warc holds %d bytes", r+1, onOff(on), size)
			}
			if on {
				perArticle = append(perArticle, float64(size)/1024/float64(n))
			}
			e.Log.Info("warc run", "run", r+1, "archive", onOff(on), "wall", c.Wall, "cpu", c.CPU, "warc_bytes", size)
			res[on] = c
			if err := os.RemoveAll(data); err != nil {
				return nil, err
			}
		}
		off, on := res[false], res[true]
		offCPU, onCPU = append(offCPU, 1000*off.CPU.Seconds()/float64(n)), append(onCPU, 1000*on.CPU.Seconds()/float64(n))
		ratio = append(ratio, on.CPU.Seconds()/off.CPU.Seconds())
		wallRatio = append(wallRatio, on.Wall.Seconds()/off.Wall.Seconds())
	}
	setting := fmt.Sprintf("%d articles from %d feeds on %d hosts, article pages %s KiB on average; crawl workers %d, per_host %d, min_delay %s; each crawl into a fresh data folder, the archive off then on in odd runs, on then off in even ones",
		n, shape.hosts*shape.feeds, shape.hosts, num(meanKiB(pages)), ingestCrawl.Workers, ingestCrawl.PerHost, ingestCrawl.MinDelay)
	return []Figure{
		{Name: "CPU time per article, archive on", Unit: "ms", Runs: onCPU,
			Base:  &Baseline{Name: "archive off (`archive: {enabled: false}`), same run", Runs: offCPU},
			Notes: "user + system time of `presswatch crawl` ÷ articles, start to exit (every article stored and indexed); " + setting},
		{Name: "CPU time, archive on ÷ off", Runs: ratio, Goal: &Target{Max: 1.10, Text: "at most 1.10"},
			Notes: "per run, the two crawls' CPU times divided"},
		{Name: "wall time, archive on ÷ off", Runs: wallRatio,
			Notes: "per run; politeness (one request at a time per host, min_delay) and the cores bound the wall time, not the archive"},
		{Name: "archive size per article", Unit: "KiB", Runs: perArticle,
			Notes: "the bytes of data/warc after the crawl with the archive on ÷ articles: every exchange's request and response records (robots.txt and the feeds included), each gzip-compressed as the archive writes them"},
	}, nil
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// warcSize is the bytes of the files under dir, 0 if there is no dir.
func warcSize(dir string) (int64, error) {
	size, err := dirSize(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return size, err
}
