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
	for _, t := range fr.Terms.Terms() {
		parts := strings.SplitN(t.Term, facetKeySep, 4)
		if len(parts) != 4 {
			continue
		}
		src, lang, state, day := parts[0], parts[1], parts[2], parts[3]
		k.source[src] += t.Count
		if lang != "" {
			k.lang[lang] += t.Count
		}
		k.state[state] += t.Count
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			k.undated += t.Count
			continue
		}
		k.days[d] += t.Count
		st, ok := ix.stances[src]
		if !ok || st == "" {
			st = model.StanceUnknown
		}
		if k.stanceDays[string(st)] == nil {
			k.stanceDays[string(st)] = map[time.Time]int{}
		}
		k.stanceDays[string(st)][d] += t.Count
	}
	return k
}
