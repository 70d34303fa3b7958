package web

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"presswatch/index"
	"presswatch/internal/store"
)

// The bounds of an export. The server's WriteTimeout does not apply: each
// page of hits gets its own write deadline, so an export runs as long as
// the client keeps reading, up to exportTimeout in all.
const (
	// exportTimeout bounds a whole export. One that runs longer breaks
	// off, marked incomplete (see export).
	exportTimeout = 5 * time.Minute
	// exportWriteWindow is how long the client has to take in one page
	// of hits (index.MaxLimit rows); one that stops reading for longer
	// is cut off.
	exportWriteWindow = 30 * time.Second
)

// exportTrailer is the HTTP trailer a whole export ends with:
// "complete; rows=N". An export that broke off has none.
const exportTrailer = "Presswatch-Export"

// hitWriter writes hits in one export format; flush sends what it holds
// on to the response.
type hitWriter interface {
	// write writes one hit with what the store adds to it (nil when the
	// store does not have the article).
	write(index.Hit, *store.ExportRow) error
	// incomplete writes a last line that says the export broke off.
	incomplete(msg string) error
	flush() error
}

// csvHeader names the columns of a CSV export; one counting stories
// (collapse=story) adds storyColumns. The columns from the store come
// after those of the index, so the first eight keep their places; they
// are empty for an article the store no longer has.
var (
	csvHeader = []string{"id", "published", "first_seen", "source", "stance", "lang", "title", "url",
		"source_name", "author", "date_source", "topics", "cluster", "provenance", "captured_at", "capture"}
	storyColumns = []string{"story", "copies"}
)

// exportFormat is one kind of export.
type exportFormat struct {
	ext, ctype string
	bom        bool // takes bom=1
	start      func(out io.Writer, stories bool) (hitWriter, error)
}

var csvFormat = exportFormat{"csv", "text/csv; charset=utf-8", true, func(out io.Writer, stories bool) (hitWriter, error) {
	cw := &csvHits{w: csv.NewWriter(out), stories: stories}
	header := csvHeader
	if stories {
		header = append(slices.Clone(csvHeader), storyColumns...)
	}
	return cw, cw.w.Write(header)
}}

var jsonlFormat = exportFormat{"jsonl", "application/x-ndjson; charset=utf-8", false, func(out io.Writer, stories bool) (hitWriter, error) {
	bw := bufio.NewWriter(out)
	return &jsonHits{w: bw, enc: json.NewEncoder(bw), stories: stories}, nil
}}

// exportCSV answers GET /search.csv: every hit of the search, one row
// each, under a header row. With collapse=story a row is a story (its
// first article in the sort order) and ends with the story's id and how
// many other copies match. bom=1 starts the file with a UTF-8 byte order
// mark, so Excel reads Cyrillic and Kazakh text as UTF-8.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) { s.export(w, r, csvFormat) }

// exportJSONL answers GET /search.jsonl: every hit of the search, one JSON
// object a line; with collapse=story one a story, with its "copies".
func (s *Server) exportJSONL(w http.ResponseWriter, r *http.Request) { s.export(w, r, jsonlFormat) }

// export streams the whole result set of the search in r, page after page
// of index.MaxLimit, each page with its own write deadline and flushed,
// until the last page. Errors before the first byte get a status. Once
// the response has begun, an export that cannot finish (a failed search
// or store read, exportTimeout reached, the client gone) writes a last
// line saying so, flushes, and aborts the connection, so the client's
// read ends in an error rather than a clean end of file; a whole export
// ends with the trailer exportTrailer.
func (s *Server) export(w http.ResponseWriter, r *http.Request, f exportFormat) {
	lang := uiLang(r)
	if !s.ready.Load() {
		http.Error(w, translate(lang, "error.starting"), http.StatusServiceUnavailable)
		return
	}
	bom, err := bomParam(r, f)
	if err != nil {
		http.Error(w, userMessage(lang, err), statusOf(err))
		return
	}
	req, err := parseState(searchState(r), "")
	if err != nil {
		http.Error(w, userMessage(lang, err), statusOf(err))
		return
	}
	req.Limit = index.MaxLimit
	ctx, cancel := context.WithTimeout(r.Context(), exportTimeout)
	defer cancel()
	res, rows, err := s.exportPage(ctx, req)
	if err != nil {
		if statusOf(err) >= 500 {
			s.log.Error("export failed", "query", r.URL.RawQuery, "error", err)
		}
		http.Error(w, userMessage(lang, err), statusOf(err))
		return
	}
	name := "presswatch-search-" + s.opts.Now().UTC().Format("20060102-150405") + "." + f.ext
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Trailer", exportTrailer)
	rc := http.NewResponseController(w)
	deadline(rc)
	if bom {
		_, err = io.WriteString(w, "\uFEFF")
	}
	var hw hitWriter
	if err == nil {
		hw, err = f.start(w, req.Collapse)
	}
	n := 0
	for err == nil {
		deadline(rc)
		if n, err = writePage(hw, res.Hits, rows, n); err != nil {
			break
		}
		if err = flush(rc); err != nil || res.Next == "" {
			break
		}
		req.After = res.Next
		res, rows, err = s.exportPage(ctx, req)
	}
	if err == nil {
		w.Header().Set(exportTrailer, "complete; rows="+strconv.Itoa(n))
		return
	}
	s.breakOff(ctx, r, rc, hw, n, err)
}

