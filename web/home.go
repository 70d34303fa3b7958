package web

import (
	"bytes"
	"net/http"

	"presswatch/index"
)

type homePage struct {
	Query  string
	Result *index.Result
	Error  string
	Next   string // URL of the next page of results
}

// home answers GET /: a search box and, with ?q=, the results. Snippets
// are HTML made by the index's highlighter from escaped text, so they are
// the one thing rendered unescaped.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := homePage{Query: r.URL.Query().Get("q")}
	status := http.StatusOK
	if r.URL.RawQuery != "" {
		if !s.ready.Load() {
			status, p.Error = http.StatusServiceUnavailable, "presswatch is starting; try again in a moment"
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
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, "home.html", p); err != nil {
		s.log.Error("rendering home failed", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
