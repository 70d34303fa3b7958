package fetch

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestGet(t *testing.T) {
	const page = "<html><body>Жанаозен</body></html>"
	tests := map[string]struct {
		routes map[string]http.HandlerFunc
		path   string
		opts   func(*Options)
		want   model.ErrorKind
		check  func(t *testing.T, s *testServer, r *Response)
	}{
		"a page is read and recorded": {
			routes: map[string]http.HandlerFunc{"/a": text(page)},
			path:   "/a",
			check: func(t *testing.T, s *testServer, r *Response) {
				sum := sha256.Sum256([]byte(page))
				if string(r.Body) != page || r.Status != 200 || r.Fetch.Status != 200 {
					t.Errorf("got status %d body %q", r.Status, r.Body)
				}
				if r.Fetch.SHA256 != hex.EncodeToString(sum[:]) || r.Fetch.Bytes != int64(len(page)) {
					t.Errorf("Fetch = %+v", r.Fetch)
				}
				if r.Fetch.SourceID != "src" || r.Fetch.URL != s.URL+"/a" || r.Fetch.At.IsZero() || r.Fetch.Duration <= 0 {
					t.Errorf("Fetch = %+v", r.Fetch)
				}
			},
		},
		"the User-Agent and Accept headers are sent": {
			routes: map[string]http.HandlerFunc{"/ua": func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(r.UserAgent() + "|" + r.Header.Get("Accept")))
			}},
			path: "/ua",
			check: func(t *testing.T, _ *testServer, r *Response) {
				if want := "presswatch-test/0.1 (+https://example.org/contact)|*/*"; string(r.Body) != want {
					t.Errorf("server saw %q, want %q", r.Body, want)
				}
			},
		},
		"500 is http_status and keeps the answer": {
			routes: map[string]http.HandlerFunc{"/e": func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "boom", 500)
			}},
			path: "/e", want: model.ErrHTTPStatus,
			check: func(t *testing.T, _ *testServer, r *Response) {
				if r.Status != 500 || r.Fetch.ErrorKind != model.ErrHTTPStatus || !strings.Contains(r.Fetch.Error, "500 Internal Server Error") {
					t.Errorf("Response = %d, Fetch = %+v", r.Status, r.Fetch)
				}
			},
		},
		"404 is http_status": {path: "/missing", want: model.ErrHTTPStatus},
		"503 without Retry-After is http_status": {
			routes: map[string]http.HandlerFunc{"/u": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }},
			path:   "/u", want: model.ErrHTTPStatus,
		},
		"a redirect is followed to the final URL": {
			routes: map[string]http.HandlerFunc{
				"/old": func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "/new#frag", http.StatusMovedPermanently)
				},
				"/new": text(page),
			},
			path: "/old",
			check: func(t *testing.T, s *testServer, r *Response) {
				if r.URL != s.URL+"/new" || r.Fetch.URL != r.URL || string(r.Body) != page {
					t.Errorf("URL %q, Fetch.URL %q, body %q", r.URL, r.Fetch.URL, r.Body)
				}
			},
		},
		"a redirect loop is too_many_redirects": {
			routes: map[string]http.HandlerFunc{
				"/a": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
				"/b": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
			},
			path: "/a", want: model.ErrRedirects,
		},
		"an endless redirect chain stops after MaxRedirects": {
			routes: map[string]http.HandlerFunc{"/r": func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/r?"+r.URL.RawQuery+"x", http.StatusTemporaryRedirect)
			}},
			path: "/r", opts: func(o *Options) { o.MaxRedirects = 3 }, want: model.ErrRedirects,
			check: func(t *testing.T, s *testServer, _ *Response) {
				if n := s.count("/r"); n != 4 {
					t.Errorf("server saw %d requests, want 4 (first + 3 redirects)", n)
				}
			},
		},
		"a body at the cap is read": {
			routes: map[string]http.HandlerFunc{"/big": text(strings.Repeat("x", 1024))},
			path:   "/big", opts: func(o *Options) { o.MaxBytes = 1024 },
		},
		"a streamed body over the cap is too_large": {
			routes: map[string]http.HandlerFunc{"/big": func(w http.ResponseWriter, _ *http.Request) {
				for range 4 {
					_, _ = w.Write([]byte(strings.Repeat("x", 512)))
					w.(http.Flusher).Flush() // no Content-Length
				}
			}},
			path: "/big", opts: func(o *Options) { o.MaxBytes = 1024 }, want: model.ErrTooLarge,
			check: func(t *testing.T, _ *testServer, r *Response) {
				if r.Body != nil || !strings.Contains(r.Fetch.Error, "larger than the 1 KiB cap") {
					t.Errorf("body %d bytes, error %q", len(r.Body), r.Fetch.Error)
				}
			},
		},
		"a Content-Length over the cap is too_large": {
			routes: map[string]http.HandlerFunc{"/big": text(strings.Repeat("x", 2048))},
			path:   "/big", opts: func(o *Options) { o.MaxBytes = 1024 }, want: model.ErrTooLarge,
		},
		"gzip is undone by the transport": {
			routes: map[string]http.HandlerFunc{"/gz": func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
					http.Error(w, "no gzip", 400)
					return
				}
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				_, _ = zw.Write([]byte(page))
				_ = zw.Close()
			}},
			path: "/gz",
			check: func(t *testing.T, _ *testServer, r *Response) {
				if string(r.Body) != page {
					t.Errorf("body %q", r.Body)
				}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tc.routes)
			f := newFetcher(t, tc.opts)
			r, err := f.Get(context.Background(), Request{URL: s.URL + tc.path, SourceID: "src"})
			if kindOf(err) != tc.want {
				t.Fatalf("error %v (kind %q), want kind %q", err, kindOf(err), tc.want)
			}
			if r == nil {
				t.Fatal("nil Response")
			}
			if r.Fetch.ErrorKind != tc.want {
				t.Errorf("Fetch.ErrorKind %q, want %q", r.Fetch.ErrorKind, tc.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "fetch: GET http://127.0.0.1:") {
				t.Errorf("error %q lacks the prefix and URL", err)
			}
			if tc.check != nil {
				tc.check(t, s, r)
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Fri, 16 Dec 2011 10:00:00 GMT"
	tests := map[string]Request{
		"ETag sent as If-None-Match":               {ETag: etag},
		"Last-Modified sent as If-Modified-Since":  {LastModified: lastMod},
		"both validators sent, the server matches": {ETag: etag, LastModified: lastMod},
	}
	for name, req := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, map[string]http.HandlerFunc{"/feed": func(w http.ResponseWriter, r *http.Request) {
				inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
				if inm != req.ETag || ims != req.LastModified {
					http.Error(w, "wrong validators: "+inm+" / "+ims, 400)
					return
				}
				w.WriteHeader(http.StatusNotModified) // validators not repeated
			}})
			f := newFetcher(t, nil)
			req.URL = s.URL + "/feed"
			r, err := f.Get(context.Background(), req)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !r.NotModified || !r.Fetch.NotChanged || r.Status != 304 || len(r.Body) != 0 {
				t.Errorf("NotModified %v, NotChanged %v, status %d", r.NotModified, r.Fetch.NotChanged, r.Status)
			}
			if r.ETag != req.ETag || r.LastModified != req.LastModified {
				t.Errorf("validators %q %q not kept", r.ETag, r.LastModified)
			}
		})
	}
}

