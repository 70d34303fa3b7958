package ingest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

const body = `Police opened fire on striking oil workers in the square of Zhanaozen on Friday, witnesses said.
The authorities said the strikers had attacked the police and set fire to the town hall and other buildings.
Independent reporters could not reach the town, where the mobile network and the internet were cut off.`

// readerV1 and readerV2 are two extractors of one page: the newer one also
// keeps the photo caption in the middle of the text.
func readerV1(html []byte, u string) (*extract.Result, error) {
	return &extract.Result{Title: "Shooting in Zhanaozen", Text: body, Lang: "en"}, nil
}

func readerV2(html []byte, u string) (*extract.Result, error) {
	lines := strings.Split(body, "\n")
	text := lines[0] + "\nPhoto: the square of Zhanaozen on the morning after the shooting, taken by a resident.\n" + strings.Join(lines[1:], "\n")
	return &extract.Result{Title: "Shooting in Zhanaozen", Text: text, Lang: "en"}, nil
}

// TestANewerExtractorIsNoEdit: a revisit whose text differs only because
// presswatch now reads the page otherwise adds no version, since the
// stored text's own archived page read again gives the same.
func TestANewerExtractorIsNoEdit(t *testing.T) {
	for name, withArchive := range map[string]bool{"the archive tells": true, "without the archive it cannot tell": false} {
		t.Run(name, func(t *testing.T) {
			outcome, versions := revisitWithNewerExtractor(t, withArchive)
			want, wantVersions := model.RevisitUnchanged, 1
			if !withArchive {
				want, wantVersions = model.RevisitEdited, 2
			}
			if outcome != want || versions != wantVersions {
				t.Errorf("outcome %s with %d versions, want %s with %d", outcome, versions, want, wantVersions)
			}
		})
	}
}

func revisitWithNewerExtractor(t *testing.T, withArchive bool) (model.RevisitOutcome, int) {
	ctx := context.Background()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Shooting</title><link>%s/a</link></item></channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><body><p>page</p></body></html>")
	})
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, _, err := archive.Open(filepath.Join(dir, "warc"), archive.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, MinDelay: time.Millisecond, Archive: w})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour, Keep: model.KeepAll, Stance: model.StanceUnknown}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	in := ingest.New(st, nil, nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c1, _ := crawler.New(crawler.Options{Fetcher: f, Sink: in, State: st, Log: log, Extract: readerV1})
	if rep := c1.Run(ctx, src); rep.New != 1 {
		t.Fatalf("crawl: %v", rep)
	}
	c2, _ := crawler.New(crawler.Options{Fetcher: f, Sink: in, State: st, Log: log, Extract: readerV2})
	if withArchive {
		in.SetReextract(func(ctx context.Context, id int64) (string, string, error) {
			fe, err := st.Fetch(ctx, id)
			if err != nil {
				return "", "", err
			}
			return c2.Reextract(ctx, archive.Dir(filepath.Join(dir, "warc")), fe)
		})
	}
	var got model.RevisitOutcome
	rep, err := c2.RevisitPass(ctx, in, []model.Source{src}, model.RevisitQuery{Now: time.Now(), All: true}, 1,
		func(_ model.DueRevisit, o model.RevisitOutcome, err error) { got = o })
	if err != nil || rep.Due != 1 {
		t.Fatalf("revisit: %+v, %v", rep, err)
	}
	a, err := st.ArticleByURL(ctx, srv.URL+"/a")
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := st.Versions(ctx, a.ID)
	return got, len(vs)
}
