package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/index/qparse"
)

// Hit is one article found by Search.
type Hit struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Stance    string     `json:"stance"`
	Lang      string     `json:"lang"`
	State     string     `json:"state"`            // live, edited or removed
	Story     int64      `json:"story"`            // the id shared by the copies of one text
	Copies    int        `json:"copies,omitempty"` // with Request.Collapse: the story's other matching copies
	Published *time.Time `json:"published"`        // nil when unknown
	FirstSeen time.Time  `json:"first_seen"`       // both dates to the second
	// Snippet is safe HTML: a passage of the text with the matched words
	// in <mark>, or, when no word of the text matched, its escaped start.
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score,omitempty"` // relevance sort only
}

// Result is one page of hits, and on the first page (no Request.After)
// the facet counts and the timeline of all matching articles.
type Result struct {
	Total uint64 `json:"total"` // all matching articles, not just this page
	Hits  []Hit  `json:"hits"`
	// Facets counts the matching articles by "source", "stance" and
	// "lang", most frequent first.
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	// Timeline counts the matching articles per Interval ("day", "week",
	// "month" or "year"), oldest first, without gaps; each date is the first day
	// of its bucket (weeks start on Monday).
	Timeline []Bucket `json:"timeline,omitempty"`
	Interval string   `json:"interval,omitempty"`
	// Undated counts the matching articles on no bucket of the timeline:
	// those without a published date (by first seen: without a first
	// seen time). Total = Undated + the sum of the buckets.
	Undated uint64 `json:"undated,omitempty"`
	// ByStance is, with Request.ByStance, the timeline of each stance
	// with articles, on the buckets of Timeline; nil when not asked (or
	// when the index is being rebuilt from an older mapping).
	ByStance map[string][]Bucket `json:"-"`
	// ReadAs is how the query was read: every operator and group
	// explicit, alias groups written out ("(Zhanaozen OR Жанаозен) AND
	// police").
	ReadAs string        `json:"read_as,omitempty"`
	Next   string        `json:"next,omitempty"` // Request.After for the next page; "" on the last
	Took   time.Duration `json:"-"`
}

// FacetCount is how many matching articles have one value of a field.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Bucket is one period of the timeline.
type Bucket struct {
	Date  string `json:"date"` // YYYY-MM-DD, the bucket's first day
	Count int    `json:"count"`
}

// snippetLen is how many characters of text the fallback snippet keeps.
const snippetLen = 200

// storedFields are the fields Search loads for each hit.
var storedFields = []string{fieldURL, fieldTitle, fieldText, fieldSource, fieldStance, fieldLang, fieldPublished, fieldPublishedAt,
	fieldFirstSeen, fieldState, fieldCluster}

