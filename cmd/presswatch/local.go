package main

// The local API: a running serve owns the index (Bleve holds it locked),
// so the commands that need the index, run beside it on the same data
// folder, ask serve to do their work: search, import, reindex and crawl
// (serve's scheduler runs the sources at once). serve
// answers them over a Unix socket in the data folder, presswatch.sock,
// which only its owner can open (0600); each of those commands tries the
// socket first and opens the folder itself only when no serve answers.
// sources reads the store alone, which SQLite shares, and needs no socket.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/importer"
	"presswatch/index"
	"presswatch/web"
)

// socketName is the local API's socket in the data folder.
const socketName = "presswatch.sock"

// maxSocketPath is the longest path a Unix socket can be bound to on
// Linux (sun_path holds 108 bytes with its NUL; macOS has 104).
const maxSocketPath = 103

func (c *common) socketPath() string { return filepath.Join(c.data, socketName) }

// errRebuildRunning is a rebuild's error while another one runs.
var errRebuildRunning = errors.New("a rebuild of the index is already running")

// localServer is serve's side of the local API.
type localServer struct {
	search  web.Searcher
	ready   func() bool  // whether the index holds what the store does
	imports web.Importer // nil: serve cannot import (see serve)
	rebuild func(context.Context) (int, error)
	runs    sourceRunner // nil: serve does not crawl
	watch   *runWatch    // the ends of runs, for runs
	log     *slog.Logger
}

// sourceRunner runs serve's sources at once; serve's liveSources does.
type sourceRunner interface {
	RunSource(ctx context.Context, id string) error
	Scheduled(ctx context.Context) ([]string, error) // the sources scheduled, in order
}

// serveRuns is serve's sourceRunner: its live sources, and the active
// ones of the store, which serve schedules.
type serveRuns struct {
	live *liveSources
	a    *app
}

func (r serveRuns) RunSource(ctx context.Context, id string) error { return r.live.RunSource(ctx, id) }

func (r serveRuns) Scheduled(ctx context.Context) ([]string, error) {
	srcs, err := r.a.sources(ctx, false)
	ids := make([]string, len(srcs))
	for i, s := range srcs {
		ids[i] = s.ID
	}
	return ids, err
}

// localError is the local API's answer to a request that failed: the
// message the command prints, and whether it is the user's mistake
// (the command then exits 2, as it does running alone).
type localError struct {
	Error string `json:"error"`
	Usage bool   `json:"usage,omitempty"`
}

