package importer

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// isWARC tells whether a file is a WARC file, by its name or, for a name
// that does not say, by its first bytes (a gzip member holding one).
func isWARC(name string, head []byte) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz") {
		return true
	}
	if bytes.HasPrefix(head, []byte("WARC/1.")) {
		return true
	}
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	start := make([]byte, 7)
	n2, _ := io.ReadFull(zr, start)
	return string(start[:n2]) == "WARC/1."
}

// warc imports the pages captured in a WARC file, read from in record by
// record so that a file of any size takes bounded memory. loc is the
// file's URL, to which each capture's record id is added as provenance.
//
// By rule: response records of status 200 and resource records, holding
// HTML and captured at an http(s) address, are pages; request, metadata,
// warcinfo and conversion records, responses of other statuses (redirects,
// errors) and revisit records (a capture whose content an earlier record
// holds: no new version) are passed over, and so are pages in which the
// extractor finds no article text (home and section pages). A record that cannot be read is
// reported with the file and its offset, and the rest go on.
func (r *Report) warc(ctx context.Context, sink Sink, name, loc string, in io.Reader, opts Options) {
	pages, damaged := 0, 0
	for e, err := range archive.EntriesWith(in, name, isPage) {
		if ctx.Err() != nil {
			r.fail(fmt.Errorf("import: %s: %w", name, ctx.Err()))
			return
		}
		if err != nil {
			damaged++
			r.fail(fmt.Errorf("import: %w", err))
			continue
		}
		doc, err := capturedPage(e, loc, opts)
		var me *model.Error
		if errors.As(err, &me) && me.Kind == model.ErrExtract {
			pages++ // a page with no article text (a home or section page)
			continue
		}
		if err != nil {
			r.fail(fmt.Errorf("import: %s: the %s of %s at byte %d: %w", name, e.Type, e.TargetURI, e.Offset, err))
			continue
		}
		if doc == nil {
			continue
		}
		pages++
		o, _, err := sink.Put(ctx, opts.Source, doc)
		if err != nil {
			r.fail(fmt.Errorf("import: %s: %s: %w", name, e.TargetURI, err))
			continue
		}
		r.count(o)
	}
	if pages == 0 && damaged == 0 {
		r.fail(model.Errorf(model.ErrParse, "import: %s: no captured HTML page in it", name))
	}
}

// isPage tells whether a record, read up to its payload, holds a captured
// page (see warc).
func isPage(e *archive.Entry) bool {
	if e.Type != "resource" && (e.Type != "response" || e.Status != 200) {
		return false
	}
	if u, err := url.Parse(e.TargetURI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false // dns:, metadata:, urn: records
	}
	mt, _, _ := mime.ParseMediaType(e.Header.Get("Content-Type"))
	return mt == "" || mt == "text/html" || mt == "application/xhtml+xml"
}

// capturedPage is the document of a captured page, or nil for a record
// that holds none (see warc).
func capturedPage(e *archive.Entry, loc string, opts Options) (*model.Document, error) {
	if !isPage(e) {
		return nil, nil
	}
	ct := e.Header.Get("Content-Type")
	payload, err := decoded(e.Payload, e.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, err
	}
	if why := extract.Binary(payload); why != "" {
		return nil, model.Errorf(model.ErrBinary, "%s, not a page", why)
	}
	html, _, err := fetch.DecodeHTML(payload, ct)
	if err != nil {
		return nil, err
	}
	res, err := extract.Page(html, e.TargetURI)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(e.Payload)
	return &model.Document{
		SourceID: opts.Source.ID, URL: e.TargetURI, Title: res.Title, Author: res.Author,
		Published: res.Published, DateSource: res.DateSource, Lang: res.Lang, Text: res.Text,
		PageTitle: res.Title, Provenance: model.ProvenanceArchive,
		Fetch: &model.Fetch{SourceID: opts.Source.ID, URL: e.TargetURI, At: opts.Now().UTC(), Status: e.Status,
			Bytes: int64(len(e.Payload)), SHA256: hex.EncodeToString(sum[:]),
			CapturedAt: e.Date, Capture: loc + "#" + e.RecordID},
	}, nil
}

// decoded undoes a payload's Content-Encoding: WARC writers keep the body
// as the server sent it.
func decoded(b []byte, encoding string) ([]byte, error) {
	var zr io.Reader
	switch enc := strings.ToLower(strings.TrimSpace(encoding)); enc {
	case "", "identity":
		return b, nil
	case "gzip", "x-gzip":
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("its gzip content: %w", err)
		}
		zr = r
	case "deflate":
		zr = flate.NewReader(bytes.NewReader(b))
	default:
		return nil, fmt.Errorf("its content is compressed with %q, which presswatch does not read", enc)
	}
	out, err := io.ReadAll(io.LimitReader(zr, archive.MaxRecordSize+1))
	if err != nil {
		return nil, fmt.Errorf("its %s content: %w", encoding, err)
	}
	if len(out) > archive.MaxRecordSize {
		return nil, fmt.Errorf("its content inflates past %d MiB", archive.MaxRecordSize>>20)
	}
	return out, nil
}

// peekWARC reads the start of r to tell whether it is a WARC file named
// name, returning a reader of all of r.
func peekWARC(name string, r io.Reader) (io.Reader, bool) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(512)
	return br, isWARC(name, head)
}
