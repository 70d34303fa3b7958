package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher runs searches; index.Index satisfies it.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
}

// Store is what the pages read from the store; store.Store satisfies it.
type Store interface {
	SourceLister
	Article(ctx context.Context, id int64) (*model.Article, error)
	Fetch(ctx context.Context, id int64) (*model.Fetch, error)
	Versions(ctx context.Context, articleID int64) ([]model.Version, error)
	Topics(ctx context.Context) ([]model.Topic, error)
	Source(ctx context.Context, id string) (*store.SourceInfo, error)
	ClusterMembers(ctx context.Context, clusterID int64) ([]store.Summary, error)
	Events(ctx context.Context, articleID int64) ([]model.Event, error)
	Revisit(ctx context.Context, articleID int64) (*model.Revisit, error)
	Changes(ctx context.Context, beforeEventID int64, limit int) ([]store.ChangeItem, error)
	Newest(ctx context.Context, limit int) ([]store.Summary, error)
	TopicCounts(ctx context.Context, now time.Time) ([]store.TopicCount, error)
	Matches(ctx context.Context, articleID int64) ([]string, error)
	ExportRows(ctx context.Context, ids []int64) (map[int64]*store.ExportRow, error)
	TopicStore   // topics.go
	DigestReader // digests.go
}

// Options configure a Server.
type Options struct {
	Search   Searcher
	Store    Store
	KeyDates []model.KeyDate // marked on timelines
	Log      *slog.Logger
	Now      func() time.Time // default time.Now
	// WARCDir is the folder of the WARC files the fetch records name
	// (<data>/warc). Empty: no archived copy is served, and the article
	// pages say so.
	WARCDir string
	// Admin lets the web UI change topics and digests (see admin.go).
	// serve sets it only when it listens on loopback.
	Admin bool
	// Private: every page but /login, /static/, /healthz and /readyz
	// needs an administrator's session (admin.go); the config's public: false.
	Private bool
	// Hosts are host names besides loopback ones under which a loopback
	// presswatch takes changes (hostcheck.go): digests.base_url's host.
	Hosts []string
	// Topics checks and applies the topics changed from the web UI;
	// nil: topics cannot be changed here (topics.go).
	Topics TopicEditor
	// Sources finds, tries and applies the sources changed from the web
	// UI; nil: sources cannot be changed here (sources_edit.go).
	Sources SourceEditor
	// Importer imports the files an administrator uploads; nil: files
	// cannot be imported here (import.go).
	Importer Importer
	// Digests builds, edits and sends digests (digests.go); nil: the
	// digest pages say digests are not set up. DigestLang and DigestZone
	// are the digests' language and time zone, as the service has them
	// (default en and UTC).
	Digests    DigestService
	DigestLang string
	DigestZone *time.Location
	// MaxSearches is how many searches, result pages and search API calls
	// are served at once (0: GOMAXPROCS); as many more wait up to 40 ms
	// for a slot, the rest are answered 503 with Retry-After (limit.go).
	// MaxExports is the same for the CSV and JSON Lines exports, which
	// hold a slot for as long as they stream (0: GOMAXPROCS).
	// Static files, /healthz, articles and the admin pages are not limited.
	MaxSearches, MaxExports int
	// Metrics answers GET /metrics (Prometheus's text format: source ids
	// and counts, nothing private); nil: /metrics is not found.
	Metrics http.Handler
	// Crawling, when not nil, says whether the crawl has work now: while
	// it does, searches get one slot fewer than MaxSearches (never none)
	// and none waits in the queue, so that ingest keeps a core's worth of
	// the CPU (limit.go).
	Crawling func() bool
	// ObserveSearch, when not nil, is told how long each search on the
	// search page and the search API took to answer (search_observe.go);
	// metrics.Metrics.ObserveSearch is one.
	ObserveSearch func(route string, d time.Duration)
}

// Server is presswatch's HTTP handler. Create it with New.
type Server struct {
	opts   Options
	search Searcher
	store  Store
	log    *slog.Logger
	pages  *template.Template
	ready  atomic.Bool
	mux    *http.ServeMux
	csrf   *http.CrossOriginProtection
	logins loginLimiter // login.go

	searches, exports *limiter                 // limit.go
	limited           map[string]*limitedRoute // by path; limit.go
}

