package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// readPage reads a gzipped page, from dir/cache/ or dir/eval/ or dir
// itself, and decodes it to UTF-8 as the crawler would.
func readPage(t testing.TB, dir, name string) []byte {
	t.Helper()
	var f *os.File
	var err error
	for _, sub := range []string{"cache", "eval", ""} {
		if f, err = os.Open(filepath.Join(dir, sub, name+".gz")); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
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
	enc, _, certain := charset.DetermineEncoding(raw, "text/html")
	if !certain && utf8.Valid(raw) {
		return raw // undeclared, and valid UTF-8: windows-1252 would be a bad guess
	}
	page, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return raw
	}
	return page
}
