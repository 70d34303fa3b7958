package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/discover"
	"presswatch/internal/model"
	"presswatch/web"
)

// Sources change while serve runs: the web UI adds, edits, pauses and
// removes them. liveSources is how it does (web.SourceEditor): each
// change is stored, then the scheduler is told, so a new source or a new
// interval applies at once. The sources a run reads are the
// configuration file's and the web UI's that are not paused
// (app.sources).

// liveSources applies the web UI's changes of sources to the store and
// the scheduler. The scheduler is set once serve has made it, and is nil
// under serve --no-crawl.
type liveSources struct {
	a *app
	p *pipeline

	mu    sync.Mutex
	sched *crawler.Scheduler
}

func (ls *liveSources) setScheduler(s *crawler.Scheduler) {
	ls.mu.Lock()
	ls.sched = s
	ls.mu.Unlock()
}

func (ls *liveSources) scheduler() *crawler.Scheduler {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.sched
}

var _ web.SourceEditor = (*liveSources)(nil)

// FindFeeds finds the feeds of a site's page with the crawler's fetcher.
func (ls *liveSources) FindFeeds(ctx context.Context, site string) ([]web.FeedCandidate, error) {
	return findFeeds(ctx, ls.p, site)
}

// TrySource reads src once, storing nothing.
func (ls *liveSources) TrySource(ctx context.Context, src model.Source) (*crawler.Preview, error) {
	return ls.p.crawler.Preview(ctx, src)
}

// SaveSource stores src as the web UI's and schedules it, unless paused.
func (ls *liveSources) SaveSource(ctx context.Context, src model.Source) error {
	if err := ls.a.store.SaveWebSource(ctx, src); err != nil {
		return err
	}
	return ls.reschedule(ctx, src.ID)
}

// SaveSourceAt stores src as the web UI's and schedules it, its first run
// due at first when it was never read (an OPML import's spread).
func (ls *liveSources) SaveSourceAt(ctx context.Context, src model.Source, first time.Time) error {
	if err := ls.a.store.SaveWebSource(ctx, src); err != nil {
		return err
	}
	st, err := ls.a.store.SourceState(ctx, src.ID)
	if err != nil {
		return err
	}
	if st.LastFetch.IsZero() && st.Failures == 0 { // the scheduler's first run honours NextDue
		st.NextDue = first
		if err := ls.a.store.SaveSourceState(ctx, st); err != nil {
			return err
		}
	}
	return ls.reschedule(ctx, src.ID)
}

// PauseSource pauses or resumes a source and (un)schedules it.
func (ls *liveSources) PauseSource(ctx context.Context, id string, paused bool) error {
	if err := ls.a.store.SetPaused(ctx, id, paused); err != nil {
		return err
	}
	return ls.reschedule(ctx, id)
}

// RemoveSource removes a source of the web UI and unschedules it.
func (ls *liveSources) RemoveSource(ctx context.Context, id string) error {
	if err := ls.a.store.RemoveWebSource(ctx, id); err != nil {
		return err
	}
	return ls.reschedule(ctx, id)
}

// ReadOnly says why the data folder cannot be written (serve --no-crawl
// serves a read-only one), naming it; nil when it can.
func (ls *liveSources) ReadOnly() error {
	if ls.a.readOnly == nil {
		return nil
	}
	// warcDir is <data>/warc.
	return fmt.Errorf("data folder %s is read-only (%v)", abs(filepath.Dir(ls.a.warcDir)), ls.a.readOnly)
}

// RunSource starts a run of a scheduled source now.
func (ls *liveSources) RunSource(ctx context.Context, id string) error {
	s := ls.scheduler()
	if s == nil {
		return fmt.Errorf("source %s: %w", id, crawler.ErrNotScheduled)
	}
	return s.RunNow(id)
}

// reschedule makes the scheduler run id as the store now has it: with
// its definition when it is active and not paused, else not at all.
func (ls *liveSources) reschedule(ctx context.Context, id string) error {
	s := ls.scheduler()
	if s == nil {
		return nil // serve --no-crawl: the change applies at the next crawl
	}
	all, err := ls.a.sources(ctx, false)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(all, func(src model.Source) bool { return src.ID == id }); i >= 0 {
		return s.Set(all[i])
	}
	return s.Remove(id)
}

// sources returns the sources runs read: the configuration's, with their
// settings from the file, and the web UI's, by id; paused ones only with
// withPaused.
func (a *app) sources(ctx context.Context, withPaused bool) ([]model.Source, error) {
	stored, err := a.store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	paused := map[string]bool{}
	var out []model.Source
	for _, si := range stored {
		paused[si.ID] = si.Paused
		if si.Active && si.Origin == model.SourceFromWeb && (withPaused || !si.Paused) {
			out = append(out, si.Source)
		}
	}
	if a.cfg != nil {
		for _, src := range a.cfg.Sources {
			if withPaused || !paused[src.ID] {
				out = append(out, src)
			}
		}
	}
	slices.SortFunc(out, func(x, y model.Source) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// findFeeds finds the feeds of a site's page through the crawler's
// fetcher (robots.txt, address checks and caps apply), each tried once.
func findFeeds(ctx context.Context, p *pipeline, site string) ([]web.FeedCandidate, error) {
	found, err := discover.Find(ctx, p.fetcher, site)
	if err != nil {
		return nil, err
	}
	out := make([]web.FeedCandidate, len(found))
	for i, c := range found {
		out[i] = web.FeedCandidate{URL: c.URL, Title: c.Title, Type: c.Type, Items: c.Items, Newest: c.Newest}
		if c.Err != nil {
			out[i].Err = c.Err.Error()
		}
	}
	return out, nil
}
