package archive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// testdata/wget.warc.gz was written by GNU Wget 1.25 (wget -r -l1
// --warc-file) from a site served on 127.0.0.1: a warcinfo record, a
// request and a response for /, /robots.txt (404), /news/strike.html and
// /news/trial.html, and wget's metadata records.
func readWget(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/wget.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type seen struct {
	entries []*Entry
	errs    []error
}

func entries(b []byte) seen {
	var s seen
	for e, err := range Entries(bytes.NewReader(b), "x.warc.gz") {
		if err != nil {
			s.errs = append(s.errs, err)
			continue
		}
		s.entries = append(s.entries, e)
	}
	return s
}

func (s seen) responses() map[string]*Entry {
	m := map[string]*Entry{}
	for _, e := range s.entries {
		if e.Type == "response" {
			m[e.TargetURI] = e
		}
	}
	return m
}

func TestEntriesOfAnotherToolsWARC(t *testing.T) {
	s := entries(readWget(t))
	if len(s.errs) > 0 {
		t.Fatalf("errors reading wget's file: %v", s.errs)
	}
	var types []string
	for _, e := range s.entries {
		types = append(types, e.Type)
	}
	want := "warcinfo request response request response request response request response metadata"
	if got := strings.Join(types, " "); !strings.HasPrefix(got, want) {
		t.Errorf("record types %q, want them to start %q", got, want)
	}
	resp := s.responses()
	strike := resp["http://127.0.0.1:18777/news/strike.html"]
	if strike == nil || strike.Status != 200 || !bytes.Contains(strike.Payload, []byte("<h1>Strike in Zhanaozen</h1>")) ||
		strike.Date.Year() != 2026 || !strings.HasPrefix(strike.RecordID, "<urn:uuid:") || strike.Header.Get("Content-Type") == "" {
		t.Errorf("the strike page's response: %+v", strike)
	}
	if r := resp["http://127.0.0.1:18777/robots.txt"]; r == nil || r.Status != 404 {
		t.Errorf("robots.txt's response: %+v", r)
	}
}

// gunzipAll inflates every member of a .warc.gz into one .warc.
func gunzipAll(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A damaged record is reported with the file and its offset, and the
// records after it are still read.
func TestEntriesReportDamageAndGoOn(t *testing.T) {
	plain := gunzipAll(t, readWget(t))
	if s := entries(plain); len(s.errs) > 0 || len(s.responses()) != 4 {
		t.Fatalf("the uncompressed file: %d responses, errors %v", len(s.responses()), s.errs)
	}
	t.Run("a digest that does not match", func(t *testing.T) {
		b := bytes.Replace(plain, []byte("<h1>Strike in Zhanaozen</h1>"), []byte("<h1>Strike in Zhanaozeh</h1>"), 1)
		s := entries(b)
		resp := s.responses()
		if len(s.errs) != 1 || !strings.Contains(s.errs[0].Error(), "x.warc.gz: the record at byte") || !strings.Contains(strings.ToLower(s.errs[0].Error()), "digest") {
			t.Errorf("errors %v, want one naming the file, the offset and the digest", s.errs)

		}
		if resp["http://127.0.0.1:18777/news/strike.html"] != nil || resp["http://127.0.0.1:18777/news/trial.html"] == nil {
			t.Errorf("responses read: %v; want the altered one refused and the next one read", keys(resp))
		}
	})
	t.Run("cut short", func(t *testing.T) {
		i := bytes.Index(plain, []byte("Lawyer sentenced"))
		s := entries(plain[:i])
		resp := s.responses()
		if len(s.errs) == 0 || resp["http://127.0.0.1:18777/news/strike.html"] == nil || resp["http://127.0.0.1:18777/news/trial.html"] != nil {
			t.Errorf("a file cut in the last page: responses %v, errors %v", keys(resp), s.errs)
		}
	})
	t.Run("a corrupt gzip member", func(t *testing.T) {
		gz := readWget(t)
		// Find the member holding the strike page and spoil its middle.
		members := memberStarts(t, gz)
		var at int
		for i, start := range members {
			end := len(gz)
			if i+1 < len(members) {
				end = members[i+1]
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz[start:end]))
			if err != nil {
				continue
			}
			zr.Multistream(false)
			body, _ := io.ReadAll(zr)
			if bytes.Contains(body, []byte("WARC-Type: response")) && bytes.Contains(body, []byte("Target-URI: <http://127.0.0.1:18777/news/strike.html>")) {
				at = start + (end-start)/2
				break
			}
		}
		if at == 0 {
			t.Fatal("no member holds the strike page's response")
		}
		b := append([]byte(nil), gz...)
		for i := at; i < at+16; i++ {
			b[i] ^= 0x5a
		}
		s := entries(b)
		resp := s.responses()
		if len(s.errs) == 0 || resp["http://127.0.0.1:18777/news/strike.html"] != nil || resp["http://127.0.0.1:18777/news/trial.html"] == nil {
			t.Errorf("a spoilt member: responses %v, errors %v; want it reported and the next page read", keys(resp), s.errs)
		}
	})
	t.Run("not a WARC file", func(t *testing.T) {
		s := entries([]byte("<html><body>a page</body></html>"))
		if len(s.entries) != 0 || len(s.errs) != 1 {
			t.Errorf("a page read as WARC: %d records, errors %v", len(s.entries), s.errs)
		}
	})
}

func keys(m map[string]*Entry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// memberStarts finds where each gzip member of b starts, by inflating
// them one at a time.
func memberStarts(t *testing.T, b []byte) []int {
	t.Helper()
	var starts []int
	r := bytes.NewReader(b)
	for r.Len() > 0 {
		start := len(b) - r.Len()
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		if _, err := io.Copy(io.Discard, zr); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, start)
	}
	return starts
}

// EntriesWith reads only the payloads it is asked for; the others'
// records come without one, and reading goes on past them.
func TestEntriesWithReadsOnlyWantedPayloads(t *testing.T) {
	var got []string
	for e, err := range EntriesWith(bytes.NewReader(readWget(t)), "x.warc.gz", func(e *Entry) bool {
		return strings.HasSuffix(e.TargetURI, "/strike.html")
	}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == "response" {
			got = append(got, fmt.Sprintf("%s %d", e.TargetURI, len(e.Payload)))
		}
	}
	want := []string{"http://127.0.0.1:18777/ 0", "http://127.0.0.1:18777/robots.txt 0", "http://127.0.0.1:18777/news/strike.html 1439", "http://127.0.0.1:18777/news/trial.html 0"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("responses read: %q, want %q", got, want)
	}
}
