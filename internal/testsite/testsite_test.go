package testsite

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// get fetches a URL with optional header pairs and returns the answer and its body.
func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestContentTypes(t *testing.T) {
	s := Start(t, Options{})
	tests := map[string]struct{ path, ctype string }{
		"listing page":          {"/", "text/html; charset=utf-8"},
		"RSS feed":              {"/feed.rss", "application/rss+xml; charset=utf-8"},
		"Atom feed":             {"/atom.xml", "application/atom+xml; charset=utf-8"},
		"news sitemap":          {"/sitemap-news.xml", "application/xml; charset=utf-8"},
		"gzipped sitemap":       {"/sitemap-archive.xml.gz", "application/gzip"},
		"robots.txt":            {"/robots.txt", "text/plain; charset=utf-8"},
		"windows-1251 page":     {"/ru/vestnik/2011/12/17/zhanaozen-poryadok.html", "text/html; charset=windows-1251"},
		"KOI8-R page (by meta)": {"/ru/golos/2011/12/20/zhanaozen-svideteli.html", "text/html"},
		"mail message":          {"/lists/labor-l/2001-03-21-repression-in-kazakhstan.eml", "message/rfc822"},
		"mbox":                  {"/lists/labor-l/2001-03.mbox", "application/mbox"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, s.URLFor(tt.path))
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.ctype {
				t.Errorf("status %d, Content-Type %q; want 200, %q", resp.StatusCode, resp.Header.Get("Content-Type"), tt.ctype)
			}
			if bytes.Contains(body, []byte(Placeholder)) {
				t.Errorf("served body still holds %s", Placeholder)
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	s := Start(t, Options{})
	u := s.URLFor("/feed.rss")
	resp, body := get(t, u)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lm != "Mon, 16 Jan 2012 10:00:00 GMT" || len(body) == 0 {
		t.Fatalf("ETag %q (want strong), Last-Modified %q, %d bytes", etag, lm, len(body))
	}
	if !bytes.Contains(body, []byte("<link>"+s.URL+"/</link>")) {
		t.Errorf("feed does not link to the base URL %s", s.URL)
	}
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"matching ETag", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"ETag in a list, weak form", []string{"If-None-Match", `"x", W/` + etag}, http.StatusNotModified},
		{"other ETag", []string{"If-None-Match", `"0000"`}, http.StatusOK},
		{"Last-Modified echoed", []string{"If-Modified-Since", lm}, http.StatusNotModified},
		{"older date", []string{"If-Modified-Since", "Sun, 15 Jan 2012 10:00:00 GMT"}, http.StatusOK},
		{"ETag decides over date", []string{"If-None-Match", `"0000"`, "If-Modified-Since", lm}, http.StatusOK},
		{"plain GET", nil, http.StatusOK},
	}
	want304 := 0
	for _, tt := range tests {
		resp, body := get(t, u, tt.hdr...)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if tt.status == http.StatusNotModified {
			want304++
			if len(body) != 0 || resp.Header.Get("ETag") != etag {
				t.Errorf("%s: 304 with %d bytes, ETag %q", tt.name, len(body), resp.Header.Get("ETag"))
			}
		}
	}
	if s.NotModified() != want304 || s.ConditionalHits() != len(tests)-1 || s.Requests("/feed.rss") != len(tests)+1 {
		t.Errorf("NotModified %d, ConditionalHits %d, Requests %d; want %d, %d, %d",
			s.NotModified(), s.ConditionalHits(), s.Requests("/feed.rss"), want304, len(tests)-1, len(tests)+1)
	}
}

func TestCyrillicPagesAreNotUTF8(t *testing.T) {
	s := Start(t, Options{})
	tests := map[string]struct {
		path  string
		dec   *charmap.Charmap
		words []string
	}{
		"state outlet, windows-1251": {"/ru/vestnik/2011/12/17/zhanaozen-poryadok.html", charmap.Windows1251, []string{"Жанаозене", "нефтяников", "Жанаозен"}},
		"independent outlet, KOI8-R": {"/ru/golos/2011/12/20/zhanaozen-svideteli.html", charmap.KOI8R, []string{"Жанаозене", "нефтяников", `<meta charset="koi8-r">`}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, body := get(t, s.URLFor(tt.path))
			if utf8.Valid(body) {
				t.Fatal("body is valid UTF-8; want legacy-encoded bytes")
			}
			text, err := tt.dec.NewDecoder().Bytes(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.words {
				if !bytes.Contains(text, []byte(w)) {
					t.Errorf("decoded page lacks %q", w)
				}
			}
		})
	}
}

