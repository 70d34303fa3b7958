package crawler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// fullDisk archives feeds but fails on article pages, as a disk that
// fills up mid-run does.
type fullDisk struct{}

func (fullDisk) WriteExchange(ex archive.Exchange) (archive.Location, error) {
	if strings.Contains(ex.URL, "/feed") || strings.HasSuffix(ex.URL, "/robots.txt") {
		return archive.Location{File: "f.warc.gz", RecordID: "<urn:uuid:1>"}, nil
	}
	return archive.Location{}, errors.New("archive: write f.warc.gz: no space left on device")
}

// TestAFullArchiveStoresNothingAndChargesNoItem: a page presswatch could
// not archive is not stored (not even the feed's text in its place), and
// its item is not counted against it: it is read again next run.
func TestAFullArchiveStoresNothingAndChargesNoItem(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(srv.URL, "/a", "/b")) })
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>A</html>") })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>B</html>") })
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, MinDelay: time.Millisecond, Archive: fullDisk{}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st := &memState{states: map[string]model.SourceState{}}
	sink := &memSink{docs: map[string]*model.Document{}, failed: map[string]model.ErrorKind{}}
	c, err := New(Options{Fetcher: f, Sink: sink, State: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Extract: func(html []byte, u string) (*extract.Result, error) {
			return &extract.Result{Title: "t", Text: "text of " + u}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	if len(sink.docs) != 0 || len(sink.failed) != 0 || rep.Failed != 2 {
		t.Errorf("stored %d, charged %v, report %v; want nothing stored, nothing charged, 2 failed", len(sink.docs), sink.failed, rep)
	}
	if s := st.states["s"]; s.ETag != "" && s.BodyHash != "" {
		t.Errorf("the listing's validators were saved though its items wait: %+v", s)
	}
}
