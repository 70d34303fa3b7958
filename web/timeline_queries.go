package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"presswatch/index"
)

// queryParams are the parameters of the queries a timeline draws side by
// side, at most five: q and q2 to q5, each with the same dates and
// filters.
var queryParams = []string{"q", "q2", "q3", "q4", "q5"}

// queryInput is one query of a timeline: its place (1 to 5), its
// parameter and its text.
type queryInput struct {
	N     int
	Param string
	Query string
}

// timelineQueries are the queries of v a timeline draws: q, then each of
// q2 to q5 given. An empty q is left out when another is given (a blank
// first field on the form); alone it stands for every article.
func timelineQueries(v url.Values) []queryInput {
	var out []queryInput
	for i, p := range queryParams {
		if q := v.Get(p); q != "" || i == 0 {
			out = append(out, queryInput{N: i + 1, Param: p, Query: q})
		}
	}
	if len(out) > 1 && out[0].Query == "" {
		out = out[1:]
	}
	return out
}

// several says whether v asks for more than one query (q2 to q5).
func several(v url.Values) bool {
	for _, p := range queryParams[1:] {
		if v.Get(p) != "" {
			return true
		}
	}
	return false
}

// queryError is the error of one query of several: which one it is.
type queryError struct {
	queryInput
	Err error
}

func (e *queryError) Error() string {
	return fmt.Sprintf("query %d (%s=%q): %v", e.N, e.Param, e.Query, e.Err)
}

func (e *queryError) Unwrap() error { return e.Err }

// querySeries is one query's timeline.
type querySeries struct {
	queryInput
	Total, Undated uint64
	Counts         []int // per bucket
}

// multiSeries is the timelines of several queries on one axis.
type multiSeries struct {
	Dates    []string // the first day of each bucket, oldest first
	Interval string
	Queries  []querySeries
	All      []int // everything collected from the same sources per bucket; nil unless asked
}

// queriesSeries counts the timeline of each query with the dates and
// filters of base, on one axis: each query is searched (Limit 1, the
// queries at once); when their buckets differ (open dates, so each spans
// its own matches) they are searched again with the timeline widened to
// all of them (Request.TimelineFrom, TimelineTo), which does not change
// what they match. With share it also counts everything collected from
// the same sources (collectedRequest). An error names its query.
func (s *Server) queriesSeries(ctx context.Context, base index.Request, qs []queryInput, share bool) (*multiSeries, error) {
	reqs := make([]index.Request, len(qs))
	for i, q := range qs {
		if len(q.Query) > maxQueryBytes {
			return nil, &queryError{q, &index.QueryError{Query: q.Query[:64] + "…", Err: &tooLongError{len(q.Query)}}}
		}
		reqs[i] = base
		reqs[i].Query, reqs[i].Limit, reqs[i].After, reqs[i].ByStance = q.Query, 1, "", false
	}
	res, err := s.searchAll(ctx, qs, reqs)
	if err != nil {
		return nil, err
	}
	if !sameAxis(res) {
		first, last := unionAxis(res)
		for i := range reqs {
			reqs[i].TimelineFrom, reqs[i].TimelineTo = first, last
		}
		if res, err = s.searchAll(ctx, qs, reqs); err != nil {
			return nil, err
		}
		if !sameAxis(res) {
			return nil, errors.New("web: the timelines of the queries do not share one axis")
		}
	}
	ms := &multiSeries{Interval: res[0].Interval}
	for _, b := range res[0].Timeline {
		ms.Dates = append(ms.Dates, b.Date)
	}
	for i, r := range res {
		one := querySeries{queryInput: qs[i], Total: r.Total, Undated: r.Undated, Counts: make([]int, len(ms.Dates))}
		for j, b := range r.Timeline {
			one.Counts[j] = b.Count
		}
		ms.Queries = append(ms.Queries, one)
	}
	if share && len(ms.Dates) > 0 {
		first, _ := time.Parse(time.DateOnly, ms.Dates[0])
		last, _ := time.Parse(time.DateOnly, ms.Dates[len(ms.Dates)-1])
		last = index.BucketEnd(last, ms.Interval)
		all, err := s.search.Search(ctx, collectedRequest(base, ms.Interval, first, last))
		if err != nil {
			return nil, err
		}
		ms.All = rebucket(ms.Dates, last.Format(time.DateOnly), all.Timeline)
	}
	return ms, nil
}

// searchAll runs reqs at once; the first error names its query.
func (s *Server) searchAll(ctx context.Context, qs []queryInput, reqs []index.Request) ([]*index.Result, error) {
	out := make([]*index.Result, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Go(func() {
			out[i], errs[i] = s.search.Search(ctx, reqs[i])
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, &queryError{qs[i], err}
		}
	}
	return out, nil
}

// sameAxis says whether every result has the same buckets.
func sameAxis(res []*index.Result) bool {
	for _, r := range res[1:] {
		a, b := res[0].Timeline, r.Timeline
		if len(a) != len(b) || (len(a) > 0 && (r.Interval != res[0].Interval || a[0].Date != b[0].Date)) {
			return false
		}
	}
	return true
}

// unionAxis is the first day of the earliest bucket and the last day of
// the latest of all results.
func unionAxis(res []*index.Result) (first, last time.Time) {
	for _, r := range res {
		if len(r.Timeline) == 0 {
			continue
		}
		f, _ := time.Parse(time.DateOnly, r.Timeline[0].Date)
		l, _ := time.Parse(time.DateOnly, r.Timeline[len(r.Timeline)-1].Date)
		l = index.BucketEnd(l, r.Interval)
		if first.IsZero() || f.Before(first) {
			first = f
		}
		if l.After(last) {
			last = l
		}
	}
	return first, last
}

// share is the share of bucket i of query k in everything collected.
func (ms *multiSeries) share(k, i int) float64 {
	if ms.All == nil || ms.All[i] == 0 {
		return 0
	}
	return float64(ms.Queries[k].Counts[i]) / float64(ms.All[i])
}