func TestErrorsAndRedirects(t *testing.T) {
	s := Start(t, Options{FailPaths: map[string]int{"/atom.xml": 503, "/feed.rss": 500}})
	for path, want := range map[string]int{"/atom.xml": 503, "/feed.rss": 500, "/no/such/page.html": 404} {
		resp, body := get(t, s.URLFor(path))
		if resp.StatusCode != want || !bytes.Contains(body, []byte("<html>")) {
			t.Errorf("%s: status %d, want %d with an HTML body", path, resp.StatusCode, want)
		}
		if want == 503 && resp.Header.Get("Retry-After") != "1" {
			t.Errorf("%s: Retry-After %q", path, resp.Header.Get("Retry-After"))
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(s.URLFor("/page/2"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/page/2/" {
		t.Errorf("/page/2: %d to %q, want 301 to /page/2/", resp.StatusCode, resp.Header.Get("Location"))
	}
	if s.Requests("/atom.xml") != 1 || s.TotalRequests() != 4 {
		t.Errorf("Requests(/atom.xml) %d, TotalRequests %d; want 1, 4", s.Requests("/atom.xml"), s.TotalRequests())
	}
}

func TestInFlight(t *testing.T) {
	t.Run("sequential client", func(t *testing.T) {
		s := Start(t, Options{})
		for range 20 {
			get(t, s.URLFor("/index.html"))
		}
		if s.MaxInFlight() != 1 || s.Requests("/index.html") != 20 {
			t.Errorf("MaxInFlight %d, Requests %d; want 1, 20", s.MaxInFlight(), s.Requests("/index.html"))
		}
	})
	t.Run("concurrent client, several hosts", func(t *testing.T) {
		s := Start(t, Options{Hosts: 3, Latency: 100 * time.Millisecond})
		if len(s.URLs) != 3 || s.URLs[0] == s.URLs[1] || s.URL != s.URLs[0] {
			t.Fatalf("URLs %v", s.URLs)
		}
		var wg sync.WaitGroup
		for _, base := range s.URLs {
			for range 2 {
				wg.Go(func() {
					resp, err := http.Get(base + "/feed.rss")
					if err != nil {
						t.Error(err)
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if !bytes.Contains(body, []byte(base+"/articles/")) {
						t.Errorf("feed from %s does not link to its own host", base)
					}
				})
			}
		}
		wg.Wait()
		if s.MaxInFlight() != 2 || s.MaxInFlightAll() != 6 || s.Requests("/feed.rss") != 6 {
			t.Errorf("MaxInFlight %d, MaxInFlightAll %d, Requests %d; want 2, 6, 6", s.MaxInFlight(), s.MaxInFlightAll(), s.Requests("/feed.rss"))
		}
	})
}

func TestLatencyEndsWithClient(t *testing.T) {
	s := Start(t, Options{Latency: 10 * time.Second})
	client := &http.Client{Timeout: 50 * time.Millisecond}
	start := time.Now()
	if _, err := client.Get(s.URLFor("/")); err == nil {
		t.Fatal("want a client timeout")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("client waited %v", d)
	}
}

func TestExpectedMatchesSite(t *testing.T) {
	s := Start(t, Options{})
	arts := s.Expected()
	if len(arts) < 15 || len(s.ExpectedMessages()) != 3 {
		t.Fatalf("%d articles, %d messages", len(arts), len(s.ExpectedMessages()))
	}
	announcers := map[string]string{}
	for _, a := range arts {
		if a.PublishedDate().IsZero() || a.Lang == "" || a.Title == "" {
			t.Errorf("%s: incomplete entry %+v", a.Path, a)
		}
		for _, p := range a.AnnouncedBy {
			if _, ok := announcers[p]; !ok {
				announcers[p] = announcerText(t, s, p)
			}
			if !strings.Contains(announcers[p], a.Path) {
				t.Errorf("%s does not announce %s", p, a.Path)
			}
		}
		for _, b := range arts {
			text := decoded(t, s, b)
			if has := strings.Contains(text, a.Word); has != (a.Path == b.Path) {
				t.Errorf("word %q of %s: found in %s = %v", a.Word, a.Path, b.Path, has)
			}
		}
	}
	if !strings.Contains(string(s.File("/robots.txt")), "Disallow: /private/") {
		t.Error("robots.txt does not disallow /private/")
	}
}

// announcerText returns a listing, feed or sitemap as text, gunzipped.
func announcerText(t *testing.T, s *Site, p string) string {
	t.Helper()
	_, body := get(t, s.URLFor(p))
	if strings.HasSuffix(p, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(body)
}

var decodedCache sync.Map

// decoded returns an article's page as UTF-8 text with its entities left alone.
func decoded(t *testing.T, s *Site, a ExpectedArticle) string {
	if v, ok := decodedCache.Load(a.Path); ok {
		return v.(string)
	}
	b := s.File(a.Path)
	if b == nil {
		t.Fatalf("%s: no such file", a.Path)
	}
	switch a.Charset {
	case "windows-1251":
		b, _ = charmap.Windows1251.NewDecoder().Bytes(b)
	case "koi8-r":
		b, _ = charmap.KOI8R.NewDecoder().Bytes(b)
	}
	decodedCache.Store(a.Path, string(b))
	return string(b)
}
