package ingest

import (
	"testing"
	"time"
)

func TestScheduleNext(t *testing.T) {
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := DefaultSchedule.filled()
	day := 24 * time.Hour
	tests := map[string]struct {
		now      time.Time
		wantAge  time.Duration // after first; -1 for no more revisits
		wantStep int
	}{
		"just stored: after an hour":            {first, time.Hour, 0},
		"at one hour exactly: the next step":    {first.Add(time.Hour), 6 * time.Hour, 1},
		"between steps: the next":               {first.Add(30 * time.Hour), 72 * time.Hour, 3},
		"missed steps are skipped, not made up": {first.Add(20 * day), 30 * day, 5},
		"after the last step: monthly":          {first.Add(31 * day), 60 * day, 6},
		"months later":                          {first.Add(200 * day), 210 * day, 11},
		"past the age of revisits":              {first.Add(366 * day), -1, 0},
		"the last monthly step of a year":       {first.Add(359 * day), 360 * day, 16},
		"after the last monthly step of a year": {first.Add(361 * day), -1, 0},
		"a first-seen time from the far past":   {first.AddDate(300, 0, 0), -1, 0},
	}
	for name, tt := range tests {
		due, step := s.Next(first, tt.now)
		switch {
		case tt.wantAge < 0 && !due.IsZero():
			t.Errorf("%s: due %v, want none", name, due)
		case tt.wantAge >= 0 && (!due.Equal(first.Add(tt.wantAge)) || step != tt.wantStep):
			t.Errorf("%s: due after %v at step %d, want %v at step %d", name, due.Sub(first), step, tt.wantAge, tt.wantStep)
		}
	}
	if due, _ := s.Next(time.Time{}, first); !due.IsZero() {
		t.Errorf("a zero first-seen time gives a revisit at %v", due)
	}
	own := Schedule{Steps: []time.Duration{30 * time.Minute, 3 * time.Hour}, MaxAge: 10 * day}.filled()
	if due, step := own.Next(first, first.Add(time.Hour)); !due.Equal(first.Add(3*time.Hour)) || step != 1 {
		t.Errorf("own steps: %v at %d", due.Sub(first), step)
	}
	if due, _ := own.Next(first, first.Add(4*time.Hour)); !due.IsZero() {
		t.Errorf("own steps: the first monthly step (33 h + 30 d) is past max_age, got %v", due.Sub(first))
	}
}
