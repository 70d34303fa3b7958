package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"presswatch/index"
	"presswatch/internal/store"
)

// ArticleJSON is an article as GET /api/articles/{id} returns it.
type ArticleJSON struct {
	ID          int64         `json:"id"`
	URL         string        `json:"url"`
	Source      SourceRef     `json:"source"`
	Title       string        `json:"title"`
	Author      string        `json:"author"`
	Lang        string        `json:"lang"`
	Published   *time.Time    `json:"published"` // the publisher's time and offset; null if unknown
	DateSource  string        `json:"date_source,omitempty"`
	FirstSeen   time.Time     `json:"first_seen"`
	LastChecked time.Time     `json:"last_checked"`
	State       string        `json:"state"`
	Provenance  string        `json:"provenance"`
	ContentHash string        `json:"content_hash"` // SHA-256 of the normalised text
	Topics      []string      `json:"topics"`
	Text        string        `json:"text"`
	Fetch       *FetchJSON    `json:"fetch"` // null if the article has no fetch record
	Versions    []VersionJSON `json:"versions"`
	Copies      []CopyJSON    `json:"copies"`
	Cite        string        `json:"cite"`
}

// SourceRef names an article's source.
type SourceRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Stance string `json:"stance"`
}

// FetchJSON is the fetch record of an article.
type FetchJSON struct {
	ID     int64     `json:"id"`
	URL    string    `json:"url"`
	At     time.Time `json:"at"`
	Status int       `json:"http_status"`
	Bytes  int64     `json:"bytes"`
	SHA256 string    `json:"sha256"` // of the body as received
}

// VersionJSON is one text an article had.
type VersionJSON struct {
	ID          int64     `json:"id"`
	FetchID     int64     `json:"fetch_id,omitempty"`
	Seen        time.Time `json:"seen"`
	Title       string    `json:"title"`
	ContentHash string    `json:"content_hash"`
	Changed     bool      `json:"changed"` // the text differs from the version before
}

// CopyJSON is another article of the same story.
type CopyJSON struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Stance    string     `json:"stance"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"`
	FirstSeen time.Time  `json:"first_seen"`
}

func (v *articleView) json() ArticleJSON {
	out := ArticleJSON{ID: v.ID, URL: v.URL, Source: SourceRef{v.SourceID, v.SourceName(), v.Stance()},
		Title: v.Title, Author: v.Author, Lang: v.Lang, Published: ptr(v.Published), DateSource: string(v.DateSource),
		FirstSeen: v.FirstSeen, LastChecked: v.LastChecked, State: string(v.State), Provenance: string(v.Provenance),
		ContentHash: v.ContentHash, Topics: v.Article.Topics, Text: v.Text, Versions: []VersionJSON{}, Copies: []CopyJSON{},
		Cite: v.cite("en")}
	if out.Topics == nil {
		out.Topics = []string{}
	}
	if f := v.Fetch; f != nil {
		out.Fetch = &FetchJSON{ID: f.ID, URL: f.URL, At: f.At, Status: f.Status, Bytes: f.Bytes, SHA256: f.SHA256}
	}
	for _, ver := range v.Versions {
		out.Versions = append(out.Versions, VersionJSON{ID: ver.ID, FetchID: ver.FetchID, Seen: ver.Seen, Title: ver.Title,
			ContentHash: ver.ContentHash, Changed: ver.Changed})
	}
	for _, c := range v.Copies {
		out.Copies = append(out.Copies, CopyJSON{ID: c.ID, URL: c.URL, Title: c.Title, Source: c.SourceID,
			Stance: string(c.Stance), Lang: c.Lang, Published: ptr(c.Published), FirstSeen: c.FirstSeen})
	}
	return out
}

// apiArticle answers GET /api/articles/{id}: the article with its fetch
// record, versions and copies.
func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, ok := articleID(r)
	if !ok {
		writeError(w, http.StatusNotFound, "no article "+r.PathValue("id")+": an article id is a positive number")
		return
	}
	v, err := s.loadArticle(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no article "+r.PathValue("id"))
		return
	}
	if err != nil {
		s.log.Error("reading an article failed", "id", id, "error", err)
		writeError(w, http.StatusInternalServerError, "could not read the article")
		return
	}
	writeJSON(w, http.StatusOK, v.json())
}

// TopicJSON is a topic and its counts, as GET /api/topics returns it.
type TopicJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"`
	Today int    `json:"today"`
	Week  int    `json:"last_7_days"`
}

// apiTopics answers GET /api/topics: every topic with the articles first
// seen today and in the last 7 days (UTC days).
func (s *Server) apiTopics(w http.ResponseWriter, r *http.Request) {
	now := s.opts.Now().UTC()
	counts, err := s.store.TopicCounts(r.Context(), now)
	if err != nil {
		s.log.Error("counting topics failed", "error", err)
		writeError(w, http.StatusInternalServerError, "could not count the topics")
		return
	}
	out := make([]TopicJSON, len(counts))
	for i, c := range counts {
		out[i] = TopicJSON{ID: c.ID, Name: c.Name, Query: c.Query, Today: c.Today, Week: c.Week}
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": now.Format(time.DateOnly), "topics": out})
}

// TimelineJSON is what GET /api/timeline returns.
type TimelineJSON struct {
	Interval string         `json:"interval"`
	Timeline []index.Bucket `json:"timeline"`
	Total    uint64         `json:"total"`
}

// apiTimeline answers GET /api/timeline: the volume over time of a search
// (the parameters of /api/search), without its hits.
func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	res, err := s.timeline(r)
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("timeline failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	out := TimelineJSON{Interval: res.Interval, Timeline: res.Timeline, Total: res.Total}
	if out.Timeline == nil {
		out.Timeline = []index.Bucket{}
	}
	writeJSON(w, http.StatusOK, out)
}

// timeline runs the search of r's parameters for its first page, which
// carries the timeline, with one hit.
func (s *Server) timeline(r *http.Request) (*index.Result, error) {
	req, err := index.ParseRequest(r.URL.Query())
	if err != nil {
		return nil, err
	}
	req.Limit, req.After = 1, ""
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	return s.search.Search(ctx, req)
}
