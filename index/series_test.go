package index

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"presswatch/internal/model"
)

// TestTimelineByStance holds the timeline by stance, counted in the same
// search, equal to one search per stance (the old way), bucket by bucket,
// and its sum to the timeline.
func TestTimelineByStance(t *testing.T) {
	for name, ix := range newTestIndexes(t) {
		// A second international report of the 16th: two of one stance on
		// one day.
		more := &model.Article{ID: 100, SourceID: "bbc", Lang: "en", Title: "Zhanaozen shooting", Text: "Police fired in Zhanaozen.",
			URL: "https://example.org/bbc/100", Published: day("2011-12-16T21:00:00Z"), FirstSeen: day("2011-12-16T22:00:00Z")}
		if err := ix.Put(context.Background(), []*model.Article{more}); err != nil {
			t.Fatal(err)
		}
		for _, req := range []Request{
			{Query: "Zhanaozen", ByStance: true},
			{ByStance: true, Interval: "week"},
			{ByStance: true, ByFirstSeen: true},
			{Query: "police", ByStance: true, From: day("2011-12-01T00:00:00Z"), To: day("2011-12-31T00:00:00Z")},
		} {
			t.Run(fmt.Sprintf("%s %+v", name, req.Query+req.Interval), func(t *testing.T) {
				ctx := context.Background()
				res, err := ix.Search(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if res.ByStance == nil {
					t.Fatal("no timeline by stance")
				}
				sum := make([]int, len(res.Timeline))
				for st, tl := range res.ByStance {
					if !slices.Contains(model.Stances, model.Stance(st)) {
						t.Errorf("stance %q is not a stance", st)
					}
					one := req
					one.Stances, one.ByStance = []string{st}, false
					one.TimelineFrom, one.TimelineTo = day(res.Timeline[0].Date+"T00:00:00Z"), day(res.Timeline[len(res.Timeline)-1].Date+"T00:00:00Z")
					one.Interval = res.Interval
					want, err := ix.Search(ctx, one)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(tl, want.Timeline) {
						t.Errorf("%s: by stance %v, searched alone %v", st, tl, want.Timeline)
					}
					for i, b := range tl {
						sum[i] += b.Count
					}
				}
				for i, b := range res.Timeline {
					if sum[i] != b.Count {
						t.Errorf("bucket %s: stances sum to %d, timeline has %d", b.Date, sum[i], b.Count)
					}
				}
			})
		}
	}
}

// TestUndated holds Result.Undated to the articles without a date and
// Total to it and the buckets.
func TestUndated(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	ctx := context.Background()
	for name, tc := range map[string]struct {
		req     Request
		undated uint64
	}{
		"all, by published":     {Request{}, 1},
		"a query":               {Request{Query: "Zhanaozen"}, 1},
		"by first seen":         {Request{ByFirstSeen: true}, 0},
		"a date range":          {Request{From: day("2011-12-01T00:00:00Z")}, 0}, // a bound leaves undated out
		"stories":               {Request{Collapse: true}, 1},
		"stories, first seen":   {Request{Collapse: true, ByFirstSeen: true}, 0},
		"no undated among hits": {Request{Query: "Ölarbeiter"}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Undated != tc.undated {
				t.Errorf("undated %d, want %d", res.Undated, tc.undated)
			}
			var sum uint64
			for _, b := range res.Timeline {
				sum += uint64(b.Count)
			}
			if sum+res.Undated != res.Total {
				t.Errorf("buckets %d + undated %d != total %d", sum, res.Undated, res.Total)
			}
		})
	}
}

// TestInterval holds an asked interval to its buckets, the automatic
// choice to the span, and a too fine one to the next coarser that fits.
func TestInterval(t *testing.T) {
	ix := newTestIndexes(t)["mem"]
	ctx := context.Background()
	for name, tc := range map[string]struct {
		req         Request
		interval    string
		first, last string
		buckets     int
	}{
		"auto, the data's half year":   {Request{}, "week", "2011-12-12", "2012-06-04", 26},
		"day":                          {Request{Interval: "day"}, "day", "2011-12-16", "2012-06-04", 172},
		"month":                        {Request{Interval: "month"}, "month", "2011-12-01", "2012-06-01", 7},
		"year":                         {Request{Interval: "year"}, "year", "2011-01-01", "2012-01-01", 2},
		"day over 20 years is weeks":   {Request{Interval: "day", From: day("2000-01-01T00:00:00Z"), To: day("2019-12-31T00:00:00Z")}, "week", "1999-12-27", "2019-12-30", 1045},
		"week over 60 years is months": {Request{Interval: "week", From: day("1950-01-01T00:00:00Z"), To: day("2009-12-31T00:00:00Z")}, "month", "1950-01-01", "2009-12-01", 720},
		"day within the bound":         {Request{Interval: "day", From: day("2010-01-01T00:00:00Z"), To: day("2015-06-23T00:00:00Z")}, "day", "2010-01-01", "2015-06-23", MaxBuckets},
		"one day past the bound":       {Request{Interval: "day", From: day("2010-01-01T00:00:00Z"), To: day("2015-06-24T00:00:00Z")}, "week", "2009-12-28", "2015-06-22", 287},
		"widened axis, auto":           {Request{Query: "Ölarbeiter", TimelineFrom: day("2011-01-01T00:00:00Z"), TimelineTo: day("2012-12-31T00:00:00Z")}, "week", "2010-12-27", "2012-12-31", 106},
		"widened axis, month":          {Request{Query: "Ölarbeiter", Interval: "month", TimelineFrom: day("2011-11-15T00:00:00Z")}, "month", "2011-11-01", "2012-06-01", 8},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Interval != tc.interval || len(res.Timeline) != tc.buckets ||
				res.Timeline[0].Date != tc.first || res.Timeline[len(res.Timeline)-1].Date != tc.last {
				t.Fatalf("interval %s, %d buckets %s to %s; want %s, %d, %s to %s", res.Interval, len(res.Timeline),
					res.Timeline[0].Date, res.Timeline[len(res.Timeline)-1].Date, tc.interval, tc.buckets, tc.first, tc.last)
			}
			if tc.req.TimelineFrom.IsZero() {
				return
			}
			// Widening the axis does not filter.
			plain := tc.req
			plain.TimelineFrom, plain.TimelineTo = time.Time{}, time.Time{}
			want, err := ix.Search(ctx, plain)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != want.Total || res.Undated != want.Undated {
				t.Errorf("widened: total %d undated %d, want %d %d", res.Total, res.Undated, want.Total, want.Undated)
			}
		})
	}
}

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]string{"": "", "auto": "", "day": "day", "week": "week", "month": "month", "year": "year"} {
		r, err := ParseRequest(url.Values{"interval": {in}})
		if err != nil || r.Interval != want {
			t.Errorf("interval=%s: %q %v, want %q", in, r.Interval, err, want)
		}
	}
	for _, bad := range []string{"days", "Day", "hour", "quarter"} {
		_, err := ParseRequest(url.Values{"interval": {bad}})
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != "interval" || pe.Value != bad {
			t.Errorf("interval=%s: %v, want a ParamError naming interval", bad, err)
		}
	}
	ix := newTestIndexes(t)["mem"]
	if _, err := ix.Search(context.Background(), Request{Interval: "fortnight"}); err == nil {
		t.Error("Search takes interval fortnight")
	}
}