func TestCanceled(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{"/a": text("a")})
	f := newFetcher(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Get(ctx, Request{URL: s.URL + "/a"}); kindOf(err) != model.ErrCanceled {
		t.Errorf("error %v, want kind canceled", err)
	}
	f.Close()
	f.Close()
	if _, err := f.Get(context.Background(), Request{URL: s.URL + "/a"}); kindOf(err) != model.ErrCanceled {
		t.Errorf("after Close: error %v, want kind canceled", err)
	}
}

func TestInvalidURL(t *testing.T) {
	f := newFetcher(t, nil)
	for _, u := range []string{"ftp://example.org/", "/relative", "http://", "http://[::1"} {
		r, err := f.Get(context.Background(), Request{URL: u})
		if kindOf(err) != model.ErrParse || r == nil || r.Fetch.ErrorKind != model.ErrParse {
			t.Errorf("%q: error %v", u, err)
		}
	}
}

func TestNewValidates(t *testing.T) {
	tests := map[string]Options{
		"no user agent":        {},
		"user agent two lines": {UserAgent: "a\r\nX-Evil: 1"},
		"negative timeout":     {UserAgent: "a", Timeout: -1},
		"negative per host":    {UserAgent: "a", PerHost: -1},
	}
	for name, opts := range tests {
		if _, err := New(opts); err == nil {
			t.Errorf("%s: New accepted %+v", name, opts)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	page := strings.Repeat("<p>Жанаозен, 16 декабря 2011 года</p>\n", 500)
	s := newServer(b, map[string]http.HandlerFunc{"/a": text(page)})
	f := newFetcher(b, func(o *Options) { o.MinDelay = time.Nanosecond })
	ctx := context.Background()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Get(ctx, Request{URL: s.URL + "/a"}); err != nil {
			b.Fatal(err)
		}
	}
}
