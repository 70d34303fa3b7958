package wayback

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Limiter paces the requests to one archive. Wait blocks until the next
// request may go, or returns an error when ctx ends first (at once when
// its deadline comes before the turn). golang.org/x/time/rate's Limiter
// has this method; Pacer is the one used while presswatch does not
// depend on that module.
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

// Pacer lets one request through every 1/rate seconds, the first at once
// (a token bucket of one token). It is safe for concurrent use.
type Pacer struct {
	clock Clock

	mu   sync.Mutex
	gap  time.Duration
	next time.Time // when the next request may go
}

// NewPacer returns a Pacer of rate requests a second on clock.
func NewPacer(rate float64, clock Clock) *Pacer {
	return &Pacer{clock: clock, gap: gapOf(rate)}
}

func gapOf(rate float64) time.Duration { return time.Duration(float64(time.Second) / rate) }

// Wait implements Limiter. A turn given up because ctx ended stays used.
func (p *Pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	now := p.clock.Now()
	at := now
	if p.next.After(now) {
		at = p.next
	}
	// The deadline is the wall clock's; the wait, the pacer's clock's.
	if dl, ok := ctx.Deadline(); ok && at.Sub(now) > time.Until(dl) {
		p.mu.Unlock()
		return fmt.Errorf("%w (%s)", ErrPastDeadline, at.Sub(now).Round(time.Millisecond))
	}
	p.next = at.Add(p.gap)
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return p.clock.Sleep(ctx, d)
	}
	return nil
}

// slowTo lowers the rate to rate when that is slower.
func (p *Pacer) slowTo(rate float64) {
	p.mu.Lock()
	p.gap = max(p.gap, gapOf(rate))
	p.mu.Unlock()
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
