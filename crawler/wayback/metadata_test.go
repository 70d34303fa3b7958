package wayback

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// Beside each capture's response record, presswatch's WARC archive holds a
// metadata record with the CDX row that listed it, concurrent to it.
func TestEachCaptureIsArchivedWithItsCDXRow(t *testing.T) {
	w := newWorld(t, captures(2, "Zhanaozen"))
	dir := t.TempDir()
	wr, _, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := w.options(10)
	opts.Fetcher, err = fetch.New(fetch.Options{UserAgent: "presswatch-test", MinDelay: time.Millisecond, Timeout: 5 * time.Second, Archive: wr})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := w.run(context.Background(), w.source(model.KeepAll), opts); err != nil || rep.New != 2 {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	if err := wr.Close(); err != nil {
		t.Fatal(err)
	}
	responses := map[string]string{} // record id -> target
	metadata := map[string]string{}  // concurrent-to -> block
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	for _, name := range files {
		r, err := gowarc.NewWarcFileReader(name, 0)
		if err != nil {
			t.Fatal(err)
		}
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatal(err)
			}
			h := rec.WarcRecord.WarcHeader()
			switch rec.WarcRecord.Type() {
			case gowarc.Response:
				responses[h.Get(gowarc.WarcRecordID)] = h.Get(gowarc.WarcTargetURI)
			case gowarc.Metadata:
				b, _ := rec.WarcRecord.Block().RawBytes()
				body, _ := io.ReadAll(b)
				metadata[h.Get(gowarc.WarcConcurrentTo)] = h.Get(gowarc.WarcTargetURI) + "\n" + string(body)
			}
			rec.Close()
		}
		r.Close()
	}
	for _, d := range w.sink.docs {
		id := d.Fetch.WARCRecord
		target, ok := responses[id]
		if !ok {
			t.Fatalf("%s: no response record %s in the archive", d.URL, id)
		}
		m, ok := metadata[id]
		if !ok {
			t.Fatalf("%s: no metadata record concurrent to its response %s; metadata: %v", d.URL, id, metadata)
		}
		ts := strings.Split(strings.TrimPrefix(target, w.archive.srv.URL+"/web/"), "id_/")[0]
		for _, want := range []string{target + "\n", "cdx-urlkey: kz,x)/\r\n", "cdx-timestamp: " + ts + "\r\n", "cdx-original: " + d.URL + "\r\n",
			"cdx-mimetype: text/html\r\n", "cdx-statuscode: 200\r\n", "cdx-length: 1000\r\n",
			"cdx-server: " + w.archive.srv.URL + "/cdx/search/cdx\r\n", "capture: " + d.Fetch.Capture + "\r\n", "source: x-2011\r\n"} {
			if !strings.Contains(m, want) {
				t.Errorf("%s: metadata lacks %q:\n%s", d.URL, want, m)
			}
		}
	}
}
