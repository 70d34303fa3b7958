package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Damage is a file Open found cut or broken. The caller logs it; the
// records before Offset are all whole and readable.
type Damage struct {
	File    string // base name in the archive folder
	Offset  int64  // where the whole records end
	Records int    // whole records before Offset
	Reason  string
	// Cut is how many bytes of a cut tail were moved out of the file, into
	// File+".cut-"+Offset beside it (not a .warc.gz, so replay tools skip
	// it), leaving a valid file; 0 when the file was left as it was.
	Cut int64
}

func (d Damage) String() string {
	s := fmt.Sprintf("%s: %s after %d whole records, at offset %d", d.File, d.Reason, d.Records, d.Offset)
	if d.Cut > 0 {
		s += fmt.Sprintf("; the last %d bytes were moved to %s.cut-%d", d.Cut, d.File, d.Offset)
	}
	return s
}

// checkDir checks the n most recently written files of dir that no live
// writer holds.
func checkDir(dir string, n int) ([]Damage, error) {
	names, err := warcFiles(dir)
	if err != nil {
		return nil, err
	}
	type cand struct {
		name string
		mod  time.Time
	}
	var cands []cand
	for _, name := range names {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			cands = append(cands, cand{name, st.ModTime()})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := b.mod.Compare(a.mod); c != 0 {
			return c
		}
		return strings.Compare(b.name, a.name)
	})
	var damage []Damage
	for _, c := range cands {
		if n == 0 {
			break
		}
		d, checked := checkFile(filepath.Join(dir, c.name))
		if checked {
			n--
		}
		if d != nil {
			damage = append(damage, *d)
		}
	}
	return damage, nil
}

// checkFile scans one file's framing (gzip members and record
// boundaries; digests are Verify's work). A cut tail is moved aside and
// the file truncated to its last whole record; other damage is only
// reported, since records after it may still be whole.
func checkFile(path string) (*Damage, bool) {
	name := filepath.Base(path)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return &Damage{File: name, Reason: "cannot be checked: " + err.Error()}, false
	}
	defer func() { _ = f.Close() }()
	if ok, err := tryLock(f); !ok {
		if err != nil {
			return &Damage{File: name, Reason: "cannot be checked: " + err.Error()}, false
		}
		return nil, false // another process is writing it
	}
	st, err := f.Stat()
	if err != nil {
		return &Damage{File: name, Reason: "cannot be checked: " + err.Error()}, false
	}
	if st.Size() == 0 {
		return &Damage{File: name, Reason: "empty file, no warcinfo"}, true
	}
	if tailWhole(f, st.Size()) {
		return nil, true
	}
	// Something is wrong near the end: walk the whole file to know where
	// its whole records end and how many there are.
	s := newScanner(f, 0, st.Size(), false)
	defer s.close()
	records, end := 0, int64(0)
	for {
		r, err := s.next()
		if errors.Is(err, io.EOF) {
			return nil, true
		}
		var p *Problem
		if errors.As(err, &p) {
			d := &Damage{File: name, Offset: end, Records: records, Reason: p.Error()}
			if p.Kind == Truncated && nextMember(f, p.Offset, st.Size()) >= 0 {
				// Not a crash: a corrupt member reads on into whole
				// records after it. Leave the file as it is.
				d.Reason = fmt.Sprintf("corrupt gzip member at offset %d, whole records after it", p.Offset)
			} else if p.Kind == Truncated {
				if cerr := cutTail(f, path, end, st.Size()); cerr != nil {
					d.Reason += "; the tail could not be moved aside: " + cerr.Error()
				} else {
					d.Cut = st.Size() - end
				}
			}
			return d, true
		}
		if err != nil {
			return &Damage{File: name, Offset: end, Records: records, Reason: "cannot be read: " + err.Error()}, true
		}
		records++
		end = r.Offset + r.Length
	}
}

// cutTail copies the bytes from end to size into path.cut-<end>, syncs
// it, and only then truncates the file at end: no byte is lost.
func cutTail(f *os.File, path string, end, size int64) error {
	side, err := os.OpenFile(path+".cut-"+strconv.FormatInt(end, 10), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(side, io.NewSectionReader(f, end, size-end))
	if err == nil {
		err = side.Sync()
	}
	if cerr := side.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := f.Truncate(end); err != nil {
		return err
	}
	return f.Sync()
}

// tailWhole reports whether the file ends with whole records, looking
// only at its end, so that the check at Open costs milliseconds, not a
// walk through a GiB. It tries gzip member starts from the end backwards:
// the first from which members read cleanly to the end of the file
// answers yes; one from which whole records read and then the file ends
// inside a member answers no. A start that fails at once may be the cut
// member itself, or compressed bytes that look like a start: try the one
// before. With no answer in the last 64 MiB it says no, and the caller
// walks the whole file.
func tailWhole(f io.ReaderAt, size int64) bool {
	const window, maxTries = 64 << 20, 1000
	magic := []byte{0x1f, 0x8b, 0x08}
	tries := 0
	buf := make([]byte, 1<<20)
	for hi := size; hi > 0 && size-hi < window; {
		lo := max(0, hi-int64(len(buf)))
		n, err := f.ReadAt(buf[:hi-lo], lo)
		if err != nil && !errors.Is(err, io.EOF) {
			return false
		}
		chunk := buf[:n]
		for j := len(chunk); j > 0; {
			i := bytes.LastIndex(chunk[:j], magic)
			if i < 0 {
				break
			}
			if tries++; tries > maxTries {
				return false
			}
			switch whole, cut := readsToEnd(f, lo+int64(i), size); {
			case whole:
				return true
			case cut:
				return false
			}
			j = i
		}
		if lo == 0 {
			return false
		}
		hi = lo + int64(len(magic)) - 1 // a start may straddle chunks
	}
	return false
}

// readsToEnd reads the members from at to size: whole when they all read
// cleanly, cut when whole records were read and then the file ended inside
// a member.
func readsToEnd(f io.ReaderAt, at, size int64) (whole, cut bool) {
	s := newScanner(f, at, size, false)
	defer s.close()
	for n := 0; ; n++ {
		_, err := s.next()
		if errors.Is(err, io.EOF) {
			return n > 0, false
		}
		if err != nil {
			var p *Problem
			return false, n > 0 && errors.As(err, &p) && p.Kind == Truncated
		}
	}
}
