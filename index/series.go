package index

import (
	"strings"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"presswatch/internal/model"
)

// The timeline by stance (Request.ByStance) is counted in the same search
// as the timeline, from one facet on a field that holds the stance and the
// day of each article ("state|2011-12-16"), instead of one more search
// per stance. Its facet asks for every stance of every day the timeline
// may count: len(model.Stances) * maxDays terms at most.

func stanceDayField(req Request) string {
	if req.ByFirstSeen {
		return fieldStanceSeenDay
	}
	return fieldStanceDay
}

// stanceDay is the term of fieldStanceDay for an article of stance on
// day (YYYY-MM-DD).
func stanceDay(stance model.Stance, day string) string {
	if stance == "" {
		stance = model.StanceUnknown
	}
	return string(stance) + "|" + day
}

// byStance buckets the counts of the stance-and-day facet fr by stance,
// on the buckets of interval from lo to hi (those of the timeline). Every
// stance with a count is there.
func byStance(fr *bsearch.FacetResult, interval string, lo, hi time.Time) map[string][]Bucket {
	days := map[string]map[time.Time]int{}
	if fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			st, day, ok := strings.Cut(t.Term, "|")
			d, err := time.Parse(time.DateOnly, day)
			if !ok || err != nil {
				continue
			}
			if days[st] == nil {
				days[st] = map[time.Time]int{}
			}
			days[st][d] += t.Count
		}
	}
	out := make(map[string][]Bucket, len(days))
	for st, d := range days {
		out[st] = buckets(d, interval, lo, hi)
	}
	return out
}

// undatedStories counts the stories none of whose matching articles has
// a day on the timeline.
func undatedStories(order []*story) uint64 {
	var n uint64
	for _, s := range order {
		if s.day.IsZero() {
			n++
		}
	}
	return n
}
