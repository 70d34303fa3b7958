package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/web"
)

// TestImportWgetsWARC imports a WARC file written by a tool that is not
// presswatch (GNU Wget, crawling a site served on 127.0.0.1) and finds its
// pages: searchable, filed as captures another tool made, with the
// capture's time and record on the article's page and in its JSON, apart
// from when presswatch read them. Importing the file again adds nothing.
func TestImportWgetsWARC(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wget")
	}
	wget, err := exec.LookPath("wget")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
			t.Fatal("wget is not installed (.ci/run installs it)")
		}
		t.Skip("wget is not installed")
	}
	body := strings.Repeat("The oil workers of Zhanaozen went on strike in May 2011 for higher wages; the quillback strike went on for months. ", 5)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><head><title>News</title></head><body><a href="/2011/strike.html">Strike</a></body></html>`)
		case "/2011/strike.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>Strike in Zhanaozen</title><meta property="article:published_time" content="2011-06-02T10:00:00+05:00"></head>
<body><article><h1>Strike in Zhanaozen</h1><p>%s</p><p>%s</p></article></body></html>`, body, body)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wget, "--no-proxy", "-q", "-r", "-l", "1", "--warc-file="+filepath.Join(dir, "site"),
		"--no-warc-keep-log", "-P", filepath.Join(dir, "files"), site.URL+"/")
	cmd.Env = append(os.Environ(), "http_proxy=", "https_proxy=")
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(err.Error(), "exit status 8") { // 8: a 404 (robots.txt)
		t.Fatalf("wget: %v\n%s", err, out)
	}
	warc := filepath.Join(dir, "site.warc.gz")

	data := t.TempDir()
	_, errOut := presswatch(t, 0, "import", "--data", data, "--source", "saved", warc)
	if !strings.Contains(errOut, "1 files: 1 new, 0 updated, 0 unchanged, 0 failed") {
		t.Fatalf("import of wget's WARC:\n%s", errOut)
	}
	r := searchJSON(t, data, "quillback")
	if r.Total != 1 || r.Hits[0].URL != site.URL+"/2011/strike.html" || r.Hits[0].Published == nil || r.Hits[0].Published.Format("2006-01-02") != "2011-06-02" {
		t.Fatalf("search after the import: %+v", r)
	}
	_, errOut = presswatch(t, 0, "import", "--data", data, "--source", "saved", warc)
	if !strings.Contains(errOut, "1 files: 0 new, 0 updated, 1 unchanged, 0 failed") {
		t.Errorf("importing the file again:\n%s", errOut)
	}

	base, stop := startServe(t, quietConfig(t), data)
	defer stop()
	res, err := http.Get(fmt.Sprintf("%s/api/articles/%d", base, r.Hits[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	var a web.ArticleJSON
	err = json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	if err != nil || a.Provenance != "archive" || a.Capture == nil || a.Capture.At.IsZero() ||
		!strings.HasPrefix(a.Capture.Record, "file://"+filepath.ToSlash(warc)+"#<urn:uuid:") || a.Fetch == nil || a.Fetch.At.Before(a.Capture.At) {
		t.Errorf("the article's JSON: provenance %q, capture %+v, fetch %+v (%v)", a.Provenance, a.Capture, a.Fetch, err)
	}
	res, err = http.Get(fmt.Sprintf("%s/articles/%d", base, r.Hits[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "Captured by another tool") || !strings.Contains(string(page), "urn:uuid:") {
		t.Errorf("the article page does not show the capture:\n%s", page)
	}
}
