package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"presswatch/crawler"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
)

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c   common
		ids listFlag
	)
	fs := newFlags("crawl", "[--config F] [--data DIR] [--source ID]...",
		"Reads every source (or the named ones) once: listings, then each new article.\n"+
			"Prints a line per source on stderr and a summary at the end. Ctrl-C, or\n"+
			"--max-time running out, stops cleanly: what was stored is indexed, and the\n"+
			"next crawl reads the rest. Each source's run also ends at crawl.run_budget.\n"+
			"While serve runs on the folder, its scheduler reads them now instead.", stdout, stderr)
	c.register(fs, true)
	fs.Var(&ids, "source", "read only this source `id` (repeatable)")
	maxTime := fs.Duration("max-time", 30*time.Minute, "stop reading after this `duration`; what was stored is indexed, and the next crawl reads the rest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *maxTime <= 0 {
		return fmt.Errorf("%w: --max-time must be positive, got %s", errUsage, *maxTime)
	}
	if lc := c.localServe(); lc != nil {
		return c.crawlThroughServe(ctx, lc, ids, *maxTime, stderr)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	log := c.logger(stderr)
	a, err := c.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	// The file's sources and the web UI's; a paused one only when named.
	all, err := a.sources(ctx, len(ids) > 0)
	if err != nil {
		return err
	}
	sources, err := pick(all, ids)
	if err != nil {
		return err
	}
	if err := a.catchUp(ctx, stderr); err != nil {
		return err
	}
	p, err := a.pipeline(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := p.Close(); err != nil {
			a.log.Error("closing the crawler", "error", err)
		}
	}()

	start := time.Now()
	var stored atomic.Int64
	// The crawl itself ends at --max-time; indexing what it stored does not.
	crawlCtx, stopCrawl := context.WithTimeoutCause(ctx, *maxTime, errMaxTime)
	defer stopCrawl()
	stopIndexing := indexWhileCrawling(ctx, a.indexer, &stored, log)
	total := crawlAll(crawlCtx, p.crawler, sources, cfg.Crawl.Workers, &stored, stderr)
	timedOut := context.Cause(crawlCtx) == errMaxTime
	indexing := stopIndexing()
	// Index what was stored, even after an interrupt: the store is the
	// truth, and an article stored but not indexed is only waiting.
	drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	indexStart := time.Now()
	_, drainErr := a.indexer.Drain(drainCtx)
	indexing += time.Since(indexStart)
	elapsed := time.Since(start)
	fmt.Fprintf(stderr, "\n%d sources: %d new, %d updated, %d unchanged, %d skipped (off-topic), %d failed items; %s\n",
		len(sources), total.New, total.Updated, total.Unchanged, total.Skipped, total.Failed, total.sourcesLine())
	fmt.Fprintf(stderr, "%s, %.1f new articles/s\n", elapsed.Round(time.Millisecond), float64(total.New)/elapsed.Seconds())
	st := total.Stages
	fmt.Fprintf(stderr, "stages: wait=%.3f fetch=%.3f parse=%.3f extract=%.3f store=%.3f index=%.3f (seconds, summed over workers)\n",
		st.Wait.Seconds(), st.Fetch.Seconds(), st.Parse.Seconds(), st.Extract.Seconds(), st.Store.Seconds(), indexing.Seconds())
	if drainErr != nil {
		return errors.Join(stoppedBy(total.fault, a), fmt.Errorf("indexing: %w", drainErr))
	}
	if total.fault != nil {
		return stoppedBy(total.fault, a)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "interrupted: the next crawl continues where this one stopped")
		return exitError{130}
	}
	if timedOut {
		fmt.Fprintf(stderr, "stopped after --max-time %s: the next crawl continues where this one stopped\n", *maxTime)
	}
	return nil
}

