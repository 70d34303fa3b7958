package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzVerify feeds hostile bytes to every reader: Verify, ReadResponse,
// CopyExchange and the check at Open. None may panic; what one accepts
// the others must agree with; memory stays within maxInflate a record.
func FuzzVerify(f *testing.F) {
	dir := f.TempDir()
	w, _, err := Open(filepath.Join(dir, "seed"), Options{Hostname: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	loc, err := w.WriteExchange(testExchange("https://news.example/a", htmlBody(600)))
	if err != nil {
		f.Fatal(err)
	}
	w.Close()
	seed, err := os.ReadFile(filepath.Join(dir, "seed", loc.File))
	if err != nil {
		f.Fatal(err)
	}
	exchange := seed[loc.Offset : loc.Offset+loc.Length]
	f.Add(seed)
	f.Add(exchange)
	f.Add(seed[:len(seed)-7])
	f.Add(append(append([]byte{}, exchange...), 0x1f, 0x8b))
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})

	defer func(n int64) { maxInflate = n }(maxInflate)
	maxInflate = 1 << 20
	path := filepath.Join(dir, "fuzz.warc.gz")
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%d bytes took %v", len(data), d)
			}
		}()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(path)
		if err != nil {
			t.Fatalf("Verify of a readable file: %v", err)
		}
		if rep.Valid > rep.Size || (rep.OK() && rep.Valid != int64(len(data))) {
			t.Fatalf("report %+v for %d bytes", rep, len(data))
		}
		c, err := ReadResponse(path, 0)
		if err == nil && rep.First != nil && rep.First.Offset == 0 {
			t.Fatalf("ReadResponse accepted what Verify refused at 0: %v", rep.First)
		}
		if err == nil && c.Status == 0 {
			t.Fatal("a capture without status")
		}
		var out bytes.Buffer
		if err := CopyExchange(&out, path, Location{Offset: 0, Length: int64(len(data))}); err == nil {
			if !bytes.Equal(out.Bytes(), data) || !rep.OK() || rep.Records != 2 {
				t.Fatalf("CopyExchange accepted a file Verify reports as %v", rep)
			}
		}
		d, _ := checkFile(path)
		if d != nil && d.Cut > 0 {
			if after, _ := Verify(path); !after.OK() || after.Records != d.Records {
				t.Fatalf("after cutting the tail at %d: %v", d.Offset, after.First)
			}
		}
	})
}
