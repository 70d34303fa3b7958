package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"presswatch/index"
)

// hitWriter writes hits in one export format; flush sends what it holds
// on to the response.
type hitWriter interface {
	write(index.Hit) error
	flush() error
}

// csvHeader names the columns of a CSV export; one counting stories
// (collapse=story) adds storyColumns.
var (
	csvHeader    = []string{"id", "published", "first_seen", "source", "stance", "lang", "title", "url"}
	storyColumns = []string{"story", "copies"}
)

// exportCSV answers GET /search.csv: every hit of the search, one row
// each, under a header row. With collapse=story a row is a story (its
// first article in the sort order) and ends with the story's id and how
// many other copies match.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "csv", "text/csv; charset=utf-8", func(out io.Writer, stories bool) (hitWriter, error) {
		cw := &csvHits{w: csv.NewWriter(out), stories: stories}
		header := csvHeader
		if stories {
			header = append(slices.Clone(csvHeader), storyColumns...)
		}
		return cw, cw.w.Write(header)
	})
}

// exportJSONL answers GET /search.jsonl: every hit of the search, one JSON
// object a line; with collapse=story one a story, with its "copies".
func (s *Server) exportJSONL(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "jsonl", "application/x-ndjson; charset=utf-8", func(out io.Writer, stories bool) (hitWriter, error) {
		bw := bufio.NewWriter(out)
		return &jsonHits{w: bw, enc: json.NewEncoder(bw), stories: stories}, nil
	})
}

// export streams the whole result set of the search in r, page after page
// of index.MaxLimit, flushing each page, until the last page or until the
// client goes away. Errors before the first byte get a status; later ones
// can only end the response, and are logged.
func (s *Server) export(w http.ResponseWriter, r *http.Request, ext, ctype string, start func(out io.Writer, stories bool) (hitWriter, error)) {
	if !s.ready.Load() {
		http.Error(w, translate(uiLang(r), "error.starting"), http.StatusServiceUnavailable)
		return
	}
	req, err := parseState(searchState(r), "")
	if err != nil {
		http.Error(w, userMessage(uiLang(r), err), statusOf(err))
		return
	}
	req.Limit = index.MaxLimit
	ctx := r.Context()
	res, err := s.search.Search(ctx, req)
	if err != nil {
		if statusOf(err) >= 500 {
			s.log.Error("export failed", "query", r.URL.RawQuery, "error", err)
		}
		http.Error(w, userMessage(uiLang(r), err), statusOf(err))
		return
	}
	name := "presswatch-search-" + s.opts.Now().UTC().Format("20060102-150405") + "." + ext
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	hw, err := start(w, req.Collapse)
	flusher, _ := w.(http.Flusher)
	for err == nil {
		for _, h := range res.Hits {
			if err = hw.write(h); err != nil {
				break
			}
		}
		if err == nil {
			err = hw.flush()
		}
		if err != nil || res.Next == "" {
			break
		}
		if flusher != nil {
			flusher.Flush()
		}
		req.After = res.Next
		res, err = s.search.Search(ctx, req)
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		s.log.Debug("export stopped: the client went away", "query", r.URL.RawQuery)
	default:
		s.log.Error("export broke off", "query", r.URL.RawQuery, "error", err)
	}
}

type csvHits struct {
	w       *csv.Writer
	stories bool
}

func (c *csvHits) write(h index.Hit) error {
	published := ""
	if h.Published != nil {
		published = h.Published.Format(time.RFC3339)
	}
	row := []string{strconv.FormatInt(h.ID, 10), published, h.FirstSeen.Format(time.RFC3339),
		cell(h.Source), cell(h.Stance), cell(h.Lang), cell(h.Title), cell(h.URL)}
	if c.stories {
		row = append(row, strconv.FormatInt(h.Story, 10), strconv.Itoa(h.Copies))
	}
	return c.w.Write(row)
}

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

// write writes a hit as the API gives it, but with the snippet as plain
// text rather than HTML.
func (j *jsonHits) write(h index.Hit) error {
	h.Snippet = plainSnippet(h.Snippet)
	if j.stories {
		return j.enc.Encode(storyHit{h, h.Copies})
	}
	return j.enc.Encode(h)
}

func (j *jsonHits) flush() error { return j.w.Flush() }

var markTags = strings.NewReplacer("<mark>", "", "</mark>", "")

// plainSnippet turns an index snippet (escaped text with <mark>) into text.
func plainSnippet(s string) string { return html.UnescapeString(markTags.Replace(s)) }
