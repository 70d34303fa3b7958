package archive

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
	"golang.org/x/net/http/httpguts"
)

// MaxRecordSize bounds the uncompressed size of one record, for the writer
// (a larger exchange is refused) and for every reader (a record that
// claims or inflates to more is a problem, never an allocation). The
// crawler's own body cap is far below it.
const MaxRecordSize = 128 << 20

// dateLayout is WARC-Date with microseconds: WARC 1.1 allows fractions of
// a second, and six digits are what pywb and warcio parse.
const dateLayout = "2006-01-02T15:04:05.000000Z"

// recordOptions are gowarc's options for the records presswatch builds:
// every header field and block is validated (an invalid record is an
// error, never written), and the block and payload digests are SHA-256 in
// lowercase base16.
func recordOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithStrictValidation(),
		gowarc.WithBlockErrorPolicy(gowarc.ErrFail),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base16),
		gowarc.WithBufferMaxMemBytes(MaxRecordSize + 1<<20),
	}
}

// newRecordID returns a WARC-Record-ID as written: <urn:uuid:...>, a
// random (version 4) UUID.
func newRecordID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // never fails (crypto/rand)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return "<urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + ">"
}

// gowarcMu serialises the making of gowarc builders and unmarshalers:
// gowarc v3.1.0 sets a package variable of google/uuid
// (uuid.EnableRandPool) each time it builds its options, a data race
// when goroutines do it at once.
var gowarcMu sync.Mutex

func newRecordBuilder(rt gowarc.RecordType, opts []gowarc.WarcRecordOption) gowarc.WarcRecordBuilder {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewRecordBuilder(rt, opts...)
}

func newUnmarshaler(opts []gowarc.WarcRecordOption) gowarc.Unmarshaler {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewUnmarshaler(opts...)
}

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// member is one record, built, validated and gzip-compressed as one gzip
// member, ready to be written with the others of its write.
type member struct {
	data          []byte
	id            string
	payloadDigest string // the WARC-Payload-Digest value, if any
}

// buildMember builds a record (with a new id when id is empty) with gowarc's builder (which validates it
// and adds Content-Length and the digests) and compresses it as one gzip
// member into a fresh buffer.
func (w *Writer) buildMember(rt gowarc.RecordType, id string, fields [][2]string, block ...[]byte) (member, error) {
	size := 0
	for _, b := range block {
		size += len(b)
	}
	if size > MaxRecordSize {
		return member{}, fmt.Errorf("%s record of %d bytes is over the limit of %d", rt, size, MaxRecordSize)
	}
	rb := newRecordBuilder(rt, w.recOpts)
	if id == "" {
		id = newRecordID()
	}
	rb.AddWarcHeader(gowarc.WarcRecordID, id)
	for _, f := range fields {
		rb.AddWarcHeader(f[0], f[1])
	}
	for _, b := range block {
		if _, err := rb.Write(b); err != nil {
			_ = rb.Close()
			return member{}, err
		}
	}
	rec, _, err := rb.Build()
	if err != nil {
		return member{}, fmt.Errorf("%s record: %w", rt, err)
	}
	defer func() { _ = rec.Close() }()

	var buf bytes.Buffer
	buf.Grow(size/3 + 1024)
	zw := w.gzipWriter(&buf)
	defer w.gzPool.Put(zw)
	if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
		return member{}, fmt.Errorf("%s record: %w", rt, err)
	}
	if err := zw.Close(); err != nil {
		return member{}, fmt.Errorf("%s record: %w", rt, err)
	}
	return member{data: buf.Bytes(), id: id, payloadDigest: rec.WarcHeader().Get(gowarc.WarcPayloadDigest)}, nil
}

func (w *Writer) gzipWriter(buf *bytes.Buffer) *gzip.Writer {
	if zw, ok := w.gzPool.Get().(*gzip.Writer); ok {
		zw.Reset(buf)
		return zw
	}
	zw, _ := gzip.NewWriterLevel(buf, w.opts.GzipLevel) // level checked in Open
	return zw
}

