package archive

import (
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
