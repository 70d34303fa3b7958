// Package testsite serves the fixture press site in testdata/site (at the
// module root) over HTTP on 127.0.0.1, for tests of the crawler, the
// importer and everything downstream. See testdata/site/README.md for what
// the site holds and expected.json for the articles a crawl should find.
//
// The server behaves like a well-run static host: strong ETags and a fixed
// Last-Modified with 304 answers to conditional requests, a Content-Type per
// file (the windows-1251 page declares its charset only there), 301 from
// a directory to its slash form, 404 pages in HTML. Options add latency,
// failing paths and extra hosts. Counters tell a test what its client did:
// requests per path, the most concurrent requests a host saw, conditional
// requests and 304s.
package testsite

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Placeholder is replaced, in every served file, by the base URL of the
// host serving it ("http://127.0.0.1:41234"), so absolute links work.
const Placeholder = "{{BASE}}"

// LastModified is the Last-Modified date of every file.
var LastModified = time.Date(2012, time.January, 16, 10, 0, 0, 0, time.UTC)

// Options change how the site answers. The zero value serves the site
// plainly on one host.
type Options struct {
	// Latency delays every answer, as a slow server would; a client that
	// gives up earlier ends the wait.
	Latency time.Duration
	// FailPaths answers the given URL paths with the given status (and a
	// small HTML body) instead of the file; 429 and 503 carry Retry-After: 1.
	FailPaths map[string]int
	// Hosts serves the same site on that many listeners (each its own
	// 127.0.0.1:port, so its own host to a crawler); 0 means 1.
	Hosts int
}

// Site is a running fixture site. Start it; t.Cleanup closes it.
type Site struct {
	URL  string   // base URL of the first host: "http://127.0.0.1:port", no trailing slash
	URLs []string // base URLs of every host; URLs[0] == URL

	opts     Options
	hosts    []*host
	expected expectedFile

	mu       sync.Mutex
	requests map[string]int // by URL path, over all hosts

	total, conditional, notModified atomic.Int64
	inFlight, maxInFlightAll        atomic.Int64
}

// host is one listener with its own base URL and so its own file bodies.
type host struct {
	base        string
	files       map[string]*file
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

type file struct {
	body  []byte
	etag  string
	ctype string
}

// Start serves testdata/site on 127.0.0.1 until the test ends. It finds
// the folder by walking up from the working directory to the one holding
// go.mod, so it works from any package's tests.
func Start(t testing.TB, opts Options) *Site {
	t.Helper()
	raw, err := loadTree()
	if err != nil {
		t.Fatalf("testsite: %v", err)
	}
	s := &Site{opts: opts, requests: make(map[string]int)}
	if s.expected, err = parseExpected(raw["/expected.json"]); err != nil {
		t.Fatalf("testsite: %v", err)
	}
	for range max(opts.Hosts, 1) {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("testsite: listen: %v", err)
		}
		h := &host{base: "http://" + ln.Addr().String()}
		if h.files, err = substitute(raw, h.base); err != nil {
			ln.Close()
			t.Fatalf("testsite: %v", err)
		}
		srv := httptest.NewUnstartedServer(s.handler(h))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		s.hosts = append(s.hosts, h)
		s.URLs = append(s.URLs, h.base)
	}
	s.URL = s.URLs[0]
	return s
}

// URLFor returns the absolute URL of a path on the first host.
func (s *Site) URLFor(p string) string { return s.URL + p }

// File returns the bytes the first host serves for a file path
// ("/index.html", not "/"), placeholder replaced; nil if there is none.
func (s *Site) File(p string) []byte {
	if f := s.hosts[0].files[p]; f != nil {
		return bytes.Clone(f.body)
	}
	return nil
}

// Requests returns how many requests asked for the URL path (as sent, "/"
// and "/index.html" apart, query ignored), over all hosts.
func (s *Site) Requests(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[p]
}

// TotalRequests returns how many requests the site received.
func (s *Site) TotalRequests() int { return int(s.total.Load()) }

// MaxInFlight returns the most requests one host was serving at once:
// 1 means the client never sent a host two requests concurrently.
func (s *Site) MaxInFlight() int {
	m := int64(0)
	for _, h := range s.hosts {
		m = max(m, h.maxInFlight.Load())
	}
	return int(m)
}

// MaxInFlightAll returns the most requests all hosts together were serving at once.
func (s *Site) MaxInFlightAll() int { return int(s.maxInFlightAll.Load()) }

// ConditionalHits returns how many requests carried If-None-Match or If-Modified-Since.
func (s *Site) ConditionalHits() int { return int(s.conditional.Load()) }

// NotModified returns how many 304 answers were sent.
func (s *Site) NotModified() int { return int(s.notModified.Load()) }

// loadTree reads testdata/site once per test binary.
var loadTree = sync.OnceValues(func() (map[string][]byte, error) {
	root, err := siteDir()
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files["/"+filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
})

// siteDir walks up from the working directory to the module root.
func siteDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "site"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// substitute builds one host's files: the placeholder replaced (inside
// gzip files too), the ETag computed from the bytes served.
func substitute(raw map[string][]byte, base string) (map[string]*file, error) {
	files := make(map[string]*file, len(raw))
	for p, b := range raw {
		var err error
		if path.Ext(p) == ".gz" {
			if b, err = regzip(b, base); err != nil {
				return nil, fmt.Errorf("%s: %v", p, err)
			}
		} else {
			b = bytes.ReplaceAll(b, []byte(Placeholder), []byte(base))
		}
		sum := sha256.Sum256(b)
		files[p] = &file{body: b, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: contentType(p)}
	}
	return files, nil
}

func regzip(b []byte, base string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out) // no name, no mtime: the same bytes every run
	if _, err := zw.Write(bytes.ReplaceAll(plain, []byte(Placeholder), []byte(base))); err != nil {
		return nil, err
	}
	err = zw.Close()
	return out.Bytes(), err
}

// pathTypes are the files whose Content-Type is not their extension's.
var pathTypes = map[string]string{
	"/atom.xml": "application/atom+xml; charset=utf-8",
	"/ru/vestnik/2011/12/17/zhanaozen-poryadok.html": "text/html; charset=windows-1251", // no <meta charset>
	"/ru/golos/2011/12/20/zhanaozen-svideteli.html":  "text/html",                       // <meta charset="koi8-r">
}

var extTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".xml":  "application/xml; charset=utf-8",
	".rss":  "application/rss+xml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".json": "application/json",
	".md":   "text/markdown; charset=utf-8",
	".gz":   "application/gzip",
	".eml":  "message/rfc822",
	".mbox": "application/mbox",
}

func contentType(p string) string {
	if ct, ok := pathTypes[p]; ok {
		return ct
	}
	if ct, ok := extTypes[strings.ToLower(path.Ext(p))]; ok {
		return ct
	}
	return "application/octet-stream"
}
