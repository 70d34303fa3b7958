package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// ProblemKind says what is wrong with a record.
type ProblemKind string

const (
	Truncated ProblemKind = "truncated" // the file ends inside a gzip member: a cut tail
	BadGzip   ProblemKind = "gzip"      // no gzip member where one should start, or corrupt compressed data
	BadDigest ProblemKind = "digest"    // a block or payload digest does not match the bytes
	Malformed ProblemKind = "malformed" // the member does not hold exactly one valid WARC record
	TooLarge  ProblemKind = "too-large" // a record inflates past MaxRecordSize
)

// Problem is the first thing wrong found in a file, at the offset of the
// gzip member that holds it.
type Problem struct {
	Offset int64
	Kind   ProblemKind
	Err    error
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%s record at offset %d: %v", p.Kind, p.Offset, p.Err)
}

func (p *Problem) Unwrap() error { return p.Err }

// maxInflate bounds the inflated bytes of one member: a record of
// MaxRecordSize and its headers. Tests lower it.
var maxInflate int64 = MaxRecordSize + 1<<20

var errTooLarge = errors.New("record inflates past the limit of " + strconv.Itoa(MaxRecordSize) + " bytes")

// readRecordOptions are gowarc's options for checking records: strict,
// with every digest recomputed, blocks cached in memory only (a record is
// bounded by MaxRecordSize before gowarc sees it, so no temporary files).
func readRecordOptions(strict bool) []gowarc.WarcRecordOption {
	if !strict {
		// Framing only, for the check at Open: records are found and
		// skipped, digests are not computed.
		return []gowarc.WarcRecordOption{
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
			gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
			gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
			gowarc.WithSkipParseBlock(),
		}
	}
	return []gowarc.WarcRecordOption{
		gowarc.WithStrictValidation(),
		gowarc.WithBufferMaxMemBytes(MaxRecordSize + 1<<20),
	}
}

// scanner walks the gzip members of a range of a file, one WARC record
// per member, and knows where each member starts and ends.
type scanner struct {
	base   int64
	cr     countingReader
	br     *bufio.Reader
	zr     *gzip.Reader
	lim    limitedReader
	ub     *bufio.Reader
	u      gowarc.Unmarshaler
	prev   gowarc.WarcRecord
	broken bool // the framing is lost: no further member can be found
}

// scanned is one record; rec is valid until the next call of next.
type scanned struct {
	Offset int64
	Length int64
	rec    gowarc.WarcRecord
}

func (r scanned) typ() string { return r.rec.WarcHeader().Get(gowarc.WarcType) }
func (r scanned) id() string  { return r.rec.WarcHeader().Get(gowarc.WarcRecordID) }

func newScanner(r io.ReaderAt, start, end int64, strict bool) *scanner {
	s := &scanner{base: start, u: newUnmarshaler(readRecordOptions(strict))}
	s.cr.r = io.NewSectionReader(r, start, end-start)
	s.br = bufio.NewReaderSize(&s.cr, 64<<10)
	s.ub = bufio.NewReaderSize(&s.lim, 64<<10)
	return s
}

func (s *scanner) pos() int64 { return s.base + s.cr.n - int64(s.br.Buffered()) }

func (s *scanner) close() {
	if s.prev != nil {
		_ = s.prev.Close()
		s.prev = nil
	}
}