// crawlThroughServe has the serve running on the data folder read the
// sources now, in its own scheduler, with its configuration, and prints a
// line as each run ends and the summary a crawl prints. At --max-time or
// an interrupt it stops waiting; the runs go on in serve.
func (c *common) crawlThroughServe(ctx context.Context, lc *localClient, ids []string, maxTime time.Duration, stderr io.Writer) error {
	fmt.Fprintf(stderr, "presswatch serve is running on %s: its scheduler reads the sources now\n", c.data)
	if c.config != "" {
		fmt.Fprintf(stderr, "(with its own configuration, not %s)\n", c.config)
	}
	wait, stop := context.WithTimeoutCause(ctx, maxTime, errMaxTime)
	defer stop()
	var t totals
	n := 0
	err := lc.crawl(wait, ids, func(l runLine) {
		n++
		prefix := fmt.Sprintf("[%d] ", n)
		if len(ids) > 0 {
			prefix = fmt.Sprintf("[%d/%d] ", n, len(ids))
		}
		switch {
		case !l.Started:
			t.failedSources++
			fmt.Fprintf(stderr, "%s%s: %s\n", prefix, l.Source, l.Error)
			return
		case l.Error != "":
			t.failedSources++
		}
		t.New += l.New
		t.Updated += l.Updated
		t.Unchanged += l.Unchanged
		t.Skipped += l.Skipped
		t.Failed += l.Failed
		fmt.Fprintf(stderr, "%s%s\n", prefix, l.Report)
	})
	fmt.Fprintf(stderr, "\n%d sources read by serve: %d new, %d updated, %d unchanged, %d skipped (off-topic), %d failed items; %s\n",
		n, t.New, t.Updated, t.Unchanged, t.Skipped, t.Failed, t.sourcesLine())
	going := "the runs still going"
	if len(ids) > 0 {
		going = fmt.Sprintf("the %d runs still going", len(ids)-n)
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "interrupted: serve goes on with %s\n", going)
		return exitError{130}
	case context.Cause(wait) == errMaxTime:
		fmt.Fprintf(stderr, "stopped waiting after --max-time %s: serve goes on with %s\n", maxTime, going)
		return nil
	}
	return err
}

// errMaxTime is the cause of a crawl's context ending at --max-time.
var errMaxTime = errors.New("crawl: --max-time reached")

// indexEvery is how often a crawl looks whether a batch of stored
// articles waits for the index.
const indexEvery = time.Second

// indexWhileCrawling indexes the stored articles whenever a whole batch
// (ingest.BatchSize) of them waits, so that indexing overlaps fetching and
// extraction instead of following them. Smaller batches would cost more in
// Bleve's segment merges than they save (under a soft memory limit,
// index.Put still cuts a batch of long texts, for memory). stored counts
// the articles the finished runs stored or changed. The returned stop
// waits for a batch under way, ends the loop and returns the time spent
// indexing.
func indexWhileCrawling(ctx context.Context, x *ingest.Indexer, stored *atomic.Int64, log *slog.Logger) (stop func() time.Duration) {
	done, finished := make(chan struct{}), make(chan time.Duration)
	go func() {
		var (
			spent   time.Duration
			indexed int64 // stored when the last batch started
		)
		defer func() { finished <- spent }()
		t := time.NewTicker(indexEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			n := stored.Load()
			if n-indexed < ingest.BatchSize {
				continue
			}
			indexed = n
			start := time.Now()
			if _, err := x.Drain(ctx); err != nil && ctx.Err() == nil {
				log.Warn("indexing during the crawl failed; the end of the crawl tries again", "error", err)
			}
			spent += time.Since(start)
		}
	}()
	return func() time.Duration {
		close(done)
		return <-finished
	}
}

type totals struct {
	crawler.Report
	failedSources int   // sources whose run failed on their side
	stopped       int   // runs cut short by a fault of presswatch's own, an interrupt or --max-time
	notStarted    int   // sources left when the crawl was stopped
	fault         error // presswatch's own failure that stopped the crawl
}