// New returns a Server. It answers 503 to searches until SetReady(true)
// is called, so a start-up that is still catching up on indexing says so.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, search: loadAware{opts.Search}, store: opts.Store, log: opts.Log, pages: pages, mux: http.NewServeMux(),
		csrf: http.NewCrossOriginProtection()}
	s.searches, s.exports = newLimiters(opts)
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// routes registers every route of the server: this is the one list of
// what presswatch serves.
func (s *Server) routes() error {
	static, _ := fs.Sub(staticFS, "static")
	for _, r := range []struct {
		pattern string
		handler http.Handler
	}{
		{"GET /static/", http.StripPrefix("/static/", http.FileServerFS(static))},
		{"GET /healthz", http.HandlerFunc(s.healthz)},
		{"GET /readyz", http.HandlerFunc(s.readyz)},
		{"GET /favicon.ico", http.HandlerFunc(noIcon)},
		{"GET /metrics", s.metrics()},

		// Pages.
		{"GET /{$}", http.HandlerFunc(s.home)},
		{"GET /search", s.limit(s.searches, s.searchPage)},
		{"GET /timeline", s.limit(s.searches, s.timelinePage)},
		{"GET /compare", s.limit(s.searches, s.comparePage)},
		{"GET /breakdown", s.limit(s.searches, s.breakdownPage)},
		{"GET /terms", s.limit(s.searches, s.termsPage)},
		{"GET /sources", http.HandlerFunc(s.sourcesPage)},
		{"GET /help", http.HandlerFunc(s.helpPage)},
		{"GET /changes", http.HandlerFunc(s.changesPage)},
		{"GET /articles/{id}", http.HandlerFunc(s.articlePage)},
		{"GET /articles/{id}/archived", http.HandlerFunc(s.archived)},
		{"GET /articles/{id}/warc", http.HandlerFunc(s.warc)},
		{"GET /articles/{id}/cite.bib", http.HandlerFunc(s.citeBib)},
		{"GET /articles/{id}/cite.json", http.HandlerFunc(s.citeCSL)},
		{"GET /topics", http.HandlerFunc(s.topicsPage)},
		{"GET /topics/{id}/new", http.HandlerFunc(s.topicNewPage)},

		// Administrators' login (login.go).
		{"GET /login", http.HandlerFunc(s.loginPage)},
		{"POST /login", s.csrf.Handler(http.HandlerFunc(s.login))},
		{"POST /logout", s.csrf.Handler(http.HandlerFunc(s.logout))},

		// Changing topics (admin.go).
		{"GET /topics/new", s.admin(s.newTopicForm)},
		{"GET /topics/{id}/edit", s.admin(s.editTopicForm)},
		{"POST /topics", s.admin(s.createTopic)},
		{"POST /topics/{id}", s.admin(s.updateTopic)},
		{"POST /topics/{id}/delete", s.admin(s.deleteTopic)},

		// Changing sources (sources_edit.go); {action} is pause, resume,
		// run or delete.
		{"GET /sources/new", s.admin(s.newSourceForm)},
		{"GET /sources/{id}/edit", s.admin(s.editSourceForm)},
		{"POST /sources/find", s.admin(s.findFeeds)},
		{"POST /sources/test", s.admin(s.trySource)},
		{"POST /sources", s.admin(s.createSource)},
		{"POST /sources/{id}", s.admin(s.updateSource)},
		{"POST /sources/{id}/{action}", s.admin(s.sourceAction)},
		{"GET /sources.opml", s.admin(s.exportOPML)},
		{"POST /sources/opml", s.admin(s.importOPML)},

		// Importing uploaded files (import.go).
		{"GET /import", s.admin(s.importForm)},
		{"POST /import", s.admin(s.importFiles)},

		// Digests: {day} is YYYY-MM-DD, or with .md, .txt or .json its
		// rendering; {name} is {topic}.atom (digests*.go).
		{"GET /digests", http.HandlerFunc(s.digestsPage)},
		{"GET /digests/{name}", http.HandlerFunc(s.digestTopic)},
		{"GET /digests/{topic}/{day}", http.HandlerFunc(s.digestPage)},
		{"GET /digests/{topic}/{day}/mail.html", http.HandlerFunc(s.digestMail)},
		{"POST /digests", s.admin(s.makeDigest)},
		{"POST /digests/{topic}/{day}", s.admin(s.saveDigest)},
		{"POST /digests/{topic}/{day}/send", s.admin(s.sendDigest)},

		// Feeds and exports.
		{"GET /search.atom", s.limit(s.searches, s.atomFeed)},
		{"GET /changes.atom", http.HandlerFunc(s.changesAtom)},
		{"GET /topics/{id}/new.atom", http.HandlerFunc(s.topicNewAtom)},
		{"GET /search.csv", s.limit(s.exports, s.exportCSV)},
		{"GET /search.jsonl", s.limit(s.exports, s.exportJSONL)},

		// The JSON API (docs/api.md).
		{"GET /api/search", s.limit(s.searches, s.apiSearch)},
		{"GET /api/sources", http.HandlerFunc(s.apiSources)},
		{"GET /api/articles/{id}", http.HandlerFunc(s.apiArticle)},
		{"GET /api/topics", http.HandlerFunc(s.apiTopics)},
		{"GET /api/timeline", s.limit(s.searches, s.apiTimeline)},
		{"GET /api/compare", s.limit(s.searches, s.apiCompare)},
		{"GET /api/breakdown", s.limit(s.searches, s.apiBreakdown)},
		{"GET /api/terms", s.limit(s.searches, s.apiTerms)},
		{"GET /api/changes", http.HandlerFunc(s.apiChanges)},

		{"/", http.HandlerFunc(s.notFound)},
	} {
		s.mux.Handle(r.pattern, r.handler)
		if lh, ok := r.handler.(limitedHandler); ok {
			path, ok := strings.CutPrefix(r.pattern, "GET ")
			if !ok || strings.ContainsAny(path, "{}") || strings.HasSuffix(path, "/") {
				return fmt.Errorf("web: the limited route %q is not a GET of one path", r.pattern)
			}
			lr, err := s.limitRoute(path, lh.l)
			if err != nil {
				return err
			}
			if s.limited == nil {
				s.limited = map[string]*limitedRoute{}
			}
			s.limited[path] = lr
		}
	}
	return nil
}

