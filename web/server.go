package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"presswatch/index"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher runs searches; index.Index satisfies it.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
}

// Server is presswatch's HTTP handler. Create it with New.
type Server struct {
	search  Searcher
	sources SourceLister
	log     *slog.Logger
	pages   *template.Template
	ready   atomic.Bool
	mux     *http.ServeMux
}

// New returns a Server. It answers 503 until SetReady(true) is called, so
// a start-up that is still catching up on indexing says so.
func New(search Searcher, sources SourceLister, log *slog.Logger) (*Server, error) {
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s := &Server{search: search, sources: sources, log: log, pages: pages, mux: http.NewServeMux()}
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /api/search", s.apiSearch)
	s.mux.HandleFunc("GET /api/sources", s.apiSources)
	return s, nil
}

// SetReady marks the server ready (or not) to answer searches.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// ServeHTTP adds the security headers and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// statusOf maps a search error to an HTTP status: the user's fault is 400.
func statusOf(err error) int {
	var qe *index.QueryError
	var pe *index.ParamError
	switch {
	case errors.As(err, &qe), errors.As(err, &pe):
		return http.StatusBadRequest
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// writeError answers with {"error": message}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": msg, "status": status})
}

var funcs = template.FuncMap{
	"date": func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return "date unknown"
		}
		return t.Format("2 Jan 2006")
	},
	"safe": func(s string) template.HTML { return template.HTML(s) }, // only for index snippets, see search.go
}