// exchangeFields are the WARC fields request and response share.
func exchangeFields(ex Exchange, date time.Time, msgtype string) [][2]string {
	f := [][2]string{
		{gowarc.WarcTargetURI, ex.URL},
		{gowarc.WarcDate, formatDate(date)},
		{gowarc.ContentType, "application/http;msgtype=" + msgtype},
	}
	if ip := ipOnly(ex.IP); ip != "" {
		f = append(f, [2]string{gowarc.WarcIPAddress, ip})
	}
	return f
}

// ipOnly accepts "192.0.2.1", "2001:db8::1" or either with a port.
func ipOnly(s string) string {
	if s == "" {
		return ""
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	return strings.Trim(s, "[]")
}

// requestBlock reconstructs the request as sent: the request line with
// HTTP/1.1, Host first, then the other header fields sorted by name.
func requestBlock(ex Exchange, u *url.URL) []byte {
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	var b bytes.Buffer
	b.WriteString(method + " " + u.RequestURI() + " HTTP/1.1\r\n")
	h := ex.RequestHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	host := h.Get("Host")
	if host == "" {
		host = u.Host
	}
	h.Del("Host")
	writeField(&b, "Host", host)
	writeHeader(&b, h)
	b.WriteString("\r\n")
	return b.Bytes()
}

// responseHead reconstructs the status line and header of the response
// (see doc.go for what changes from what the server sent).
func responseHead(ex Exchange) ([]byte, error) {
	if ex.Status < 100 || ex.Status > 999 {
		return nil, fmt.Errorf("status %d is not an HTTP status", ex.Status)
	}
	proto := "HTTP/1.1"
	if ex.Proto == "HTTP/1.0" {
		proto = ex.Proto
	}
	reason := ex.Reason
	if reason == "" {
		reason = http.StatusText(ex.Status)
	}
	var b bytes.Buffer
	b.WriteString(proto + " " + strconv.Itoa(ex.Status) + " " + clean(reason) + "\r\n")
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Transfer-Encoding")
	if bodyAllowed(ex.Method, ex.Status) {
		h.Set("Content-Length", strconv.Itoa(len(ex.Body)))
	} else if len(ex.Body) > 0 {
		return nil, fmt.Errorf("a %d answer to %s has no body, but %d bytes were given", ex.Status, ex.Method, len(ex.Body))
	}
	writeHeader(&b, h)
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// bodyAllowed reports whether a response may carry a message body; when
// it may not, its Content-Length describes the resource and is kept.
func bodyAllowed(method string, status int) bool {
	return method != http.MethodHead && status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

func writeHeader(b *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			writeField(b, k, v)
		}
	}
}

// writeField writes one header line. A name that is not an HTTP token
// cannot be written and is left out; CR, LF and NUL in a value become
// spaces. Neither comes out of Go's HTTP client.
func writeField(b *bytes.Buffer, name, value string) {
	if !httpguts.ValidHeaderFieldName(name) {
		return
	}
	b.WriteString(name + ": " + clean(value) + "\r\n")
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return ' '
		}
		return r
	}, s)
}

// warcFields renders name: value lines, refusing what cannot be one.
func warcFields(fields [][2]string) ([]byte, error) {
	var b bytes.Buffer
	for _, f := range fields {
		if !httpguts.ValidHeaderFieldName(f[0]) {
			return nil, fmt.Errorf("field name %q is not a token", f[0])
		}
		if strings.ContainsAny(f[1], "\r\n\x00") {
			return nil, fmt.Errorf("field %s: value holds a line break", f[0])
		}
		b.WriteString(f[0] + ": " + f[1] + "\r\n")
	}
	return b.Bytes(), nil
}

// hexDigest turns a "sha256:<hex>" digest value into the bare hex.
func hexDigest(v string) (string, error) {
	alg, val, ok := strings.Cut(v, ":")
	if !ok || !strings.EqualFold(alg, "sha256") || len(val) != 64 {
		return "", errors.New("unexpected payload digest " + strconv.Quote(v))
	}
	return strings.ToLower(val), nil
}
