package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"presswatch/internal/model"
)

// DueCount counts exactly the revisits Due returns: those due now or
// overdue, not those due later, not those with nothing scheduled, and not
// those of a deleted article.
func TestDueCountCountsWhatDueReturns(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2012, 1, 13, 12, 0, 0, 0, time.UTC)
	for i, due := range []time.Time{
		now.Add(-48 * time.Hour), // long overdue
		now.Add(-time.Minute),
		now,                 // due this very moment
		now.Add(time.Hour),  // later
		{},                  // past the last step: nothing scheduled
		now.Add(-time.Hour), // deleted below
	} {
		url := fmt.Sprintf("http://127.0.0.1/%d", i)
		a := article(url, fmt.Sprintf("text %d", i))
		if err := s.Create(ctx, NewArticle{Article: a, Revisit: &model.Revisit{SourceID: "blog", URL: url, NextDue: due}}); err != nil {
			t.Fatal(err)
		}
		if i == 5 {
			if err := s.DeleteArticle(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, tc := range map[string]struct {
		at   time.Time
		want int
	}{
		"now":                   {now, 3},
		"before any is due":     {now.Add(-72 * time.Hour), 0},
		"after the later one":   {now.Add(2 * time.Hour), 4},
		"a day before the time": {now.Add(-24 * time.Hour), 1},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := s.DueCount(ctx, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			due, err := s.Due(ctx, DueQuery{Now: tc.at})
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || len(due) != tc.want {
				t.Errorf("DueCount at %s = %d, Due returned %d, want %d", tc.at, n, len(due), tc.want)
			}
		})
	}
}
