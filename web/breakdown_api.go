package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"presswatch/index"
)

// BreakdownJSON is GET /api/breakdown's answer.
type BreakdownJSON struct {
	Total      uint64               `json:"total"`
	Collapse   string               `json:"collapse,omitempty"` // "story" when the counts are stories
	Breakdowns []BreakdownFieldJSON `json:"breakdowns"`
}

// BreakdownFieldJSON is the search counted by one field.
type BreakdownFieldJSON struct {
	By        string             `json:"by"`
	Rows      []BreakdownRowJSON `json:"rows"`
	Uncounted uint64             `json:"uncounted"` // articles with no value of the field, or beyond those counted
}

// BreakdownRowJSON is one value's count; sources have their name too.
type BreakdownRowJSON struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

// apiBreakdown answers GET /api/breakdown: the search of /api/search's
// parameters counted by language, source and stance (by= one of them), as
// JSON or, with format=csv and one by, as CSV (bom=1 for Excel).
func (s *Server) apiBreakdown(w http.ResponseWriter, r *http.Request) {
	csvOut, bom, err := countsFormat(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	kinds := breakdownKinds
	switch by := r.URL.Query().Get("by"); {
	case by == "" && csvOut:
		writeError(w, http.StatusBadRequest, `web: parameter "by" is needed with format=csv: one of lang, source or stance`)
		return
	case by == "":
	case slices.Contains(breakdownKinds, by):
		kinds = []string{by}
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("web: parameter %q: %q is not a breakdown (want %s)", "by", by, strings.Join(breakdownKinds, ", ")))
		return
	}
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	req, err := parseState(searchState(r), "")
	var out BreakdownJSON
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		out, err = s.breakdowns(ctx, req, kinds)
	}
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("breakdown failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	if req.Collapse {
		out.Collapse = "story"
	}
	if csvOut {
		writeCountsCSV(w, "presswatch-"+kinds[0]+".csv", bom, breakdownCSV(out.Breakdowns[0]))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// breakdowns runs req once and counts it by each of kinds.
func (s *Server) breakdowns(ctx context.Context, req index.Request, kinds []string) (BreakdownJSON, error) {
	req.Limit, req.After = 1, ""
	res, err := s.search.Search(ctx, req)
	if err != nil {
		return BreakdownJSON{}, err
	}
	var names map[string]string
	if slices.Contains(kinds, "source") {
		if names, err = s.sourceNames(ctx); err != nil {
			return BreakdownJSON{}, err
		}
	}
	out := BreakdownJSON{Total: res.Total, Breakdowns: []BreakdownFieldJSON{}}
	for _, by := range kinds {
		b := breakdownOf(res, by, names, req.Collapse)
		f := BreakdownFieldJSON{By: by, Rows: []BreakdownRowJSON{}, Uncounted: b.Uncounted}
		for _, row := range b.Rows {
			f.Rows = append(f.Rows, BreakdownRowJSON(row))
		}
		out.Breakdowns = append(out.Breakdowns, f)
	}
	return out, nil
}

// breakdownCSV is b under a header row: lang or stance and count; for
// sources source_id, source_name and count. Uncounted articles are a last
// row with an empty value.
func breakdownCSV(b BreakdownFieldJSON) [][]string {
	header := []string{b.By, "count"}
	if b.By == "source" {
		header = []string{"source_id", "source_name", "count"}
	}
	rows := [][]string{header}
	add := func(value, name string, n uint64) {
		row := []string{value}
		if b.By == "source" {
			row = append(row, name)
		}
		rows = append(rows, append(row, strconv.FormatUint(n, 10)))
	}
	for _, r := range b.Rows {
		add(r.Value, r.Name, uint64(r.Count))
	}
	if b.Uncounted > 0 {
		add("", "", b.Uncounted)
	}
	return rows
}
