package index

import (
	"strings"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"presswatch/internal/model"
)

// The facets of a search and its timelines are counted from one field,
// the facet key: an article's source, language, state and day in one
// term ("tengrinews\x1fru\x1flive\x1f2011-12-16"). A facet reads a doc
// value of every match, which is most of what a broad search costs; one
// field read instead of one per facet (source, lang, state, day and the
// stance and day) costs a fraction, and the counts are exact, since each
// article has one key. The stance comes from the source, as the stance
// facet always has (stanceFacet): the configured stance of today.
const (
	fieldFacetKey     = "fk"  // with the published day
	fieldFacetKeySeen = "fks" // with the first-seen day (UTC)

	facetKeySep = "\x1f"
	// facetKeyFacet names the facet in a search request.
	facetKeyFacet = "facet_key"
	// maxFacetKeys bounds the distinct keys one search counts: more
	// than every source, language, state and day of 27 years could
	// make in any real collection (a day has a few hundred at most).
	maxFacetKeys = 2_000_000
)

// facetKey is the facet key of an article: its source, language, state and
// day ("" when it has none).
func facetKey(source, lang, state, day string) string {
	return source + facetKeySep + lang + facetKeySep + state + facetKeySep + day
}

func facetKeyField(req Request) string {
	if req.ByFirstSeen {
		return fieldFacetKeySeen
	}
	return fieldFacetKey
}

// keyCounts are the counts one facet on the facet key gives.
type keyCounts struct {
	source, lang, state map[string]int
	days                map[time.Time]int
	stanceDays          map[string]map[time.Time]int
	undated             int
}

// countKeys sums the facet-key facet fr by source, language, state, day
// and stance and day.
func (ix *Index) countKeys(fr *bsearch.FacetResult) keyCounts {
	k := keyCounts{source: map[string]int{}, lang: map[string]int{}, state: map[string]int{},
		days: map[time.Time]int{}, stanceDays: map[string]map[time.Time]int{}}
	if fr == nil || fr.Terms == nil {
		return k
	}
	dates := map[string]time.Time{} // a search has few days and many keys
	for _, t := range fr.Terms.Terms() {
		src, rest, ok1 := strings.Cut(t.Term, facetKeySep)
		lang, rest, ok2 := strings.Cut(rest, facetKeySep)
		state, day, ok3 := strings.Cut(rest, facetKeySep)
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		k.source[src] += t.Count
		if lang != "" {
			k.lang[lang] += t.Count
		}
		k.state[state] += t.Count
		d, seen := dates[day]
		if !seen {
			var err error
			if d, err = time.Parse(time.DateOnly, day); err != nil {
				d = time.Time{}
			}
			dates[day] = d
		}
		if d.IsZero() {
			k.undated += t.Count
			continue
		}
		k.days[d] += t.Count
		st, ok := ix.stances[src]
		if !ok || st == "" {
			st = model.StanceUnknown
		}
		sd := k.stanceDays[string(st)]
		if sd == nil {
			sd = map[time.Time]int{}
			k.stanceDays[string(st)] = sd
		}
		sd[d] += t.Count
	}
	return k
}
