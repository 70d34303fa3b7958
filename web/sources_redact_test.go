package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// A source URL's credentials, and those in its last error, appear neither
// on the sources page nor in the API.
func TestSourcesHideCredentials(t *testing.T) {
	ctx := context.Background()
	const secretURL = "https://reader:s3cr3t@intranet.example/feed.xml?token=s3cr3t&lang=ru"
	sources := []model.Source{{ID: "intranet", Name: "Intranet", Type: model.SourceFeed, URL: secretURL,
		Stance: model.StanceUnknown, Every: time.Hour, Keep: model.KeepAll}}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, sources); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSourceState(ctx, model.SourceState{SourceID: "intranet", LastFetch: pagesNow, ErrorKind: model.ErrHTTPStatus,
		LastStatus: 500, Failures: 1, Error: "fetch: GET " + secretURL + ": server answered 500 Internal Server Error"}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenMem(index.WithSources(sources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return pagesNow }})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/sources", "/api/sources"} {
		t.Run(path, func(t *testing.T) {
			res, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if strings.Contains(body, "s3cr3t") || strings.Contains(body, "reader") {
				t.Errorf("%s shows the credentials:\n%s", path, body)
			}
			if n := strings.Count(body, "REDACTED@intranet.example/feed.xml?token=REDACTED"); n != 2 {
				t.Errorf("%s shows the redacted URL %d times, want 2 (the URL and the error):\n%s", path, n, body)
			}
		})
	}
}
