package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"presswatch/index"
)

// breakdownKinds are the breakdowns of a search, in the order the page
// shows them: each is one of the facets the search returns.
var breakdownKinds = []string{"lang", "source", "stance"}

// breakdown counts a search's articles (or stories) by one field.
type breakdown struct {
	By    string // lang, source or stance
	Total uint64 // of the search
	Rows  []breakdownRow
	// Uncounted is, counting articles, how many matching articles the
	// rows leave out: those without a value (an article whose language
	// was not found) or beyond the values the index counts.
	Uncounted uint64
	Over      bool // counting stories, the rows add up to more than Total (a story has several sources)
}

// breakdownRow is one value and how many of the search have it. Value ""
// counts stories one of whose copies has no value.
type breakdownRow struct {
	Value string
	Name  string // the source's configured name; "" for other fields or an unknown source
	Count int
}

// breakdownOf reads the breakdown by of res, naming sources from names.
// The stance breakdown lists every stance, those with none too.
func breakdownOf(res *index.Result, by string, names map[string]string, stories bool) breakdown {
	b := breakdown{By: by, Total: res.Total}
	facet := res.Facets[by]
	if by == "stance" {
		for _, st := range compareStances {
			b.Rows = append(b.Rows, breakdownRow{Value: st, Count: facetCount(facet, st)})
		}
		for _, fc := range facet {
			if !slices.Contains(compareStances, fc.Value) {
				b.Rows = append(b.Rows, breakdownRow{Value: fc.Value, Count: fc.Count})
			}
		}
	} else {
		for _, fc := range facet {
			row := breakdownRow{Value: fc.Value, Count: fc.Count}
			if by == "source" {
				row.Name = names[fc.Value]
			}
			b.Rows = append(b.Rows, row)
		}
	}
	var sum uint64
	for _, r := range b.Rows {
		sum += uint64(r.Count)
	}
	switch {
	case !stories && sum < b.Total:
		b.Uncounted = b.Total - sum
	case stories && sum > b.Total:
		b.Over = true
	}
	return b
}

// sourceNames maps every stored source's id to its configured name. A
// server without a store has none.
func (s *Server) sourceNames(ctx context.Context) (map[string]string, error) {
	if s.store == nil {
		return nil, nil
	}
	srcs, err := s.store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: listing the sources for their names: %w", err)
	}
	names := make(map[string]string, len(srcs))
	for _, src := range srcs {
		names[src.ID] = src.Name
	}
	return names, nil
}

// namesOrIDs is sourceNames for a page: on a failure, which it logs, the
// page shows the ids.
func (s *Server) namesOrIDs(ctx context.Context) map[string]string {
	names, err := s.sourceNames(ctx)
	if err != nil {
		s.log.Error("naming sources failed", "error", err)
	}
	return names
}

// breakdownBar is the width of a bar at 100 %, in CSS pixels.
const breakdownBar = 160

// breakdownView is the data of breakdown.html.
type breakdownView struct {
	searchView
	Sections []breakdownSection
	TermsURL string
	JSON     string
}

type breakdownSection struct {
	breakdown
	Label      string // the field, in the UI language
	Items      []breakdownItem
	Left       *breakdownItem // the uncounted, as a row; nil when none
	CSV, Excel string
}

// breakdownItem is a row as a person reads it.
type breakdownItem struct {
	Label, Detail string // the name and, under it, the id or code
	Count         int
	CountText     string // Count in the UI language
	Share         string // of the search's total
	Bar           float64
	URL           string // the search narrowed to the value
}

// Width is the width of a bar at 100 %.
func (breakdownItem) Width() int { return breakdownBar }

// breakdownPage answers GET /breakdown: the search's articles (or
// stories) by language, source and stance, as bars with their numbers.
func (s *Server) breakdownPage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	state := with(searchState(r), "share", "")
	v := breakdownView{searchView: newSearchView(state), TermsURL: link("/terms", state),
		JSON: link("/api/breakdown", state)}
	req, err := parseState(state, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		req.Limit, req.After = 1, ""
		var res *index.Result
		if res, err = s.search.Search(ctx, req); err == nil {
			v.Total = res.Total
			names := s.namesOrIDs(ctx)
			for _, by := range breakdownKinds {
				v.Sections = append(v.Sections, breakdownSectionOf(lang, breakdownOf(res, by, names, req.Collapse), state))
			}
		}
	}
	status := http.StatusOK
	if err != nil {
		if status = statusOf(err); status >= 500 {
			s.log.Error("breakdown page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = userMessage(lang, err)
	}
	s.render(w, r, status, "breakdown.html", translate(lang, "bd.title"), v)
}

// breakdownSectionOf lays b out in lang: names, shares of the total and
// bars on one scale (the total), each row a link to the narrowed search.
func breakdownSectionOf(lang string, b breakdown, state url.Values) breakdownSection {
	sec := breakdownSection{breakdown: b,
		Label: translate(lang, map[string]string{"lang": "sp.filter.language", "source": "sp.filter.source", "stance": "sp.filter.stance"}[b.By]),
		CSV:   link("/api/breakdown", with(with(state, "by", b.By), "format", "csv")),
		Excel: link("/api/breakdown", with(with(with(state, "by", b.By), "format", "csv"), "bom", "1"))}
	for _, row := range b.Rows {
		it := breakdownItem{Label: row.Value, Count: row.Count}
		switch {
		case row.Value == "":
			it.Label = translate(lang, "bd.none")
		case b.By == "source" && row.Name != "":
			it.Label, it.Detail = row.Name, row.Value
		case b.By == "stance":
			it.Label = translate(lang, "sp.stance."+row.Value)
		case b.By == "lang":
			if name, ok := messages[lang]["bd.lang."+row.Value]; ok {
				it.Label, it.Detail = name, row.Value
			}
		}
		// Past maxRemoveLinks active values, a row of one of them has no
		// link: each would carry them all (see facetGroups).
		if row.Value != "" && (len(state[b.By]) <= maxRemoveLinks || !slices.Contains(state[b.By], row.Value)) {
			it.URL = link("/search", toggle(state, b.By, row.Value))
		}
		it.CountText = numText(lang, int64(row.Count))
		it.Share, it.Bar = shareOf(lang, row.Count, b.Total)
		sec.Items = append(sec.Items, it)
	}
	if b.Uncounted > 0 {
		left := breakdownItem{Label: translate(lang, "bd.uncounted"), Count: int(b.Uncounted)}
		left.CountText = numText(lang, int64(left.Count))
		left.Share, left.Bar = shareOf(lang, left.Count, b.Total)
		sec.Left = &left
	}
	return sec
}

// shareOf is n's share of total in words and as a bar's width.
func shareOf(lang string, n int, total uint64) (string, float64) {
	if total == 0 {
		return "", 0
	}
	share := float64(n) / float64(total)
	return percent(lang, share), round1(share * breakdownBar)
}

// percent shows a share of 0 to 1 in per cent, to one decimal under 10 %.
func percent(lang string, x float64) string {
	if x > 0 && x < 0.1 && !strings.HasSuffix(strconv.FormatFloat(x*100, 'f', 1, 64), ".0") {
		return percentText(lang, x, 1)
	}
	return percentText(lang, x, 0)
}