func (l *localServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/search", l.serveSearch)
	mux.HandleFunc("POST /v1/import", l.serveImport)
	mux.HandleFunc("POST /v1/reindex", l.serveReindex)
	mux.HandleFunc("POST /v1/crawl", l.serveCrawl)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers err: 400 for the user's mistakes, else 500.
func (l *localServer) fail(w http.ResponseWriter, err error) {
	var qe *index.QueryError
	var pe *index.ParamError
	if errors.Is(err, errUsage) || errors.As(err, &qe) || errors.As(err, &pe) {
		writeJSON(w, http.StatusBadRequest, localError{Error: err.Error(), Usage: true})
		return
	}
	writeJSON(w, http.StatusInternalServerError, localError{Error: err.Error()})
}

// notReady answers 503 while serve indexes what the store holds and the
// index lacks: an answer then would miss articles.
func (l *localServer) notReady(w http.ResponseWriter) bool {
	if l.ready == nil || l.ready() {
		return false
	}
	w.Header().Set("Retry-After", "1")
	writeJSON(w, http.StatusServiceUnavailable, localError{Error: "serve is still indexing the stored articles the index lacks"})
	return true
}

func (l *localServer) serveSearch(w http.ResponseWriter, r *http.Request) {
	if l.notReady(w) {
		return
	}
	req, err := index.ParseRequest(r.URL.Query())
	if err != nil {
		l.fail(w, fmt.Errorf("%w: %v", errUsage, err))
		return
	}
	res, err := l.search.Search(r.Context(), req)
	if err != nil {
		l.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// serveImport imports the parts of a multipart body, each a file named by
// its absolute path in the part's filename, under ?source= (and ?url=).
func (l *localServer) serveImport(w http.ResponseWriter, r *http.Request) {
	if l.imports == nil {
		writeJSON(w, http.StatusConflict, localError{Error: "this serve cannot import: it has no ingester (its data folder is read-only)"})
		return
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		l.fail(w, fmt.Errorf("%w: the body is not multipart", errUsage))
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var bodyErr error
	files := func(yield func(string, io.Reader) bool) {
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				bodyErr = fmt.Errorf("reading the files sent: %w", err)
				return
			}
			// The name is the part's raw filename: multipart's FileName
			// would keep its last element only.
			_, cd, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			name := cd["filename"]
			if err != nil || !filepath.IsAbs(name) {
				bodyErr = fmt.Errorf("%w: a file sent has no absolute path (%q)", errUsage, name)
				return
			}
			ok := yield(name, part)
			part.Close()
			if !ok {
				return
			}
		}
	}
	q := r.URL.Query()
	rep, err := l.imports.Import(r.Context(), web.ImportOptions{Source: q.Get("source"), URL: q.Get("url")}, iter.Seq2[string, io.Reader](files))
	if err == nil {
		err = bodyErr
	}
	if err != nil {
		l.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// serveReindex rebuilds the index as presswatch reindex does; it ends when
// the rebuild does, and a command that gives up (its connection closed)
// cancels it, leaving the old index in place.
func (l *localServer) serveReindex(w http.ResponseWriter, r *http.Request) {
	n, err := l.rebuild(r.Context())
	if errors.Is(err, errRebuildRunning) {
		writeJSON(w, http.StatusConflict, localError{Error: err.Error()})
		return
	}
	if err != nil {
		l.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"articles": n})
}

// localListener is serve's socket, removed when it stops.
type localListener struct {
	path string
	fi   os.FileInfo // the socket bound, to remove it only if still ours
	srv  *http.Server
	ln   net.Listener
}

// listenLocal binds the local API's socket at path, readable and writable
// by its owner alone: it is bound under a temporary name, made 0600, then
// renamed into place, so that no one else can connect in between. A
// socket left by a serve that died is replaced: serve holds the index, so
// no other serve can be answering on this folder.
func listenLocal(ctx context.Context, path string, l *localServer) (*localListener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("the socket path %s is longer than the %d bytes a Unix socket allows; run serve with a shorter --data", path, maxSocketPath)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if len(tmp) > maxSocketPath {
		tmp = filepath.Join(filepath.Dir(path), fmt.Sprintf(".pw%d", os.Getpid()))
	}
	_ = os.Remove(tmp)
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, err
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	fail := func(err error) (*localListener, error) {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fail(err)
	}
	srv := &http.Server{
		Handler:           l.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		// No read or write timeout: an import or a rebuild takes as long
		// as it takes, and the command waits for it.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    slog.NewLogLogger(l.log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			l.log.Error("the local API stopped", "socket", path, "error", err)
		}
	}()
	return &localListener{path: path, fi: fi, srv: srv, ln: ln}, nil
}

// Shutdown waits (until ctx ends) for the commands being answered, then
// removes the socket if it is still the one bound.
func (ll *localListener) Shutdown(ctx context.Context) error {
	err := ll.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = ll.srv.Close()
	}
	if fi, serr := os.Lstat(ll.path); serr == nil && os.SameFile(fi, ll.fi) {
		if rerr := os.Remove(ll.path); err == nil {
			err = rerr
		}
	}
	return err
}

// localClient is a command's side of the local API.
type localClient struct {
	path string
	http *http.Client
}

// localServe is a client of the serve running on the data folder, or nil
// when none answers there (no socket, or one left by a serve that died).
// A socket someone else owns is not used: it could be anyone's.
func (c *common) localServe() *localClient {
	path := c.socketPath()
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode().Type() != os.ModeSocket {
		return nil
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() && os.Geteuid() != 0 {
		return nil
	}
	conn, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		return nil // nobody listens: serve died and left it
	}
	conn.Close()
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}
	return &localClient{path: path, http: &http.Client{Transport: &http.Transport{DialContext: dial}}}
}

// remoteError is an error the running serve answered.
type remoteError struct {
	msg   string
	usage bool
}

func (e *remoteError) Error() string { return e.msg }

