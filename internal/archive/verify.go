package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// FileReport is what Verify found in one file.
type FileReport struct {
	Path    string
	Size    int64
	Records int            // records read whole, valid, with matching digests
	Types   map[string]int // those records by WARC-Type
	Digests int            // block and payload digests recomputed and matched
	// Valid is how many bytes from the start hold only valid records: the
	// offset of the first problem, or Size.
	Valid    int64
	Problems int      // records with a problem; Verify reads on past a bad record in an intact gzip member
	First    *Problem // the first problem; nil when the file is valid
}

// OK reports whether the file was read to its end without a problem.
func (r FileReport) OK() bool { return r.First == nil }

func (r FileReport) String() string {
	types := make([]string, 0, len(r.Types))
	for t, n := range r.Types {
		types = append(types, fmt.Sprintf("%s %d", t, n))
	}
	slices.Sort(types)
	s := fmt.Sprintf("%s: %d records (%s), %d digests checked", r.Path, r.Records, strings.Join(types, ", "), r.Digests)
	if r.First != nil {
		s += fmt.Sprintf("; %d problems, the first: %v", r.Problems, r.First)
	}
	return s
}

// Verify reads every record of the .warc.gz file at path, checks that
// each gzip member holds one valid WARC record, and recomputes every
// block and payload digest. The returned error is for a file that cannot
// be read at all; what is wrong inside it is in the report.
func Verify(path string) (FileReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileReport{Path: path}, fmt.Errorf("archive: verify: %w", err)
	}
	defer func() { _ = f.Close() }()
	return verifyFile(f, path)
}

func verifyFile(f *os.File, path string) (FileReport, error) {
	rep := FileReport{Path: path, Types: map[string]int{}}
	st, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("archive: verify %s: %w", path, err)
	}
	rep.Size = st.Size()
	rep.Valid = rep.Size
	s := newScanner(f, 0, rep.Size, true)
	defer func() { s.close() }()
	for {
		r, err := s.next()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		var p *Problem
		if errors.As(err, &p) {
			rep.Problems++
			if rep.First == nil {
				rep.First, rep.Valid = p, p.Offset
			}
			if s.broken {
				// The framing is lost: go on at the next whole member, if any.
				at := nextMember(f, p.Offset, rep.Size)
				if at < 0 {
					return rep, nil
				}
				if p.Kind == Truncated {
					p.Kind, p.Err = BadGzip, fmt.Errorf("corrupt gzip member: it runs on to the end of the file, and whole records follow at offset %d", at)
				}
				s.close()
				s = newScanner(f, at, rep.Size, true)
			}
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("archive: verify %s: %w", path, err)
		}
		rep.Records++
		rep.Types[r.typ()]++
		for _, d := range []string{gowarc.WarcBlockDigest, gowarc.WarcPayloadDigest} {
			if r.rec.WarcHeader().Has(d) {
				rep.Digests++
			}
		}
	}
}

// VerifyDir verifies every .warc.gz file directly in dir, in name order
// (which is the order they were written in).
func VerifyDir(dir string) ([]FileReport, error) {
	names, err := warcFiles(dir)
	if err != nil {
		return nil, err
	}
	reps := make([]FileReport, 0, len(names))
	for _, name := range names {
		rep, err := Verify(filepath.Join(dir, name))
		if err != nil {
			return reps, err
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// warcFiles lists the regular .warc.gz files of dir, sorted by name.
func warcFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".warc.gz") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}