// Search runs req and returns one page of hits. A query that cannot be
// parsed gives a *QueryError, an unusable parameter a *ParamError.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	checked := req
	if req.Collapse {
		checked.After = "" // a page of stories has a cursor of its own
	}
	so, after, err := checked.check()
	if err != nil {
		return nil, err
	}
	if err := ix.checkFeatures(req); err != nil {
		return nil, err
	}
	q, readAs, err := ix.buildQueryRead(req)
	if err != nil {
		return nil, err
	}
	if req.Collapse {
		res, err := ix.searchStories(ctx, req, so, q)
		if res != nil {
			res.ReadAs = readAs
		}
		return res, err
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	// One hit more than asked tells whether there is a next page.
	sr := bleve.NewSearchRequestOptions(q, limit+1, 0, false)
	sr.SortBy(so.fields)
	if after != nil {
		sr.SetSearchAfter(after)
	}
	if so.name != SortRelevance {
		sr.Score = bleve.ScoreNone
	}
	sr.Fields = storedFields
	sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
	sr.Highlight.AddField(fieldText)
	if after == nil {
		ix.addFacets(sr, req)
	}

	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	ix.rw.RLock()
	res, err := ix.idx.SearchInContext(ctx, sr)
	ix.rw.RUnlock()
	if err != nil {
		switch {
		case queryFault(err):
			return nil, &QueryError{req.Query, err}
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
			return nil, &QueryError{req.Query, fmt.Errorf("took longer than %s; make it narrower (fewer wildcards, a date range)", searchTimeout)}
		}
		return nil, fmt.Errorf("index: search %s for %q: %w", ix.name(), req.Query, err)
	}
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, min(len(res.Hits), limit)), Took: res.Took, ReadAs: readAs}
	if after == nil {
		ix.facetsOf(res, req, out)
	}
	for i, h := range res.Hits {
		if i == limit {
			out.Next = encodeCursor(so, res.Hits[limit-1])
			break
		}
		hit, err := toHit(h)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// checkFeatures refuses, with a *ParamError, the states and stories req
// asks for when the index is being rebuilt from a mapping without them:
// its counts would be silently wrong until the rebuild ends. An index of
// a mapping that has them (versionFeatures) answers.
func (ix *Index) checkFeatures(req Request) error {
	has := ix.has()
	param, value := "", ""
	switch {
	case req.Collapse && !has.stories:
		param, value = "collapse", "story"
	case (len(req.States) > 0 || strings.Contains(req.Query, fieldState+":")) && !has.states:
		param, value = "state", strings.Join(req.States, ",")
	default:
		return nil
	}
	return &ParamError{param, value, "cannot be searched yet: the index is being rebuilt for this version of presswatch (states and stories come with it); try again when it is done"}
}

// searchTimeout bounds one search, so a pathological query cannot hold
// the server.
const searchTimeout = 5 * time.Second

// buildQuery turns req into a Bleve query: the user's query, compiled for
// every language and spelling (compile.go), with the date range and the
// source, lang, stance and topic lists as filters that select without
// changing scores.
func (ix *Index) buildQuery(req Request) (query.Query, error) {
	q, _, err := ix.buildQueryRead(req)
	return q, err
}

// buildQueryRead is buildQuery that also returns how the query was read.
func (ix *Index) buildQueryRead(req Request) (query.Query, string, error) {
	op, err := qparse.ParseOp(req.Op)
	if err != nil {
		return nil, "", &ParamError{"op", req.Op, "is not an operator (want or or and)"}
	}
	p, err := ix.parseQuery(req.Query, op)
	if err != nil {
		return nil, "", err
	}
	user := p.q
	var filters []query.Query
	if !req.From.IsZero() || !req.To.IsZero() {
		yes := true
		dr := query.NewDateRangeInclusiveQuery(req.From, req.To, &yes, &yes)
		dr.SetField(fieldPublishedLocal)
		if req.ByFirstSeen {
			dr.SetField(fieldFirstSeen)
		}
		filters = append(filters, dr)
	}
	lists := []struct {
		field string
		vals  []string
	}{{fieldSource, req.Sources}, {fieldLang, req.Langs}, {fieldStance, req.Stances}, {fieldTopics, req.Topics},
		{fieldState, req.States}}
	for _, l := range lists {
		if len(l.vals) == 0 {
			continue
		}
		oneOf := query.NewDisjunctionQuery(nil)
		for _, v := range l.vals {
			t := query.NewTermQuery(v)
			t.SetField(l.field)
			oneOf.AddQuery(t)
		}
		filters = append(filters, oneOf)
	}
	if len(filters) == 0 {
		return user, p.readAs, nil
	}
	bq := query.NewBooleanQuery([]query.Query{user}, nil, nil)
	bq.AddFilter(query.NewConjunctionQuery(filters))
	return bq, p.readAs, nil
}

// queryFaults are messages of errors that Bleve (and vellum under it)
// report only when it runs a query, and that are the query's fault: a
// regexp it cannot run, too much fuzziness. Bleve has no types for them.
var queryFaults = []string{
	"fuzziness exceeds max", "dfa contains more than",
	"zero width assertions not allowed", "word boundaries are not allowed",
	"byte literals are not allowed", "lazy quantifiers are not allowed",
	"too many instructions",
}

// queryFault reports whether err, from running a query, is the query's
// fault: those above, and a word that expands to too many terms
// (expansion.go), whose *qparse.Error names it.
func queryFault(err error) bool {
	var se *syntax.Error
	var pe *qparse.Error
	if errors.As(err, &se) || errors.As(err, &pe) {
		return true
	}
	msg := err.Error()
	return slices.ContainsFunc(queryFaults, func(f string) bool { return strings.Contains(msg, f) })
}

func toHit(h *bsearch.DocumentMatch) (Hit, error) {
	id, err := strconv.ParseInt(h.ID, 10, 64)
	if err != nil {
		return Hit{}, fmt.Errorf("index: hit has id %q, not an article id", h.ID)
	}
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	hit := Hit{
		ID:     id,
		URL:    str(fieldURL),
		Title:  str(fieldTitle),
		Source: str(fieldSource),
		Stance: str(fieldStance),
		Lang:   str(fieldLang),
		State:  str(fieldState),
		Score:  h.Score,
	}
	hit.Story, _ = strconv.ParseInt(str(fieldCluster), 10, 64)
	if t, err := time.Parse(time.RFC3339, str(fieldPublishedAt)); err == nil {
		hit.Published = &t // with the publisher's offset
	} else if t, err := time.Parse(time.RFC3339Nano, str(fieldPublished)); err == nil {
		t = t.UTC()
		hit.Published = &t
	}
	if t, err := time.Parse(time.RFC3339Nano, str(fieldFirstSeen)); err == nil {
		hit.FirstSeen = t.UTC()
	}
	if frags := h.Fragments[fieldText]; len(frags) > 0 {
		hit.Snippet = strings.Join(frags, " … ")
	} else {
		hit.Snippet = html.EscapeString(excerpt(str(fieldText), snippetLen))
	}
	return hit, nil
}

// excerpt returns about the first n characters of s with runs of white
// space collapsed, cut at a word boundary and ending in "…" when cut.
func excerpt(s string, n int) string {
	if end := 8 * n; len(s) > end { // enough for n characters and spare blanks
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		s = s[:end]
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if cut == n {
			s = s[:i]
			break
		}
		cut++
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return s + "…"
}
