package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// closedPort returns a loopback address nothing listens on: a port taken
// and let go again.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func firstRunConfig(t *testing.T, feeds ...string) string {
	t.Helper()
	cfg := "allow_private_networks: true\ncrawl: {workers: 2, per_host: 1, min_delay: 2ms, timeout: 5s, connect_timeout: 2s}\nsources:\n"
	for i, u := range feeds {
		cfg += fmt.Sprintf("  - {id: s%d, type: feed, url: %q, every: 1h}\n", i, u)
	}
	path := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSourcesSaysWhenNoSourceCouldBeRead: after a crawl whose every source
// points at a closed port, presswatch sources ends by saying that no
// source could be read and what to do; after one where a source answers,
// it does not.
func TestSourcesSaysWhenNoSourceCouldBeRead(t *testing.T) {
	dead := "http://" + closedPort(t)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rss" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`)
	}))
	defer feed.Close()
	for name, tc := range map[string]struct {
		feeds []string
		want  bool
	}{
		"every source at a closed port": {[]string{dead + "/rss", dead + "/atom"}, true},
		"one source answers":            {[]string{dead + "/rss", feed.URL + "/rss"}, false},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, data := firstRunConfig(t, tc.feeds...), t.TempDir()
			run(t.Context(), []string{"crawl", "--config", cfg, "--data", data}, io.Discard, io.Discard) // fails when a source does
			out, _ := presswatch(t, 0, "sources", "--data", data)
			got := strings.Contains(out, "no source could be read")
			if got != tc.want {
				t.Fatalf("note shown %v, want %v; output:\n%s", got, tc.want, out)
			}
			if !tc.want {
				return
			}
			if i, j := strings.Index(out, "ID"), strings.Index(out, "no source could be read"); i < 0 || j < i {
				t.Errorf("the note is not after the table:\n%s", out)
			}
			for _, want := range []string{"check the network", "presswatch import FILE", "/import", "--config FILE"} {
				if !strings.Contains(out, want) {
					t.Errorf("the note lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
