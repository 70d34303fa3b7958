package index

import (
	"slices"
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

// Intervals are the timeline's buckets, finest first.
var Intervals = []string{"day", "week", "month", "year"}

// MaxBuckets bounds the buckets of a timeline: an asked interval that
// would make more is replaced by the next coarser one that fits (day over
// six years gives weeks), and Result.Interval says so. Two thousand bars
// are already thinner than a pixel on a page; a year over the whole
// range of dates (1900 to 2200) is 301.
const MaxBuckets = 2000

// timelineFacet is the per-day facet of an index without facet keys.
const timelineFacet = "timeline"

// addFacets asks for the one facet on the facet key (facetkey.go) that
// every facet and timeline is counted from; an index of a mapping older
// than the facet key (being rebuilt) has none, and is asked for a facet
// per field and the per-day counts, without the timeline by stance
// (ByStance stays nil).
func (ix *Index) addFacets(sr *bleve.SearchRequest, req Request) {
	if ix.has().facetKeys {
		sr.AddFacet(facetKeyFacet, bleve.NewFacetRequest(facetKeyField(req), maxFacetKeys))
		return
	}
	for f, n := range facetSizes {
		sr.AddFacet(f, bleve.NewFacetRequest(f, n))
	}
	sr.AddFacet(timelineFacet, bleve.NewFacetRequest(dayField(req), maxDays))
}

func dayField(req Request) string {
	if req.ByFirstSeen {
		return fieldSeenDay
	}
	return fieldDay
}

// facetsOf fills out's facets, timeline, interval, undated count and,
// when asked, timeline by stance from the facets of res.
func (ix *Index) facetsOf(res *bleve.SearchResult, req Request, out *Result) {
	if fr := res.Facets[facetKeyFacet]; fr != nil {
		k := ix.countKeys(fr)
		sources := topCounts(k.source, len(k.source))
		out.Facets = map[string][]FacetCount{
			fieldSource: sources[:min(len(sources), facetSizes[fieldSource])],
			fieldLang:   topCounts(k.lang, facetSizes[fieldLang]),
			fieldState:  topCounts(k.state, facetSizes[fieldState]),
			// From every source, not only the 1,000 listed.
			fieldStance: ix.stanceFacet(sources),
		}
		out.Undated = uint64(k.undated + fr.Missing)
		out.Interval = chooseInterval(req, k.days)
		lo, hi := axis(req, k.days)
		out.Timeline = buckets(k.days, out.Interval, lo, hi)
		if req.ByStance {
			out.ByStance = make(map[string][]Bucket, len(k.stanceDays))
			for st, days := range k.stanceDays {
				out.ByStance[st] = buckets(days, out.Interval, lo, hi)
			}
		}
		return
	}
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
	if fr := res.Facets[timelineFacet]; fr != nil {
		// Missing counts the matches without the day field: those
		// without a published date (or first seen, by first seen).
		out.Undated = uint64(fr.Missing)
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				if d, err := time.Parse(time.DateOnly, t.Term); err == nil {
					days[d] = t.Count
				}
			}
		}
	}
	out.Facets, out.Interval = facets, chooseInterval(req, days)
	lo, hi := axis(req, days)
	out.Timeline = buckets(days, out.Interval, lo, hi)
}

// topCounts lists counts most first (then by value), at most n, as
// Bleve's term facets do.
func topCounts(counts map[string]int, n int) []FacetCount {
	out := make([]FacetCount, 0, len(counts))
	for v, c := range counts {
		out = append(out, FacetCount{Value: v, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out[:min(len(out), n)]
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
	return topCounts(counts, len(counts))
}

// chooseInterval picks the bucket size: req.Interval when asked, else
// from the span of the timeline (axis): days up to three months, weeks
// up to two years, months up to ten years, years beyond (so a chart has
// at most about 120 bars). An interval that would make more than
// MaxBuckets buckets gives way to the next coarser one.
func chooseInterval(req Request, days map[time.Time]int) string {
	lo, hi := axis(req, days)
	interval := req.Interval
	if interval == "" {
		from, to := req.From, req.To // to the instant, as before the axis was widened
		if from.IsZero() || (!req.TimelineFrom.IsZero() && lo.Before(from)) {
			from = lo
		}
		if to.IsZero() || (!req.TimelineTo.IsZero() && hi.After(to)) {
			to = hi
		}
		switch d := to.Sub(from); {
		case d <= 92*24*time.Hour:
			interval = "day"
		case d <= 2*366*24*time.Hour:
			interval = "week"
		case d <= 10*366*24*time.Hour:
			interval = "month"
		default:
			interval = "year"
		}
	}
	i := max(slices.Index(Intervals, interval), 0)
	for i < len(Intervals)-1 && countBuckets(lo, hi, Intervals[i]) > MaxBuckets {
		i++
	}
	return Intervals[i]
}

// axis is the first and last day the timeline covers: From and To when
// asked, else the first and last day with a match, widened to
// TimelineFrom and TimelineTo. Both are zero when there is nothing to
// chart.
func axis(req Request, days map[time.Time]int) (lo, hi time.Time) {
	lo, hi = span(days)
	if !req.From.IsZero() {
		lo = dayOf(req.From)
	}
	if !req.To.IsZero() {
		hi = dayOf(req.To)
	}
	if t := dayOf(req.TimelineFrom); !t.IsZero() && (lo.IsZero() || t.Before(lo)) {
		lo = t
	}
	if t := dayOf(req.TimelineTo); !t.IsZero() && t.After(hi) {
		hi = t
	}
	if lo.IsZero() || hi.Before(lo) {
		return time.Time{}, time.Time{}
	}
	return lo, hi
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

// dayOf is the day of t's date, as UTC midnight; zero stays zero.
func dayOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// countBuckets is how many buckets of interval cover from to to.
func countBuckets(from, to time.Time, interval string) int {
	if from.IsZero() {
		return 0
	}
	from, to = bucketStart(dayOf(from), interval), dayOf(to)
	switch interval {
	case "week":
		return int(to.Sub(from).Hours()/24)/7 + 1
	case "month":
		return (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
	case "year":
		return to.Year() - from.Year() + 1
	}
	return int(to.Sub(from).Hours()/24) + 1
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

// timeline sums the days into buckets over the axis of req and the days
// (see axis), with empty buckets included so a chart has no gaps.
func timeline(days map[time.Time]int, interval string, req Request) []Bucket {
	lo, hi := axis(req, days)
	return buckets(days, interval, lo, hi)
}

// buckets sums the days into the buckets of interval from the one holding
// lo to the one holding hi, empty ones included. Zero lo gives none.
func buckets(days map[time.Time]int, interval string, lo, hi time.Time) []Bucket {
	if lo.IsZero() || hi.Before(lo) {
		return nil
	}
	counts := map[time.Time]int{}
	for d, n := range days {
		counts[bucketStart(d, interval)] += n
	}
	var out []Bucket
	for b := bucketStart(lo, interval); !b.After(hi) && len(out) < maxDays; b = next(b, interval) {
		out = append(out, Bucket{Date: b.Format(time.DateOnly), Count: counts[b]})
	}
	return out
}
