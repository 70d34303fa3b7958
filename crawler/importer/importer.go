package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

// MaxFileSize bounds one imported file.
const MaxFileSize = 64 << 20

// Sink receives the documents; internal/ingest implements it.
type Sink interface {
	Put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error)
}

// Options configure an import.
type Options struct {
	Source model.Source     // the source imported articles are filed under
	URL    string           // the web address of the material, for a single file
	Now    func() time.Time // default time.Now
}

// Report counts what an import did. Errors name each file that failed.
type Report struct {
	Files                                    int
	New, Updated, Unchanged, Skipped, Failed int
	Errors                                   []error
}

// Paths imports every file named, descending into directories (files whose
// names start with "." are left out). A file that fails is reported and the
// rest go on.
func Paths(ctx context.Context, sink Sink, paths []string, opts Options) Report {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	var rep Report
	for path, err := range Files(ctx, paths) {
		if err != nil {
			rep.fail(err)
			continue
		}
		rep.Files++
		if rep.warcFile(ctx, sink, path, opts) {
			continue
		}
		docs, err := File(path, opts)
		rep.put(ctx, sink, path, docs, err, opts)
	}
	return rep
}

// warcFile imports path as a WARC file if it is one (see isWARC), read as
// a stream, and tells whether it was.
func (r *Report) warcFile(ctx context.Context, sink Sink, path string, opts Options) bool {
	f, err := os.Open(path)
	if err != nil {
		return false // File reports it
	}
	defer f.Close()
	in, ok := peekWARC(path, f)
	if ok {
		abs, _ := filepath.Abs(path)
		r.warc(ctx, sink, path, "file://"+filepath.ToSlash(abs), in, opts)
	}
	return ok
}

// Files yields the files Paths imports from paths, in its order, and an
// error (with an empty path) for each folder or file that cannot be read;
// when ctx ends it yields ctx's error and stops. presswatch import walks
// with it the files it sends to a running serve.
func Files(ctx context.Context, paths []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, root := range paths {
			stop := false
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					if stop = !yield("", fmt.Errorf("import: %s: %w", path, err)); stop {
						return filepath.SkipAll
					}
					return nil
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if stop = !yield(path, nil); stop {
					return filepath.SkipAll
				}
				return nil
			})
			if stop {
				return
			}
			if err != nil {
				yield("", err)
				return
			}
		}
	}
}

// Read imports one file read from r, as Paths imports one on disk, and
// returns the report of it alone (Report.Add sums reports). name is the
// file as its user knows it, for the errors and the fetch record: an
// absolute path is recorded as a file:// URL (presswatch import sends a
// running serve its files so), any other name (an upload's, which a
// browser sends without its folder) as upload:NAME.
func Read(ctx context.Context, sink Sink, name string, r io.Reader, opts Options) Report {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	loc := "upload:" + name
	if filepath.IsAbs(name) {
		loc = "file://" + filepath.ToSlash(name)
	}
	rep := Report{Files: 1}
	in, ok := peekWARC(name, r)
	if ok {
		rep.warc(ctx, sink, name, loc, in, opts)
		return rep
	}
	body, err := readBody(name, in)
	var docs []*model.Document
	if err == nil {
		docs, err = documents(name, loc, body, opts)
	}
	rep.put(ctx, sink, name, docs, err, opts)
	return rep
}

// Add adds the counts and errors of o to r.
func (r *Report) Add(o Report) {
	r.Files += o.Files
	r.New += o.New
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Skipped += o.Skipped
	r.Failed += o.Failed
	r.Errors = append(r.Errors, o.Errors...)
}

// put hands the documents read from the file name to sink, after
// reporting err, the error reading them gave (an mbox's unreadable
// messages come with the readable ones).
func (r *Report) put(ctx context.Context, sink Sink, name string, docs []*model.Document, err error, opts Options) {
	if err != nil {
		r.fail(err)
	}
	for _, doc := range docs {
		o, _, err := sink.Put(ctx, opts.Source, doc)
		if err != nil {
			r.fail(fmt.Errorf("import: %s: %w", name, err))
			continue
		}
		r.count(o)
	}
}

func (r *Report) fail(err error) {
	r.Failed++
	r.Errors = append(r.Errors, err)
}

