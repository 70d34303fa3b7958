package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// fuzzSeeds are real files of every kind the importer reads: the fixture
// site's e-mail, mbox, feeds and pages, and the list post saved from the web.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, p := range []string{
		"lists/labor-l/2001-03-21-repression-in-kazakhstan.eml", "lists/labor-l/2001-03.mbox",
		"feed.rss", "atom.xml", "index.html",
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "site", p))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	for _, p := range []string{"testdata/mailing-list-web-archive.txt", "testdata/campaign-listing.txt"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// fuzzNames are the file names the fuzzer picks from: the name decides
// the reader as much as the content does.
var fuzzNames = []string{"in.mbox", "in.eml", "in.txt", "in.html", "in.rss", "in.json", "in"}

// FuzzDocuments feeds hostile files to every reader of an import (mbox,
// e-mail, feed, page, plain text) under each kind of name, within 2s. A
// file gives documents or an error naming it, never a panic and never
// neither; every document is filed as imported with the file's fetch
// record and has an address.
func FuzzDocuments(f *testing.F) {
	for i, b := range fuzzSeeds(f) {
		f.Add(b, uint8(i))
	}
	f.Add([]byte("From a Thu Mar 22 07:15:15 2001\nSubject: x\n\n>From b\nFrom c Fri Mar 23 07:15:15 2001\nDate: x\n\n"), uint8(0))
	f.Add([]byte("Content-Type: multipart/alternative; boundary=b\nSubject: =?koi8-r?B?8NLJ18XU?=\n\n--b\nContent-Type: text/html; charset=bogus\n\n<p>x\n--b--\n"), uint8(1))
	f.Add([]byte("\xff\xfeZ\x00h\x00\n\x00"), uint8(2))
	src := model.Source{ID: "fuzz"}
	at := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, pick uint8) {
		name := fuzzNames[int(pick)%len(fuzzNames)]
		opts := Options{Source: src, Now: func() time.Time { return at }}
		var docs []*model.Document
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			docs, err = documents(name, "upload:"+name, body, opts)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("%s: no answer within 2s", name)
		}
		if err != nil && !strings.Contains(err.Error(), "import: "+name+": ") {
			t.Fatalf("error %q does not name the file", err)
		}
		if err == nil && len(docs) == 0 {
			t.Fatal("neither documents nor an error")
		}
		sum := sha256.Sum256(body)
		for _, d := range docs {
			if d.URL == "" || d.Provenance != model.ProvenanceImport || d.SourceID != src.ID || d.Fetch == nil ||
				d.Fetch.SHA256 != hex.EncodeToString(sum[:]) || d.Fetch.URL != "upload:"+name || !d.Fetch.At.Equal(at) {
				t.Fatalf("document %+v, fetch %+v", d, d.Fetch)
			}
		}
	})
}

// mboxrdQuote escapes body for an mboxrd archive: one more ">" before
// every line that is ">"s and "From ".
var mboxrdQuote = regexp.MustCompile(`(?m)^(>*From )`)

// FuzzMbox writes an mboxrd archive of three messages whose subject and
// body the fuzzer chooses and reads it back: three documents, each with its
// subject, date and body, whatever "From " lines the body holds.
func FuzzMbox(f *testing.F) {
	f.Add("Repression in Kazakhstan", "Dear brothers and sisters\n\nFrom International Solidarity, 21 March 2001\n")
	f.Add("Re: x", ">From a\n>>From b\nFrom LABOR-L@YORKU.CA Thu Mar 22 07:15:15 2001\nDate: x\n\n")
	f.Add("", "\n\n")
	f.Fuzz(func(t *testing.T, subject, body string) {
		if !printableASCII(subject, false) || strings.Contains(subject, "=?") || !printableASCII(body, true) {
			t.Skip("the property is about ASCII text, which no charset changes")
		}
		var b strings.Builder
		day := time.Date(2001, 3, 21, 21, 6, 21, 0, time.UTC)
		for i := range 3 {
			at := day.Add(time.Duration(i) * 24 * time.Hour)
			fmt.Fprintf(&b, "From LABOR-L@YORKU.CA %s\nDate: %s\nSubject: %s %d\n\n%s\n\n",
				at.Format("Mon Jan _2 15:04:05 2006"), at.Format(time.RFC1123Z), subject, i, mboxrdQuote.ReplaceAllString(body, ">$1"))
		}
		docs, err := mbox([]byte(b.String()), "upload:in.mbox")
		if err != nil || len(docs) != 3 {
			t.Fatalf("%d messages, %v; want 3 from\n%s", len(docs), err, b.String())
		}
		for i, d := range docs {
			title := strings.TrimSpace(fmt.Sprintf("%s %d", subject, i))
			at := day.Add(time.Duration(i) * 24 * time.Hour)
			if d.Title != title || !d.Published.Equal(at) || d.DateSource != model.DateFromHeader ||
				d.URL != fmt.Sprintf("upload:in.mbox#%d", i+1) {
				t.Fatalf("message %d: title %q, date %v (%s), URL %s", i+1, d.Title, d.Published, d.DateSource, d.URL)
			}
			if strings.TrimSpace(d.Text) != strings.TrimSpace(body) {
				t.Fatalf("message %d: body %q, want %q", i+1, d.Text, body)
			}
		}
	})
}

// printableASCII reports whether s is printable ASCII, with line breaks
// when lines is set.
func printableASCII(s string, lines bool) bool {
	for _, c := range []byte(s) {
		if (c < ' ' || c > '~') && !(lines && c == '\n') {
			return false
		}
	}
	return true
}
