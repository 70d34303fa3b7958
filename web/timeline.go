package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"presswatch/index"
)

// timelineView is the data of timeline.html.
type timelineView struct {
	searchView
	Fields        []queryField // q2 to q5, for the form comparing queries
	QueriesHidden [][2]string  // the rest of the search, kept when that form is sent
	Lines         *lineChart   // several queries; nil for one
	CSV, Excel    string       // the counts as CSV (Excel: with a byte order mark)
	Queries       []queryInput // the queries drawn
}

// QueriesOpen reports whether the form comparing queries shows open: a
// second query is set (not only white space).
func (v timelineView) QueriesOpen() bool {
	for _, f := range v.Fields {
		if strings.TrimSpace(f.Value) != "" {
			return true
		}
	}
	return false
}

// queryField is one more query's field on the form.
type queryField struct {
	N            int
	Param, Value string
}

// timelinePage answers GET /timeline: the search's timeline at full size,
// stacked by stance, with its table; a bar leads to the search narrowed to
// its period. With q2 to q5 it draws up to five queries, one line each,
// on one axis instead.
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	state := searchState(r)
	page := pageState(r, state)
	v := newTimelineView(state, page)
	title := translate(lang, "sp.timeline.title")
	req, err := parseState(state, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		share := state.Get("share") == "1"
		if several(page) {
			err = s.timelineLines(ctx, lang, req, page, share, &v)
		} else {
			req.Limit, req.ByStance = 1, true
			var res *index.Result
			if res, err = s.search.Search(ctx, req); err == nil {
				v.Total = res.Total
				v.Chart, err = s.searchChart(ctx, lang, req, res, chartOpts{Path: "/search", Self: "/timeline", State: state,
					Share: share})
			}
		}
	} else if several(page) {
		err = &queryError{queryInput{N: 1, Param: "q", Query: state.Get("q")}, err}
	}
	status := http.StatusOK
	if err != nil {
		if status = statusOf(err); status >= 500 {
			s.log.Error("timeline page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = timelineMessage(lang, err)
	}
	s.render(w, r, status, "timeline.html", title, v)
}

// pageState is state with the timeline's other queries, q2 to q5.
func pageState(r *http.Request, state url.Values) url.Values {
	page := cloneValues(state)
	for _, p := range queryParams[1:] {
		if q := r.URL.Query().Get(p); q != "" {
			page.Set(p, q)
		}
	}
	return page
}

func newTimelineView(state, page url.Values) timelineView {
	v := timelineView{searchView: newSearchView(state),
		CSV: link("/api/timeline", with(page, "format", "csv")), Excel: link("/api/timeline", with(with(page, "format", "csv"), "bom", "1"))}
	for i, p := range queryParams[1:] {
		v.Fields = append(v.Fields, queryField{N: i + 2, Param: p, Value: page.Get(p)})
		if q := page.Get(p); q != "" {
			v.Hidden = append(v.Hidden, [2]string{p, q}) // the search form keeps the other queries
		}
	}
	for _, k := range stateParams {
		if k == "q" {
			continue
		}
		for _, val := range state[k] {
			v.QueriesHidden = append(v.QueriesHidden, [2]string{k, val})
		}
	}
	v.Queries = timelineQueries(page)
	return v
}

// timelineLines draws the queries of page, one line each.
func (s *Server) timelineLines(ctx context.Context, lang string, req index.Request, page url.Values, share bool, v *timelineView) error {
	share = share && !req.Collapse // shares are of articles only
	ms, err := s.queriesSeries(ctx, req, v.Queries, share)
	if err != nil {
		return err
	}
	c := ms.lines(lang, s.opts.KeyDates, lineOpts{State: page, Share: share, Stories: req.Collapse})
	if !req.Collapse {
		c.ShareURL = link("/timeline", with(page, "share", map[bool]string{false: "1"}[share]))
	}
	c.Intervals = intervalChoices(lang, "/timeline", page)
	c.IntervalNote = intervalNote(lang, req.Interval, ms.Interval)
	v.Lines = c
	return nil
}

// timelineMessage says in words what is wrong, naming the query of
// several that is.
func timelineMessage(lang string, err error) string {
	var qe *queryError
	if errors.As(err, &qe) {
		q := qe.Query
		if len([]rune(q)) > 80 {
			q = string([]rune(q)[:80]) + "…"
		}
		return translatef(lang, "tl.err", qe.N, q, userMessage(lang, qe.Err))
	}
	return userMessage(lang, err)
}

func translatef(lang, key string, args ...any) string {
	return page{Lang: lang}.Tf(key, args...)
}
