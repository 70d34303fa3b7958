package farm

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// handler serves host h: /robots.txt, its feeds and its article pages.
func (fm *Farm) handler(h *host) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		c := &h.counts
		c.requests.Add(1)
		raise(&c.maxInFlight, c.inFlight.Add(1))
		// In flight until the answer starts: a client that waits for each
		// answer before the next request is never seen twice at once.
		w := &trackingWriter{ResponseWriter: rw, done: func() { c.inFlight.Add(-1) }}
		defer w.finish()
		if !fm.wait(r, fm.opts.Latency) {
			return
		}
		if r.URL.Path == "/robots.txt" {
			c.robots.Add(1)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, "User-agent: *\nDisallow: /account/\n")
			return
		}
		if fm.fail(h, w, r) {
			return
		}
		if f, ok := fm.feedOf(r.URL.Path); ok {
			c.feeds.Add(1)
			fm.serveFeed(h, f, w, r)
			return
		}
		if k, ok := fm.itemOf(h, r.URL.Path); ok {
			switch fm.changeOf(k) {
			case removed:
				c.gone.Add(1)
				http.NotFound(w, r)
				return
			case edited:
				c.edited.Add(1)
			}
			c.pages.Add(1)
			var body []byte
			ctype := "text/html; charset=utf-8"
			if fm.tiny.Load() {
				body = fm.tinyPage(k, h.base)
			} else {
				body = fm.cachedPage(k, h.base)
				if len(fm.opts.Pages) > 0 {
					ctype = "text/html" // real pages declare their own charset
				}
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
			return
		}
		http.NotFound(w, r)
	})
}

// wait holds the answer for d; false if the client or the farm gave up.
func (fm *Farm) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-fm.done:
	}
	return false
}

// fail answers the request with an injected error, if the draw says so.
func (fm *Farm) fail(h *host, w http.ResponseWriter, r *http.Request) bool {
	if fm.opts.ErrorShare == 0 && fm.opts.TimeoutShare == 0 {
		return false
	}
	seq := h.seq.Add(1)
	x := draw(fm.opts.Seed, uint64(h.i), seq)
	switch {
	case x < fm.opts.ErrorShare:
		h.counts.errors.Add(1)
		status := http.StatusServiceUnavailable
		if seq%5 == 0 {
			status = http.StatusInternalServerError
		}
		http.Error(w, http.StatusText(status), status)
		return true
	case x < fm.opts.ErrorShare+fm.opts.TimeoutShare:
		h.counts.timeouts.Add(1)
		if fm.wait(r, fm.opts.Hang) {
			// Held for Hang and the client still waits: drop the
			// connection without an answer, as a dead server would.
			panic(http.ErrAbortHandler)
		}
		return true
	}
	return false
}

// draw is a number in [0, 1) fixed by its inputs (splitmix64).
func draw(seed, h, seq uint64) float64 {
	z := seed ^ h*0x9e3779b97f4a7c15 ^ seq*0xbf58476d1ce4e5b9
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

func (fm *Farm) feedOf(p string) (int, bool) {
	var kind string
	switch {
	case strings.HasPrefix(p, "/rss/"):
		kind = "/rss/"
	case strings.HasPrefix(p, "/atom/"):
		kind = "/atom/"
	default:
		return 0, false
	}
	f, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, kind), ".xml"))
	if err != nil || f < 0 || f >= fm.opts.FeedsPerHost || fm.feedPath(f) != p {
		return 0, false
	}
	return f, true
}

// itemOf finds the announced item whose page is at p.
func (fm *Farm) itemOf(h *host, p string) (key, bool) {
	i := strings.LastIndexByte(p, '/')
	if !strings.HasPrefix(p, "/news/") || !strings.HasSuffix(p, ".html") || i < 0 {
		return key{}, false
	}
	fs, ns, ok := strings.Cut(strings.TrimSuffix(p[i+1:], ".html"), "-")
	f, err1 := strconv.Atoi(fs)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || f < 0 || f >= fm.opts.FeedsPerHost || n < 0 || n >= fm.count() {
		return key{}, false
	}
	k := key{h.i, f, n}
	return k, itemPath(k, fm.metaOf(k)) == p
}

// serveFeed answers with feed f, or 304 when the client has it.
func (fm *Farm) serveFeed(h *host, f int, w http.ResponseWriter, r *http.Request) {
	count := fm.count()
	etag := fmt.Sprintf(`"%x-%d-%d-%d"`, fm.opts.Seed, h.i, f, count)
	modified := fm.metaOf(key{h.i, f, count - 1}).published.UTC().Truncate(time.Second)
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
	if notModified(r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), etag, modified) {
		h.counts.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fc := &h.feeds[f]
	fc.mu.Lock()
	if fc.count != count || fc.body == nil {
		fc.body, fc.count = fm.feed(h.i, f, count, h.base, fm.atom(f)), count
	}
	body := fc.body
	fc.mu.Unlock()
	ctype := "application/rss+xml; charset=utf-8"
	if fm.atom(f) {
		ctype = "application/atom+xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// notModified applies RFC 9110: If-None-Match, when present, decides;
// otherwise If-Modified-Since does.
func notModified(inm, ims, etag string, modified time.Time) bool {
	if inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			if t := strings.TrimPrefix(strings.TrimSpace(tag), "W/"); t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	t, err := http.ParseTime(ims)
	return ims != "" && err == nil && !modified.After(t)
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
