package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"

	"presswatch/internal/model"
)

// Scheduler runs every source at its interval with gocron: one job per
// source, spread by jitter, never two runs of one source at once, and at
// most SchedulerOptions.Runs sources read at once: the others wait their
// turn, holding nothing. A source that is backing off after failures
// skips its runs until its next due time.
type Scheduler struct {
	c      *Crawler
	state  State
	sched  gocron.Scheduler
	log    *slog.Logger
	jitter float64
	now    func() time.Time
	done   func(Report)  // called after every run; may be nil
	turns  chan struct{} // one token per source run going on

	mu      sync.Mutex
	next    map[string]time.Time // source id -> next run, for display
	jobs    map[string]gocron.Job
	running map[string]bool // source ids whose run is going on
	waiting int             // runs waiting for their turn (see SchedulerOptions.Runs)
	forced  map[string]bool // source ids whose next run ignores the backoff
}

// stopTimeout is how long Stop waits for cancelled runs to end: a run
// stops at once when its context ends, except for an extraction going on
// (at most its own deadline). serve's whole stop takes at most 10 s.
const stopTimeout = 5 * time.Second

// ErrRunning is RunNow's answer for a source whose run is going on.
var ErrRunning = errors.New("the source is being read right now")

// ErrNotScheduled is the answer for a source the scheduler does not run
// (unknown, removed or paused).
var ErrNotScheduled = errors.New("the source is not scheduled")

// SchedulerOptions configure a Scheduler.
type SchedulerOptions struct {
	// Jitter is the fraction of each interval by which runs are spread
	// (0.1 = ±10 %).
	Jitter float64
	// Runs is how many sources are read at once; default DefaultRuns.
	// Without a bound every source due at once (all of them, when serve
	// starts) fetches and holds its listing while the fetcher's per-host
	// limit and the extraction workers let them through a few at a time:
	// memory grows with the number of sources and the collector takes the
	// CPU the crawl needs.
	Runs int
	// OnRun, if not nil, is called after every run.
	OnRun func(Report)
}

// DefaultRuns is the default of SchedulerOptions.Runs.
const DefaultRuns = 32

// NewScheduler prepares jobs for the sources.
func NewScheduler(c *Crawler, state State, sources []model.Source, o SchedulerOptions) (*Scheduler, error) {
	sched, err := gocron.NewScheduler(gocron.WithStopTimeout(stopTimeout))
	if err != nil {
		return nil, fmt.Errorf("crawler: scheduler: %w", err)
	}
	if o.Runs <= 0 {
		o.Runs = DefaultRuns
	}
	s := &Scheduler{c: c, state: state, sched: sched, log: c.opts.Log, jitter: o.Jitter, now: c.opts.Now,
		done: o.OnRun, turns: make(chan struct{}, o.Runs), next: map[string]time.Time{}, jobs: map[string]gocron.Job{},
		running: map[string]bool{}, forced: map[string]bool{}}
	for _, src := range sources {
		if err := s.Set(src); err != nil {
			sched.Shutdown()
			return nil, err
		}
	}
	return s, nil
}

// Set schedules src, or reschedules it after a change: its next run is
// due its (new) interval after its last one, or when its backoff ends. A
// run of its former definition that is going on is cancelled (and saves
// nothing as done). Safe to call while the scheduler runs.
func (s *Scheduler) Set(src model.Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.jobs[src.ID]; ok {
		if err := s.sched.RemoveJob(old.ID()); err != nil {
			return fmt.Errorf("crawler: reschedule %s: %w", src.ID, err)
		}
		delete(s.jobs, src.ID)
	}
	lo := time.Duration(float64(src.Every) * (1 - s.jitter))
	hi := time.Duration(float64(src.Every) * (1 + s.jitter))
	first := s.firstRun(src)
	// gocron refuses a start in the past, which a start due now becomes by
	// the time it checks: those start at once.
	start := gocron.WithStartDateTime(first)
	if first.Before(time.Now().Add(50 * time.Millisecond)) {
		start = gocron.WithStartImmediately()
	}
	every := gocron.DurationRandomJob(lo, hi)
	if lo >= hi { // no jitter: gocron refuses an empty range
		every = gocron.DurationJob(src.Every)
	}
	j, err := s.sched.NewJob(
		every,
		gocron.NewTask(func(ctx context.Context) { s.run(ctx, src) }),
		gocron.WithName(src.ID),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(start),
	)
	if err != nil {
		return fmt.Errorf("crawler: schedule %s: %w", src.ID, err)
	}
	s.jobs[src.ID] = j
	s.next[src.ID] = first
	return nil
}

// Remove stops scheduling a source (removed or paused): a run of it that
// is going on is cancelled. Removing one not scheduled does nothing.
func (s *Scheduler) Remove(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return nil
	}
	delete(s.jobs, id)
	delete(s.next, id)
	delete(s.forced, id)
	if err := s.sched.RemoveJob(j.ID()); err != nil {
		return fmt.Errorf("crawler: unschedule %s: %w", id, err)
	}
	return nil
}

