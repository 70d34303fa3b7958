package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Administrators upload saved material for import here, as `presswatch
// import` reads it from disk: GET /import shows the form; POST /import (a
// multipart form of at most MaxUpload bytes in all) imports the files
// through serve's own ingest path and shows what became of each: new,
// already there, or refused with the reason (a binary file, no article
// found). Both go through admin: the login and CrossOriginProtection.

// Importer imports files as `presswatch import` does, so the web need not
// know the importer, the store's writes or the index; cmd/presswatch
// implements it, and its local admin API (`presswatch import` while serve
// runs) calls the same.
type Importer interface {
	// Import files every file that files yields (its name and content,
	// read before the next is asked for) under opts.Source, and returns
	// what became of them; they are searchable when it returns. A file's
	// failure is in the report; the error is the import's as a whole (the
	// store's).
	Import(ctx context.Context, opts ImportOptions, files iter.Seq2[string, io.Reader]) (*ImportReport, error)
}

// ImportOptions are an import's choices.
type ImportOptions struct {
	Source string // the source id to file the articles under; "" is "import"
	URL    string // the web address the material was saved from, for a single file
}

// ImportReport is what an import did: the page shows it, `presswatch
// import` prints it, and the local admin API sends it as JSON.
type ImportReport struct {
	Files     int      `json:"files"`
	New       int      `json:"new"`
	Updated   int      `json:"updated"`
	Unchanged int      `json:"unchanged"` // already there: the same file or text imported before
	Skipped   int      `json:"skipped"`
	Failed    int      `json:"failed"`
	Errors    []string `json:"errors,omitempty"` // each failure, naming the file and the reason
}

// MaxUpload bounds one upload, all its files together: 64 MiB, the most
// `presswatch import` reads of one file.
const MaxUpload = 64 << 20

// UploadTimeout bounds one upload and its import, reading and answering.
const UploadTimeout = 10 * time.Minute

// importSourceRE is the configuration's rule for ids.
var importSourceRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// importPage is the data of import.html.
type importPage struct {
	Source   string
	MaxMiB   int
	Report   *ImportReport
	TooLarge bool   // the upload went past MaxUpload: what followed was not read
	Error    string // why nothing was imported
}

// importForm answers GET /import.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	if !s.importable(w, r) {
		return
	}
	s.render(w, r, http.StatusOK, "import.html", translate(uiLang(r), "import.title"), importPage{Source: "import", MaxMiB: MaxUpload >> 20})
}

// importFiles answers POST /import: a multipart form whose "source" and
// "url" fields come before its "files" (a browser sends them in the
// form's order); fields after the first file are not read.
func (s *Server) importFiles(w http.ResponseWriter, r *http.Request) {
	if !s.importable(w, r) {
		return
	}
	lang := uiLang(r)
	data := importPage{Source: "import", MaxMiB: MaxUpload >> 20}
	fail := func(status int, msg string) {
		data.Error = msg
		s.render(w, r, status, "import.html", translate(lang, "import.title"), data)
	}
	// The server's read and write timeouts suit pages, not 64 MiB over a
	// slow link and its import: this request gets UploadTimeout for both.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(UploadTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(UploadTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(http.StatusBadRequest, translate(lang, "import.err.nofile"))
		return
	}
	var opts ImportOptions
	first, err := fieldsThenFile(mr, &opts)
	data.Source = opts.Source
	switch {
	case tooLarge(err):
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf(translate(lang, "import.err.large"), MaxUpload>>20))
		return
	case err != nil && !errors.Is(err, io.EOF):
		fail(http.StatusBadRequest, translate(lang, "import.err.nofile"))
		return
	case first == nil:
		fail(http.StatusBadRequest, translate(lang, "import.err.nofile"))
		return
	case opts.Source != "" && !importSourceRE.MatchString(opts.Source):
		first.Close()
		fail(http.StatusBadRequest, fmt.Sprintf(translate(lang, "import.err.source"), opts.Source))
		return
	}
	var stopped error // why the upload's files stopped before its end
	files := func(yield func(string, io.Reader) bool) {
		for p := first; p != nil; {
			if name := uploadName(p); name != "" && !yield(name, p) {
				return
			}
			p.Close()
			var err error
			if p, err = mr.NextPart(); err != nil {
				if !errors.Is(err, io.EOF) {
					stopped = err
				}
				return
			}
		}
	}
	rep, err := s.opts.Importer.Import(r.Context(), opts, files)
	if err != nil {
		s.log.Error("importing uploaded files failed", "error", err)
		fail(http.StatusInternalServerError, translate(lang, "error.internal"))
		return
	}
	data.Report, data.TooLarge = rep, tooLarge(stopped)
	s.log.Info("files imported from the web UI", "source", opts.Source, "files", rep.Files, "new", rep.New,
		"updated", rep.Updated, "unchanged", rep.Unchanged, "failed", rep.Failed, "cut_short", stopped != nil)
	status := http.StatusOK
	if data.TooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	s.render(w, r, status, "import.html", translate(lang, "import.title"), data)
}

// fieldsThenFile reads the form's fields up to its first file with a
// name, which it returns unread.
func fieldsThenFile(mr *multipart.Reader, opts *ImportOptions) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, err
		}
		if p.FormName() == "files" {
			if uploadName(p) != "" {
				return p, nil
			}
			p.Close()
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, 4<<10))
		p.Close()
		if err != nil {
			return nil, err
		}
		switch p.FormName() {
		case "source":
			opts.Source = strings.TrimSpace(string(v))
		case "url":
			opts.URL = strings.TrimSpace(string(v))
		}
	}
}

// uploadName is the name a file of the form was sent with, without any
// folder; "" for a part that is no file, or an empty file input.
func uploadName(p *multipart.Part) string {
	if p.FormName() != "files" {
		return ""
	}
	return p.FileName() // the base name only (mime/multipart)
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// importable answers when this server cannot import, and reports whether
// it can: 403 naming the folder when serve's data folder is read-only, 404
// when there is no Importer (not serve).
func (s *Server) importable(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Importer != nil {
		return true
	}
	if s.opts.Sources != nil {
		if err := s.opts.Sources.ReadOnly(); err != nil {
			s.errorPage(w, r, http.StatusForbidden, fmt.Sprintf(translate(uiLang(r), "import.err.readonly"), err))
			return false
		}
	}
	s.errorPage(w, r, http.StatusNotFound, translate(uiLang(r), "import.err.off"))
	return false
}