// Is makes a user's mistake errUsage, so that the command exits 2.
func (e *remoteError) Is(target error) bool { return e.usage && target == errUsage }

// do sends req and decodes a 200's JSON answer into out. While serve
// catches its index up (503) it waits, saying so once on wait, and asks
// again each second until ctx ends.
func (lc *localClient) do(ctx context.Context, newReq func() (*http.Request, error), out any, wait io.Writer) error {
	said := false
	for {
		req, err := newReq()
		if err != nil {
			return err
		}
		res, err := lc.http.Do(req.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("the serve running on this folder (%s): %w", lc.path, err)
		}
		body, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("the serve running on this folder (%s): %w", lc.path, err)
		}
		switch {
		case res.StatusCode == http.StatusOK:
			return json.Unmarshal(body, out)
		case res.StatusCode == http.StatusServiceUnavailable && wait != nil:
			if !said {
				fmt.Fprintln(wait, "the running serve is still indexing stored articles; waiting for it...")
				said = true
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		var le localError
		if json.Unmarshal(body, &le) != nil || le.Error == "" {
			return fmt.Errorf("the serve running on this folder (%s) answered %s", lc.path, res.Status)
		}
		return &remoteError{msg: le.Error, usage: le.Usage}
	}
}

func (lc *localClient) search(ctx context.Context, v url.Values, wait io.Writer) (*index.Result, error) {
	var res index.Result
	err := lc.do(ctx, func() (*http.Request, error) {
		return http.NewRequest(http.MethodGet, "http://serve/v1/search?"+v.Encode(), nil)
	}, &res, wait)
	return &res, err
}

func (lc *localClient) reindex(ctx context.Context) (int, error) {
	var out struct{ Articles int }
	err := lc.do(ctx, func() (*http.Request, error) {
		return http.NewRequest(http.MethodPost, "http://serve/v1/reindex", nil)
	}, &out, nil)
	return out.Articles, err
}

// importFiles sends serve every file under paths (absolute) as one
// multipart stream, read as it is sent. A file or folder that cannot be
// read is in the report, as presswatch import alone reports it.
func (lc *localClient) importFiles(ctx context.Context, paths []string, opts web.ImportOptions) (*web.ImportReport, error) {
	local := &web.ImportReport{}
	newReq := func() (*http.Request, error) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			pw.CloseWithError(sendFiles(ctx, mw, paths, local))
		}()
		q := url.Values{"source": {opts.Source}, "url": {opts.URL}}
		req, err := http.NewRequest(http.MethodPost, "http://serve/v1/import?"+q.Encode(), pr)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return req, nil
	}
	var rep web.ImportReport
	if err := lc.do(ctx, newReq, &rep, nil); err != nil {
		return nil, err
	}
	rep.Files += local.Files
	rep.Failed += local.Failed
	rep.Errors = append(local.Errors, rep.Errors...)
	return &rep, nil
}

// sendFiles writes each file under paths into mw, counting in local those
// that cannot be read.
func sendFiles(ctx context.Context, mw *multipart.Writer, paths []string, local *web.ImportReport) error {
	for path, err := range importer.Files(ctx, paths) {
		if err != nil {
			local.Failed++
			local.Errors = append(local.Errors, err.Error())
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			local.Files++
			local.Failed++
			local.Errors = append(local.Errors, fmt.Sprintf("import: %v", err))
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": path}))
		h.Set("Content-Type", "application/octet-stream")
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.Copy(part, f)
		}
		f.Close()
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return mw.Close()
}

// inUse says, when err is the index's "in use" and a serve answers on the
// folder, that it is that serve, and what to do instead.
func (c *common) inUse(err error) error {
	if !errors.Is(err, index.ErrInUse) || c.localServe() == nil {
		return err
	}
	return fmt.Errorf("%w: presswatch serve is running on %s and holds the index. search, import, reindex and crawl go through it; "+
		"it revisits the sources on its schedule itself, and its sources page (/sources) reads one at once", err, c.data)
}

// runWatch tells the local API's crawls when the runs they asked serve's
// scheduler for end: serve's scheduler reports every run to done.
type runWatch struct {
	mu      sync.Mutex
	waiters map[string][]chan crawler.Report
}

// wait returns a channel that gets the report of the next run of id to
// end; call it before asking for the run, so that none is missed.
func (w *runWatch) wait(id string) <-chan crawler.Report {
	ch := make(chan crawler.Report, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.waiters == nil {
		w.waiters = map[string][]chan crawler.Report{}
	}
	w.waiters[id] = append(w.waiters[id], ch)
	return ch
}

// forget drops a channel of wait whose run was not asked for after all.
func (w *runWatch) forget(id string, ch <-chan crawler.Report) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waiters[id] = slices.DeleteFunc(w.waiters[id], func(c chan crawler.Report) bool { return c == ch })
}

// done hands r to those waiting for a run of its source.
func (w *runWatch) done(r crawler.Report) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.waiters[r.Source] {
		ch <- r
	}
	delete(w.waiters, r.Source)
}

