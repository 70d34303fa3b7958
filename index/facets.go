package index

import (
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"

	"presswatch/internal/model"
)

// Facet sizes: how many values of each are counted. The stance facet is
// not asked of Bleve: it is the sum of the source facet by each source's
// stance, which saves reading a value of every match (facets are most of
// a search's time). So the source facet is asked for in full.
var facetSizes = map[string]int{fieldSource: 1000, fieldLang: 30, fieldState: 3}

// maxDays bounds the days the timeline counts (about 27 years).
const maxDays = 10000

// addFacets asks for the term facets and the per-day counts the timeline
// is made from.
func addFacets(sr *bleve.SearchRequest, req Request) {
	for f, n := range facetSizes {
		sr.AddFacet(f, bleve.NewFacetRequest(f, n))
	}
	sr.AddFacet("timeline", bleve.NewFacetRequest(dayField(req), maxDays))
}

func dayField(req Request) string {
	if req.ByFirstSeen {
		return fieldSeenDay
	}
	return fieldDay
}

func (ix *Index) facetsOf(res *bleve.SearchResult, req Request) (map[string][]FacetCount, []Bucket, string) {
	facets := map[string][]FacetCount{}
	for f := range facetSizes {
		fr := res.Facets[f]
		list := []FacetCount{}
		if fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				list = append(list, FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		facets[f] = list
	}
	facets[fieldStance] = ix.stanceFacet(facets[fieldSource])
	days := map[time.Time]int{}
	if fr := res.Facets["timeline"]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			if d, err := time.Parse(time.DateOnly, t.Term); err == nil {
				days[d] = t.Count
			}
		}
	}
	interval := chooseInterval(req, days)
	return facets, timeline(days, interval, req), interval
}

// stanceFacet counts the matches by stance from the counts by source,
// most first.
func (ix *Index) stanceFacet(bySource []FacetCount) []FacetCount {
	counts := map[string]int{}
	for _, fc := range bySource {
		st, ok := ix.stances[fc.Value]
		if !ok {
			st = model.StanceUnknown
		}
		counts[string(st)] += fc.Count
	}
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// chooseInterval picks the bucket size from the asked range, else from the
// span of the data: days up to three months, weeks up to two years,
// months up to ten years, years beyond (so a chart has at most about 120
// bars).
func chooseInterval(req Request, days map[time.Time]int) string {
	from, to := req.From, req.To
	if from.IsZero() || to.IsZero() {
		lo, hi := span(days)
		if from.IsZero() {
			from = lo
		}
		if to.IsZero() {
			to = hi
		}
	}
	switch d := to.Sub(from); {
	case d <= 92*24*time.Hour:
		return "day"
	case d <= 2*366*24*time.Hour:
		return "week"
	case d <= 10*366*24*time.Hour:
		return "month"
	}
	return "year"
}

func span(days map[time.Time]int) (lo, hi time.Time) {
	for d := range days {
		if lo.IsZero() || d.Before(lo) {
			lo = d
		}
		if d.After(hi) {
			hi = d
		}
	}
	return lo, hi
}

// bucketStart is the first day of the bucket holding day d.
func bucketStart(d time.Time, interval string) time.Time {
	switch interval {
	case "week":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// BucketEnd is the last day of the timeline bucket of the interval
// ("day", "week", "month", "year") that starts on start.
func BucketEnd(start time.Time, interval string) time.Time {
	return next(start, interval).AddDate(0, 0, -1)
}

func next(d time.Time, interval string) time.Time {
	switch interval {
	case "week":
		return d.AddDate(0, 0, 7)
	case "month":
		return d.AddDate(0, 1, 0)
	case "year":
		return d.AddDate(1, 0, 0)
	}
	return d.AddDate(0, 0, 1)
}

// timeline sums the days into buckets from the first to the last (or over
// the asked range), with empty buckets included so a chart has no gaps.
func timeline(days map[time.Time]int, interval string, req Request) []Bucket {
	lo, hi := span(days)
	if !req.From.IsZero() {
		lo = time.Date(req.From.Year(), req.From.Month(), req.From.Day(), 0, 0, 0, 0, time.UTC)
	}
	if !req.To.IsZero() {
		hi = time.Date(req.To.Year(), req.To.Month(), req.To.Day(), 0, 0, 0, 0, time.UTC)
	}
	if lo.IsZero() || hi.Before(lo) {
		return nil
	}
	counts := map[time.Time]int{}
	for d, n := range days {
		counts[bucketStart(d, interval)] += n
	}
	var out []Bucket
	for b := bucketStart(lo, interval); !b.After(hi) && len(out) <= maxDays; b = next(b, interval) {
		out = append(out, Bucket{Date: b.Format(time.DateOnly), Count: counts[b]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
