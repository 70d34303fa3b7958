package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// testdata/wget.warc.gz was written by GNU Wget 1.25 (wget -r -l1
// --warc-file) from a site on 127.0.0.1: /, a 404 robots.txt, and two
// article pages, /news/strike.html (with article:published_time
// 2011-06-02) and /news/trial.html, and wget's own metadata records.
//
// The pages of another tool's WARC file are imported, each with its
// capture time and record as provenance, apart from when presswatch read
// the file; the other records are passed over by rule.
func TestImportAnotherToolsWARC(t *testing.T) {
	sink := &recordSink{}
	now := time.Date(2026, 12, 3, 7, 30, 0, 0, time.UTC)
	rep := Paths(context.Background(), sink, []string{"testdata/wget.warc.gz"}, Options{Source: src, Now: func() time.Time { return now }})
	if rep.Files != 1 || rep.Failed != 0 || rep.New != 2 {
		t.Fatalf("report %+v; want one file, the 2 articles (/ holds no article text), no failure", rep)
	}
	byURL := map[string]*model.Document{}
	for _, d := range sink.docs {
		byURL[d.URL] = d
	}
	strike := byURL["http://127.0.0.1:18777/news/strike.html"]
	if strike == nil || strike.Title != "Strike in Zhanaozen" || !strings.Contains(strike.Text, "went on strike in May 2011") {
		t.Fatalf("the strike page: %+v", strike)
	}
	abs, _ := filepath.Abs("testdata/wget.warc.gz")
	f := strike.Fetch
	if strike.Provenance != model.ProvenanceArchive || f == nil || f.CapturedAt.IsZero() || f.CapturedAt.Equal(now) || !f.At.Equal(now) ||
		!strings.HasPrefix(f.Capture, "file://"+filepath.ToSlash(abs)+"#<urn:uuid:") || f.Status != 200 || len(f.SHA256) != 64 {
		t.Errorf("the strike page's provenance: %s %+v", strike.Provenance, f)
	}
	if got := strike.Published.Format("2006-01-02"); got != "2011-06-02" {
		t.Errorf("published %s, want the page's own 2011-06-02 (never the capture time)", got)
	}
	if d := byURL["http://127.0.0.1:18777/news/trial.html"]; d == nil || !d.Published.IsZero() {
		t.Errorf("the trial page, which gives no date: %+v", d)
	}
	if _, ok := byURL["http://127.0.0.1:18777/robots.txt"]; ok {
		t.Error("the 404 robots.txt was imported as a page")
	}
	// Read from a stream (an upload, or a file presswatch import sends to
	// serve), under a name that does not say WARC: the same pages.
	b, _ := os.ReadFile("testdata/wget.warc.gz")
	sink2 := &recordSink{}
	rep = Read(context.Background(), sink2, "upload.bin", bytes.NewReader(b), Options{Source: src})
	if rep.New != 2 || rep.Failed != 0 {
		t.Errorf("read from a stream: %+v", rep)
	}
}

// A damaged record is reported naming the file and its offset; the other
// pages of the file are imported.
func TestImportDamagedWARC(t *testing.T) {
	b, _ := os.ReadFile("testdata/wget.warc.gz")
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	spoilt := bytes.Replace(plain, []byte("Natalia Sokolova"), []byte("Natalia Sokolove"), 1)
	path := filepath.Join(t.TempDir(), "spoilt.warc")
	os.WriteFile(path, spoilt, 0o644)
	sink := &recordSink{}
	rep := Paths(context.Background(), sink, []string{path}, Options{Source: src})
	if rep.New != 1 || rep.Failed != 1 || len(rep.Errors) != 1 {
		t.Fatalf("report %+v; want the strike page, and the altered trial page reported", rep)
	}
	if msg := rep.Errors[0].Error(); !strings.Contains(msg, "spoilt.warc") || !strings.Contains(msg, "at byte") || !strings.Contains(msg, "digest") {
		t.Errorf("the error %q does not name the file, the offset and the digest", msg)
	}
	for _, d := range sink.docs {
		if strings.Contains(d.URL, "trial") {
			t.Errorf("the altered capture was imported: %s", d.URL)
		}
	}
	// A file named .warc that holds none is said to hold no page.
	empty := filepath.Join(t.TempDir(), "empty.warc")
	os.WriteFile(empty, []byte("not a warc at all\n"), 0o644)
	rep = Paths(context.Background(), &recordSink{}, []string{empty}, Options{Source: src})
	if rep.Failed != 1 || !strings.Contains(rep.Errors[0].Error(), "empty.warc") {
		t.Errorf("a .warc holding no record: %+v", rep)
	}
}
