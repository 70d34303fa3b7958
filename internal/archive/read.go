package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// ErrNotExchange is returned (wrapped) when a location does not point at
// a request record followed by its response record.
var ErrNotExchange = errors.New("not a request and response pair")

// Capture is what an "archived copy" page shows of a response record.
type Capture struct {
	TargetURI     string
	Date          time.Time // WARC-Date
	RecordID      string    // <urn:uuid:...>
	IP            string    // WARC-IP-Address, when recorded
	Status        int
	Header        http.Header
	Payload       []byte // the body as stored (see doc.go)
	PayloadSHA256 string // hex, computed from Payload and checked against WARC-Payload-Digest
}

// ReadResponse reads the exchange whose request record is at offset in
// the file at path (or the response record itself at offset) and returns
// its response. Every digest of what it reads is checked.
func ReadResponse(path string, offset int64) (*Capture, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("archive: read: %w", err)
	}
	defer func() { _ = f.Close() }()
	return readResponse(f, filepath.Base(path), offset)
}

func readResponse(f *os.File, name string, offset int64) (*Capture, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("archive: read %s: %w", name, err)
	}
	if offset < 0 || offset >= st.Size() {
		return nil, fmt.Errorf("archive: read %s at %d: offset outside the file of %d bytes", name, offset, st.Size())
	}
	s := newScanner(f, offset, st.Size(), true)
	defer s.close()
	r, err := s.next()
	if err != nil {
		return nil, readErr(name, offset, err)
	}
	if r.typ() == "request" {
		reqID := r.id()
		if r, err = s.next(); err != nil {
			return nil, readErr(name, offset, err)
		}
		if !linked(reqID, r) {
			return nil, fmt.Errorf("archive: read %s at %d: %w: the next record is not its response", name, offset, ErrNotExchange)
		}
	}
	if r.typ() != "response" {
		return nil, fmt.Errorf("archive: read %s at %d: %w: a %s record", name, offset, ErrNotExchange, r.typ())
	}
	c, err := capture(r.rec)
	if err != nil {
		return nil, fmt.Errorf("archive: read %s at %d: %w", name, offset, err)
	}
	return c, nil
}

// linked reports whether resp is the response of the request reqID.
func linked(reqID string, resp scanned) bool {
	return resp.typ() == "response" && slices.Contains(resp.rec.WarcHeader().GetAll(gowarc.WarcConcurrentTo), reqID)
}

func capture(rec gowarc.WarcRecord) (*Capture, error) {
	h := rec.WarcHeader()
	block, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok || block.HttpStatusCode() == 0 {
		return nil, errors.New("the response record holds no HTTP response")
	}
	pr, err := block.PayloadBytes()
	if err != nil {
		return nil, err
	}
	payload, err := io.ReadAll(io.LimitReader(pr, MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(payload)
	c := &Capture{
		TargetURI:     h.Get(gowarc.WarcTargetURI),
		RecordID:      h.Get(gowarc.WarcRecordID),
		IP:            h.Get(gowarc.WarcIPAddress),
		Status:        block.HttpStatusCode(),
		Payload:       payload,
		PayloadSHA256: hex.EncodeToString(sum[:]),
	}
	if hh := block.HttpHeader(); hh != nil {
		c.Header = hh.Clone()
	}
	if d := h.Get(gowarc.WarcPayloadDigest); d != "" {
		if want, err := hexDigest(d); err == nil && want != c.PayloadSHA256 {
			return nil, fmt.Errorf("payload digest %s does not match the payload (sha256:%s)", d, c.PayloadSHA256)
		}
	}
	if c.Date, err = time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcDate)); err != nil {
		return nil, fmt.Errorf("WARC-Date: %w", err)
	}
	return c, nil
}

func readErr(name string, offset int64, err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("archive: read %s at %d: %w: no record there", name, offset, ErrNotExchange)
	}
	return fmt.Errorf("archive: read %s at %d: %w", name, offset, err)
}

// CopyExchange copies the request and response gzip members at loc in
// the file at path to w, byte for byte: they are a valid .warc.gz on their
// own. It first reads them through, checking every digest, that they are
// exactly one request and its response filling loc.Offset..+loc.Length,
// and that the response's id is loc.RecordID (when set); anything else is
// refused before a byte is written.
func CopyExchange(w io.Writer, path string, loc Location) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("archive: copy: %w", err)
	}
	defer func() { _ = f.Close() }()
	return copyExchange(w, f, filepath.Base(path), loc)
}

func copyExchange(w io.Writer, f *os.File, name string, loc Location) error {
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("archive: copy %s: %w", name, err)
	}
	bad := func(why string) error {
		return fmt.Errorf("archive: copy %s at %d+%d: %w: %s", name, loc.Offset, loc.Length, ErrNotExchange, why)
	}
	if loc.Offset < 0 || loc.Length <= 0 || loc.Length > 2*(MaxRecordSize+1<<20) || loc.Offset > st.Size()-loc.Length {
		return bad("outside the file")
	}
	s := newScanner(f, loc.Offset, loc.Offset+loc.Length, true)
	defer s.close()
	req, err := s.next()
	if err != nil {
		return readErr(name, loc.Offset, err)
	}
	if req.typ() != "request" {
		return bad("the first record is a " + req.typ())
	}
	reqID := req.id()
	resp, err := s.next()
	if errors.Is(err, io.EOF) {
		return bad("the length ends after the request")
	}
	if err != nil {
		return readErr(name, loc.Offset, err)
	}
	if !linked(reqID, resp) {
		return bad("the second record is not the request's response")
	}
	if loc.RecordID != "" && resp.id() != loc.RecordID {
		return bad("the response is " + resp.id() + ", not " + loc.RecordID)
	}
	if _, err := s.next(); !errors.Is(err, io.EOF) {
		return bad("more follows the response within the length")
	}
	if _, err := io.Copy(w, io.NewSectionReader(f, loc.Offset, loc.Length)); err != nil {
		return fmt.Errorf("archive: copy %s: %w", name, err)
	}
	return nil
}

// Dir is the archive folder, for readers given a file name from outside
// (a fetch row, a request): the name must be a plain *.warc.gz name, and
// the file is opened through os.OpenInRoot, so neither ".." nor a
// symbolic link leads out of the folder.
type Dir string

func (d Dir) open(name string) (*os.File, error) {
	if name == "" || name != filepath.Base(name) || !filepath.IsLocal(name) ||
		strings.ContainsAny(name, `/\`) || !strings.HasSuffix(name, ".warc.gz") {
		return nil, fmt.Errorf("archive: %q is not a WARC file name", name)
	}
	f, err := os.OpenInRoot(string(d), name)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return f, nil
}

// Verify is Verify for the file name in d.
func (d Dir) Verify(name string) (FileReport, error) {
	f, err := d.open(name)
	if err != nil {
		return FileReport{Path: name}, err
	}
	defer func() { _ = f.Close() }()
	return verifyFile(f, name)
}

// ReadResponse is ReadResponse for the file name in d.
func (d Dir) ReadResponse(name string, offset int64) (*Capture, error) {
	f, err := d.open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return readResponse(f, name, offset)
}

// CopyExchange is CopyExchange for the file loc.File in d.
func (d Dir) CopyExchange(w io.Writer, loc Location) error {
	f, err := d.open(loc.File)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return copyExchange(w, f, loc.File, loc)
}
