package web

import (
	"context"
	"net/http"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/redact"
	"presswatch/internal/store"
)

// SourceLister lists sources with their health; store.Store satisfies it.
type SourceLister interface {
	Sources(ctx context.Context) ([]*store.SourceInfo, error)
}

// SourceStatus is a source and its health as the API and `presswatch
// sources --json` show it.
type SourceStatus struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Type      string     `json:"type"`
	URL       string     `json:"url"`
	Stance    string     `json:"stance"`
	Lang      string     `json:"lang"`
	Active    bool       `json:"active"`
	Origin    string     `json:"origin"` // config, web or import
	Paused    bool       `json:"paused"`
	Articles  int        `json:"articles"`
	LastFetch *time.Time `json:"last_fetch"`
	HTTP      int        `json:"http_status,omitempty"`
	ErrorKind string     `json:"error_kind,omitempty"`
	Error     string     `json:"error,omitempty"`
	Status    string     `json:"status"`
	Failures  int        `json:"failures"`
	NextRun   *time.Time `json:"next_run"`
	// Backfill is a wayback source's progress; absent for other sources.
	Backfill *BackfillStatus `json:"backfill,omitempty"`
}

// BackfillStatus is how far a wayback source's backfill has come.
type BackfillStatus struct {
	Listed       int        `json:"listed"`    // captures the archive listed
	Fetched      int        `json:"fetched"`   // fetched from the archive
	Stored       int        `json:"stored"`    // stored as articles
	Remaining    int        `json:"remaining"` // listed, not yet fetched
	ListingDone  bool       `json:"listing_done"`
	BackoffUntil *time.Time `json:"backoff_until,omitempty"` // the archive asked to wait until then
	// What the backfill reads: captures made From to To (YYYY-MM-DD, both
	// included) in the archive at Endpoint.
	From     string `json:"from"`
	To       string `json:"to"`
	Endpoint string `json:"endpoint"`
	// Rate is the requests a second the archive is asked at: the slowest
	// any backfill reading it asks for. SharedWith counts the other
	// backfills with captures left taking turns at that pace, and
	// EstimateSeconds is about how long this one's remaining captures take
	// at it (0 when none are left; the listing's unread pages add a turn
	// each).
	Rate            float64 `json:"rate"`
	SharedWith      int     `json:"shared_with"`
	EstimateSeconds int64   `json:"estimate_seconds"`
}

// SourceStatusOf describes a stored source.
func SourceStatusOf(s *store.SourceInfo) SourceStatus {
	st := s.State
	// A source URL may carry credentials (user:password@, ?token=): the
	// page, the API and the CLI show it, and its error, redacted.
	j := SourceStatus{ID: s.ID, Name: s.Name, Type: string(s.Type), URL: redact.URL(s.URL), Stance: string(s.Stance),
		Lang: s.Lang, Active: s.Active, Origin: string(s.Origin), Paused: s.Paused, Articles: s.Articles, LastFetch: ptr(st.LastFetch), HTTP: st.LastStatus,
		ErrorKind: string(st.ErrorKind), Error: redact.Text(st.Error), Failures: st.Failures, NextRun: ptr(st.NextDue)}
	if b := s.Backfill; b != nil {
		j.Backfill = &BackfillStatus{Listed: b.Listed, Fetched: b.Fetched, Stored: b.Stored, Remaining: b.Remaining,
			ListingDone: b.Done, BackoffUntil: ptr(b.BackoffUntil)}
	}
	switch {
	case !s.Active && s.Origin == model.SourceFromWeb:
		j.Status = "removed"
	case !s.Active:
		j.Status = "removed from the configuration"
	case s.Paused:
		j.Status = "paused"
	case st.LastFetch.IsZero():
		j.Status = "not fetched yet"
	case st.ErrorKind == model.ErrNone:
		j.Status = "ok"
	default:
		j.Status = st.ErrorKind.Describe()
	}
	return j
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SourcesJSON is the answer of GET /api/sources; `presswatch sources
// --json` prints it too.
type SourcesJSON struct {
	Sources []SourceStatus `json:"sources"`
}

// apiSources answers GET /api/sources.
func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.log.Error("listing sources failed", "error", err)
		writeError(w, http.StatusInternalServerError, "could not list the sources")
		return
	}
	writeJSON(w, http.StatusOK, SourcesJSON{Sources: SourceStatuses(srcs)})
}