// noIcon answers /favicon.ico: there is no icon, and browsers ask anyway.
func noIcon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}

// metrics is the handler of /metrics: Options.Metrics, or not found.
func (s *Server) metrics() http.Handler {
	if s.opts.Metrics == nil {
		return http.HandlerFunc(s.notFound)
	}
	return s.opts.Metrics
}

// SetReady marks the server ready (or not) to answer searches.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Ready tells whether the server answers searches (see SetReady).
func (s *Server) Ready() bool { return s.ready.Load() }

// The security headers every answer gets, made once: no shed request
// allocates them.
var (
	cspValue       = []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"}
	nosniffValue   = []string{"nosniff"}
	noReferrer     = []string{"no-referrer"}
	frameDenyValue = []string{"DENY"}
)

// ServeHTTP adds the security headers and dispatches. A request to a
// limited route is admitted or shed first (limit.go), before the rest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Security-Policy"] = cspValue
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = noReferrer
	h["X-Frame-Options"] = frameDenyValue
	if lr := s.limitOf(r); lr != nil {
		s.serveLimited(lr, w, r)
		return
	}
	s.serve(w, r)
}

// serve checks the host, the session and the private mode, and dispatches.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.refuseRebinding(w, r) {
		return
	}
	r = s.withSession(r)
	if s.refusePrivate(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// healthz is liveness alone: 200 whenever the process answers, also while
// the index catches up (readiness is /readyz), so that a liveness probe
// never restarts a presswatch busy rebuilding its index.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// statusOf maps an error to an HTTP status: the user's fault is 400, the
// load's 503 (limit.go).
func statusOf(err error) int {
	var qe *index.QueryError
	var pe *index.ParamError
	var be *busyError
	switch {
	case errors.As(err, &be):
		return http.StatusServiceUnavailable
	case errors.As(err, &qe), errors.As(err, &pe):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	EncodeJSON(w, v)
}

// EncodeJSON writes v as the API's answers are written: indented by two
// spaces, with a newline at the end. presswatch's --json outputs use it.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeError answers with {"error": message, "status": status}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": msg, "status": status})
}
