package crawler

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

// shortRSS is a feed whose items carry no text that could stand in for
// their pages, so a page that cannot be read is recorded as failed.
func shortRSS(base string, paths ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for _, p := range paths {
		fmt.Fprintf(&b, `<item><title>Item %s</title><link>%s%s</link><description>teaser</description></item>`, p, base, p)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// hostilePage is blocks nested 500 deep, repeated to about 2 MiB.
func hostilePage() []byte {
	block := strings.Repeat("<div>", 500) + "text" + strings.Repeat("</div>", 500)
	return []byte("<!doctype html><html><body>" + strings.Repeat(block, (2<<20)/len(block)+1) + "</body></html>")
}

// Pages that are binary or too complex are refused before extraction and
// recorded as failed with their kind; the rest of the run goes on.
func TestPagesRefusedBeforeExtraction(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 32, 32))); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	pages := map[string][]byte{"/hostile": hostilePage(), "/image": img.Bytes(), "/fine": []byte("<html>a page</html>")}
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, shortRSS(srv.URL, "/hostile", "/image", "/fine"))
	})
	for p, body := range pages {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html") // whatever the body is
			w.Write(body)
		})
	}
	c, _, sink := newTestCrawler(t)
	var extracted atomic.Int32
	extractor := c.opts.Extract
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		extracted.Add(1)
		return extractor(html, u)
	}
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	want := map[string]model.ErrorKind{srv.URL + "/hostile": model.ErrTooComplex, srv.URL + "/image": model.ErrBinary}
	if rep.New != 1 || rep.Failed != 2 || extracted.Load() != 1 || len(sink.failed) != 2 ||
		sink.failed[srv.URL+"/hostile"] != want[srv.URL+"/hostile"] || sink.failed[srv.URL+"/image"] != want[srv.URL+"/image"] {
		t.Errorf("run %v, %d extracted, failed %v; want the fine page stored and failed %v", rep, extracted.Load(), sink.failed, want)
	}
	for u, kind := range want {
		page := strings.TrimPrefix(u, srv.URL)
		_, err := c.extract(context.Background(), "s", pages[page], "text/html", u, nil)
		if kindOf(err) != kind || !strings.Contains(err.Error(), u) {
			t.Errorf("%s: %v; want a %s error naming the page", page, err, kind)
		}
	}
}

// An extraction that passes ExtractTimeout is given up as failed, and
// keeps its slots until it really ends: abandoned extractions cannot pile
// up beyond ExtractWorkers.
func TestExtractTimeoutKeepsTheSlot(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, shortRSS(srv.URL, "/stall")) })
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>stall</html>") })
	c, _, sink := newTestCrawler(t)
	c.opts.ExtractTimeout = 50 * time.Millisecond
	release, ended := make(chan struct{}), make(chan struct{})
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		defer close(ended)
		<-release
		return &extract.Result{Text: "late"}, nil
	}
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	if rep.Failed != 1 || sink.failed[srv.URL+"/stall"] != model.ErrExtractTimeout || len(sink.docs) != 0 {
		t.Errorf("run %v, failed %v; want /stall failed as %s", rep, sink.failed, model.ErrExtractTimeout)
	}
	if len(c.extracting) != 1 || len(c.share("s")) != 1 {
		t.Errorf("after giving up: %d extraction slots and %d of the source's held; want the abandoned one holding 1 and 1",
			len(c.extracting), len(c.share("s")))
	}
	close(release)
	<-ended
}

// While one source's pages hold its share of the extraction workers,
// another source's articles are extracted and stored in full.
func TestOneSourceCannotTakeAllExtractWorkers(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	slow := []string{"/slow/1", "/slow/2", "/slow/3", "/slow/4"}
	small := []string{"/small/1", "/small/2", "/small/3"}
	mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, shortRSS(srv.URL, slow...)) })
	mux.HandleFunc("/small.xml", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, shortRSS(srv.URL, small...)) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>page</html>") })

	c, _, sink := newTestCrawler(t)
	c.extracting = make(chan struct{}, 2) // a share of one per source
	c.opts.ExtractTimeout = time.Hour     // slow pages stay slow: no timeout frees their slots
	smallCtx, stopSmall := context.WithCancel(context.Background())
	defer stopSmall()
	var (
		mu            sync.Mutex
		slowNow, most int
		started       = make(chan struct{}, len(slow))
		release       = make(chan struct{})
	)
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		if strings.Contains(u, "/slow/") {
			mu.Lock()
			slowNow++
			most = max(most, slowNow)
			if slowNow > 1 {
				stopSmall() // the slow source took more than its share: the small one would wait for ever
			}
			mu.Unlock()
			started <- struct{}{}
			<-release
			mu.Lock()
			slowNow--
			mu.Unlock()
		}
		return &extract.Result{Title: "t", Text: "text of " + u}, nil
	}
	slowDone := make(chan Report)
	go func() {
		slowDone <- c.Run(context.Background(), model.Source{ID: "slow", Type: model.SourceFeed, URL: srv.URL + "/slow.xml", Every: time.Hour})
	}()
	<-started // the slow source holds an extraction worker
	rep := c.Run(smallCtx, model.Source{ID: "small", Type: model.SourceFeed, URL: srv.URL + "/small.xml", Every: time.Hour})
	if rep.Err != nil || rep.New != len(small) {
		t.Errorf("small source beside a slow one: %v; want all %d stored", rep, len(small))
	}
	close(release)
	slowRep := <-slowDone
	if slowRep.New != len(slow) || most != 1 || len(sink.docs) != len(slow)+len(small) {
		t.Errorf("slow source: %v, at most %d extractions at once; want all %d stored, one at a time", slowRep, most, len(slow))
	}
}
