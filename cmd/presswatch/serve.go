package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"presswatch/crawler"
	"presswatch/internal/config"
	"presswatch/internal/digest"
	"presswatch/internal/metrics"
	"presswatch/internal/model"
	"presswatch/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("serve", "[--config F] [--data DIR] [--addr 127.0.0.1:8080]",
		"Runs the scheduler (every source at its interval) and the web server in one\n"+
			"process. SIGINT or SIGTERM stops both: running source reads are cancelled\n"+
			"and what was stored is indexed before exit.", stdout, stderr)
	c.register(fs, true)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` of the web server")
	noCrawl := fs.Bool("no-crawl", false, "serve the web UI only; do not schedule sources")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	log := c.logger(stderr)
	c.readsOnly = *noCrawl // a read-only data folder can still be served
	a, err := c.open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.pipeline(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := p.Close(); err != nil {
			a.log.Error("closing the crawler", "error", err)
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	admin := loopback(ln.Addr())
	if !admin {
		log.Info("the web UI is read-only: topics and digests can be changed from the web only when serve listens on loopback, until a login exists", "addr", ln.Addr().String())
	}
	svc, err := digestService(cfg, a.store, log, ln.Addr().String())
	if err != nil {
		return err
	}
	var srv *web.Server
	live := &liveSources{a: a, p: p} // the web UI's changes of sources
	watch := &runWatch{}             // the ends of runs, for presswatch crawl beside serve
	m := metrics.New(metrics.Sources{
		Unindexed: func(ctx context.Context) (int, error) {
			c, err := a.store.Counts(ctx)
			return c.Unindexed, err
		},
		Digests: a.store.DigestStates,
		Load: map[string]func() metrics.Load{
			"search": func() metrics.Load { return metricsLoad(srv.SearchLoad()) },
			"export": func() metrics.Load { return metricsLoad(srv.ExportLoad()) },
		},
		RevisitsDue: func(ctx context.Context) (int, error) { return a.store.DueCount(ctx, time.Now()) },
		Queues:      metrics.Queues{FetchesInFlight: p.fetcher.InFlight, Extracting: p.crawler.Extracting, ItemsInFlight: p.crawler.ItemsInFlight},
	})
	p.observeFetches(m.ObserveFetch)
	var imports web.Importer // uploads for import, when the folder can be written
	if a.readOnly == nil && p != nil && p.ingester != nil {
		imports = webImporter{a: a, sink: p.ingester}
	}
	srv, err = web.New(web.Options{Search: a.index, Store: a.store, KeyDates: cfg.KeyDates, Log: log, WARCDir: a.warcDir, Admin: admin,
		Metrics: m.Handler(), ObserveSearch: m.ObserveSearch, Hosts: baseHosts(cfg.Digests.BaseURL), Private: !cfg.Public,
		Topics: p.topics, Sources: live, Digests: svc, DigestLang: cfg.Digests.Lang, DigestZone: cfg.Digests.Zone, Importer: imports,
		Crawling: func() bool { return p.crawler.ItemsInFlight() > 0 }}) // searches leave a core to the crawl's items
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Handler: srv, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	var wg sync.WaitGroup
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	// The commands run beside serve on this folder (search, import,
	// reindex) reach it through its socket there.
	var local *localListener
	if a.readOnly == nil {
		var lerr error
		ls := &localServer{search: a.index, ready: srv.Ready, imports: imports, rebuild: a.rebuild, watch: watch, log: log}
		if !*noCrawl {
			ls.runs = serveRuns{live: live, a: a}
		}
		local, lerr = listenLocal(bg, c.socketPath(), ls)
		if lerr != nil {
			log.Warn("search, import and reindex cannot run beside this serve: they find its index in use", "socket", c.socketPath(), "error", lerr)
		}
	}
	fmt.Fprintf(stdout, "presswatch %s: serving http://%s/ (data in %s, config %s)\n", version, ln.Addr(), c.data, cfg.File)
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()

	// Catch up on what the store holds and the index lacks, then index
	// as articles arrive.
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := a.catchUp(bg, stderr); err != nil && bg.Err() == nil {
			log.Error("catching up the index failed", "error", err)
		}
		srv.SetReady(true)
		// Articles stored before copies were detected get their sketches
		// and join their stories, while the server answers and indexes.
		wg.Add(1)
		go func() {
			defer wg.Done()
			if n, err := p.ingester.SketchMissing(bg); err != nil && bg.Err() == nil {
				log.Error("sketching stored articles for copy detection failed", "error", err)
			} else if n > 0 {
				log.Info("stored articles sketched for copy detection", "articles", n)
			}
		}()
		if a.index.Stale() {
			// Made by an older presswatch: rebuild it while searches go on.
			wg.Add(1)
			go func() {
				defer wg.Done()
				log.Info("rebuilding the index for this version's mapping; searches go on meanwhile")
				if n, err := a.rebuild(bg); err != nil {
					log.Error("rebuilding the index failed; the old one stays", "error", err)
				} else {
					log.Info("index rebuilt", "articles", n)
				}
			}()
		}
		a.indexer.Run(bg, 2*time.Second)
	}()

	// Each topic's digest of the day before, built (and sent) every day.
	digests, err := digest.NewSchedule(svc, digest.Times{BuildAt: cfg.Digests.BuildAt, SendAt: cfg.Digests.SendAt})
	if err != nil {
		return err
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if a.readOnly != nil {
			return // digests are off: see common.readOnlyData
		}
		if err := digests.Start(bg); err != nil && bg.Err() == nil {
			log.Error("starting the digests' schedule failed", "error", err)
		}
	}()
	defer func() {
		if err := digests.Shutdown(); err != nil {
			log.Error("stopping the digests' schedule", "error", err)
		}
	}()

	var sched *crawler.Scheduler
	if !*noCrawl {
		sources, err := a.sources(ctx, false)
		if err != nil {
			return err
		}
		sched, err = crawler.NewScheduler(p.crawler, a.store, sources, crawler.SchedulerOptions{Jitter: cfg.Crawl.Jitter,
			Runs: runsAtOnce(cfg.Crawl.Workers, sources), OnRun: func(r crawler.Report) {
				m.Observe(metrics.Run{Source: r.Source, Err: r.Err != nil, NotModified: r.NotModified, Duration: r.Duration,
					New: r.New, Updated: r.Updated, Unchanged: r.Unchanged, Skipped: r.Skipped, Failed: r.Failed})
				watch.done(r)
			}})
		if err != nil {
			return err
		}
		if err := sched.Every("revisits", cfg.Revisit.Every, revisitJob(p, cfg, log)); err != nil {
			return err
		}
		live.setScheduler(sched)
		sched.Start()
		log.Info("scheduler started", "sources", len(sources), "revisits_every", cfg.Revisit.Every)
	}

	select {
	case <-ctx.Done():
		log.Info("stopping")
	case err = <-serveErr:
		log.Error("web server stopped", "error", err)
	}
	if sched != nil {
		if err := sched.Stop(); err != nil {
			log.Error("stopping the scheduler", "error", err)
		}
	}
	// Serve stops within 10 s: pages and commands being answered get 6 s,
	// then their connections are closed, so that one that ignores its end
	// (a stuck render) cannot take the final indexing's time.
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := stopWeb(httpSrv, 6*time.Second); err != nil {
		log.Error("stopping the web server", "error", err)
	}
	stopBG()
	if local != nil {
		webCtx, cancel := context.WithTimeout(shutCtx, 2*time.Second)
		err := local.Shutdown(webCtx)
		cancel()
		if err != nil {
			log.Error("stopping the local API", "socket", c.socketPath(), "error", err)
		}
	}
	wg.Wait()
	if _, err := a.indexer.Drain(shutCtx); err != nil {
		log.Error("final indexing", "error", err)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stopWeb stops srv, waiting at most grace for the requests it answers;
// then it closes their connections, whether their handlers end or not.
func stopWeb(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		if cerr := srv.Close(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("requests still answered after %s were cut off", grace)
	}
	return err
}

// revisitJob is serve's revisit pass: the due revisits, at most the
// configured budget of them, so revisits never crowd out new items for
// long; what is left is due at the next pass.
func revisitJob(p *pipeline, cfg *config.Config, log *slog.Logger) func(context.Context) {
	return func(ctx context.Context) {
		q := model.RevisitQuery{Now: time.Now(), Limit: cfg.Revisit.Budget}
		rep, err := p.crawler.RevisitPass(ctx, p.ingester, cfg.Sources, q, cfg.Revisit.Workers, nil)
		if err != nil && ctx.Err() == nil {
			log.Error("revisits failed", "error", err)
			return
		}
		if rep.Due > 0 {
			o := rep.Outcomes
			log.Info("revisits", "done", rep.Due, "unchanged", o[model.RevisitUnchanged], "edited", o[model.RevisitEdited],
				"removed", o[model.RevisitRemoved], "back", o[model.RevisitBack], "failed", o[model.RevisitFailed],
				"duration", rep.Duration.Round(time.Millisecond))
		}
	}
}

// loopback tells whether a listener's address is reachable only from this
// machine.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func metricsLoad(l web.Load) metrics.Load {
	return metrics.Load{InFlight: l.InFlight, Waiting: l.Waiting, Shed: l.Shed}
}

// baseHosts is the host of presswatch's public address, under which a
// proxy in front may pass changes to a loopback listener.
func baseHosts(base string) []string {
	u, err := url.Parse(base)
	if base == "" || err != nil || u.Hostname() == "" {
		return nil
	}
	return []string{u.Hostname()}
}
