package web

import (
	"net/http"

	"presswatch/index"
)

type homePage struct {
	Query  string
	Result *index.Result
	Error  string
	Next   string // URL of the next page of results
}

// home answers GET /: a search box and, with ?q=, the results.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := homePage{Query: r.URL.Query().Get("q")}
	status := http.StatusOK
	if r.URL.Query().Has("q") {
		if !s.ready.Load() {
			status, p.Error = http.StatusServiceUnavailable, translate(uiLang(r), "error.starting")
		} else if res, err := s.run(r); err != nil {
			status, p.Error = statusOf(err), err.Error()
		} else {
			p.Result = res
			if res.Next != "" {
				q := r.URL.Query()
				q.Set("after", res.Next)
				p.Next = "/?" + q.Encode()
			}
		}
	}
	s.render(w, r, status, "home.html", p.Query, p)
}
