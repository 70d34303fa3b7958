package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"presswatch/index"
	"presswatch/index/qparse"
)

// stateParams are the URL parameters that make up a search on the HTML
// pages, the exports and the feed: those of /api/search (the UI language
// is "ui", see uiLang) and the view option share. Every link a page makes
// (paging, facets, sorts, bars, exports, the other pages) keeps them, so
// collapse=story, once set, counts stories everywhere.
var stateParams = []string{"q", "op", "from", "to", "date", "source", "lang", "stance", "topic", "state", "collapse", "sort", "interval", "share"}

// listParams are the filters that may hold several values.
var listParams = []string{"source", "lang", "stance", "topic", "state"}

// maxQueryBytes is the longest query the index accepts.
const maxQueryBytes = qparse.MaxLen

// searchState returns the search parameters of r: no paging, no UI
// language, no view options, no empty values. A list filter keeps at most
// index.MaxValues+1 distinct values: one past the cap, so parseState
// refuses it, while the pages that say so stay small.
func searchState(r *http.Request) url.Values {
	q := r.URL.Query()
	out := url.Values{}
	for _, k := range stateParams {
		seen := map[string]bool{} // a map, not a scan: thousands of values stay linear
		for _, v := range q[k] {
			if slices.Contains(listParams, k) {
				for p := range strings.SplitSeq(v, ",") {
					if p = strings.TrimSpace(p); p != "" && !seen[p] && len(out[k]) <= index.MaxValues {
						seen[p] = true
						out.Add(k, p)
					}
				}
			} else if strings.TrimSpace(v) != "" {
				out.Set(k, v)
			}
		}
	}
	return out
}

// withinCaps returns q without the list filters of more than
// index.MaxValues values, which are refused: a page links to the search
// without them rather than repeat thousands of values.
func withinCaps(q url.Values) url.Values {
	var out url.Values
	for _, k := range listParams {
		n := 0
		for _, v := range q[k] {
			n += strings.Count(v, ",") + 1
		}
		if n > index.MaxValues {
			if out == nil {
				out = cloneValues(q)
			}
			out.Del(k)
		}
	}
	if out == nil {
		return q
	}
	return out
}

// tooLongError reports a query longer than the index takes.
type tooLongError struct{ n int }

func (e *tooLongError) Error() string {
	return fmt.Sprintf("web: query of %d bytes is longer than %d", e.n, maxQueryBytes)
}

// parseState turns search parameters into an index.Request; after is the
// cursor of the page to show, "" for the first.
func parseState(state url.Values, after string) (index.Request, error) {
	if n := len(state.Get("q")); n > maxQueryBytes {
		return index.Request{}, &index.QueryError{Query: state.Get("q")[:64] + "…", Err: &tooLongError{n}}
	}
	for _, k := range listParams {
		if len(state[k]) > index.MaxValues { // searchState kept one past the cap
			return index.Request{}, &index.ParamError{Param: k, Value: fmt.Sprintf("more than %d values", index.MaxValues),
				Reason: fmt.Sprintf("are too many; at most %d", index.MaxValues)}
		}
	}
	return index.ParseRequest(with(state, "after", after))
}

// userMessage says in words, in lang, what is wrong with a search.
func userMessage(lang string, err error) string {
	var pe *index.ParamError
	var qe *index.QueryError
	var tl *tooLongError
	var be *busyError
	switch {
	case errors.As(err, &be):
		return translate(lang, "sp.err.busy")
	case errors.As(err, &tl):
		return fmt.Sprintf(translate(lang, "sp.err.toolong"), tl.n, maxQueryBytes)
	case errors.As(err, &pe):
		return fmt.Sprintf(translate(lang, "sp.err.param"), pe.Param, pe.Value, reasonText(lang, pe.Reason))
	case errors.As(err, &qe):
		return fmt.Sprintf(translate(lang, "sp.err.query"), queryErrorText(lang, qe.Err))
	case errors.Is(err, context.DeadlineExceeded):
		return translate(lang, "sp.err.timeout")
	}
	return translate(lang, "error.internal")
}

