package archive

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRepair puts hostile bytes in an archive folder as a .warc.gz file
// left by a crash and opens the folder, as presswatch does at start. Open
// never fails or panics for it; a cut tail is moved aside without losing
// a byte (file and side file together are the old file) and leaves a
// file Verify finds whole with the records Open counted; other damage
// leaves the file as it was. An exchange written after that reads back.
func FuzzRepair(f *testing.F) {
	dir := f.TempDir()
	w, _, err := Open(dir, Options{Hostname: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	var locs []Location
	for i := range 2 {
		loc, err := w.WriteExchange(testExchange(fmt.Sprintf("https://news.example/%d", i), htmlBody(300+i*200)))
		if err != nil {
			f.Fatal(err)
		}
		locs = append(locs, loc)
	}
	w.Close()
	seed, err := os.ReadFile(filepath.Join(dir, locs[0].File))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)-9])                                     // cut in the last member
	f.Add(seed[:locs[1].Offset+locs[1].Length/2])                 // cut in the second exchange
	f.Add(append(bytes.Clone(seed[:locs[1].Offset]), 0x1f, 0x8b)) // a member's first bytes only
	f.Add([]byte{})

	defer func(n int64) { maxInflate = n }(maxInflate)
	maxInflate = 1 << 20
	body := htmlBody(400)
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%d bytes took %v", len(data), d)
			}
		}()
		dir := t.TempDir()
		old := filepath.Join(dir, "crashed.warc.gz")
		if err := os.WriteFile(old, data, 0o644); err != nil {
			t.Fatal(err)
		}
		w, damage, err := Open(dir, Options{Hostname: "fuzz"})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer w.Close()
		now, err := os.ReadFile(old)
		if err != nil {
			t.Fatal(err)
		}
		var cut *Damage
		for i, d := range damage {
			if d.Offset < 0 || d.Offset > int64(len(data)) || d.Records < 0 || d.File != "crashed.warc.gz" {
				t.Fatalf("damage %+v for %d bytes", d, len(data))
			}
			if d.Cut > 0 {
				cut = &damage[i]
			}
		}
		if cut == nil {
			if !bytes.Equal(now, data) {
				t.Fatalf("the file changed (%d bytes to %d) with no cut reported: %v", len(data), len(now), damage)
			}
		} else {
			side, err := os.ReadFile(fmt.Sprintf("%s.cut-%d", old, cut.Offset))
			if err != nil {
				t.Fatalf("the cut tail: %v", err)
			}
			if int64(len(now)) != cut.Offset || int64(len(side)) != cut.Cut || !bytes.Equal(append(now, side...), data) {
				t.Fatalf("cut %+v: file %d bytes and side file %d, of %d", cut, len(now), len(side), len(data))
			}
			if rep, err := Verify(old); err != nil || !rep.OK() || rep.Records != cut.Records {
				t.Fatalf("after the cut %+v: %+v, %v", cut, rep, err)
			}
		}
		loc, err := w.WriteExchange(testExchange("https://news.example/after", body))
		if err != nil {
			t.Fatalf("writing after Open: %v", err)
		}
		if loc.File == "crashed.warc.gz" {
			t.Fatal("the new exchange went into the crashed file")
		}
		c, err := ReadResponse(filepath.Join(dir, loc.File), loc.Offset)
		if err != nil || c.Status != 200 || !bytes.Equal(c.Payload, body) || c.TargetURI != "https://news.example/after" {
			t.Fatalf("reading back what was written: %+v, %v", c, err)
		}
	})
}