// breakOff ends an export that cannot finish (ctx is the export's):
// it logs why, writes the format's last line that says so (unless the
// client is gone), flushes, and aborts the response so that it does not
// end cleanly.
func (s *Server) breakOff(ctx context.Context, r *http.Request, rc *http.ResponseController, hw hitWriter, n int, err error) {
	lang := uiLang(r)
	var why string
	switch {
	case r.Context().Err() != nil:
		s.log.Debug("export stopped: the client went away", "query", r.URL.RawQuery, "rows", n)
		panic(http.ErrAbortHandler)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		s.log.Warn("export broke off: it took too long", "query", r.URL.RawQuery, "rows", n, "limit", exportTimeout)
		why = fmt.Sprintf(translate(lang, "export.toolong"), exportTimeout)
	default:
		s.log.Error("export broke off", "query", r.URL.RawQuery, "rows", n, "error", err)
		why = userMessage(lang, err)
	}
	if hw != nil {
		deadline(rc)
		if hw.incomplete(fmt.Sprintf(translate(lang, "export.incomplete"), n, why)) == nil && hw.flush() == nil {
			flush(rc)
		}
	}
	panic(http.ErrAbortHandler)
}

// exportPage runs one page of the export's search and reads the page's
// articles from the store (none without a store).
func (s *Server) exportPage(ctx context.Context, req index.Request) (*index.Result, map[int64]*store.ExportRow, error) {
	res, err := s.search.Search(ctx, req)
	if err != nil || s.store == nil || len(res.Hits) == 0 {
		return res, nil, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	rows, err := s.store.ExportRows(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	return res, rows, nil
}

// writePage writes a page of hits and flushes the writer; n counts the
// hits written so far.
func writePage(hw hitWriter, hits []index.Hit, rows map[int64]*store.ExportRow, n int) (int, error) {
	for _, h := range hits {
		if err := hw.write(h, rows[h.ID]); err != nil {
			return n, err
		}
		n++
	}
	return n, hw.flush()
}

// deadline gives the next page exportWriteWindow to reach the client,
// in place of the server's WriteTimeout.
func deadline(rc *http.ResponseController) {
	rc.SetWriteDeadline(time.Now().Add(exportWriteWindow)) // without support, the server's timeout stays
}

// flush sends what the response holds to the client.
func flush(rc *http.ResponseController) error {
	if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// bomParam reads bom= (1 or 0), which only a format that takes it allows.
func bomParam(r *http.Request, f exportFormat) (bool, error) {
	switch v := r.URL.Query().Get("bom"); {
	case v == "" || v == "0":
		return false, nil
	case !f.bom:
		return false, &index.ParamError{Param: "bom", Value: v, Reason: "is for /search.csv only: a program reading JSON Lines takes a byte order mark for a broken first line"}
	case v == "1":
		return true, nil
	default:
		return false, &index.ParamError{Param: "bom", Value: v, Reason: "is not 1 (start the CSV with a UTF-8 byte order mark, for Excel) or 0"}
	}
}

// CSVExcel is the CSV export of the search with bom=1, for Excel.
func (v searchView) CSVExcel() string {
	if strings.Contains(v.CSV, "?") {
		return v.CSV + "&bom=1"
	}
	return v.CSV + "?bom=1"
}

type csvHits struct {
	w       *csv.Writer
	stories bool
}

func (c *csvHits) write(h index.Hit, row *store.ExportRow) error {
	published := ""
	if h.Published != nil {
		published = h.Published.Format(time.RFC3339)
	}
	var dateSource, author, topics, cluster, provenance, capturedAt, capture string
	sourceName := h.Source // a source without a name is named by its id
	if row != nil {
		dateSource, sourceName, author = string(row.DateSource), cmp.Or(row.SourceName, h.Source), row.Author
		topics = strings.Join(row.Topics, ";")
		if row.Cluster != 0 {
			cluster = strconv.FormatInt(row.Cluster, 10)
		}
		provenance, capture = string(row.Provenance), row.Capture
		if !row.CapturedAt.IsZero() {
			capturedAt = row.CapturedAt.UTC().Format(time.RFC3339)
		}
	}
	rec := []string{strconv.FormatInt(h.ID, 10), published, h.FirstSeen.Format(time.RFC3339),
		cell(h.Source), cell(h.Stance), cell(h.Lang), cell(h.Title), cell(h.URL),
		cell(sourceName), cell(author), dateSource, cell(topics), cluster, provenance, capturedAt, cell(capture)}
	if c.stories {
		rec = append(rec, strconv.FormatInt(h.Story, 10), strconv.Itoa(h.Copies))
	}
	return c.w.Write(rec)
}

// incomplete writes one cell that starts with "#": a reader of the file
// sees it, and a CSV reader expecting the header's number of fields fails
// on it.
func (c *csvHits) incomplete(msg string) error { return c.w.Write([]string{"# " + msg}) }

func (c *csvHits) flush() error { c.w.Flush(); return c.w.Error() }

// cell guards against formula injection: a spreadsheet runs a cell that
// starts with = + - @ (or a tab or carriage return before them), so such
// text gets a leading single quote and reads as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonHits struct {
	w       *bufio.Writer
	enc     *json.Encoder
	stories bool
}

// exportLine is a line of a JSON Lines export: the hit as the API gives
// it, with the CSV's columns from the store.
type exportLine struct {
	index.Hit
	Copies     *int     `json:"copies,omitempty"` // stories only; hides Hit.Copies
	Author     string   `json:"author"`
	SourceName string   `json:"source_name"`
	DateSource string   `json:"date_source"` // how the published date was found; "" when unknown
	Topics     []string `json:"topics"`
	Cluster    *int64   `json:"cluster"` // the story's id when it has other copies stored, else null
	// Provenance and Capture as /api/articles/{id} gives them: capture is
	// null for presswatch's own fetches.
	Provenance string       `json:"provenance"`
	Capture    *CaptureJSON `json:"capture"`
}

// write writes a hit as the API gives it, but with the snippet as plain
// text rather than HTML, and with what the store adds.
func (j *jsonHits) write(h index.Hit, row *store.ExportRow) error {
	h.Snippet = plainSnippet(readableSnippet(h.Snippet, h.Title))
	line := exportLine{Hit: h, Topics: []string{}, SourceName: h.Source}
	if j.stories {
		line.Copies = &h.Copies
	}
	if row != nil {
		line.Author, line.SourceName, line.DateSource = row.Author, cmp.Or(row.SourceName, h.Source), string(row.DateSource)
		if row.Topics != nil {
			line.Topics = row.Topics
		}
		if row.Cluster != 0 {
			line.Cluster = &row.Cluster
		}
		line.Provenance = string(row.Provenance)
		if row.Capture != "" {
			line.Capture = &CaptureJSON{At: row.CapturedAt, Record: row.Capture}
		}
	}
	return j.enc.Encode(line)
}

// incomplete writes {"incomplete": true, "error": msg}, a line no hit has.
func (j *jsonHits) incomplete(msg string) error {
	return j.enc.Encode(struct {
		Incomplete bool   `json:"incomplete"`
		Error      string `json:"error"`
	}{true, msg})
}

func (j *jsonHits) flush() error { return j.w.Flush() }

var markTags = strings.NewReplacer("<mark>", "", "</mark>", "")

// plainSnippet turns an index snippet (escaped text with <mark>) into text.
func plainSnippet(s string) string { return html.UnescapeString(markTags.Replace(s)) }
