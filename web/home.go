package web

import (
	"net/http"

	"presswatch/internal/store"
)

// newestOnHome is how many of the newest articles the home page lists.
const newestOnHome = 20

// homePage is the data of home.html.
type homePage struct {
	Topics  []store.TopicCount
	Newest  []store.Summary
	Trouble []sourceRow // active sources whose last run failed
	// NothingRead is set when no source could ever be read (see
	// NothingReadable): the page says why and what to do.
	NothingRead bool
}

// home answers GET /: topics with counts for today and the last 7 days,
// the newest articles, sources in trouble and the search box (which asks
// /search); when no source could ever be read, a notice of what to do. A search link of the form /?q= is sent on to /search.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("q") {
		http.Redirect(w, r, "/search?"+r.URL.RawQuery, http.StatusSeeOther)
		return
	}
	lang := uiLang(r)
	var p homePage
	if err := s.dashboard(r, lang, &p); err != nil {
		s.log.Error("reading the home page failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	s.render(w, r, http.StatusOK, "home.html", "", p)
}

// dashboard fills the parts of the home page read from the store.
func (s *Server) dashboard(r *http.Request, lang string, p *homePage) error {
	ctx := r.Context()
	var err error
	if p.Topics, err = s.store.TopicCounts(ctx, s.opts.Now()); err != nil {
		return err
	}
	if p.Newest, err = s.store.Newest(ctx, newestOnHome); err != nil {
		return err
	}
	srcs, err := s.store.Sources(ctx)
	if err != nil {
		return err
	}
	var bad, all []SourceStatus
	for _, src := range srcs {
		st := SourceStatusOf(src)
		all = append(all, st)
		if st.Active && st.Failures > 0 {
			bad = append(bad, st)
		}
	}
	p.Trouble = sourceRows(lang, bad)
	p.NothingRead = NothingReadable(all)
	return nil
}
