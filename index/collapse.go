package index

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/internal/model"
)

// MaxCollapse bounds the matching articles a search with Collapse groups
// into stories. A search matching more is refused with a *ParamError that
// says so, rather than answered with counts that leave some out.
const MaxCollapse = 20000

// storyCursor prefixes Result.Next of a collapsed search: the number of
// stories shown before the next page and the key of the last one shown
// ("story:20:1234"). The next page starts after that story where it is
// found again, so articles stored or stories merged between two pages do
// not repeat a story or skip one; the number is the fallback when that
// story no longer matches.
const storyCursor = "story:"

// collapseFields are what grouping reads of every matching article.
var collapseFields = []string{fieldCluster, fieldSource, fieldLang, fieldState, fieldPublishedAt, fieldPublished, fieldFirstSeen}

// story is one story of a collapsed search: its first article in the
// search's order, how many of its articles match, and what they are.
type story struct {
	key     int64 // the story (cluster) id
	first   int64
	members int
	values  map[string]map[string]bool // facet field -> values of its members
	day     time.Time                  // its earliest matching article's day; zero if all are undated
}

// searchStories runs a search with Collapse: every matching article is
// read (at most MaxCollapse), grouped by story, and counted once per
// story: the total, each facet value (a story with copies in two sources
// counts once in each) and the timeline (on the day of the story's
// earliest matching copy). The page shows each story's first article in
// the search's order, with how many other copies match.
func (ix *Index) searchStories(ctx context.Context, req Request, so sortOrder, q query.Query) (*Result, error) {
	offset, lastKey := 0, int64(0)
	if req.After != "" {
		var err error
		offset, lastKey, err = parseStoryCursor(req.After)
		if err != nil {
			return nil, err
		}
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	sr := bleve.NewSearchRequestOptions(q, MaxCollapse+1, 0, false)
	sr.SortBy(so.fields)
	if so.name != SortRelevance {
		sr.Score = bleve.ScoreNone
	}
	sr.Fields = collapseFields
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	ix.rw.RLock()
	res, err := ix.idx.SearchInContext(ctx, sr)
	ix.rw.RUnlock()
	if err != nil {
		if queryFault(err) {
			return nil, &QueryError{req.Query, err}
		}
		return nil, fmt.Errorf("index: search %s for %q: %w", ix.name(), req.Query, err)
	}
	if res.Total > MaxCollapse {
		return nil, &ParamError{"collapse", "story", fmt.Sprintf("cannot count the stories of %d matching articles (at most %d): narrow the search, by dates or sources", res.Total, MaxCollapse)}
	}
	stories, order := map[int64]*story{}, []*story{}
	for _, h := range res.Hits {
		str := func(f string) string { s, _ := h.Fields[f].(string); return s }
		id, _ := strconv.ParseInt(h.ID, 10, 64)
		key, _ := strconv.ParseInt(str(fieldCluster), 10, 64)
		if key == 0 {
			key = id
		}
		s := stories[key]
		if s == nil {
			s = &story{key: key, first: id, values: map[string]map[string]bool{}}
			stories[key] = s
			order = append(order, s)
		}
		s.members++
		st, ok := ix.stances[str(fieldSource)]
		if !ok {
			st = model.StanceUnknown
		}
		for f, v := range map[string]string{fieldSource: str(fieldSource), fieldLang: str(fieldLang), fieldState: str(fieldState), fieldStance: string(st)} {
			if s.values[f] == nil {
				s.values[f] = map[string]bool{}
			}
			s.values[f][v] = true
		}
		if d, ok := hitDay(str, req.ByFirstSeen); ok && (s.day.IsZero() || d.Before(s.day)) {
			s.day = d
		}
	}
	out := &Result{Total: uint64(len(order)), Hits: []Hit{}, Took: res.Took}
	if req.After == "" {
		out.Facets, out.Timeline, out.Interval = storyFacets(order, req)
		out.Undated = undatedStories(order)
	}
	if lastKey != 0 {
		for i, s := range order {
			if s.key == lastKey {
				offset = i + 1
				break
			}
		}
	}
	if offset >= len(order) {
		return out, nil
	}
	page := order[offset:min(offset+limit, len(order))]
	if offset+limit < len(order) {
		out.Next = fmt.Sprintf("%s%d:%d", storyCursor, offset+limit, page[len(page)-1].key)
	}
	hits, err := ix.hitsByID(ctx, q, page)
	if err != nil {
		return nil, err
	}
	for _, s := range page {
		if h, ok := hits[s.first]; ok {
			h.Copies = s.members - 1
			out.Hits = append(out.Hits, h)
		}
	}
	return out, nil
}

// parseStoryCursor reads "story:N:KEY" (or "story:N").
func parseStoryCursor(s string) (offset int, key int64, err error) {
	bad := &ParamError{"after", s, "is not a cursor from a previous page of stories"}
	rest, ok := strings.CutPrefix(s, storyCursor)
	if !ok {
		return 0, 0, bad
	}
	n, k, hasKey := strings.Cut(rest, ":")
	if offset, err = strconv.Atoi(n); err != nil || offset < 0 {
		return 0, 0, bad
	}
	if hasKey {
		if key, err = strconv.ParseInt(k, 10, 64); err != nil || key <= 0 {
			return 0, 0, bad
		}
	}
	return offset, key, nil
}

// hitDay is the day a hit counts on in the timeline: the publisher's day,
// or with byFirstSeen the UTC day presswatch first saw it.
func hitDay(str func(string) string, byFirstSeen bool) (time.Time, bool) {
	if byFirstSeen {
		t, err := time.Parse(time.RFC3339Nano, str(fieldFirstSeen))
		if err != nil {
			return time.Time{}, false
		}
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	}
	t, err := time.Parse(time.RFC3339, str(fieldPublishedAt))
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

// storyFacets counts stories by each facet value and by day.
func storyFacets(order []*story, req Request) (map[string][]FacetCount, []Bucket, string) {
	counts := map[string]map[string]int{}
	days := map[time.Time]int{}
	for _, s := range order {
		for f, vals := range s.values {
			if counts[f] == nil {
				counts[f] = map[string]int{}
			}
			for v := range vals {
				counts[f][v]++
			}
		}
		if !s.day.IsZero() {
			days[s.day]++
		}
	}
	facets := map[string][]FacetCount{}
	for _, f := range []string{fieldSource, fieldLang, fieldState, fieldStance} {
		list := []FacetCount{}
		for v, n := range counts[f] {
			list = append(list, FacetCount{Value: v, Count: n})
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Value < list[j].Value
		})
		facets[f] = list
	}
	interval := chooseInterval(req, days)
	return facets, timeline(days, interval, req), interval
}

// hitsByID loads the page's articles in full (fields, snippets) with the
// search's own query, so the snippets mark what matched.
func (ix *Index) hitsByID(ctx context.Context, q query.Query, page []*story) (map[int64]Hit, error) {
	ids := make([]string, len(page))
	for i, s := range page {
		ids[i] = docID(s.first)
	}
	sr := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{q, query.NewDocIDQuery(ids)}), len(ids), 0, false)
	sr.Fields = storedFields
	sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
	sr.Highlight.AddField(fieldText)
	ix.rw.RLock()
	res, err := ix.idx.SearchInContext(ctx, sr)
	ix.rw.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("index: load the page of stories: %w", err)
	}
	out := make(map[int64]Hit, len(res.Hits))
	for _, h := range res.Hits {
		hit, err := toHit(h)
		if err != nil {
			return nil, err
		}
		out[hit.ID] = hit
	}
	return out, nil
}
