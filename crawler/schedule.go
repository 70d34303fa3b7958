package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"

	"presswatch/internal/model"
)

// Scheduler runs every source at its interval with gocron: one job per
// source, spread by jitter, never two runs of one source at once. A source
// that is backing off after failures skips its runs until its next due
// time.
type Scheduler struct {
	c      *Crawler
	state  State
	sched  gocron.Scheduler
	log    *slog.Logger
	jitter float64
	now    func() time.Time
	done   func(Report) // called after every run; may be nil

	mu   sync.Mutex
	next map[string]time.Time // source id -> next run, for display
}

// NewScheduler prepares jobs for the sources. jitter is the fraction of
// each interval by which runs are spread (0.1 = ±10 %). onRun, if not nil,
// is called after every run.
func NewScheduler(c *Crawler, state State, sources []model.Source, jitter float64, onRun func(Report)) (*Scheduler, error) {
	sched, err := gocron.NewScheduler(gocron.WithStopTimeout(30 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("crawler: scheduler: %w", err)
	}
	s := &Scheduler{c: c, state: state, sched: sched, log: c.opts.Log, jitter: jitter, now: c.opts.Now,
		done: onRun, next: map[string]time.Time{}}
	for _, src := range sources {
		if err := s.add(src); err != nil {
			sched.Shutdown()
			return nil, err
		}
	}
	return s, nil
}

func (s *Scheduler) add(src model.Source) error {
	lo := time.Duration(float64(src.Every) * (1 - s.jitter))
	hi := time.Duration(float64(src.Every) * (1 + s.jitter))
	first := s.firstRun(src)
	// gocron refuses a start in the past, which a start due now becomes by
	// the time it checks: those start at once.
	start := gocron.WithStartDateTime(first)
	if first.Before(time.Now().Add(50 * time.Millisecond)) {
		start = gocron.WithStartImmediately()
	}
	_, err := s.sched.NewJob(
		gocron.DurationRandomJob(lo, hi),
		gocron.NewTask(func(ctx context.Context) { s.run(ctx, src) }),
		gocron.WithName(src.ID),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(start),
	)
	if err != nil {
		return fmt.Errorf("crawler: schedule %s: %w", src.ID, err)
	}
	s.setNext(src.ID, first)
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

// firstRun is when a source first runs after start: when it is due, or
// soon if overdue, spread over up to 5 s (never more than half the
// interval) so a start does not hit every site at the same instant.
func (s *Scheduler) firstRun(src model.Source) time.Time {
	now := s.now()
	spread := time.Duration(rand.Int64N(int64(min(5*time.Second, src.Every/2)) + 1))
	st, err := s.state.SourceState(context.Background(), src.ID)
	if err == nil && st.NextDue.After(now) {
		return st.NextDue.Add(spread)
	}
	return now.Add(spread)
}

func (s *Scheduler) run(ctx context.Context, src model.Source) {
	st, err := s.state.SourceState(ctx, src.ID)
	if err == nil && st.Failures > 0 && st.NextDue.After(s.now()) {
		s.log.Debug("source is backing off", "source", src.ID, "until", st.NextDue)
		s.setNext(src.ID, st.NextDue)
		return
	}
	rep := s.c.Run(ctx, src)
	if rep.Err != nil {
		s.log.Warn("source run failed", "source", src.ID, "error", rep.Err)
	} else {
		s.log.Info("source run", "source", src.ID, "new", rep.New, "updated", rep.Updated,
			"failed", rep.Failed, "not_modified", rep.NotModified, "duration", rep.Duration)
	}
	s.setNext(src.ID, s.now().Add(src.Every))
	if s.done != nil {
		s.done(rep)
	}
}

func (s *Scheduler) setNext(id string, t time.Time) {
	s.mu.Lock()
	s.next[id] = t
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
// most 30 s). A run stopped this way saves nothing as done: the next start
// reads the source again. Safe to call once.
func (s *Scheduler) Stop() error {
	if err := s.sched.Shutdown(); err != nil {
		return fmt.Errorf("crawler: stop scheduler: %w", err)
	}
	return nil
}