// RunNow starts a run of a scheduled source at once, even if it is
// backing off after failures; its interval then counts from this run.
// ErrRunning if a run of it is going on, ErrNotScheduled if it is not
// scheduled.
func (s *Scheduler) RunNow(id string) error {
	s.mu.Lock()
	j, ok := s.jobs[id]
	switch {
	case !ok:
		s.mu.Unlock()
		return fmt.Errorf("crawler: %s: %w", id, ErrNotScheduled)
	case s.running[id]:
		s.mu.Unlock()
		return fmt.Errorf("crawler: %s: %w", id, ErrRunning)
	}
	s.forced[id] = true
	s.mu.Unlock()
	if err := j.RunNow(); err != nil {
		s.mu.Lock()
		delete(s.forced, id)
		s.mu.Unlock()
		return fmt.Errorf("crawler: run %s now: %w", id, err)
	}
	return nil
}

// Every adds a job that runs fn every d, the first time d after Start,
// never two runs at once (a run still going when the next is due makes
// that one wait). serve runs its revisit passes so.
func (s *Scheduler) Every(name string, d time.Duration, fn func(context.Context)) error {
	_, err := s.sched.NewJob(gocron.DurationJob(d), gocron.NewTask(fn), gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule))
	if err != nil {
		return fmt.Errorf("crawler: schedule %s: %w", name, err)
	}
	return nil
}

// firstRun is when a source runs next once scheduled: its interval after
// its last run, or when its backoff ends, or soon if that is past, spread
// over up to 5 s (never more than half the interval) so a start does not
// hit every site at the same instant.
func (s *Scheduler) firstRun(src model.Source) time.Time {
	now := s.now()
	spread := time.Duration(rand.Int64N(int64(min(5*time.Second, src.Every/2)) + 1))
	st, err := s.state.SourceState(context.Background(), src.ID)
	due := st.NextDue
	if err == nil && st.Failures == 0 && !st.LastFetch.IsZero() {
		due = st.LastFetch.Add(src.Every) // the interval may have changed since
	}
	if err == nil && due.After(now) {
		return due.Add(spread)
	}
	return now.Add(spread)
}

func (s *Scheduler) run(ctx context.Context, src model.Source) {
	s.mu.Lock()
	forced := s.forced[src.ID]
	delete(s.forced, src.ID)
	s.running[src.ID] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.running, src.ID)
		s.mu.Unlock()
	}()
	st, err := s.state.SourceState(ctx, src.ID)
	if err == nil && !forced && st.Failures > 0 && st.NextDue.After(s.now()) {
		s.log.Debug("source is backing off", "source", src.ID, "until", st.NextDue)
		s.setNext(src.ID, st.NextDue)
		return
	}
	// A backfill cut by its budget with work left goes on at once: the
	// archive's pace, not the source's interval, is what bounds it.
	for {
		if !s.turn(ctx) {
			return // stopped, removed or changed while it waited its turn
		}
		rep := s.c.Run(ctx, src)
		<-s.turns
		if rep.Err != nil {
			s.log.Warn("source run failed", "source", src.ID, "error", rep.Err)
		} else {
			s.log.Info("source run", "source", src.ID, "new", rep.New, "updated", rep.Updated,
				"failed", rep.Failed, "not_modified", rep.NotModified, "left", rep.Left, "duration", rep.Duration)
		}
		goOn := rep.GoOn && rep.Err == nil && ctx.Err() == nil && s.scheduled(src.ID)
		if !goOn {
			s.setNext(src.ID, s.now().Add(src.Every))
		}
		if s.done != nil {
			s.done(rep)
		}
		if !goOn {
			return
		}
	}
}

// turn waits until fewer than SchedulerOptions.Runs sources are read and
// takes a place among them; false when ctx ends first.
func (s *Scheduler) turn(ctx context.Context) bool {
	select {
	case s.turns <- struct{}{}:
		return true
	default:
	}
	s.mu.Lock()
	s.waiting++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting--
		s.mu.Unlock()
	}()
	select {
	case s.turns <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// Waiting is how many sources due are waiting for their turn to be read.
func (s *Scheduler) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting
}

// scheduled reports whether id still has a job (not removed or paused
// since).
func (s *Scheduler) scheduled(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.jobs[id]
	return ok
}

// setNext records when a scheduled source runs next; a run of one
// removed meanwhile records nothing.
func (s *Scheduler) setNext(id string, t time.Time) {
	s.mu.Lock()
	if _, ok := s.jobs[id]; ok {
		s.next[id] = t
	}
	s.mu.Unlock()
}

// NextRun returns when a source is expected to run next.
func (s *Scheduler) NextRun(id string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.next[id]
	return t, ok
}

// Start starts running jobs in the background.
func (s *Scheduler) Start() { s.sched.Start() }

// Stop cancels the context of running jobs and waits for them to end (at
// most stopTimeout). A run stopped this way saves nothing as done: the next start
// reads the source again. Safe to call once.
func (s *Scheduler) Stop() error {
	if err := s.sched.Shutdown(); err != nil {
		return fmt.Errorf("crawler: stop scheduler: %w", err)
	}
	return nil
}
