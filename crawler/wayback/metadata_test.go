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

// A capture fetched whole by a run that stopped before storing it (here
// the store failing, as after a kill) is read back from presswatch's WARC
// archive by the next run, never asked of the web archive twice.
func TestACaptureFetchedButNotStoredIsReadBackFromTheArchive(t *testing.T) {
	w := newWorld(t, captures(3, "Zhanaozen"))
	dir := t.TempDir()
	wr, _, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wr.Close()
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", MinDelay: time.Millisecond, Timeout: 5 * time.Second, Archive: wr})
	if err != nil {
		t.Fatal(err)
	}
	withArchive := func() Options {
		opts := w.options(10)
		opts.Fetcher = f
		opts.Archived = func(fe *model.Fetch) (*fetch.Response, error) {
			cp, err := archive.Dir(dir).ReadResponse(fe.WARCFile, fe.WARCOffset)
			if err != nil {
				return nil, err
			}
			return &fetch.Response{URL: cp.TargetURI, Status: cp.Status, Header: cp.Header, Body: cp.Payload}, nil
		}
		return opts
	}
	src := w.source(model.KeepAll)
	// The second capture's store fails: the run stops with it fetched.
	opts := withArchive()
	opts.Sink = failingSink{w.sink, "http://x.kz/news/2.html"}
	if _, err := w.run(context.Background(), src, opts); kindOf(err) != model.ErrStore {
		t.Fatalf("run = %v; want the store's fault", err)
	}
	if w.archive.fetched["20111202100000 http://x.kz/news/2.html"] != 1 {
		t.Fatalf("fetched = %v", w.archive.fetched)
	}
	rep, err := w.run(context.Background(), src, withArchive())
	if err != nil || rep.New != 2 || rep.Replayed != 1 {
		t.Fatalf("next run = %+v, %v; want 2 new, 1 of them read back from the archive", rep, err)
	}
	if tw := w.archive.twice(); len(tw) != 0 {
		t.Errorf("captures fetched twice: %v", tw)
	}
	a, err := w.st.ArticleByURL(context.Background(), "http://x.kz/news/2.html")
	if err != nil || !strings.Contains(a.Text, "Paragraph 6") || a.Provenance != model.ProvenanceArchive {
		t.Errorf("the article read back = %+v, %v", a, err)
	}
}

// failingSink fails with a store fault for one URL.
type failingSink struct {
	next Sink
	url  string
}

func (s failingSink) Put(ctx context.Context, src model.Source, d *model.Document) (model.Outcome, *model.Article, error) {
	if d.URL == s.url {
		return model.OutcomeNew, nil, &model.Error{Kind: model.ErrStore, Err: io.ErrUnexpectedEOF}
	}
	return s.next.Put(ctx, src, d)
}
