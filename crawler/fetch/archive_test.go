package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// recorder is an Archiver that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	got  []archive.Exchange
	fail error
}

func (r *recorder) WriteExchange(ex archive.Exchange) (archive.Location, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return archive.Location{}, r.fail
	}
	r.got = append(r.got, ex)
	sum := sha256.Sum256(ex.Body)
	return archive.Location{File: "f.warc.gz", Offset: int64(len(r.got)), Length: 10, RecordID: "<urn:uuid:x>",
		PayloadSHA256: hex.EncodeToString(sum[:])}, nil
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ex := range r.got {
		out = append(out, ex.URL[strings.LastIndex(ex.URL, "/"):]+" "+http.StatusText(ex.Status))
	}
	slices.Sort(out)
	return out
}

func TestEveryExchangeIsArchived(t *testing.T) {
	srv := newServer(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nAllow: /\n"),
		"/old":        func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) },
		"/new":        text("the article"),
		"/broken":     func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusServiceUnavailable) },
	})
	rec := &recorder{}
	f := newFetcher(t, func(o *Options) { o.Archive = rec })
	ctx := context.Background()
	resp, err := f.Get(ctx, Request{URL: srv.URL + "/old"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Fetch.WARCRecord != "<urn:uuid:x>" || resp.Fetch.WARCFile != "f.warc.gz" || resp.Fetch.WARCLength != 10 {
		t.Errorf("the fetch names no WARC record: %+v", resp.Fetch)
	}
	if !resp.Permanent() || len(resp.Redirects) != 1 {
		t.Errorf("redirects = %+v", resp.Redirects)
	}
	f.Get(ctx, Request{URL: srv.URL + "/broken"})
	f.Get(ctx, Request{URL: srv.URL + "/missing"})
	want := []string{"/broken Service Unavailable", "/missing Not Found", "/new OK", "/old Moved Permanently", "/robots.txt OK"}
	if got := rec.seen(); !slices.Equal(got, want) {
		t.Errorf("archived %v\nwant     %v", got, want)
	}
	for _, ex := range rec.got {
		if ex.RequestHeader.Get("User-Agent") == "" || ex.RequestHeader.Get("Host") == "" || ex.IP == "" || ex.Started.IsZero() {
			t.Errorf("exchange of %s lacks request headers, peer or time: %+v", ex.URL, ex)
		}
		if strings.HasSuffix(ex.URL, "/new") && string(ex.Body) != "the article" {
			t.Errorf("archived body of /new = %q", ex.Body)
		}
	}
}

func TestAFailedArchiveWriteFailsTheFetch(t *testing.T) {
	srv := newServer(t, map[string]http.HandlerFunc{"/a": text("page")})
	rec := &recorder{fail: errors.New("archive: write x.warc.gz: no space left on device")}
	f := newFetcher(t, func(o *Options) { o.Archive = rec })
	_, err := f.Get(context.Background(), Request{URL: srv.URL + "/a", IgnoreRobots: true})
	if kindOf(err) != model.ErrArchive || !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("error = %v (kind %s), want kind archive naming the reason", err, kindOf(err))
	}
}

// TestArchiveWritesRealWARC fetches through a real archive.Writer and
// verifies the files it wrote.
func TestArchiveWritesRealWARC(t *testing.T) {
	srv := newServer(t, map[string]http.HandlerFunc{"/a": text("page a"), "/b": text("page b")})
	dir := filepath.Join(t.TempDir(), "warc")
	w, _, err := archive.Open(dir, archive.Options{Version: "test", Contact: "https://presswatch.test/contact"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFetcher(t, func(o *Options) { o.Archive = w })
	for _, p := range []string{"/a", "/b"} {
		resp, err := f.Get(context.Background(), Request{URL: srv.URL + p})
		if err != nil {
			t.Fatal(err)
		}
		// The fetch row's SHA-256 is the archive's payload digest, of the
		// body as read.
		if sum := sha256.Sum256(resp.Body); resp.Fetch.SHA256 != hex.EncodeToString(sum[:]) || resp.Fetch.WARCFile == "" {
			t.Errorf("%s: fetch SHA-256 %q, want that of the body", p, resp.Fetch.SHA256)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	reps, err := archive.VerifyDir(dir)
	if err != nil || len(reps) != 1 || !reps[0].OK() || reps[0].Types["response"] != 3 || reps[0].Types["request"] != 3 {
		t.Fatalf("verify = %+v, %v; want one valid file with 3 exchanges (robots.txt, /a, /b)", reps, err)
	}
}