func (r *Report) count(o model.Outcome) {
	switch o {
	case model.OutcomeNew:
		r.New++
	case model.OutcomeUpdated:
		r.Updated++
	case model.OutcomeUnchanged:
		r.Unchanged++
	case model.OutcomeSkipped:
		r.Skipped++
	}
}

// File reads one file and returns its documents. An mbox archive with
// unreadable messages returns the readable ones together with an error
// naming the others. A file that is not text (an image, random bytes, a
// file of zeros; see extract.Binary) is refused with a model.ErrBinary
// error naming it; a UTF-16 text with a byte-order mark is text.
func File(path string, opts Options) ([]*model.Document, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	body, err := readBody(path, f)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	return documents(path, "file://"+filepath.ToSlash(abs), body, opts)
}

// readBody reads a file's content, refusing one larger than MaxFileSize.
func readBody(name string, r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("import: %s: %w", name, err)
	}
	if len(body) > MaxFileSize {
		return nil, model.Errorf(model.ErrTooLarge, "import: %s: larger than %d MiB", name, MaxFileSize>>20)
	}
	return body, nil
}

// documents reads the documents of the file name, whose content is body;
// loc is the file's URL for the fetch record.
func documents(path, loc string, body []byte, opts Options) ([]*model.Document, error) {
	if why := extract.Binary(body); why != "" {
		return nil, model.Errorf(model.ErrBinary, "import: %s: %s, not imported", path, why)
	}
	sum := sha256.Sum256(body)
	rec := &model.Fetch{SourceID: opts.Source.ID, URL: loc, At: opts.Now().UTC(),
		Bytes: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
	if text, ok := extract.FromUTF16(body); ok {
		body = text // the readers below read UTF-8 and the single-byte encodings
	}
	fallbackURL := opts.URL
	if fallbackURL == "" {
		fallbackURL = "urn:sha256:" + rec.SHA256
	}
	var docs []*model.Document
	var err error
	switch kind := sniff(path, body); kind {
	case kindMbox:
		docs, err = mbox(body, fallbackURL)
	case kindMail:
		docs, err = single(message(body, fallbackURL))
	case kindFeed:
		docs, err = feed(body, opts.URL)
	case kindHTML:
		docs, err = single(page(body, opts.URL, fallbackURL))
	default:
		docs = []*model.Document{plain(body, path, fallbackURL)}
	}
	if err != nil {
		err = fmt.Errorf("import: %s: %w", path, err)
	}
	if len(docs) == 0 && err == nil {
		return nil, model.Errorf(model.ErrParse, "import: %s: no articles found in it", path)
	}
	for _, d := range docs {
		d.Provenance, d.Fetch, d.SourceID = model.ProvenanceImport, rec, opts.Source.ID
	}
	return docs, err
}

// single makes one document a list; none on error.
func single(d *model.Document, err error) ([]*model.Document, error) {
	if err != nil {
		return nil, err
	}
	return []*model.Document{d}, nil
}

type kind int

const (
	kindText kind = iota
	kindHTML
	kindFeed
	kindMail
	kindMbox
)

// sniff decides what a file is from its name and its first bytes.
func sniff(path string, body []byte) kind {
	head := bytes.ToLower(bytes.TrimLeft(body[:min(len(body), 1024)], "\ufeff \t\r\n"))
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".mbox" || bytes.HasPrefix(head, []byte("from ")) && mboxStart(body) == 0:
		return kindMbox
	case ext == ".eml" || looksLikeHeaders(body):
		return kindMail
	case bytes.HasPrefix(head, []byte("<?xml")) && !bytes.Contains(head, []byte("<html")),
		bytes.HasPrefix(head, []byte("<rss")), bytes.HasPrefix(head, []byte("<feed")),
		bytes.HasPrefix(head, []byte("<rdf")), ext == ".rss" || ext == ".atom",
		ext == ".json" && bytes.Contains(head, []byte("jsonfeed.org")):
		return kindFeed
	case ext == ".html" || ext == ".htm" || bytes.HasPrefix(head, []byte("<!doctype html")) ||
		bytes.HasPrefix(head, []byte("<html")):
		return kindHTML
	case mboxStart(body) >= 0:
		return kindMbox
	}
	return kindText
}
