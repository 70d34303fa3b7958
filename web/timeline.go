package web

import (
	"context"
	"net/http"

	"presswatch/index"
)

// timelineView is the data of timeline.html.
type timelineView struct {
	searchView
}

// timelinePage answers GET /timeline: the search's timeline at full size,
// stacked by stance, with its table; a bar leads to the search narrowed to
// its period.
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	state := searchState(r)
	v := timelineView{newSearchView(state)}
	title := translate(lang, "sp.timeline.title")
	req, err := parseState(state, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		req.Limit = 1
		var res *index.Result
		if res, err = s.search.Search(ctx, req); err == nil {
			v.Total = res.Total
			v.Chart, err = s.searchChart(ctx, lang, req, res, chartOpts{Path: "/search", Self: "/timeline", State: state,
				Share: state.Get("share") == "1"})
		}
	}
	status := http.StatusOK
	if err != nil {
		if status = statusOf(err); status >= 500 {
			s.log.Error("timeline page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = userMessage(lang, err)
	}
	s.render(w, r, status, "timeline.html", title, v)
}
