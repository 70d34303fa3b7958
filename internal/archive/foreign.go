package archive

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"regexp"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Entry is one record of a WARC file any tool wrote (wget --warc-file,
// Browsertrix, Webrecorder, an Archive-It export, presswatch), as an import
// reads it.
type Entry struct {
	Type      string    // response, resource, revisit, request, metadata, warcinfo, ...
	TargetURI string    // WARC-Target-URI, without the <> WARC 1.0 writers put around it
	Date      time.Time // WARC-Date: when the tool captured it
	RecordID  string    // WARC-Record-ID, <urn:uuid:...>
	Offset    int64     // where the record (its gzip member) starts in the file
	// Of a response: the HTTP status and header; of a resource: its
	// Content-Type alone, in Header.
	Status int
	Header http.Header
	// Payload is a response's HTTP body or a resource's content, as
	// stored (still in its Content-Encoding), for response and resource
	// records only.
	Payload []byte
}

// maxDamage is how many damaged records Entries reports in one file
// before it gives the file up.
const maxDamage = 100

// Entries reads the WARC records of r, a .warc or .warc.gz file named name,
// one at a time, so a file of any size is read in bounded memory. A record
// that cannot be read (cut short, a digest that does not match its
// content, a corrupt gzip member, a payload over MaxRecordSize) is yielded
// as an error naming the file and the record's offset, and reading goes
// on at the next record; after maxDamage of them, or where no record can
// be found any more, the last error ends it.
func Entries(r io.Reader, name string) iter.Seq2[*Entry, error] {
	return EntriesWith(r, name, nil)
}

// EntriesWith is Entries, reading the payload of a response or resource
// record only when want, given the record without it (its type, target,
// status and header), says so: a collection's images and videos are then
// passed over without being read into memory. A nil want wants all.
func EntriesWith(r io.Reader, name string, want func(*Entry) bool) iter.Seq2[*Entry, error] {
	return func(yield func(*Entry, error) bool) {
		// Findings are collected, not fatal: entry refuses a record whose
		// digests or length are wrong and reads past the rest.
		wf, err := gowarc.NewWarcFileReaderFromStream(r, 0,
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
			gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithBufferMaxMemBytes(1<<20))
		if err != nil {
			yield(nil, fmt.Errorf("archive: %s: %w", name, err))
			return
		}
		defer wf.Close()
		damaged, last := 0, int64(-1)
		for {
			rec, err := wf.Next()
			if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
				return
			}
			var e *Entry
			if err == nil {
				e, err = entry(rec, want)
			}
			if rec.WarcRecord != nil {
				rec.Close()
			}
			if err != nil {
				damaged++
				err = fmt.Errorf("archive: %s: the record at byte %d: %w", name, rec.Offset, err)
				stuck := rec.Offset <= last && rec.Size <= 0
				if !yield(nil, err) || damaged >= maxDamage || stuck || errors.Is(err, gowarc.ErrNoRecord) || errors.Is(err, io.ErrUnexpectedEOF) {
					return
				}
				last = rec.Offset
				continue
			}
			last = rec.Offset
			if !yield(e, nil) {
				return
			}
		}
	}
}

// entry reads one record, refusing it when gowarc found its digests or
// its length wrong.
func entry(rec gowarc.Record, want func(*Entry) bool) (*Entry, error) {
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	e := &Entry{
		Type:      wr.Type().String(),
		TargetURI: h.Get(gowarc.WarcTargetURI),
		RecordID:  h.Get(gowarc.WarcRecordID),
		Offset:    rec.Offset,
	}
	for _, f := range rec.Validation {
		var de *gowarc.DigestError
		var ce *gowarc.ContentLengthError
		var he *gowarc.HeaderFieldError
		switch {
		case errors.As(f, &de), errors.As(f, &ce):
			return nil, f
		case errors.As(f, &he) && he.FieldName == gowarc.WarcTargetURI && e.TargetURI == "":
			// WARC 1.0 writers (wget) put the URI in <>, which gowarc
			// finds no URL and blanks; its finding quotes the value.
			if m := bracketedURI.FindStringSubmatch(he.Msg); m != nil {
				e.TargetURI = m[1]
			}
		}
	}
	if d, err := wr.Date(); err == nil {
		e.Date = d.UTC()
	} else if e.Type == "response" || e.Type == "resource" {
		return nil, fmt.Errorf("WARC-Date: %w", err)
	}
	if e.Type != "response" && e.Type != "resource" {
		return e, nil
	}
	var (
		body io.Reader
		err  error
	)
	switch b := wr.Block().(type) {
	case gowarc.HttpResponseBlock:
		if b.HttpStatusCode() == 0 {
			return nil, errors.New("the response record holds no HTTP response")
		}
		e.Status = b.HttpStatusCode()
		if hh := b.HttpHeader(); hh != nil {
			e.Header = hh.Clone()
		}
		body, err = b.PayloadBytes()
	default:
		if e.Type == "response" {
			return e, nil // not HTTP (dns:, ftp:): no page in it
		}
		e.Header = http.Header{"Content-Type": {h.Get(gowarc.ContentType)}}
		body, err = b.RawBytes()
	}
	if err != nil {
		return nil, err
	}
	if want != nil && !want(e) {
		return e, nil
	}
	if e.Payload, err = io.ReadAll(io.LimitReader(body, MaxRecordSize+1)); err != nil {
		return nil, err
	}
	if len(e.Payload) > MaxRecordSize {
		return nil, fmt.Errorf("a payload over the %d MiB a record may hold", MaxRecordSize>>20)
	}
	return e, nil
}

// bracketedURI finds the <URI> a gowarc finding on WARC-Target-URI quotes.
var bracketedURI = regexp.MustCompile(`'<([a-zA-Z][a-zA-Z0-9+.-]*:[^'<>]*)>'`)
