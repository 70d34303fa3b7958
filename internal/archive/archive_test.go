package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var testStart = time.Date(2026, 12, 2, 9, 15, 0, 123456789, time.UTC)

var (
	pageOnce sync.Once
	page     []byte
)

// htmlBody is the first n bytes (at most all) of a real news page.
func htmlBody(n int) []byte {
	pageOnce.Do(func() {
		b, err := os.ReadFile("testdata/news-page.html.gz")
		if err != nil {
			panic(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			panic(err)
		}
		page, err = io.ReadAll(zr)
		if err != nil {
			panic(err)
		}
	})
	return page[:min(n, len(page))]
}

func testExchange(u string, body []byte) Exchange {
	return Exchange{
		URL: u, Method: http.MethodGet, Started: testStart, IP: "192.0.2.7:443",
		RequestHeader: http.Header{
			"Host":            {"news.example"},
			"User-Agent":      {"presswatch/1.0 (+https://presswatch.example/bot)"},
			"Accept-Encoding": {"gzip"},
		},
		Proto: "HTTP/2.0", Status: 200,
		ResponseHeader: http.Header{
			"Content-Type":      {"text/html; charset=utf-8"},
			"Transfer-Encoding": {"chunked"},
			"Set-Cookie":        {"a=1", "b=2"},
		},
		Body: body,
	}
}

func openTest(t testing.TB, dir string, opts Options) *Writer {
	t.Helper()
	if opts.Version == "" {
		opts.Version = "0.9.0-test"
	}
	if opts.Contact == "" {
		opts.Contact = "mailto:desk@presswatch.example"
	}
	opts.Hostname = "testhost"
	w, damage, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(damage) != 0 {
		t.Fatalf("Open found damage in a fresh folder: %v", damage)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustVerify(t *testing.T, path string) FileReport {
	t.Helper()
	rep, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("Verify %s: %v", filepath.Base(path), rep.First)
	}
	return rep
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, Options{})
	body := htmlBody(100 << 10)
	loc, err := w.WriteExchange(testExchange("https://news.example/2026/12/budget?ref=rss", body))
	if err != nil {
		t.Fatal(err)
	}
	if loc.PayloadSHA256 != sha(body) {
		t.Errorf("PayloadSHA256 = %s, want %s", loc.PayloadSHA256, sha(body))
	}
	if !strings.HasPrefix(loc.RecordID, "<urn:uuid:") || !strings.HasSuffix(loc.RecordID, ">") {
		t.Errorf("RecordID = %q", loc.RecordID)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, loc.File)
	rep := mustVerify(t, path)
	if rep.Records != 3 || rep.Types["warcinfo"] != 1 || rep.Types["request"] != 1 || rep.Types["response"] != 1 {
		t.Errorf("report %v", rep)
	}
	if rep.Digests != 5 { // warcinfo block; request block and payload; response block and payload
		t.Errorf("digests checked = %d, want 5", rep.Digests)
	}

	c, err := ReadResponse(path, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Payload, body) || c.PayloadSHA256 != sha(body) || c.Status != 200 ||
		c.RecordID != loc.RecordID || c.TargetURI != "https://news.example/2026/12/budget?ref=rss" ||
		!c.Date.Equal(testStart.Truncate(time.Microsecond)) || c.IP != "192.0.2.7" {
		t.Errorf("capture %+v", c)
	}
	if got := c.Header.Get("Content-Length"); got != fmt.Sprint(len(body)) {
		t.Errorf("Content-Length = %q, want %d", got, len(body))
	}
	if c.Header.Get("Transfer-Encoding") != "" || len(c.Header["Set-Cookie"]) != 2 {
		t.Errorf("header %v", c.Header)
	}

	var out bytes.Buffer
	if err := CopyExchange(&out, path, loc); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(path)
	if !bytes.Equal(out.Bytes(), whole[loc.Offset:loc.Offset+loc.Length]) {
		t.Error("CopyExchange did not copy the members byte for byte")
	}
	copied := filepath.Join(t.TempDir(), "copy.warc.gz")
	if err := os.WriteFile(copied, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := mustVerify(t, copied); rep.Records != 2 {
		t.Errorf("the copy holds %d records, want 2", rep.Records)
	}
	if c2, err := ReadResponse(copied, 0); err != nil || !bytes.Equal(c2.Payload, body) {
		t.Errorf("ReadResponse of the copy: %v", err)
	}
}
