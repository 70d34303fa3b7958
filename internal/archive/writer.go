package archive

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// DefaultMaxSize is the size at which a file is closed and the next one
// begun: the 1 GB the WARC 1.1 standard recommends (annex C). It keeps a
// file quick to copy, verify and index, and bounds what one damaged file
// can cost, without making thousands of files a year.
const DefaultMaxSize = 1 << 30

// DefaultGzipLevel is the compression level of each record's gzip member.
// Level 1 costs half the gzip CPU of level 6 for files about 12 % larger
// (see BenchmarkWriteExchange and doc.go).
const DefaultGzipLevel = gzip.BestSpeed

// ErrClosed is returned by a write after Close.
var ErrClosed = errors.New("archive: writer is closed")

// Options configure a Writer. The zero value of each field is its default.
type Options struct {
	Version  string // presswatch's version, written in warcinfo as presswatch/<Version>
	Contact  string // the operator's contact (a URL or an e-mail address), written in warcinfo
	Hostname string // the host named in file names and warcinfo; default os.Hostname
	// MaxSize is the size in bytes after which the next exchange starts a
	// new file; default DefaultMaxSize. A file always holds at least one
	// exchange, so one larger than MaxSize makes a file of its own.
	MaxSize int64
	// GzipLevel is the gzip level of each member, 1 (fastest) to 9;
	// default DefaultGzipLevel.
	GzipLevel int
	// Sync makes every write wait for fsync before it returns. Without it
	// a file is synced when it is closed (on rotation and Close): a crash
	// of presswatch loses nothing already written, a power cut can lose
	// the last seconds.
	Sync bool
	// CheckFiles is how many of the newest earlier files Open checks for
	// a cut tail; default 1 (the file a crashed process was writing).
	CheckFiles int
	Now        func() time.Time // clock; default time.Now

	create func(path string) (file, error) // tests fake a full disk here
}

// file is what the writer needs of an *os.File.
type file interface {
	io.WriterAt
	Truncate(size int64) error
	Sync() error
	Close() error
}

// Exchange is one HTTP request and its response as presswatch made it.
type Exchange struct {
	URL     string    // the URL requested
	Method  string    // default GET
	Started time.Time // when the request was sent: the WARC-Date of both records; default now
	IP      string    // the server's address, with or without port; may be empty

	// RequestHeader is the header as sent; the caller adds Host, and
	// Accept-Encoding when Go's transport added it.
	RequestHeader http.Header

	Proto          string // as in http.Response: HTTP/1.0, HTTP/1.1, HTTP/2.0
	Status         int
	Reason         string // optional; default http.StatusText(Status)
	ResponseHeader http.Header
	// Body is the response body as presswatch read it: de-chunked, and
	// gunzipped when Go's transport asked for gzip itself.
	Body []byte
}

// Location says where an exchange (or a metadata record) was written.
type Location struct {
	File          string // base name of the .warc.gz file in the archive folder
	Offset        int64  // of the request record's gzip member
	Length        int64  // bytes of the request and response members together
	RecordID      string // the response's WARC-Record-ID as written: <urn:uuid:...>
	PayloadSHA256 string // hex SHA-256 of the response body stored
}

// Writer appends exchanges to .warc.gz files in one folder. It is safe
// for concurrent use; records are built and compressed in the calling
// goroutine, only the write itself is serialised.
type Writer struct {
	dir     string
	opts    Options
	host    string
	recOpts []gowarc.WarcRecordOption
	gzPool  sync.Pool

	mu        sync.Mutex
	f         file
	name      string
	size      int64 // bytes of whole records in f
	exchanges int   // exchanges in f
	serial    int
	closed    bool
}

