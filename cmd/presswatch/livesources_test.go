package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/web"
)

// hostCounter is a site of feeds that counts the requests it is serving
// at once. A feed's request is held until release is closed, so that
// requests a broken per-host limit would let through are all in flight
// together.
type hostCounter struct {
	release chan struct{}

	mu             sync.Mutex
	inFlight, most int
	paths          map[string]int
}

func (h *hostCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.inFlight++
	h.most = max(h.most, h.inFlight)
	h.paths[r.URL.Path]++
	h.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/section/") {
		<-h.release
	}
	var body string
	switch {
	case strings.HasSuffix(r.URL.Path, ".rss"):
		w.Header().Set("Content-Type", "application/rss+xml")
		body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Section</title><link>http://` + r.Host + `/</link></channel></rss>`
	case r.URL.Path == "/robots.txt":
		body = "User-agent: *\nAllow: /\n"
	default:
		http.NotFound(w, r)
	}
	// Counted out before the body goes: the fetcher's next request to the
	// host can only start once this one's body is read.
	h.mu.Lock()
	h.inFlight--
	h.mu.Unlock()
	if body != "" {
		io.WriteString(w, body)
	}
}

// An OPML list of 20 feeds on one host, uploaded to a running serve: the
// first is due at once, the others are scheduled 10 s apart (the times
// the sources page shows); all run now at once, the host never has two
// requests of presswatch at a time (crawl.per_host: 1).
func TestOPMLImportThroughServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	site := &hostCounter{paths: map[string]int{}, release: make(chan struct{})}
	srv := httptest.NewServer(site)
	defer srv.Close()
	// No archive: gowarc writes a global of uuid's (EnableRandPool) at
	// every record, which races with gocron's uuid.New as the import
	// schedules sources (the race detector says so, here and in
	// TestWebSourceThroughServe).
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 4, per_host: 1, min_delay: 2ms, timeout: 10s}
archive: {enabled: false}
sources:
  - {id: file-feed, type: feed, url: %s/file.rss, every: 1h}
`, srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	base, stop := startServe(t, cfg, t.TempDir())
	defer stop()

	const n = 20
	var list bytes.Buffer
	list.WriteString(`<opml version="2.0"><body>`)
	for i := range n {
		fmt.Fprintf(&list, `<outline type="rss" text="Section %02d" xmlUrl="%s/section/%02d.rss"/>`, i, srv.URL, i)
	}
	list.WriteString(`</body></opml>`)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("opml", "sections.opml")
	fw.Write(list.Bytes())
	mw.Close()
	before := time.Now()
	res, err := http.Post(base+"/sources/opml", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "20 sources added") {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}

	// The first is due at once; the others wait their turn.
	srcs := apiSources(t, base)
	if s := srcs[listID(0)]; s.NextRun == nil || s.NextRun.After(time.Now().Add(5*time.Second)) {
		t.Errorf("the list's first source: %+v, want it due at once", s)
	}
	var next []time.Time
	for i := 1; i < n; i++ {
		s, ok := srcs[listID(i)]
		if !ok || s.NextRun == nil || s.LastFetch != nil {
			t.Fatalf("source %d of the list: %+v, want scheduled and not read yet", i, s)
		}
		next = append(next, *s.NextRun)
	}
	if first := next[0]; first.Before(before.Add(10*time.Second-time.Second)) || first.After(time.Now().Add(10*time.Second)) {
		t.Errorf("the second source runs first at %s, want 10 s after the import (%s)", first, before)
	}
	for i := 1; i < len(next); i++ {
		if d := next[i].Sub(next[i-1]); d < 10*time.Second-time.Millisecond || d > 10*time.Second+time.Millisecond {
			t.Errorf("sources %d and %d of the list run first %s apart, want 10s", i+1, i+2, d)
		}
	}

	// Every source run now at once: still one request at a time. The
	// feeds' answers wait until every run is asked for.
	for i := 1; i < n; i++ {
		res, err := http.Post(base+"/sources/"+listID(i)+"/run", "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("run now %d: %d", i+1, res.StatusCode)
		}
	}
	close(site.release)
	for i := range n {
		waitSource(t, base, listID(i), func(s web.SourceStatus) bool { return s.LastFetch != nil })
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	if site.most != 1 {
		t.Errorf("the host had %d requests of presswatch at once, want 1 (per_host: 1)", site.most)
	}
	for i := range n {
		if p := fmt.Sprintf("/section/%02d.rss", i); site.paths[p] != 1 {
			t.Errorf("%s was read %d times, want 1", p, site.paths[p])
		}
	}
}

// listID is the id the import gives the i-th feed of the list: from the
// host, numbered from the second.
func listID(i int) string {
	if i == 0 {
		return "127-0-0-1"
	}
	return fmt.Sprintf("127-0-0-1-%d", i+1)
}

// apiSources returns the sources /api/sources lists, by id.
func apiSources(t *testing.T, base string) map[string]web.SourceStatus {
	t.Helper()
	res, err := http.Get(base + "/api/sources")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct{ Sources []web.SourceStatus }
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	out := map[string]web.SourceStatus{}
	for _, s := range got.Sources {
		out[s.ID] = s
	}
	return out
}

// On a read-only data folder the web UI is told so, naming the folder
// as the commands that write do.
func TestLiveSourcesReadOnly(t *testing.T) {
	data := t.TempDir()
	c := &common{data: data}
	ro := &liveSources{a: &app{warcDir: c.warcPath(), readOnly: errors.New("presswatch.db: permission denied")}}
	want := "data folder " + data + " is read-only (presswatch.db: permission denied)"
	if err := ro.ReadOnly(); err == nil || err.Error() != want {
		t.Errorf("ReadOnly() = %v, want %s", err, want)
	}
	if err := (&liveSources{a: &app{warcDir: c.warcPath()}}).ReadOnly(); err != nil {
		t.Errorf("a writable folder: %v", err)
	}
}