// link is path with the parameters v (nil for none).
func link(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// with returns a copy of v with key set to val ("" deletes it).
func with(v url.Values, key, val string) url.Values {
	out := cloneValues(v)
	if val == "" {
		out.Del(key)
	} else {
		out.Set(key, val)
	}
	return out
}

// toggle returns a copy of v with val added to the list key, or removed
// from it when it is there.
func toggle(v url.Values, key, val string) url.Values {
	out := cloneValues(v)
	if i := slices.Index(out[key], val); i >= 0 {
		out[key] = slices.Delete(slices.Clone(out[key]), i, i+1)
		if len(out[key]) == 0 {
			out.Del(key)
		}
	} else {
		out[key] = append(slices.Clone(out[key]), val)
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// searchView is the data of search.html.
type searchView struct {
	State          url.Values
	Query          string
	Op             string // how words side by side are joined: "" (or) or "and"
	From, To, Date string
	Collapse       bool        // collapse=story: counts and hits are stories
	Hidden         [][2]string // the other filters, kept when the form is sent
	Error          string
	Result         *index.Result // the page of hits
	Total          uint64
	Groups         []facetGroup
	Sorts          []choice
	Chart          *chart
	Next, Prev     string // the links to the next and the previous page
	Start          int    // the number of the page's first hit
	CSV, JSONL     string
	Feed           string
	SearchURL      string
	TimelineURL    string
	CompareURL     string
	// Names maps source ids to their configured names (SourceName).
	Names map[string]string
}

// SourceName is the configured name of a source, or its id when it has
// none: what a reader sees wherever a source is named.
func (v searchView) SourceName(id string) string { return cmp.Or(v.Names[id], id) }

// ShowReadAs reports whether the page says how the query was read: when
// presswatch read it otherwise than it was written (an operator made
// explicit, an alias group written out), white space aside, and it is
// not the query of everything.
func (v searchView) ShowReadAs(readAs string) bool {
	return readAs != "" && readAs != "*" && readAs != strings.Join(strings.Fields(v.Query), " ")
}

// AtomURL is the feed of the search, linked from the page's head.
func (v searchView) AtomURL() string { return v.Feed }

// facetGroup is one filter with its values and their counts.
type facetGroup struct {
	Param, Label string
	Items        []facetItem
	// ClearURL removes every value of the filter; set, instead of a
	// removing link on each active value, when more than maxRemoveLinks
	// are active (see facetGroups).
	ClearURL string
}

// maxRemoveLinks is the most active values of one filter that get a link
// removing each: every such link carries all the search's values, so one
// per value would make a page that grows with the square of their number.
// Past it the values show as text with one link clearing the filter.
const maxRemoveLinks = 10

type facetItem struct {
	Value, Label string
	Count        int
	Counted      bool // Count is known
	Active       bool
	URL          string // adds the filter, or removes it when Active
}

// choice is a link among alternatives, such as the sort orders.
type choice struct {
	Label, URL string
	Current    bool
}

// searchPage answers GET /search: the form, the filters with their
// counts, a compact timeline and a page of results.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	defer s.timeSearch("/search")()
	state := searchState(r)
	v := newSearchView(state)
	title := translate(lang, "nav.search")
	if q := state.Get("q"); q != "" {
		title = q
	}
	var req index.Request
	after := r.URL.Query().Get("after")
	page, err := pageNumber(r.URL.Query().Get("page"))
	if err == nil {
		req, err = parseState(state, after)
	}
	if err != nil {
		v.Error = userMessage(lang, err)
		s.render(w, r, http.StatusBadRequest, "search.html", title, v)
		return
	}
	req.ByStance = true // the chart's stance series comes with the page's own search
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	if page > 1 && after == "" {
		// A link back to page n names it by its number: the hits before it
		// are read again to find where it starts.
		req.After, err = s.pageCursor(ctx, req, page)
	}
	var res *index.Result
	if err == nil {
		res, err = s.search.Search(ctx, req)
	}
	first := res
	if err == nil && req.After != "" {
		// Facets and the timeline come with the first page only.
		base := req
		base.After, base.Limit = "", 1
		first, err = s.search.Search(ctx, base)
	}
	if err == nil {
		v.Chart, err = s.searchChart(ctx, lang, req, first, chartOpts{Path: "/search", Self: "/search", State: state,
			Compact: true, Share: state.Get("share") == "1"})
	}
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("search page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = userMessage(lang, err)
		s.render(w, r, status, "search.html", title, v)
		return
	}
	shown := *res
	shown.Hits = readableHits(res.Hits)
	v.Result, v.Total = &shown, first.Total
	v.Start = (page-1)*cmp.Or(req.Limit, index.DefaultLimit) + 1
	v.Names = s.namesOrIDs(ctx)
	v.Groups = s.facetGroups(ctx, lang, state, first.Facets, v.Names)
	if res.Next != "" {
		v.Next = link("/search", with(with(state, "after", res.Next), "page", strconv.Itoa(page+1)))
	}
	switch {
	case page > 2:
		v.Prev = link("/search", with(state, "page", strconv.Itoa(page-1)))
	case page == 2 || after != "":
		v.Prev = link("/search", state)
	}
	s.render(w, r, http.StatusOK, "search.html", title, v)
}

func newSearchView(state url.Values) searchView {
	v := searchView{
		State: state, Query: state.Get("q"), Op: state.Get("op"), From: state.Get("from"), To: state.Get("to"), Date: state.Get("date"),
		Collapse:  state.Get("collapse") == "story",
		CSV:       link("/search.csv", with(state, "share", "")),
		JSONL:     link("/search.jsonl", with(state, "share", "")),
		Feed:      link("/search.atom", with(state, "share", "")),
		SearchURL: link("/search", state), TimelineURL: link("/timeline", state), CompareURL: link("/compare", state),
	}
	for _, k := range append(slices.Clone(listParams), "sort", "interval", "share") {
		if len(state[k]) > index.MaxValues {
			continue // refused (parseState): the form does not send them again
		}
		for _, val := range state[k] {
			v.Hidden = append(v.Hidden, [2]string{k, val})
		}
	}
	for _, so := range []string{index.SortRelevance, index.SortNewest, index.SortOldest} {
		cur := state.Get("sort")
		if cur == "" {
			cur = index.SortRelevance
		}
		val := so
		if so == index.SortRelevance {
			val = ""
		}
		v.Sorts = append(v.Sorts, choice{Label: "sp.sort." + so, URL: link("/search", with(state, "sort", val)), Current: cur == so})
	}
	return v
}

// facetGroups lists the filters: source, stance and language with the
// counts of the matching articles, topics (from the store, uncounted);
// active values always show, so a second click can remove them.
// A source shows by its name (names), or its id when it has none.
func (s *Server) facetGroups(ctx context.Context, lang string, state url.Values, facets map[string][]index.FacetCount, names map[string]string) []facetGroup {
	groups := []facetGroup{
		{Param: "source", Label: "sp.filter.source"},
		{Param: "stance", Label: "sp.filter.stance"},
		{Param: "lang", Label: "sp.filter.language"},
		{Param: "topic", Label: "sp.filter.topic"},
		{Param: "state", Label: "sp.filter.state"},
	}
	facetOf := map[string]string{"source": "source", "stance": "stance", "lang": "lang", "state": "state"}
	for i := range groups {
		g := &groups[i]
		seen, active := map[string]bool{}, map[string]bool{}
		for _, val := range state[g.Param] {
			active[val] = true
		}
		add := func(val, label string, count int, counted bool) {
			if seen[val] {
				return
			}
			seen[val] = true
			if label == "" {
				label = cmp.Or(names[val], val)
			}
			switch g.Param {
			case "source":
				label = cmp.Or(names[val], val)
			case "stance":
				label = translate(lang, "sp.stance."+val)
			case "state":
				label = translate(lang, "sp.state."+val)
			}
			item := facetItem{Value: val, Label: label, Count: count, Counted: counted, Active: active[val]}
			if !item.Active || len(state[g.Param]) <= maxRemoveLinks {
				item.URL = link("/search", toggle(state, g.Param, val))
			}
			g.Items = append(g.Items, item)
		}
		if f, ok := facetOf[g.Param]; ok {
			for _, fc := range facets[f] {
				add(fc.Value, "", fc.Count, true)
			}
		} else if s.store != nil {
			if topics, err := s.store.Topics(ctx); err == nil {
				for _, t := range topics {
					add(t.ID, t.Name, 0, false)
				}
			}
		}
		for _, val := range state[g.Param] {
			add(val, "", 0, g.Param != "topic")
		}
		if len(state[g.Param]) > maxRemoveLinks {
			g.ClearURL = link("/search", with(state, g.Param, ""))
		}
	}
	return groups
}

// maxSkip is the most hits a link to a page by its number has read again
// to find where the page starts (pageCursor): page 501 of 20.
const maxSkip = 10000

// pageNumber reads the page parameter: 1 when absent.
func pageNumber(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || (n-1)*index.DefaultLimit > maxSkip {
		return 0, &index.ParamError{Param: "page", Value: s,
			Reason: fmt.Sprintf("is not a number from 1 to %d", maxSkip/index.DefaultLimit+1)}
	}
	return n, nil
}

// pageCursor returns the cursor (index.Request.After) of page n of req,
// reading the hits of the pages before it.
func (s *Server) pageCursor(ctx context.Context, req index.Request, n int) (string, error) {
	skip := (n - 1) * cmp.Or(req.Limit, index.DefaultLimit)
	r := req
	r.ByStance = false
	for skip > 0 {
		r.Limit = min(skip, index.MaxLimit)
		res, err := s.search.Search(ctx, r)
		if err != nil {
			return "", err
		}
		if res.Next == "" {
			return "", &index.ParamError{Param: "page", Value: strconv.Itoa(n), Reason: "is past the last page of this search"}
		}
		r.After, skip = res.Next, skip-r.Limit
	}
	return r.After, nil
}
