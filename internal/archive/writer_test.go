package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// rec is one record of a file as the tests see it.
type rec struct {
	typ, id, concurrentTo, uri string
	off, length                int64
}

// records lists the records of a valid file, failing on any problem.
func records(t *testing.T, path string) []rec {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	s := newScanner(f, 0, st.Size(), true)
	defer s.close()
	var out []rec
	for {
		r, err := s.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		h := r.rec.WarcHeader()
		out = append(out, rec{r.typ(), r.id(), h.Get("WARC-Concurrent-To"), h.Get("WARC-Target-URI"), r.Offset, r.Length})
	}
}

func TestRotationBySize(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, Options{MaxSize: 100 << 10})
	var locs []Location
	for i := range 12 {
		loc, err := w.WriteExchange(testExchange(fmt.Sprintf("https://news.example/%d", i), htmlBody(100<<10)))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, err := warcFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 3 {
		t.Fatalf("%d files after 12 exchanges of ~28 KiB compressed with MaxSize 100 KiB, want several", len(names))
	}
	exchanges := 0
	for _, name := range names {
		rs := records(t, filepath.Join(dir, name))
		if len(rs) < 3 || rs[0].typ != "warcinfo" {
			t.Errorf("%s does not open with warcinfo and hold an exchange: %v", name, rs)
			continue
		}
		exchanges += (len(rs) - 1) / 2
		st, _ := os.Stat(filepath.Join(dir, name))
		if last := rs[len(rs)-1]; st.Size() > 100<<10 && len(rs) > 3 {
			t.Errorf("%s is %d bytes with %d exchanges, over MaxSize", name, st.Size(), (len(rs)-1)/2)
		} else if last.off+last.length != st.Size() {
			t.Errorf("%s: records end at %d, file at %d", name, last.off+last.length, st.Size())
		}
	}
	if exchanges != 12 {
		t.Errorf("%d exchanges in the files, want 12", exchanges)
	}
	for i, loc := range locs {
		c, err := ReadResponse(filepath.Join(dir, loc.File), loc.Offset)
		if err != nil || c.TargetURI != fmt.Sprintf("https://news.example/%d", i) {
			t.Errorf("exchange %d at %+v: %v", i, loc, err)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, Options{MaxSize: 64 << 10})
	const workers, each = 8, 25
	locs := make([][]Location, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				u := fmt.Sprintf("https://news.example/%d/%d", g, i)
				loc, err := w.WriteExchange(testExchange(u, htmlBody(2<<10+g*100+i)))
				if err != nil {
					t.Error(err)
					return
				}
				locs[g] = append(locs[g], loc)
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	reps, err := VerifyDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	responses := 0
	for _, rep := range reps {
		if !rep.OK() {
			t.Errorf("%v", rep)
		}
		rs := records(t, rep.Path)
		for i := 1; i < len(rs); i += 2 {
			if rs[i].typ != "request" || i+1 >= len(rs) || rs[i+1].typ != "response" || rs[i+1].concurrentTo != rs[i].id || rs[i+1].uri != rs[i].uri {
				t.Fatalf("%s: records %d and %d are not a request and its response", filepath.Base(rep.Path), i, i+1)
			}
			responses++
		}
	}
	if responses != workers*each {
		t.Errorf("%d responses, want %d", responses, workers*each)
	}
	for g := range workers {
		for i, loc := range locs[g] {
			c, err := ReadResponse(filepath.Join(dir, loc.File), loc.Offset)
			if err != nil || c.TargetURI != fmt.Sprintf("https://news.example/%d/%d", g, i) || c.RecordID != loc.RecordID {
				t.Fatalf("exchange %d/%d at %+v: %v", g, i, loc, err)
			}
		}
	}
}

// writeThree writes three exchanges into a closed file and returns them.
func writeThree(t *testing.T, dir string) []Location {
	t.Helper()
	w := openTest(t, dir, Options{})
	var locs []Location
	for i := range 3 {
		loc, err := w.WriteExchange(testExchange(fmt.Sprintf("https://news.example/%d", i), htmlBody(20<<10)))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return locs
}

func TestOpenFindsCutTail(t *testing.T) {
	for desc, tc := range map[string]struct {
		cut     int64 // bytes cut from the end; -1: one byte of a next member left
		records int
	}{
		"cut inside the last response": {100, 6},
		"cut inside a gzip trailer":    {3, 6},
		"cut leaving one header byte":  {-1, 7},
	} {
		cut := tc.cut
		t.Run(desc, func(t *testing.T) {
			dir := t.TempDir()
			locs := writeThree(t, dir)
			last := locs[2]
			path := filepath.Join(dir, last.File)
			keep := last.Offset + last.Length - cut // bytes the crash left
			respOff := records(t, path)[6].off
			if cut < 0 {
				// the crash wrote one byte of a fourth exchange
				f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
				f.Write([]byte{0x1f})
				f.Close()
				keep = last.Offset + last.Length + 1
				respOff = keep - 1
			} else if err := os.Truncate(path, keep); err != nil {
				t.Fatal(err)
			}

			rep, err := Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if rep.First == nil || rep.First.Kind != Truncated || rep.First.Offset != respOff {
				t.Fatalf("Verify: %v, want truncated at %d", rep.First, respOff)
			}

			w, damage, err := Open(dir, Options{Hostname: "testhost"})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if len(damage) != 1 {
				t.Fatalf("damage %v, want one", damage)
			}
			d := damage[0]
			if d.File != last.File || d.Offset != respOff || d.Records != tc.records || d.Cut != keep-respOff {
				t.Errorf("damage %+v, want %s at %d after %d records, %d bytes cut", d, last.File, respOff, tc.records, keep-respOff)
			}
			if w.File() == last.File {
				t.Error("Open went on writing the damaged file")
			}
			side, err := os.ReadFile(fmt.Sprintf("%s.cut-%d", path, respOff))
			if err != nil || int64(len(side)) != keep-respOff {
				t.Errorf("the cut tail was not kept beside the file: %v", err)
			}
			mustVerify(t, path)
			for _, loc := range locs[:2] {
				if _, err := ReadResponse(path, loc.Offset); err != nil {
					t.Errorf("an earlier exchange no longer reads: %v", err)
				}
			}
		})
	}
}

// TestOpenLeavesMidFileDamage: Open looks for a cut tail; damage inside a
// file is Verify's to find, and Open must never cut whole records away
// because of it, also when the tail is cut as well.
func TestOpenLeavesMidFileDamage(t *testing.T) {
	// A flipped bit in a member may look like anything to inflate, even a
	// member running on to the end of the file: try several places.
	for k := int64(1); k <= 8; k++ {
		for _, cutToo := range []bool{false, true} {
			t.Run(fmt.Sprintf("flip at %d/9 of the response, tail cut %v", k, cutToo), func(t *testing.T) {
				dir := t.TempDir()
				locs := writeThree(t, dir)
				path := filepath.Join(dir, locs[0].File)
				resp := records(t, path)[2]
				b, _ := os.ReadFile(path)
				b[resp.off+resp.length*k/9] ^= 0x04
				if cutToo {
					b = b[:len(b)-50]
				}
				os.WriteFile(path, b, 0o644)

				w, damage, err := Open(dir, Options{Hostname: "testhost"})
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
					t.Fatalf("Open changed a file damaged in its middle; damage %v", damage)
				}
				if cutToo && (len(damage) != 1 || damage[0].Offset != resp.off || damage[0].Records != 2) {
					t.Errorf("damage %v, want the file reported, 2 records before %d", damage, resp.off)
				}
				rep, _ := Verify(path)
				if want := 6 - b2i(cutToo); rep.Records != want || rep.First == nil || rep.First.Offset != resp.off {
					t.Errorf("Verify: %d records, first problem %v; want %d and the damage at %d", rep.Records, rep.First, want, resp.off)
				}
			})
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestOpenLeavesALiveWritersFile(t *testing.T) {
	dir := t.TempDir()
	w1 := openTest(t, dir, Options{})
	if _, err := w1.WriteExchange(testExchange("https://news.example/a", htmlBody(4<<10))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, w1.File())
	// As if w1 were in the middle of a write.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{0x1f, 0x8b, 8, 0})
	f.Close()
	before, _ := os.ReadFile(path)
	w2, damage, err := Open(dir, Options{Hostname: "testhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if len(damage) != 0 {
		t.Errorf("Open reported a file another writer holds: %v", damage)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("Open changed a file another writer holds")
	}
	if w2.File() == w1.File() {
		t.Error("two writers share a file")
	}
}

// disk is a disk with room bytes left, shared by the files on it.
type disk struct {
	mu        sync.Mutex
	room      int64
	truncFail bool
}

func (d *disk) set(room int64, truncFail bool) {
	d.mu.Lock()
	d.room, d.truncFail = room, truncFail
	d.mu.Unlock()
}

// fullDisk is a file on d.
type fullDisk struct {
	*os.File
	d *disk
}

func (f fullDisk) WriteAt(p []byte, off int64) (int, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if int64(len(p)) <= f.d.room {
		f.d.room -= int64(len(p))
		return f.File.WriteAt(p, off)
	}
	n, _ := f.File.WriteAt(p[:f.d.room], off) // a short write, as the kernel does
	f.d.room = 0
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (f fullDisk) Truncate(size int64) error {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if f.d.truncFail {
		return &os.PathError{Op: "truncate", Path: f.Name(), Err: syscall.EIO}
	}
	return f.File.Truncate(size)
}

func TestFullDisk(t *testing.T) {
	for desc, truncFail := range map[string]bool{
		"truncate works: the file is cut back and reused": false,
		"truncate fails too: the file is left for a new":  true,
	} {
		t.Run(desc, func(t *testing.T) {
			dir := t.TempDir()
			d := &disk{room: 16 << 10, truncFail: truncFail}
			opts := Options{Hostname: "testhost", Version: "1", create: func(path string) (file, error) {
				f, err := createFile(path)
				if err != nil {
					return nil, err
				}
				return fullDisk{File: f.(*os.File), d: d}, nil
			}}
			w, _, err := Open(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			first, err := w.WriteExchange(testExchange("https://news.example/ok", htmlBody(2<<10)))
			if err != nil {
				t.Fatal(err)
			}
			big := testExchange("https://news.example/big", htmlBody(200<<10))
			_, err = w.WriteExchange(big)
			if err == nil || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("write on a full disk: %v, want ENOSPC", err)
			}
			want := "archive: write " + first.File + ": no space left on device"
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q, want it to begin %q", err, want)
			}
			rep, err := Verify(filepath.Join(dir, first.File))
			if err != nil {
				t.Fatal(err)
			}
			if end := first.Offset + first.Length; truncFail {
				// The partial write stays: the whole request member that
				// fitted, then the cut response; the next Open moves the
				// cut member aside.
				if rep.Records != 4 || rep.First == nil || rep.First.Kind != Truncated || rep.First.Offset <= end {
					t.Errorf("Verify: %d records, %v; want 4 and a cut tail after %d", rep.Records, rep.First, end)
				}
			} else if !rep.OK() || rep.Records != 3 || rep.Size != end {
				t.Errorf("the failed write was not cut back to %d: %v", end, rep)
			}

			d.set(1<<20, false)
			again, err := w.WriteExchange(big)
			if err != nil {
				t.Fatalf("the write after room was made: %v", err)
			}
			if sameFile := again.File == first.File; sameFile == truncFail {
				t.Errorf("retry went to %s (first in %s); with truncate failing=%v", again.File, first.File, truncFail)
			}
			if !truncFail && again.Offset != first.Offset+first.Length {
				t.Errorf("retry at %d, want right after the first exchange at %d", again.Offset, first.Offset+first.Length)
			}
			w.Close()
			mustVerify(t, filepath.Join(dir, again.File))
			if truncFail {
				w2, damage, err := Open(dir, Options{Hostname: "testhost", CheckFiles: 3})
				if err != nil {
					t.Fatal(err)
				}
				w2.Close()
				if len(damage) != 1 || damage[0].File != first.File || damage[0].Cut == 0 {
					t.Errorf("the next Open found %v, want the abandoned file's tail cut", damage)
				}
			}
			mustVerify(t, filepath.Join(dir, first.File))
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	w := openTest(t, t.TempDir(), Options{})
	ok := testExchange("https://news.example/a", []byte("x"))
	for desc, ex := range map[string]Exchange{
		"a relative URL":        func() Exchange { e := ok; e.URL = "/a"; return e }(),
		"no status":             func() Exchange { e := ok; e.Status = 0; return e }(),
		"a body on a 304":       func() Exchange { e := ok; e.Status = 304; return e }(),
		"an IP that is not one": func() Exchange { e := ok; e.IP = "not-an-ip"; return e }(),
	} {
		if _, err := w.WriteExchange(ex); err == nil {
			t.Errorf("%s: written", desc)
		}
	}
	w.Close()
	if _, err := w.WriteExchange(ok); !errors.Is(err, ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
