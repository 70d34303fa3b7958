package archive

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// regzip replaces the member at off..off+n of the file at path by the
// same record, changed by edit and compressed again: gzip stays valid, so
// only the WARC checks can see the change.
func regzip(t *testing.T, path string, off, n int64, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b[off : off+n]))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var m bytes.Buffer
	zw := gzip.NewWriter(&m)
	zw.Write(edit(plain))
	zw.Close()
	out := append(append(append([]byte{}, b[:off]...), m.Bytes()...), b[off+n:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// changePayloadKeepBlockDigest changes the last byte of a response's body
// and writes the block digest anew, so only WARC-Payload-Digest is wrong.
func changePayloadKeepBlockDigest(p []byte) []byte {
	p[len(p)-5] ^= 0x20
	head := bytes.Index(p, []byte("\r\n\r\n")) + 4
	field := []byte("WARC-Block-Digest: sha256:")
	i := bytes.Index(p, field) + len(field)
	copy(p[i:i+64], sha(p[head:len(p)-4]))
	return p
}

func TestVerifyFindsDamage(t *testing.T) {
	type want struct {
		kind    ProblemKind
		record  int // index of the record whose member holds the problem
		records int // valid records Verify still counts
	}
	for desc, tc := range map[string]struct {
		damage func(t *testing.T, path string, rs []rec)
		want   want
	}{
		"a payload byte changed, gzip redone": {func(t *testing.T, path string, rs []rec) {
			regzip(t, path, rs[4].off, rs[4].length, func(p []byte) []byte {
				i := bytes.Index(p, []byte("</title>"))
				p[i-1] ^= 0x20
				return p
			})
		}, want{BadDigest, 4, 6}},
		"only the payload digest wrong": {func(t *testing.T, path string, rs []rec) {
			regzip(t, path, rs[4].off, rs[4].length, changePayloadKeepBlockDigest)
		}, want{BadDigest, 4, 6}},
		"a request header byte changed, gzip redone": {func(t *testing.T, path string, rs []rec) {
			regzip(t, path, rs[1].off, rs[1].length, func(p []byte) []byte {
				return bytes.Replace(p, []byte("GET /0 "), []byte("GET /9 "), 1)
			})
		}, want{BadDigest, 1, 6}},
		"a compressed byte flipped": {func(t *testing.T, path string, rs []rec) {
			b, _ := os.ReadFile(path)
			b[rs[4].off+rs[4].length/2] ^= 0x01
			os.WriteFile(path, b, 0o644)
		}, want{BadGzip, 4, 6}},
		"a Content-Length longer than the block": {func(t *testing.T, path string, rs []rec) {
			regzip(t, path, rs[2].off, rs[2].length, func(p []byte) []byte {
				return bytes.Replace(p, []byte("Content-Length: "), []byte("Content-Length: 100000000000"), 1)
			})
		}, want{Malformed, 2, 6}},
		"garbage between members": {func(t *testing.T, path string, rs []rec) {
			b, _ := os.ReadFile(path)
			out := append(append(append([]byte{}, b[:rs[3].off]...), "junk"...), b[rs[3].off:]...)
			os.WriteFile(path, out, 0o644)
		}, want{BadGzip, 3, 7}},
		"two records in one member": {func(t *testing.T, path string, rs []rec) {
			b, _ := os.ReadFile(path)
			regzip(t, path, rs[5].off, rs[5].length, func(p []byte) []byte {
				zr, _ := gzip.NewReader(bytes.NewReader(b[rs[6].off : rs[6].off+rs[6].length]))
				next, _ := io.ReadAll(zr)
				return append(p, next...)
			})
		}, want{Malformed, 5, 6}},
	} {
		t.Run(desc, func(t *testing.T) {
			dir := t.TempDir()
			locs := writeThree(t, dir)
			path := filepath.Join(dir, locs[0].File)
			rs := records(t, path)
			tc.damage(t, path, rs)
			rep, err := Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if rep.First == nil {
				t.Fatal("Verify found nothing")
			}
			if rep.First.Kind != tc.want.kind || rep.First.Offset != rs[tc.want.record].off || rep.Valid != rs[tc.want.record].off {
				t.Errorf("first problem %v, valid to %d; want %s at %d", rep.First, rep.Valid, tc.want.kind, rs[tc.want.record].off)
			}
			if rep.Records != tc.want.records {
				t.Errorf("%d valid records, want %d", rep.Records, tc.want.records)
			}
			if _, err := ReadResponse(path, locs[0].Offset); tc.want.record > 2 && err != nil {
				t.Errorf("the exchange before the damage does not read: %v", err)
			}
		})
	}
}

func TestCopyExchangeRefuses(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, Options{})
	var locs []Location
	for i := range 2 {
		loc, err := w.WriteExchange(testExchange(fmt.Sprintf("https://news.example/%d", i), htmlBody(5<<10)))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	meta, err := w.WriteMetadata("https://news.example/0", locs[0].RecordID, [][2]string{{"archived-at", "https://web.archive.org/web/2026/https://news.example/0"}})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	path := filepath.Join(dir, locs[0].File)
	rs := records(t, path)
	a, b := locs[0], locs[1]
	for desc, loc := range map[string]Location{
		"an offset inside a member":          {File: a.File, Offset: a.Offset + 1, Length: a.Length - 1},
		"the response alone":                 {File: a.File, Offset: rs[2].off, Length: rs[2].length, RecordID: a.RecordID},
		"the request alone":                  {File: a.File, Offset: a.Offset, Length: rs[1].length},
		"one byte short":                     {File: a.File, Offset: a.Offset, Length: a.Length - 1},
		"a length running into the next":     {File: a.File, Offset: a.Offset, Length: a.Length + rs[3].length},
		"two exchanges":                      {File: a.File, Offset: a.Offset, Length: a.Length + b.Length},
		"another exchange's record id":       {File: a.File, Offset: a.Offset, Length: a.Length, RecordID: b.RecordID},
		"the warcinfo and the request":       {File: a.File, Offset: 0, Length: rs[0].length + rs[1].length},
		"a response and the next request":    {File: a.File, Offset: rs[2].off, Length: rs[2].length + rs[3].length},
		"a metadata record":                  meta,
		"a negative offset":                  {File: a.File, Offset: -1, Length: a.Length},
		"past the end":                       {File: a.File, Offset: a.Offset, Length: 1 << 40},
		"a length of zero":                   {File: a.File, Offset: a.Offset},
		"an offset past the end of the file": {File: a.File, Offset: 1 << 40, Length: 10},
	} {
		var out bytes.Buffer
		err := CopyExchange(&out, path, loc)
		if err == nil {
			t.Errorf("%s: copied", desc)
		}
		if out.Len() != 0 {
			t.Errorf("%s: %d bytes written before the refusal", desc, out.Len())
		}
	}
	if err := CopyExchange(io.Discard, path, b); err != nil {
		t.Errorf("the second exchange: %v", err)
	}
	if _, err := ReadResponse(path, rs[2].off); err != nil {
		t.Errorf("ReadResponse at the response itself: %v", err)
	}
	for desc, off := range map[string]int64{"warcinfo": 0, "metadata": meta.Offset, "mid-member": a.Offset + 7, "past the end": 1 << 40} {
		if _, err := ReadResponse(path, off); err == nil {
			t.Errorf("ReadResponse at %s: no error", desc)
		}
	}
}

func TestDirRefusesPathsOutside(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "warc")
	locs := writeThree(t, dir)
	outside := filepath.Join(root, "secret.warc.gz")
	os.WriteFile(outside, []byte("secret"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link.warc.gz")); err != nil {
		t.Fatal(err)
	}
	d := Dir(dir)
	for _, name := range []string{"../secret.warc.gz", "..", outside, "sub/../../secret.warc.gz", "link.warc.gz", "", "x.txt", `..\secret.warc.gz`} {
		if _, err := d.Verify(name); err == nil {
			t.Errorf("Verify(%q) read a file", name)
		}
		if _, err := d.ReadResponse(name, 0); err == nil {
			t.Errorf("ReadResponse(%q) read a file", name)
		}
		loc := locs[0]
		loc.File = name
		if err := d.CopyExchange(io.Discard, loc); err == nil {
			t.Errorf("CopyExchange(%q) read a file", name)
		}
	}
	if rep, err := d.Verify(locs[0].File); err != nil || !rep.OK() {
		t.Errorf("Verify of a file in the folder: %v %v", err, rep.First)
	}
	if err := d.CopyExchange(io.Discard, locs[1]); err != nil {
		t.Errorf("CopyExchange of an exchange in the folder: %v", err)
	}
}

// TestHostileSizesAreBounded: a record claiming 100 GB, and a member
// inflating past MaxRecordSize, are problems found quickly, not
// allocations.
func TestHostileSizesAreBounded(t *testing.T) {
	dir := t.TempDir()
	member := func(plain []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(plain)
		zw.Close()
		return b.Bytes()
	}
	head := "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\nWARC-Date: 2026-12-02T09:15:00Z\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
	defer func(n int64) { maxInflate = n }(maxInflate)
	maxInflate = 4 << 20 // as MaxRecordSize, but quick under -race
	bomb := make([]byte, maxInflate+1<<20)
	copy(bomb, fmt.Sprintf(head, len(bomb)))
	for desc, tc := range map[string]struct {
		data []byte
		kind ProblemKind
	}{
		"a claim of 100 GB":                 {member([]byte(fmt.Sprintf(head, int64(100)<<30) + "tiny\r\n\r\n")), Malformed},
		"a member inflating past the limit": {member(bomb), TooLarge},
	} {
		t.Run(desc, func(t *testing.T) {
			path := filepath.Join(dir, "hostile.warc.gz")
			os.WriteFile(path, tc.data, 0o644)
			start := time.Now()
			rep, err := Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if rep.First == nil || rep.First.Kind != tc.kind {
				t.Errorf("Verify: %v, want %s", rep.First, tc.kind)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("Verify took %v", d)
			}
			if _, err := ReadResponse(path, 0); err == nil || !strings.Contains(err.Error(), string(tc.kind)) {
				t.Errorf("ReadResponse: %v", err)
			}
			if err := CopyExchange(io.Discard, path, Location{Offset: 0, Length: int64(len(tc.data))}); !errors.Is(err, ErrNotExchange) && err == nil {
				t.Errorf("CopyExchange: %v", err)
			}
		})
	}
}
