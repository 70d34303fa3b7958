package web

import (
	"context"
	"net/http"
	"time"

	"presswatch/index"
)

// searchTimeout bounds one search.
const searchTimeout = 10 * time.Second

// apiSearch answers GET /api/search with the JSON of index.Result.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	res, err := s.run(r)
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("search failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) run(r *http.Request) (*index.Result, error) {
	req, err := index.ParseRequest(r.URL.Query())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	return s.search.Search(ctx, req)
}
