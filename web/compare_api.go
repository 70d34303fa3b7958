package web

import (
	"context"
	"net/http"
	"strconv"

	"presswatch/index"
)

// CompareJSON is GET /api/compare's answer: the counts of the compare
// page.
type CompareJSON struct {
	Total    uint64              `json:"total"`
	Interval string              `json:"interval"`
	Stances  []CompareStanceJSON `json:"stances"`
	Collapse string              `json:"collapse,omitempty"` // "story" when the counts are stories
}

// CompareStanceJSON is one stance's counts: its total, how many of them
// have no published date (on no bucket), and its count per bucket.
type CompareStanceJSON struct {
	Stance   string         `json:"stance"`
	Count    uint64         `json:"count"`
	Undated  uint64         `json:"undated"`
	Timeline []index.Bucket `json:"timeline"`
}

// apiCompare answers GET /api/compare: the search of /api/search's
// parameters counted by stance, every stance (unknown included) a row, as
// JSON or, with format=csv, as CSV (bom=1 for Excel).
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) {
	csvOut, bom, err := countsFormat(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	if st := r.URL.Query()["stance"]; len(st) > 0 {
		writeError(w, http.StatusBadRequest, "web: parameter \"stance\": the rows of /api/compare are every stance, so it takes no stance filter (/api/search does)")
		return
	}
	req, err := parseState(searchState(r), "")
	var c *comparison
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		c, err = s.compare(ctx, req, false, 1)
	}
	if err != nil {
		status := statusOf(err)
		if status >= 500 {
			s.log.Error("compare failed", "query", r.URL.RawQuery, "error", err)
		}
		writeError(w, status, err.Error())
		return
	}
	if csvOut {
		writeCountsCSV(w, "presswatch-compare.csv", bom, compareCSV(c))
		return
	}
	out := CompareJSON{Total: c.Total, Interval: c.Series.Interval, Stances: []CompareStanceJSON{}}
	if c.Stories {
		out.Collapse = "story"
	}
	for _, st := range c.Stances {
		j := CompareStanceJSON{Stance: st.Stance, Count: st.Total, Undated: st.Undated(), Timeline: []index.Bucket{}}
		for i, d := range c.Series.Dates {
			j.Timeline = append(j.Timeline, index.Bucket{Date: d, Count: st.Counts[i]})
		}
		out.Stances = append(out.Stances, j)
	}
	writeJSON(w, http.StatusOK, out)
}

// compareCSV is c as rows under a header: stance, count, undated, then a
// column per bucket named by its first day.
func compareCSV(c *comparison) [][]string {
	header := append([]string{"stance", "count", "undated"}, c.Series.Dates...)
	rows := [][]string{header}
	for _, st := range c.Stances {
		row := []string{st.Stance, strconv.FormatUint(st.Total, 10), strconv.FormatUint(st.Undated(), 10)}
		for _, n := range st.Counts {
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	return rows
}