// sourcesLine is the crawl summary's count of sources: failed counts only
// the sources' own failures; runs cut short and sources never started are
// said apart.
func (t totals) sourcesLine() string {
	s := fmt.Sprintf("%d sources failed", t.failedSources)
	if t.stopped > 0 {
		s += fmt.Sprintf(", %d stopped unfinished", t.stopped)
	}
	if t.notStarted > 0 {
		s += fmt.Sprintf(", %d not started", t.notStarted)
	}
	return s
}

// crawlAll runs the sources and prints a line as each finishes. Sources
// are started site by site in turn (see interleave), as many at once as
// there are sites, at least workers and at most 4 × workers: a source
// spends most of its run waiting for its site's politeness delay, holding
// nothing, while the fetcher keeps to workers requests in flight and to
// its per-host limits whatever this is.
// runsAtOnce is how many sources crawl and serve read at once: the
// configured workers, more when the sources are on more sites (a run
// mostly waits for its site's turn), at most four times the workers, so
// that the listings and items held at once stay bounded.
func runsAtOnce(workers int, sources []model.Source) int {
	workers = max(workers, 1)
	_, sites := interleave(sources)
	return min(max(sites, workers), 4*workers)
}

func crawlAll(ctx context.Context, cr *crawler.Crawler, sources []model.Source, workers int, stored *atomic.Int64, stderr io.Writer) totals {
	order, _ := interleave(sources)
	var (
		mu   sync.Mutex
		t    totals
		done int
		wg   sync.WaitGroup
		sem  = make(chan struct{}, runsAtOnce(workers, sources))
	)
	ctx, stop := context.WithCancel(ctx) // stopped by a fault of the store or the disk
	defer stop()
	for _, src := range order {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rep := cr.Run(ctx, src)
			mu.Lock()
			defer mu.Unlock()
			done++
			fmt.Fprintf(stderr, "[%d/%d] %s\n", done, len(sources), rep)
			t.New += rep.New
			t.Updated += rep.Updated
			t.Unchanged += rep.Unchanged
			t.Skipped += rep.Skipped
			t.Failed += rep.Failed
			t.Stages.Add(rep.Stages)
			stored.Add(int64(rep.New + rep.Updated))
			switch {
			case rep.Err == nil:
			case rep.OwnFault() || ctx.Err() != nil:
				t.stopped++ // by presswatch's own fault or the user, not the source's
			default:
				t.failedSources++
			}
			if rep.OwnFault() && t.fault == nil {
				t.fault = rep.Err // the next sources would fail alike
				stop()
			}
		}()
	}
	wg.Wait()
	t.notStarted = len(sources) - done
	return t
}

// interleave orders sources so that each host's sources are spread out:
// the first source of every host, in the order hosts first appear, then
// the second of every host, and so on; it also returns how many hosts
// there are. A configuration lists a site's feeds together; run in that
// order, every worker would wait for the same host while the others sat
// idle.
func interleave(sources []model.Source) ([]model.Source, int) {
	var (
		hosts  []string
		byHost = map[string][]model.Source{}
	)
	for _, s := range sources {
		h := s.URL
		if u, err := url.Parse(s.URL); err == nil {
			h = strings.ToLower(u.Host)
		}
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], s)
	}
	out := make([]model.Source, 0, len(sources))
	for round := 0; len(out) < len(sources); round++ {
		for _, h := range hosts {
			if round < len(byHost[h]) {
				out = append(out, byHost[h][round])
			}
		}
	}
	return out, len(hosts)
}

// pick returns the sources named by ids, or all of them.
func pick(all []model.Source, ids []string) ([]model.Source, error) {
	if len(ids) == 0 {
		return all, nil
	}
	var out []model.Source
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			continue // one source never runs twice at once
		}
		found := false
		for _, s := range all {
			if s.ID == id {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: no source %q in the configuration or among those added in the web UI", errUsage, id)
		}
	}
	return out, nil
}
