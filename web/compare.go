package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// compareStances are the columns of the compare page and the rows of
// /api/compare, in order: every stance a source can have, unknown
// included, so that, counting articles, the columns add up to the total.
var compareStances = func() []string {
	out := make([]string, len(model.Stances))
	for i, st := range model.Stances {
		out[i] = string(st)
	}
	return out
}()

// Bounds on the headlines of a column.
const (
	compareFetch   = 100 // newest hits read per stance
	comparePerDay  = 3
	compareMaxDays = 10
)

// comparison is a search counted by stance: what the compare page and
// /api/compare show.
type comparison struct {
	Total   uint64  // the whole search: articles, or stories with collapse=story
	Series  *series // each stance's counts over the search's buckets
	Stances []stanceCount
	Stories bool // the counts are stories
}

// stanceCount is one stance's part of a comparison.
type stanceCount struct {
	Stance string
	Total  uint64
	Counts []int       // per bucket of the series
	Hits   []index.Hit // its newest, up to the fetch asked
}

// Undated is how many of the stance's articles (stories) are on no bar:
// those without a published date.
func (c stanceCount) Undated() uint64 {
	dated := uint64(0)
	for _, n := range c.Counts {
		dated += uint64(n)
	}
	if dated >= c.Total {
		return 0
	}
	return c.Total - dated
}

// Sum adds the stances' totals. Counting articles it is Total, as every
// article has one stance; counting stories it may be more, as a story
// carried by sources of several stances counts in each.
func (c *comparison) Sum() uint64 {
	var n uint64
	for _, st := range c.Stances {
		n += st.Total
	}
	return n
}

