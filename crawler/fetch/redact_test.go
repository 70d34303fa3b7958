package fetch

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A failed fetch's error (logged, stored with the fetch and the source's
// health) names the URL without its credentials, while the server gets,
// and the archive keeps, the exact request.
func TestErrorsHideCredentials(t *testing.T) {
	var gotQuery, gotAuth string
	s := newServer(t, map[string]http.HandlerFunc{"/feed": func(w http.ResponseWriter, r *http.Request) {
		gotQuery, gotAuth = r.URL.RawQuery, r.Header.Get("Authorization")
		http.Error(w, "boom", http.StatusInternalServerError)
	}})
	rec := &recorder{}
	f := newFetcher(t, func(o *Options) { o.Archive = rec })
	u := strings.Replace(s.URL, "http://", "http://reader:s3cr3t@", 1) + "/feed?token=s3cr3t&lang=ru"
	r, err := f.Get(context.Background(), Request{URL: u, SourceID: "news"})
	if err == nil {
		t.Fatal("want an error for the 500 answer")
	}
	for name, text := range map[string]string{"the error": err.Error(), "Fetch.Error": r.Fetch.Error} {
		if strings.Contains(text, "s3cr3t") || !strings.Contains(text, "REDACTED@") || !strings.Contains(text, "token=REDACTED&lang=ru") {
			t.Errorf("%s = %q, want the URL redacted", name, text)
		}
	}
	if gotQuery != "token=s3cr3t&lang=ru" || gotAuth == "" {
		t.Errorf("server saw query %q, Authorization %q; want the exact request", gotQuery, gotAuth)
	}
	var archived []string
	for _, ex := range rec.got {
		archived = append(archived, ex.URL)
	}
	if len(archived) != 2 || archived[1] != u { // robots.txt, then the feed
		t.Errorf("archived %q; want robots.txt and the exact request URL %s", archived, u)
	}
}
