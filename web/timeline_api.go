package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"presswatch/index"
)

// TimelineJSON is what GET /api/timeline returns. Interval, Timeline,
// Total and Undated are those of the first query; with q2 to q5, Queries
// has every query's.
type TimelineJSON struct {
	Interval string `json:"interval"`
	// IntervalAsked is the interval asked for when it would have made
	// more than index.MaxBuckets buckets and Interval is coarser; Note
	// says so in words.
	IntervalAsked string           `json:"interval_asked,omitempty"`
	Note          string           `json:"note,omitempty"`
	Timeline      []TimelineBucket `json:"timeline"`
	Total         uint64           `json:"total"`
	// Undated counts the matches on no bucket: without a published date
	// (with date=first_seen, without a first-seen time).
	Undated uint64 `json:"undated"`
	// Collapse is "story" when the counts are stories (collapse=story),
	// each on the day of its earliest matching copy; else absent.
	Collapse string `json:"collapse,omitempty"`
	// Collected says, with share=1, what each bucket's collected counts:
	// everything collected from the same sources.
	Collected string          `json:"collected,omitempty"`
	Queries   []TimelineQuery `json:"queries,omitempty"`
}

// TimelineQuery is one query's timeline in TimelineJSON.
type TimelineQuery struct {
	Param    string           `json:"param"` // q, q2 ... q5
	Query    string           `json:"q"`
	Total    uint64           `json:"total"`
	Undated  uint64           `json:"undated"`
	Timeline []TimelineBucket `json:"timeline"`
}

// TimelineBucket is one period of a timeline: its first and last day and
// the matches in it; with share=1 also everything collected from the same
// sources in it and the matches' share of that (0 when nothing was).
type TimelineBucket struct {
	Date      string   `json:"date"`
	End       string   `json:"end"`
	Count     int      `json:"count"`
	Collected *int     `json:"collected,omitempty"`
	Share     *float64 `json:"share,omitempty"`
}

// collectedMeaning is TimelineJSON.Collected.
const collectedMeaning = "articles collected in the bucket with the same source, lang, stance and state filters, whatever the query and topic"

// apiTimeline answers GET /api/timeline: the volume over time of a search
// (the parameters of /api/search and interval), without its hits; of up to
// five queries (q, q2 to q5) on one axis; with share=1 the denominators of
// normalised attention; with format=csv as a CSV file.
func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "starting: the index is catching up with the store")
		return
	}
	v := r.URL.Query()
	csvOut, bom, err := countsFormat(v)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	share, err := shareParam(v.Get("share"))
	if err == nil {
		var req index.Request
		if req, err = index.ParseRequest(v); err == nil {
			if share && req.Collapse {
				err = &index.ParamError{Param: "share", Value: "1", Reason: "cannot be used with collapse=story: shares are of articles only"}
			}
		}
		if err == nil {
			ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
			defer cancel()
			var ms *multiSeries
			if ms, err = s.queriesSeries(ctx, req, timelineQueries(v), share); err == nil {
				if csvOut {
					writeCountsCSV(w, "timeline.csv", bom, ms.csv())
					return
				}
				writeJSON(w, http.StatusOK, ms.json(req))
				return
			}
		}
	}
	status := statusOf(err)
	if status >= 500 {
		s.log.Error("timeline failed", "query", r.URL.RawQuery, "error", err)
	}
	writeError(w, status, err.Error())
}

// shareParam reads share: 1, or 0 or absent.
func shareParam(s string) (bool, error) {
	switch s {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, &index.ParamError{Param: "share", Value: s, Reason: "is not 0 or 1"}
}

// json is ms as the API gives it.
func (ms *multiSeries) json(req index.Request) TimelineJSON {
	out := TimelineJSON{Interval: ms.Interval}
	if ms.Interval == "" {
		out.Interval = req.Interval
	}
	if req.Interval != "" && ms.Interval != "" && req.Interval != ms.Interval {
		out.IntervalAsked = req.Interval
		out.Note = fmt.Sprintf("interval %s would make more than %d buckets over this range; counted by %s", req.Interval, index.MaxBuckets, ms.Interval)
	}
	if req.Collapse {
		out.Collapse = "story"
	}
	if ms.All != nil {
		out.Collected = collectedMeaning
	}
	for k, q := range ms.Queries {
		tq := TimelineQuery{Param: q.Param, Query: q.Query, Total: q.Total, Undated: q.Undated, Timeline: ms.buckets(k)}
		if k == 0 {
			out.Timeline, out.Total, out.Undated = tq.Timeline, tq.Total, tq.Undated
		}
		out.Queries = append(out.Queries, tq)
	}
	if out.Timeline == nil {
		out.Timeline = []TimelineBucket{}
	}
	if len(out.Queries) < 2 {
		out.Queries = nil
	}
	return out
}

// buckets is query k's timeline.
func (ms *multiSeries) buckets(k int) []TimelineBucket {
	out := make([]TimelineBucket, len(ms.Dates))
	for i, d := range ms.Dates {
		out[i] = TimelineBucket{Date: d, End: ms.end(i), Count: ms.Queries[k].Counts[i]}
		if ms.All != nil {
			c, sh := ms.All[i], ms.share(k, i)
			out[i].Collected, out[i].Share = &c, &sh
		}
	}
	return out
}

// end is the last day of bucket i.
func (ms *multiSeries) end(i int) string {
	d, _ := time.Parse(time.DateOnly, ms.Dates[i])
	return index.BucketEnd(d, ms.Interval).Format(time.DateOnly)
}

// csv is ms as rows of a CSV file, the header first: start, end, a count
// column per query ("count" for one, else named by the query), and with
// shares collected and a share column per query.
func (ms *multiSeries) csv() [][]string {
	names := make([]string, len(ms.Queries))
	for k, q := range ms.Queries {
		names[k] = q.Query
		if names[k] == "" {
			names[k] = "*"
		}
	}
	header := []string{"start", "end"}
	if len(ms.Queries) == 1 {
		header = append(header, "count")
	} else {
		header = append(header, names...)
	}
	if ms.All != nil {
		header = append(header, "collected")
		if len(ms.Queries) == 1 {
			header = append(header, "share")
		} else {
			for _, n := range names {
				header = append(header, "share "+n)
			}
		}
	}
	rows := [][]string{header}
	for i, d := range ms.Dates {
		row := []string{d, ms.end(i)}
		for _, q := range ms.Queries {
			row = append(row, strconv.Itoa(q.Counts[i]))
		}
		if ms.All != nil {
			row = append(row, strconv.Itoa(ms.All[i]))
			for k := range ms.Queries {
				row = append(row, strconv.FormatFloat(ms.share(k, i), 'f', -1, 64))
			}
		}
		rows = append(rows, row)
	}
	return rows
}