// next returns the next record, io.EOF at the clean end of the range, a
// *Problem for bad content, or another error when the file cannot be read.
// After a BadDigest or Malformed problem in an intact gzip member next may
// be called again; after any other problem it returns io.EOF.
func (s *scanner) next() (scanned, error) {
	s.close()
	if s.broken {
		return scanned{}, io.EOF
	}
	off := s.pos()
	magic, err := s.br.Peek(2)
	if s.cr.err != nil {
		return scanned{}, s.cr.err
	}
	if len(magic) == 0 && errors.Is(err, io.EOF) {
		return scanned{}, io.EOF
	}
	if len(magic) < 2 {
		return scanned{}, s.stop(off, Truncated, errors.New("file ends in a gzip header"))
	}
	if magic[0] != 0x1f || magic[1] != 0x8b {
		return scanned{}, s.stop(off, BadGzip, errors.New("no gzip member starts here"))
	}
	if s.zr == nil {
		s.zr, err = gzip.NewReader(s.br)
	} else {
		err = s.zr.Reset(s.br)
	}
	if err != nil {
		return scanned{}, s.fail(off, err)
	}
	s.zr.Multistream(false)
	s.lim = limitedReader{r: s.zr, n: maxInflate}
	s.ub.Reset(&s.lim)

	if head, _ := s.ub.Peek(5); !bytes.Equal(head, []byte("WARC/")) {
		if s.lim.err != nil {
			return scanned{}, s.fail(off, s.lim.err)
		}
		return scanned{}, s.skip(off, Malformed, errors.New("gzip member does not start with a WARC record"))
	}
	rec, _, _, err := s.u.Unmarshal(s.ub)
	if err != nil {
		if rec != nil {
			_ = rec.Close()
		}
		return scanned{}, s.fail(off, err)
	}
	// The member must end with the record: reading on checks its CRC.
	if _, err := s.ub.ReadByte(); !errors.Is(err, io.EOF) {
		_ = rec.Close()
		if err == nil {
			return scanned{}, s.skip(off, Malformed, errors.New("data after the record in its gzip member"))
		}
		return scanned{}, s.fail(off, err)
	}
	s.prev = rec
	return scanned{Offset: off, Length: s.pos() - off, rec: rec}, nil
}

// fail classifies err, which ended the reading of the member at off.
func (s *scanner) fail(off int64, err error) error {
	if s.cr.err != nil {
		return s.cr.err
	}
	if s.lim.err != nil {
		err = s.lim.err
	}
	switch {
	case errors.Is(err, errTooLarge):
		return s.stop(off, TooLarge, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return s.stop(off, Truncated, fmt.Errorf("file ends inside the gzip member (%w)", io.ErrUnexpectedEOF))
	case s.lim.err != nil || isGzipErr(err):
		return s.stop(off, BadGzip, err)
	}
	var de *gowarc.DigestError
	if errors.As(err, &de) {
		return s.skip(off, BadDigest, err)
	}
	return s.skip(off, Malformed, err)
}

// isGzipErr: errors of the inflated stream come through s.lim; these
// are those of a gzip header read before it.
func isGzipErr(err error) bool {
	return errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum)
}

// stop records a problem after which no member can be found.
func (s *scanner) stop(off int64, kind ProblemKind, err error) error {
	s.broken = true
	return &Problem{Offset: off, Kind: kind, Err: err}
}

// skip records a problem inside an intact member and reads to its end,
// so the next record can be read; if the member turns out not to be
// intact, that is the problem reported.
func (s *scanner) skip(off int64, kind ProblemKind, err error) error {
	if _, derr := io.Copy(io.Discard, s.ub); derr != nil {
		return s.fail(off, derr)
	}
	return &Problem{Offset: off, Kind: kind, Err: err}
}

// countingReader counts what was read and keeps the first read error.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) && c.err == nil {
		c.err = err
	}
	return n, err
}

// limitedReader reads at most n bytes of inflated data, then fails with
// errTooLarge; it keeps the first error other than io.EOF it passed on.
type limitedReader struct {
	r   io.Reader
	n   int64
	err error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.n <= 0 {
		l.err = errTooLarge
		return 0, l.err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		l.err = err
	}
	return n, err
}

// nextMember finds the first offset after from where a gzip member
// holding a whole WARC record starts, or -1. It finds where records go on
// after damage, so a corrupt member is not taken for a cut tail. At most
// maxTries candidate starts are tried; past that it answers from+1, as if
// one were found, for callers use it to be careful.
func nextMember(r io.ReaderAt, from, size int64) int64 {
	const maxTries = 10000
	magic := []byte{0x1f, 0x8b, 0x08}
	buf := make([]byte, 1<<20)
	tries := 0
	for pos := from + 1; pos < size; {
		n, err := r.ReadAt(buf, pos)
		if n < len(magic) {
			return -1
		}
		chunk := buf[:n]
		for i := 0; ; {
			j := bytes.Index(chunk[i:], magic)
			if j < 0 {
				break
			}
			at := pos + int64(i+j)
			if tries++; tries > maxTries {
				return from + 1
			}
			if _, err := newScanner(r, at, size, false).next(); err == nil {
				return at
			}
			i += j + 1
		}
		if err != nil {
			return -1
		}
		pos += int64(n - len(magic) + 1)
	}
	return -1
}