// compare counts req by stance (req's own stance filter is not applied:
// the stances are the columns), with each stance's fetch newest hits.
// With share, the series also counts every article collected per bucket.
func (s *Server) compare(ctx context.Context, req index.Request, share bool, fetch int) (*comparison, error) {
	req.Stances = nil
	base := req
	base.Limit, base.After, base.ByStance = 1, "", true // the stances' timelines come with it
	res, err := s.search.Search(ctx, base)
	if err != nil {
		return nil, err
	}
	sr, err := s.stackSeries(ctx, req, res, share)
	if err != nil {
		return nil, err
	}
	c := &comparison{Total: res.Total, Series: sr, Stances: make([]stanceCount, len(compareStances)), Stories: req.Collapse}
	errs := make([]error, len(compareStances))
	var wg sync.WaitGroup
	for i, st := range compareStances {
		c.Stances[i] = stanceCount{Stance: st, Counts: sr.Counts[st]}
		if c.Stances[i].Counts == nil {
			c.Stances[i].Counts = make([]int, len(sr.Dates))
		}
		wg.Go(func() {
			r := req
			r.Stances, r.Sort, r.Limit, r.After = []string{st}, index.SortNewest, fetch, ""
			res, err := s.search.Search(ctx, r)
			if err != nil {
				errs[i] = err
				return
			}
			c.Stances[i].Total, c.Stances[i].Hits = res.Total, res.Hits
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// compareView is the data of compare.html.
type compareView struct {
	searchView
	ShareURL string
	Share    bool
	Columns  []compareColumn
	Sum      uint64 // of the columns' totals
	Missing  uint64 // counting articles, those in no column (none expected)
	Over     bool   // counting stories, the columns add up to more than Total
	Interval string
	Table    compareTable
	KeyDates []model.KeyDate // those the charts mark
	// The counts of the page as CSV (for Excel: with a byte order mark)
	// and JSON, from /api/compare.
	CountsCSV, CountsExcel, CountsJSON string
	BreakdownURL                       string
}

// compareColumn is one stance's account: its counts and its headlines.
type compareColumn struct {
	Stance  string
	Total   uint64
	Undated uint64
	URL     string // the search within this stance
	Chart   *compareChart
	Days    []compareDay
}

type compareDay struct {
	Date string
	Hits []index.Hit
	More int // hits of the day beyond those shown
}

// comparePage answers GET /compare: one column per stance, unknown
// included, each with its timeline on the same axis and scale and its
// newest headlines per day. With collapse=story each column counts the
// stories its stance carried (a story in two stances counts in both) and
// shows each once.
func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		s.errorPage(w, r, http.StatusServiceUnavailable, translate(lang, "error.starting"))
		return
	}
	state := with(searchState(r), "stance", "") // the columns are the stances
	v := compareView{searchView: newSearchView(state)}
	// Shares are of articles only: counting stories, the columns show counts.
	share := state.Get("share") == "1" && !v.Collapse
	v.Share = share
	if !v.Collapse {
		v.ShareURL = link("/compare", with(state, "share", map[bool]string{false: "1"}[share]))
	}
	api := with(state, "share", "")
	v.CountsJSON = link("/api/compare", api)
	v.CountsCSV = link("/api/compare", with(api, "format", "csv"))
	v.CountsExcel = link("/api/compare", with(with(api, "format", "csv"), "bom", "1"))
	v.BreakdownURL = link("/breakdown", with(searchState(r), "share", "")) // its own filters, stance too
	req, err := parseState(state, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		var c *comparison
		if c, err = s.compare(ctx, req, share, compareFetch); err == nil {
			s.fillCompare(ctx, lang, &v, c, state, share)
		}
	}
	status := http.StatusOK
	if err != nil {
		if status = statusOf(err); status >= 500 {
			s.log.Error("compare page failed", "query", r.URL.RawQuery, "error", err)
		}
		v.Error = userMessage(lang, err)
	}
	s.render(w, r, status, "compare.html", translate(lang, "sp.compare.title"), v)
}

// fillCompare lays c out for the page: a column per stance with a chart on
// the scale of the highest, the table of counts and what the sums say.
func (s *Server) fillCompare(ctx context.Context, lang string, v *compareView, c *comparison, state url.Values, share bool) {
	v.Total, v.Sum, v.Interval = c.Total, c.Sum(), c.Series.Interval
	if !c.Stories && v.Sum < v.Total {
		v.Missing = v.Total - v.Sum
	}
	v.Over = c.Stories && v.Sum > v.Total
	peak := 0.0
	for _, st := range compareStances {
		peak = max(peak, c.Series.Peak([]string{st}, share))
	}
	for _, st := range c.Stances {
		v.Columns = append(v.Columns, compareColumn{Stance: st.Stance, Total: st.Total, Undated: st.Undated(),
			URL:   link("/search", with(state, "stance", st.Stance)),
			Chart: layoutCompareChart(lang, c.Series, st.Stance, state, share, peak, c.Stories, s.opts.KeyDates),
			Days:  byDay(st.Hits)})
	}
	v.Table = compareTableOf(lang, c, state, share)
	if len(v.Columns) > 0 {
		for _, m := range v.Columns[0].Chart.Marks {
			v.KeyDates = append(v.KeyDates, model.KeyDate{Date: m.Date, Label: m.Label})
		}
	}
	v.Names = s.namesOrIDs(ctx)
}

// byDay groups hits, newest first, by the publisher's day: at most
// comparePerDay a day and compareMaxDays days. Undated hits are left out.
func byDay(hits []index.Hit) []compareDay {
	var days []compareDay
	at := map[string]int{}
	for _, h := range hits {
		if h.Published == nil {
			continue
		}
		// Sorted by instant, the publishers' days may interleave a little
		// across time zones, so a day is looked up, not assumed last.
		d := h.Published.Format(time.DateOnly)
		i, ok := at[d]
		if !ok {
			if len(days) == compareMaxDays {
				continue
			}
			i = len(days)
			at[d] = i
			days = append(days, compareDay{Date: d})
		}
		if len(days[i].Hits) < comparePerDay {
			days[i].Hits = append(days[i].Hits, h)
		} else {
			days[i].More++
		}
	}
	slices.SortStableFunc(days, func(a, b compareDay) int { return strings.Compare(b.Date, a.Date) })
	return days
}
