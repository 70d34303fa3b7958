package digest

import (
	"context"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// Times are when the daily jobs run, as minutes after midnight in the
// deployment's zone; -1 is never.
type Times struct {
	BuildAt, SendAt int
}

// Schedule runs the digests' jobs with gocron in the service's zone: each
// topic's digest of the day before is built at BuildAt and sent at SendAt
// (when mail is configured), and failed sends are retried when due. A
// start after the build or send time of the day catches up at once, so a
// presswatch that was down at 07:00 still makes (and sends) yesterday's
// digests. Start it with Start; Shutdown stops it.
type Schedule struct {
	svc   *Service
	times Times
	sched gocron.Scheduler
	build gocron.Job
	send  gocron.Job
}

// retryEvery is how often due retries are looked for.
const retryEvery = time.Minute

// NewSchedule prepares the jobs.
func NewSchedule(svc *Service, t Times) (*Schedule, error) {
	sched, err := gocron.NewScheduler(gocron.WithLocation(svc.zone()), gocron.WithStopTimeout(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("digest: scheduler: %w", err)
	}
	s := &Schedule{svc: svc, times: t, sched: sched}
	daily := func(name string, at int, fn func(context.Context)) (gocron.Job, error) {
		return sched.NewJob(gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(at/60), uint(at%60), 0))),
			gocron.NewTask(fn), gocron.WithName(name), gocron.WithSingletonMode(gocron.LimitModeReschedule))
	}
	if t.BuildAt >= 0 {
		if s.build, err = daily("digests: build", t.BuildAt, s.buildDaily); err != nil {
			sched.Shutdown()
			return nil, fmt.Errorf("digest: schedule: %w", err)
		}
	}
	if t.SendAt >= 0 && svc.Mail != nil {
		if s.send, err = daily("digests: send", t.SendAt, s.sendDaily); err != nil {
			sched.Shutdown()
			return nil, fmt.Errorf("digest: schedule: %w", err)
		}
	}
	if svc.Mail != nil {
		_, err = sched.NewJob(gocron.DurationJob(retryEvery), gocron.NewTask(s.retry), gocron.WithName("digests: retry"),
			gocron.WithSingletonMode(gocron.LimitModeReschedule))
		if err != nil {
			sched.Shutdown()
			return nil, fmt.Errorf("digest: schedule: %w", err)
		}
	}
	return s, nil
}

func (s *Schedule) buildDaily(ctx context.Context) {
	if err := s.svc.Daily(ctx, false); err != nil && ctx.Err() == nil {
		s.svc.log().Error("building the daily digests failed", "error", err)
	}
}

func (s *Schedule) sendDaily(ctx context.Context) {
	if err := s.svc.SendDue(ctx); err != nil && ctx.Err() == nil {
		s.svc.log().Error("sending the daily digests failed", "error", err)
	}
}

func (s *Schedule) retry(ctx context.Context) {
	if err := s.svc.Retry(ctx); err != nil && ctx.Err() == nil {
		s.svc.log().Warn("retrying digests failed", "error", err)
	}
}

// NextBuild is when the digests are next built (false: never).
func (s *Schedule) NextBuild() (time.Time, bool) { return next(s.build) }

// NextSend is when the digests are next sent (false: never on their own).
func (s *Schedule) NextSend() (time.Time, bool) { return next(s.send) }

func next(j gocron.Job) (time.Time, bool) {
	if j == nil {
		return time.Time{}, false
	}
	t, err := j.NextRun()
	return t, err == nil && !t.IsZero()
}

// Start recovers the sends a stopped presswatch left unfinished (marked
// uncertain: never sent again on their own), catches up on today's build
// and send when their time has passed, and starts the jobs.
func (s *Schedule) Start(ctx context.Context) error {
	n, err := s.svc.Store.RecoverSends(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		s.svc.log().Warn("presswatch stopped while sending digests; they may or may not have gone out and are not sent again on their own (see /digests)", "digests", n)
	}
	now := s.svc.now().In(s.svc.zone())
	minute := now.Hour()*60 + now.Minute()
	if s.times.BuildAt >= 0 && minute >= s.times.BuildAt {
		s.buildDaily(ctx)
	}
	if s.send != nil && minute >= s.times.SendAt {
		s.sendDaily(ctx)
	}
	s.sched.Start()
	return nil
}

// Shutdown stops the jobs, waiting for running ones.
func (s *Schedule) Shutdown() error { return s.sched.Shutdown() }
