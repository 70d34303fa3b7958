package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"presswatch/internal/archive"
)

// TestWriteImportWARC reads a small generated file back as an import
// does: every record whole (digests and lengths right), the mix as
// counted, and the size reached.
func TestWriteImportWARC(t *testing.T) {
	var pages []farmPage
	for i := range 40 {
		body := fmt.Sprintf("<!doctype html><html><head><title>Article %d</title></head><body><article><h1>Article %d</h1><p>%s</p></article></body></html>", i, i, strings.Repeat("Words of the article. ", 200))
		pages = append(pages, farmPage{url: fmt.Sprintf("http://127.0.0.1:8080/news/%d", i), ctype: "text/html; charset=utf-8", body: []byte(body)})
	}
	const size = 12 << 20
	file, mix, err := writeImportWARC(filepath.Join(t.TempDir(), "w"), pages, size)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	types := map[string]int{}
	pages200, records := 0, 0
	for e, err := range archive.Entries(f, file) {
		if err != nil {
			t.Fatalf("a generated record does not read: %v", err)
		}
		records++
		types[e.Type]++
		if e.Type == "response" && e.Status == 200 && strings.HasPrefix(e.Header.Get("Content-Type"), "text/html") {
			pages200++
		}
	}
	want := warcMix{pages: 40, dups: 2, redirects: 4, missing: 4, metadata: 6}
	if mix.pages != want.pages || mix.dups != want.dups || mix.redirects != want.redirects || mix.missing != want.missing || mix.metadata != want.metadata {
		t.Errorf("mix %+v, want %+v", mix, want)
	}
	if records != mix.records {
		t.Errorf("read %d records, the writer counted %d", records, mix.records)
	}
	if pages200 != mix.pages+mix.dups {
		t.Errorf("%d HTML responses of status 200, want %d", pages200, mix.pages+mix.dups)
	}
	if types["metadata"] != mix.metadata || types["warcinfo"] != 1 || types["request"] != types["response"] {
		t.Errorf("records by type %v, mix %+v", types, mix)
	}
	if mix.binaries == 0 || mix.size < size-(2<<20) || mix.size > size+(5<<20) {
		t.Errorf("%d binaries, file of %d bytes; want about %d", mix.binaries, mix.size, size)
	}
}
