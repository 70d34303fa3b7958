package testsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// handler serves one host's files.
func (s *Site) handler(h *host) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		raise(&h.maxInFlight, h.inFlight.Add(1))
		raise(&s.maxInFlightAll, s.inFlight.Add(1))
		// A request is in flight until its answer starts: a client that
		// waits for each answer must never be seen twice at once.
		w := &trackingWriter{ResponseWriter: rw, done: func() {
			h.inFlight.Add(-1)
			s.inFlight.Add(-1)
		}}
		defer w.finish()
		s.count(r.URL.Path)

		if s.opts.Latency > 0 {
			t := time.NewTimer(s.opts.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if status, ok := s.opts.FailPaths[r.URL.Path]; ok {
			if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			errorPage(w, status)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			errorPage(w, http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		f := h.files[p]
		if f == nil {
			if h.files[p+"/index.html"] != nil {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			errorPage(w, http.StatusNotFound)
			return
		}
		s.serveFile(w, r, f)
	})
}

func (s *Site) serveFile(w http.ResponseWriter, r *http.Request, f *file) {
	hdr := w.Header()
	hdr.Set("ETag", f.etag)
	hdr.Set("Last-Modified", LastModified.Format(http.TimeFormat))
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if inm != "" || ims != "" {
		s.conditional.Add(1)
	}
	if notModified(inm, ims, f.etag) {
		s.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Type", f.ctype)
	hdr.Set("Content-Length", strconv.Itoa(len(f.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(f.body)
	}
}

// notModified applies RFC 9110: If-None-Match, when present, decides
// (weak comparison); otherwise If-Modified-Since does.
func notModified(inm, ims, etag string) bool {
	if inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == etag {
				return true
			}
		}
		return false
	}
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !LastModified.After(t)
}

func errorPage(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>\n",
		status, http.StatusText(status), http.StatusText(status))
}

func (s *Site) count(p string) {
	s.total.Add(1)
	s.mu.Lock()
	s.requests[p]++
	s.mu.Unlock()
}

// trackingWriter calls done once, when the answer starts or the handler ends.
type trackingWriter struct {
	http.ResponseWriter
	done func()
	once sync.Once
}

func (t *trackingWriter) finish() { t.once.Do(t.done) }

func (t *trackingWriter) WriteHeader(code int) {
	t.finish()
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.finish()
	return t.ResponseWriter.Write(b)
}

// raise lifts m to at least v.
func raise(m *atomic.Int64, v int64) {
	for {
		cur := m.Load()
		if v <= cur || m.CompareAndSwap(cur, v) {
			return
		}
	}
}
