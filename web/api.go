package web

import (
	"errors"
	"net/http"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/redact"
	"presswatch/internal/store"
)

// ArticleJSON is an article as GET /api/articles/{id} returns it.
type ArticleJSON struct {
	ID           int64      `json:"id"`
	URL          string     `json:"url"`
	Source       SourceRef  `json:"source"`
	Title        string     `json:"title"`
	Author       string     `json:"author"`
	Lang         string     `json:"lang"`
	Published    *time.Time `json:"published"` // the publisher's time and offset; null if unknown
	DateSource   string     `json:"date_source,omitempty"`
	FirstSeen    time.Time  `json:"first_seen"`
	LastChecked  time.Time  `json:"last_checked"`
	State        string     `json:"state"`         // live, edited or removed
	EditedAt     *time.Time `json:"edited_at"`     // the last edit seen; null if never edited
	RemovedSince *time.Time `json:"removed_since"` // null unless removed
	Provenance   string     `json:"provenance"`
	ContentHash  string     `json:"content_hash"` // SHA-256 of the normalised text
	Topics       []string   `json:"topics"`
	Text         string     `json:"text"`
	Fetch        *FetchJSON `json:"fetch"` // null if the article has no fetch record
	// Capture is the capture another tool made that the text was read
	// from (provenance "archive"); null for presswatch's own fetches.
	Capture  *CaptureJSON  `json:"capture"`
	Versions []VersionJSON `json:"versions"`
	Events   []EventJSON   `json:"events"`
	Earliest int64         `json:"earliest"` // id of the story's earliest copy (this article's own when it is)
	Copies   []CopyJSON    `json:"copies"`
	Cite     string        `json:"cite"`
}

// SourceRef names an article's source.
type SourceRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Stance string `json:"stance"`
}

// FetchJSON is the fetch record of an article.
type FetchJSON struct {
	ID           int64     `json:"id"`
	URL          string    `json:"url"`
	At           time.Time `json:"at"`
	Status       int       `json:"http_status"`
	Bytes        int64     `json:"bytes"`
	SHA256       string    `json:"sha256"`         // of the body as received
	WARCFile     string    `json:"warc_file"`      // "" when the exchange is not archived
	WARCRecordID string    `json:"warc_record_id"` // the response record's WARC-Record-ID
}

// CaptureJSON is a capture another tool made: when, and where it is (the
// WARC file and record).
type CaptureJSON struct {
	At     time.Time `json:"at"`
	Record string    `json:"record"`
}

// VersionJSON is one text an article had.
type VersionJSON struct {
	ID          int64     `json:"id"`
	FetchID     int64     `json:"fetch_id,omitempty"`
	Seen        time.Time `json:"seen"`
	Kind        string    `json:"kind"` // first, edit, completed or import
	Title       string    `json:"title"`
	ContentHash string    `json:"content_hash"`
	Changed     bool      `json:"changed"` // the text differs from the version before
}

// EventJSON is one thing a revisit found.
type EventJSON struct {
	Kind         string    `json:"kind"` // edited, removed, back, moved or completed
	At           time.Time `json:"at"`
	TitleChanged bool      `json:"title_changed"`
	WordsRemoved int       `json:"words_removed"`
	WordsAdded   int       `json:"words_added"`
	Detail       string    `json:"detail"` // removed: why; moved: the new URL
	VersionID    int64     `json:"version_id,omitempty"`
	FetchID      int64     `json:"fetch_id,omitempty"`
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
	// Delay is how many seconds after the earliest copy this one
	// appeared, both by published date, else by first seen.
	Delay int64 `json:"delay_seconds"`
}

func (v *articleView) json() ArticleJSON {
	out := ArticleJSON{ID: v.ID, URL: v.URL, Source: SourceRef{v.SourceID, v.SourceName(), v.Stance()},
		Title: v.Title, Author: v.Author, Lang: v.Lang, Published: ptr(v.Published), DateSource: string(v.DateSource),
		FirstSeen: v.FirstSeen, LastChecked: v.LastChecked, State: string(v.State), EditedAt: ptr(v.EditedAt),
		RemovedSince: ptr(v.RemovedSince), Provenance: string(v.Provenance), ContentHash: v.ContentHash,
		Topics: v.Article.Topics, Text: v.Text, Versions: []VersionJSON{}, Events: []EventJSON{},
		Earliest: v.EarliestID(), Copies: []CopyJSON{}, Cite: v.cite("en")}
	if out.Topics == nil {
		out.Topics = []string{}
	}
	if out.State == "" {
		out.State = string(model.StateLive)
	}
	if f := v.Fetch; f != nil {
		out.Fetch = &FetchJSON{ID: f.ID, URL: redact.URL(f.URL), At: f.At, Status: f.Status, Bytes: f.Bytes, SHA256: f.SHA256,
			WARCFile: f.WARCFile, WARCRecordID: f.WARCRecord}
		if f.Capture != "" {
			out.Capture = &CaptureJSON{At: f.CapturedAt, Record: f.Capture}
		}
	}
	for _, ver := range v.Versions {
		out.Versions = append(out.Versions, VersionJSON{ID: ver.ID, FetchID: ver.FetchID, Seen: ver.Seen, Kind: string(ver.Kind),
			Title: ver.Title, ContentHash: ver.ContentHash, Changed: ver.Changed})
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, EventJSON{Kind: string(e.Kind), At: e.At, TitleChanged: e.TitleChanged,
			WordsRemoved: e.WordsRemoved, WordsAdded: e.WordsAdded, Detail: e.Detail, VersionID: e.VersionID, FetchID: e.FetchID})
	}
	for _, c := range v.Others() {
		out.Copies = append(out.Copies, CopyJSON{ID: c.ID, URL: c.URL, Title: c.Title, Source: c.SourceID,
			Stance: string(c.Stance), Lang: c.Lang, Published: ptr(c.Published), FirstSeen: c.FirstSeen,
			Delay: int64(c.Delay / time.Second)})
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
	v, err := s.loadArticle(r.Context(), id, false)
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