// Open returns a Writer that starts a new file in dir (created if needed)
// at its first write. Before that it checks the newest earlier files of dir
// for a tail cut by a crash and returns what it found (see Damage); a
// damaged file is never made to lose a whole record, and writing goes on
// in the new file. Close must be called, also after a write error.
func Open(dir string, opts Options) (*Writer, []Damage, error) {
	if opts.MaxSize <= 0 {
		opts.MaxSize = DefaultMaxSize
	}
	if opts.GzipLevel == 0 {
		opts.GzipLevel = DefaultGzipLevel
	}
	if opts.GzipLevel < gzip.BestSpeed || opts.GzipLevel > gzip.BestCompression {
		return nil, nil, fmt.Errorf("archive: gzip level %d is not between 1 and 9", opts.GzipLevel)
	}
	if opts.CheckFiles <= 0 {
		opts.CheckFiles = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.create == nil {
		opts.create = createFile
	}
	host := opts.Hostname
	if host == "" {
		host, _ = os.Hostname()
	}
	host = hostRe.ReplaceAllString(host, "-")
	if host == "" {
		host = "localhost"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("archive: %w", err)
	}
	damage, err := checkDir(dir, opts.CheckFiles)
	if err != nil {
		return nil, damage, err
	}
	// The first file is made at the first write, so a process that
	// fetches nothing (serve --no-crawl, a revisit with nothing due)
	// leaves no file of a lone warcinfo record.
	w := &Writer{dir: dir, opts: opts, host: host, recOpts: recordOptions()}
	return w, damage, nil
}

var hostRe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

func createFile(path string) (file, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// WriteExchange writes ex as a request record and a response record
// (WARC-Concurrent-To each other), adjacent in one file and written with
// one write. When it returns without error the records are in the file
// (and synced with Options.Sync), so the caller may store the Location.
// A failed write leaves the file as it was before it and is an error
// naming the file; the next write tries again.
func (w *Writer) WriteExchange(ex Exchange) (Location, error) {
	u, err := url.Parse(ex.URL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return Location{}, fmt.Errorf("archive: exchange of %q: not an absolute URL", ex.URL)
	}
	if ex.Method == "" {
		ex.Method = http.MethodGet
	}
	date := ex.Started
	if date.IsZero() {
		date = w.opts.Now()
	}
	head, err := responseHead(ex)
	if err != nil {
		return Location{}, fmt.Errorf("archive: exchange of %s: %w", ex.URL, err)
	}
	reqID := newRecordID()
	req, err := w.buildMember(gowarc.Request, reqID, exchangeFields(ex, date, "request"), requestBlock(ex, u))
	if err != nil {
		return Location{}, fmt.Errorf("archive: exchange of %s: %w", ex.URL, err)
	}
	respFields := append(exchangeFields(ex, date, "response"), [2]string{gowarc.WarcConcurrentTo, reqID})
	resp, err := w.buildMember(gowarc.Response, "", respFields, head, ex.Body)
	if err != nil {
		return Location{}, fmt.Errorf("archive: exchange of %s: %w", ex.URL, err)
	}
	sum, err := hexDigest(resp.payloadDigest)
	if err != nil {
		return Location{}, fmt.Errorf("archive: exchange of %s: %w", ex.URL, err)
	}
	loc, err := w.write(true, req.data, resp.data)
	if err != nil {
		return Location{}, err
	}
	loc.RecordID, loc.PayloadSHA256 = resp.id, sum
	return loc, nil
}

// WriteMetadata writes a metadata record about targetURI holding fields
// as application/warc-fields, for example what a web archive says of a
// page presswatch found there. concurrentTo, when not empty, is the
// WARC-Record-ID (<urn:uuid:...>) of the record it describes. The Location
// points at the metadata record; its PayloadSHA256 is empty.
func (w *Writer) WriteMetadata(targetURI, concurrentTo string, fields [][2]string) (Location, error) {
	block, err := warcFields(fields)
	if err != nil {
		return Location{}, fmt.Errorf("archive: metadata of %s: %w", targetURI, err)
	}
	f := [][2]string{
		{gowarc.WarcTargetURI, targetURI},
		{gowarc.WarcDate, formatDate(w.opts.Now())},
		{gowarc.ContentType, gowarc.ApplicationWarcFields},
	}
	if concurrentTo != "" {
		f = append(f, [2]string{gowarc.WarcConcurrentTo, concurrentTo})
	}
	m, err := w.buildMember(gowarc.Metadata, "", f, block)
	if err != nil {
		return Location{}, fmt.Errorf("archive: metadata of %s: %w", targetURI, err)
	}
	loc, err := w.write(false, m.data)
	if err != nil {
		return Location{}, err
	}
	loc.RecordID = m.id
	return loc, nil
}

// write appends the members with one WriteAt, rotating first when the
// file would grow past MaxSize. On error the file is cut back to its last
// whole record; if even that fails, the file is abandoned and the next
// write starts a new one.
func (w *Writer) write(exchange bool, members ...[]byte) (Location, error) {
	var data []byte
	if len(members) == 1 {
		data = members[0]
	} else {
		n := 0
		for _, m := range members {
			n += len(m)
		}
		data = make([]byte, 0, n)
		for _, m := range members {
			data = append(data, m...)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return Location{}, ErrClosed
	}
	if w.f != nil && w.exchanges > 0 && w.size+int64(len(data)) > w.opts.MaxSize {
		if err := w.closeFile(); err != nil {
			return Location{}, err
		}
	}
	if w.f == nil {
		if err := w.rotate(); err != nil {
			return Location{}, err
		}
	}
	off := w.size
	if err := w.writeAt(data, off); err != nil {
		return Location{}, err
	}
	if w.opts.Sync {
		if err := w.f.Sync(); err != nil {
			return Location{}, w.abandon(fmt.Errorf("archive: sync %s: %w", w.name, cause(err)))
		}
	}
	w.size += int64(len(data))
	if exchange {
		w.exchanges++
	}
	return Location{File: w.name, Offset: off, Length: int64(len(data))}, nil
}

// writeAt writes data at off in the current file, and on failure cuts
// the file back to off.
func (w *Writer) writeAt(data []byte, off int64) error {
	n, err := w.f.WriteAt(data, off)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err == nil {
		return nil
	}
	werr := fmt.Errorf("archive: write %s: %w", w.name, cause(err))
	if terr := w.f.Truncate(off); terr != nil {
		return w.abandon(errors.Join(werr, fmt.Errorf("archive: truncate %s to %d: %w", w.name, off, cause(terr))))
	}
	return werr
}

// abandon closes a file whose end is no longer known; the next write
// opens a new one, and the next Open checks this one.
func (w *Writer) abandon(err error) error {
	_ = w.f.Close()
	w.f, w.name, w.size, w.exchanges = nil, "", 0, 0
	return err
}

// cause strips the *os.PathError around a write error: the message names
// the file by its base name already.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// rotate creates the next file and writes its warcinfo record.
func (w *Writer) rotate() error {
	var (
		f    file
		name string
		err  error
	)
	for range 1000 {
		w.serial++
		name = w.fileName()
		f, err = w.opts.create(filepath.Join(w.dir, name))
		if !errors.Is(err, os.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("archive: create %s: %w", name, cause(err))
	}
	w.f, w.name, w.size, w.exchanges = f, name, 0, 0
	m, err := w.warcinfo()
	if err == nil {
		err = w.writeAt(m.data, 0)
	}
	if err != nil {
		_ = f.Close()
		_ = os.Remove(filepath.Join(w.dir, name))
		w.f, w.name = nil, ""
		return err
	}
	w.size = int64(len(m.data))
	return nil
}

// fileName follows the IIPC recommendation, prefix-timestamp-serial-host,
// with Heritrix's pid~host: presswatch-20261202091500123-00001-4242~host.warc.gz.
// The file is created with O_EXCL, and a name already taken moves on to
// the next serial, so two processes never share a file.
func (w *Writer) fileName() string {
	ts := w.opts.Now().UTC().Format("20060102150405.000")
	ts = ts[:14] + ts[15:]
	return fmt.Sprintf("presswatch-%s-%05d-%d~%s.warc.gz", ts, w.serial, os.Getpid(), w.host)
}

func (w *Writer) warcinfo() (member, error) {
	software := "presswatch"
	if w.opts.Version != "" {
		software += "/" + w.opts.Version
	}
	info := [][2]string{
		{"software", software},
		{"format", "WARC File Format 1.1"},
		{"conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
		{"hostname", w.host},
	}
	if w.opts.Contact != "" {
		info = append(info, [2]string{"operator", clean(w.opts.Contact)})
	}
	block, err := warcFields(info)
	if err != nil {
		return member{}, fmt.Errorf("archive: warcinfo: %w", err)
	}
	m, err := w.buildMember(gowarc.Warcinfo, "", [][2]string{
		{gowarc.WarcDate, formatDate(w.opts.Now())},
		{gowarc.WarcFilename, w.name},
		{gowarc.ContentType, gowarc.ApplicationWarcFields},
	}, block)
	if err != nil {
		return member{}, fmt.Errorf("archive: warcinfo: %w", err)
	}
	return m, nil
}

// closeFile syncs and closes the current file.
func (w *Writer) closeFile() error {
	if w.f == nil {
		return nil
	}
	f, name := w.f, w.name
	w.f, w.name, w.size, w.exchanges = nil, "", 0, 0
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(serr, cerr); err != nil {
		return fmt.Errorf("archive: close %s: %w", name, cause(err))
	}
	return nil
}

// Close syncs and closes the current file. It must be called, also after
// a write error; it is safe to call twice. Writes after Close fail with
// ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.closeFile()
}

// File returns the base name of the file being written, "" when none is
// open (after Close, or after a failed rotation).
func (w *Writer) File() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.name
}
