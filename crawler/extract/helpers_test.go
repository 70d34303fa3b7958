package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"presswatch/crawler/fetch"
)

// readPage reads the gzipped page dir/name.gz and decodes it to UTF-8
// with the crawler's own decoder (the saved pages have no HTTP header, so
// only what the page declares counts).
func readPage(t testing.TB, dir, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	page, _, err := fetch.DecodeHTML(raw, "text/html")
	if err != nil && page == nil {
		t.Fatalf("%s: %v", name, err)
	}
	return page
}
