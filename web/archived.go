package web

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"strconv"

	"presswatch/internal/archive"
	"presswatch/internal/model"
	"presswatch/internal/safehtml"
)

// This file serves an article's archived copy: the captured page, made
// safe (/articles/{id}/archived), and its WARC records
// (/articles/{id}/warc). Both show the capture of the version cited unless
// ?fetch= names another of the article's archived exchanges (an edit's, a
// removal's).
//
// The captured page is served under safehtml.CSP: nothing of the page
// runs and the browser asks no other site for anything; the page's own
// CSS and scripts are not loaded either. The banner is styled by
// /static/archived.css, which that CSP's style-src 'self' allows, so no
// inline style needs a hash and the page's own style attributes (which
// safehtml removes anyway) could not apply.

// captureOf finds the exchange a request for an article's archived copy
// asks for, or answers with a 404 page saying why there is none.
func (s *Server) captureOf(w http.ResponseWriter, r *http.Request) (*articleView, *model.Fetch, bool) {
	lang := uiLang(r)
	v, ok := s.articleOr404(w, r, false)
	if !ok {
		return nil, nil, false
	}
	f := v.Capture
	if q := r.URL.Query().Get("fetch"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if f = v.fetchOf(id); err != nil || f == nil {
			s.errorPage(w, r, http.StatusNotFound, translate(lang, "archived.notfetch"))
			return nil, nil, false
		}
	}
	switch {
	case s.opts.WARCDir == "":
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "archived.nodir"))
		return nil, nil, false
	case f == nil || f.WARCFile == "":
		s.errorPage(w, r, http.StatusNotFound, translate(lang, "archived.none"))
		return nil, nil, false
	}
	return v, f, true
}

// archiveError answers for a WARC record that cannot be read: 404 when
// the file is not there, 500 (logged) when it is there but damaged.
func (s *Server) archiveError(w http.ResponseWriter, r *http.Request, f *model.Fetch, err error) {
	lang := uiLang(r)
	if errors.Is(err, fs.ErrNotExist) {
		s.errorPage(w, r, http.StatusNotFound, fmt.Sprintf(translate(lang, "archived.missing"), f.WARCFile))
		return
	}
	s.log.Error("reading an archived exchange failed", "fetch", f.ID, "file", f.WARCFile, "offset", f.WARCOffset, "error", err)
	s.errorPage(w, r, http.StatusInternalServerError, fmt.Sprintf(translate(lang, "archived.bad"), err))
}

// archivedPage is the data of archived.html.
type archivedPage struct {
	ArticleID   int64
	FetchID     int64 // the ?fetch= of the page, 0 for the version cited
	Capture     *archive.Capture
	ContentType string // of the captured response
	Page        safehtml.Result
	HTML        bool // the capture is an HTML page, shown in Page
}

// Captured is the capture's WARC-Date, UTC.
func (p archivedPage) Captured() string { return utc(p.Capture.Date) }

// WARCURL is the download of the same exchange.
func (p archivedPage) WARCURL() string {
	u := "/articles/" + strconv.FormatInt(p.ArticleID, 10) + "/warc"
	if p.FetchID != 0 {
		u += "?fetch=" + strconv.FormatInt(p.FetchID, 10)
	}
	return u
}

// Link is the capture's URL if a browser may follow it, else "".
func (p archivedPage) Link() string { return safeLink(p.Capture.TargetURI) }

// archived answers GET /articles/{id}/archived: the captured page through
// safehtml under its CSP, below a banner naming the capture; a capture
// that is not HTML is described, with its WARC download.
func (s *Server) archived(w http.ResponseWriter, r *http.Request) {
	v, f, ok := s.captureOf(w, r)
	if !ok {
		return
	}
	c, err := archive.Dir(s.opts.WARCDir).ReadResponse(f.WARCFile, f.WARCOffset)
	if err != nil {
		s.archiveError(w, r, f, err)
		return
	}
	p := archivedPage{ArticleID: v.ID, Capture: c, ContentType: c.Header.Get("Content-Type")}
	if r.URL.Query().Has("fetch") {
		p.FetchID = f.ID
	}
	if p.ContentType == "" {
		p.ContentType = http.DetectContentType(c.Payload)
	}
	mt, _, _ := mime.ParseMediaType(p.ContentType)
	if mt == "text/html" || mt == "application/xhtml+xml" {
		if p.Page, err = safehtml.Render(c.Payload, p.ContentType, c.TargetURI); err == nil {
			p.HTML = true
		} else {
			s.log.Warn("an archived page cannot be shown", "fetch", f.ID, "error", err)
		}
	}
	if !p.HTML {
		s.render(w, r, http.StatusOK, "archived-other.html", translate(uiLang(r), "archived.banner"), p)
		return
	}
	w.Header().Set("Content-Security-Policy", safehtml.CSP)
	s.render(w, r, http.StatusOK, "archived.html", p.Page.Title, p)
}

// warc answers GET /articles/{id}/warc: the exchange's request and
// response records, byte for byte as archived, a .warc.gz of their own.
func (s *Server) warc(w http.ResponseWriter, r *http.Request) {
	v, f, ok := s.captureOf(w, r)
	if !ok {
		return
	}
	loc := archive.Location{File: f.WARCFile, Offset: f.WARCOffset, Length: f.WARCLength, RecordID: f.WARCRecord}
	dw := &downloadWriter{ResponseWriter: w, name: fmt.Sprintf("presswatch-article-%d.warc.gz", v.ID), length: f.WARCLength}
	err := archive.Dir(s.opts.WARCDir).CopyExchange(dw, loc)
	switch {
	case err != nil && !dw.started:
		s.archiveError(w, r, f, err)
	case err != nil:
		s.log.Warn("sending WARC records failed", "fetch", f.ID, "error", err)
	}
}

// downloadWriter sets the download's headers on its first write, so an
// error found before any byte (CopyExchange checks the records first) can
// still be answered with an error page.
type downloadWriter struct {
	http.ResponseWriter
	name    string
	length  int64
	started bool
}

func (d *downloadWriter) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.Header()
		h.Set("Content-Type", "application/warc")
		h.Set("Content-Disposition", "attachment; filename="+d.name)
		h.Set("Content-Length", strconv.FormatInt(d.length, 10))
	}
	return d.ResponseWriter.Write(b)
}
