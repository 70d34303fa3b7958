package wayback

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter paces the requests to one archive. Wait blocks until the next
// request may go, or returns an error when ctx ends first (at once when
// its deadline comes before the turn), as golang.org/x/time/rate's
// Limiter does; Pacer is that limiter on a Clock tests can drive.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Clock is the time a Pacer keeps to; tests inject one that only counts.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends (returning its error).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx ends.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrPastDeadline is returned by Pacer.Wait when the request's turn would
// come after ctx's deadline: the run's budget ends before it.
var ErrPastDeadline = errors.New("wayback: the next request's turn is past the run's deadline")

// Pacer lets one request through every 1/rate seconds, the first at once:
// a golang.org/x/time/rate limiter with a burst of one, its time read
// from clock. It is safe for concurrent use.
type Pacer struct {
	clock Clock
	lim   *rate.Limiter
}

// NewPacer returns a Pacer of r requests a second on clock.
func NewPacer(r float64, clock Clock) *Pacer {
	return &Pacer{clock: clock, lim: rate.NewLimiter(rate.Limit(r), 1)}
}

// Wait implements Limiter. A turn given up because ctx ended stays used.
func (p *Pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := p.clock.Now()
	res := p.lim.ReserveN(now, 1)
	d := res.DelayFrom(now)
	// The deadline is the wall clock's; the wait, the pacer's clock's.
	if dl, ok := ctx.Deadline(); ok && d > time.Until(dl) {
		res.CancelAt(now)
		return fmt.Errorf("%w (%s)", ErrPastDeadline, d.Round(time.Millisecond))
	}
	if d > 0 {
		return p.clock.Sleep(ctx, d)
	}
	return nil
}

// slowTo lowers the rate to r when that is slower.
func (p *Pacer) slowTo(r float64) {
	if rate.Limit(r) < p.lim.Limit() {
		p.lim.SetLimitAt(p.clock.Now(), rate.Limit(r))
	}
}

// Limiters hands out one Pacer per archive endpoint, shared by every
// source that reads it; the slowest rate asked for an endpoint holds.
type Limiters struct {
	clock Clock

	mu sync.Mutex
	m  map[string]*Pacer
}

// NewLimiters returns an empty set on clock (nil: the wall clock).
func NewLimiters(clock Clock) *Limiters {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Limiters{clock: clock, m: map[string]*Pacer{}}
}

// For returns the endpoint's Pacer, made at rate on first use.
func (l *Limiters) For(endpoint string, rate float64) *Pacer {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.m[endpoint]
	if p == nil {
		p = NewPacer(rate, l.clock)
		l.m[endpoint] = p
		return p
	}
	p.slowTo(rate)
	return p
}