// runLine is one line of the local API's answer to a crawl: a run that
// ended, or a source whose run could not be started.
type runLine struct {
	Source    string `json:"source"`
	Report    string `json:"report,omitempty"` // as presswatch crawl prints it
	Error     string `json:"error,omitempty"`  // the run's error, or why it did not start
	Started   bool   `json:"started"`
	New       int    `json:"new"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
	Failed    int    `json:"failed"`
}

// serveCrawl runs the sources named (?source=, repeatable; all scheduled
// ones when none is) now in serve's scheduler and answers a JSON line as
// each run ends. A command that stops waiting leaves the runs going.
func (l *localServer) serveCrawl(w http.ResponseWriter, r *http.Request) {
	if l.runs == nil {
		writeJSON(w, http.StatusConflict, localError{Error: "this serve does not crawl (it runs with --no-crawl or on a read-only folder)"})
		return
	}
	ids := r.URL.Query()["source"]
	if len(ids) == 0 {
		var err error
		if ids, err = l.runs.Scheduled(r.Context()); err != nil {
			l.fail(w, err)
			return
		}
	}
	type asked struct {
		id string
		ch <-chan crawler.Report
	}
	var (
		waiting []asked
		lines   []runLine
	)
	for _, id := range ids {
		ch := l.watch.wait(id)
		err := l.runs.RunSource(r.Context(), id)
		switch {
		case err == nil, errors.Is(err, crawler.ErrRunning): // that run's end is awaited
			waiting = append(waiting, asked{id, ch})
		case errors.Is(err, crawler.ErrNotScheduled):
			l.watch.forget(id, ch)
			lines = append(lines, runLine{Source: id, Error: "not scheduled in serve: no such source, or it is paused (resume it on /sources)"})
		default:
			l.watch.forget(id, ch)
			lines = append(lines, runLine{Source: id, Error: err.Error()})
		}
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	rc := http.NewResponseController(w)
	for _, line := range lines {
		_ = enc.Encode(line)
	}
	_ = rc.Flush()
	for _, a := range waiting {
		select {
		case rep := <-a.ch:
			line := runLine{Source: rep.Source, Report: rep.String(), Started: true, New: rep.New, Updated: rep.Updated,
				Unchanged: rep.Unchanged, Skipped: rep.Skipped, Failed: rep.Failed}
			if rep.Err != nil {
				line.Error = rep.Err.Error()
			}
			_ = enc.Encode(line)
			_ = rc.Flush()
		case <-r.Context().Done():
			for _, b := range waiting {
				l.watch.forget(b.id, b.ch)
			}
			return
		}
	}
}

// crawl asks serve to run the sources now and hands each line of its
// answer to each as it comes.
func (lc *localClient) crawl(ctx context.Context, ids []string, each func(runLine)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://serve/v1/crawl?"+url.Values{"source": ids}.Encode(), nil)
	if err != nil {
		return err
	}
	res, err := lc.http.Do(req)
	if err != nil {
		return fmt.Errorf("the serve running on this folder (%s): %w", lc.path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var le localError
		if json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&le) != nil || le.Error == "" {
			return fmt.Errorf("the serve running on this folder (%s) answered %s", lc.path, res.Status)
		}
		return &remoteError{msg: le.Error, usage: le.Usage}
	}
	dec := json.NewDecoder(res.Body)
	for {
		var line runLine
		if err := dec.Decode(&line); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("the serve running on this folder (%s): %w", lc.path, err)
		}
		each(line)
	}
}
