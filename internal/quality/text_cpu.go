package quality

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"
)

// CPUTime is one round's CPU time of an extractor: per page, and the wall
// time the round took.
type CPUTime struct {
	PerPage time.Duration
	Wall    time.Duration
}

// timed runs fn over every page on workers goroutines and returns the
// outputs, in the pages' order, with the process's CPU time over the run
// divided by the pages. The garbage of what ran before is collected
// first, outside the measurement.
func timed(ctx context.Context, pages []textPage, workers int, fn func(textPage) textOut) ([]textOut, CPUTime, error) {
	out := make([]textOut, len(pages))
	runtime.GC()
	start, wall := processCPU(), time.Now()
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range next {
				out[i] = fn(pages[i])
			}
		})
	}
feed:
	for i := range pages {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, CPUTime{}, err
	}
	cpu := processCPU() - start
	return out, CPUTime{PerPage: cpu / time.Duration(len(pages)), Wall: time.Since(wall)}, nil
}

// processCPU is the user and system time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(fmt.Sprintf("quality: getrusage: %v", err)) // cannot fail with RUSAGE_SELF
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MedianCPU is the median of an extraction's CPU time per page over the
// rounds.
func (x *Extraction) MedianCPU() time.Duration {
	v := make([]float64, len(x.CPU))
	for i, c := range x.CPU {
		v[i] = float64(c.PerPage)
	}
	m, _, _ := medianSpread(v)
	return time.Duration(m)
}

// CPURatio is x's CPU time per page over base's, round by round (both ran
// in every round, one after the other): the median, the least and the
// most of the rounds' ratios.
func (x *Extraction) CPURatio(base *Extraction) (median, lo, hi float64) {
	var v []float64
	for i := range min(len(x.CPU), len(base.CPU)) {
		if base.CPU[i].PerPage > 0 {
			v = append(v, float64(x.CPU[i].PerPage)/float64(base.CPU[i].PerPage))
		}
	}
	return medianSpread(v)
}

// medianSpread is the median, least and most of v (zeros when empty).
func medianSpread(v []float64) (median, lo, hi float64) {
	if len(v) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	median = s[len(s)/2]
	if len(s)%2 == 0 {
		median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return median, s[0], s[len(s)-1]
}
