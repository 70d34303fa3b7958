package quality

import (
	"testing"
	"time"
)

// CPURatio pairs the rounds and reports their median ratio with its spread.
func TestCPURatio(t *testing.T) {
	round := func(ms ...int) []CPUTime {
		var c []CPUTime
		for _, m := range ms {
			c = append(c, CPUTime{PerPage: time.Duration(m) * time.Millisecond})
		}
		return c
	}
	for name, tc := range map[string]struct {
		x, base     []CPUTime
		med, lo, hi float64
	}{
		"odd rounds":           {round(20, 30, 24), round(10, 10, 12), 2, 2, 3},
		"even rounds":          {round(20, 30), round(10, 10), 2.5, 2, 3},
		"base with fewer runs": {round(20, 30), round(10), 2, 2, 2},
		"no rounds":            {nil, nil, 0, 0, 0},
	} {
		x, base := Extraction{CPU: tc.x}, Extraction{CPU: tc.base}
		med, lo, hi := x.CPURatio(&base)
		if med != tc.med || lo != tc.lo || hi != tc.hi {
			t.Errorf("%s: ratio %v (%v-%v), want %v (%v-%v)", name, med, lo, hi, tc.med, tc.lo, tc.hi)
		}
	}
	if got := (&Extraction{CPU: round(30, 10, 20)}).MedianCPU(); got != 20*time.Millisecond {
		t.Errorf("MedianCPU = %v, want 20ms", got)
	}
}
