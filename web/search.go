package web

import (
	"context"
	"net/http"
	"time"

	"presswatch/index"
)

// searchTimeout bounds one search.
const searchTimeout = 10 * time.Second

// apiSearch answers GET /api/search with the JSON of index.Result; with
// collapse=story, that of storyResult.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	defer s.timeSearch("/api/search")()
	req, res, err := s.run(r)
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("search failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	if req.Collapse {
		writeJSON(w, http.StatusOK, storiesJSON(res))
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) run(r *http.Request) (index.Request, *index.Result, error) {
	req, err := index.ParseRequest(r.URL.Query())
	if err != nil {
		return req, nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Search(ctx, req)
	return req, res, err
}

// storyResult is a page of a search counting stories (collapse=story):
// index.Result, whose total, facets and timeline count stories, with
// "collapse": "story" saying so and every hit's "copies", 0 included.
type storyResult struct {
	*index.Result
	Collapse string     `json:"collapse"`
	Hits     []storyHit `json:"hits"`
}

// storyHit is a story's first article in the sort order, with how many
// other copies of it match. Its Copies hides the hit's own, which the
// JSON leaves out when 0.
type storyHit struct {
	index.Hit
	Copies int `json:"copies"`
}

func storiesJSON(res *index.Result) storyResult {
	out := storyResult{Result: res, Collapse: "story", Hits: make([]storyHit, len(res.Hits))}
	for i, h := range res.Hits {
		out.Hits[i] = storyHit{h, h.Copies}
	}
	return out
}
