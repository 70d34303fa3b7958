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
)

// compareStances are the columns of the compare page, in order.
var compareStances = []string{"state", "independent", "campaign", "international"}

// Bounds on the headlines of a column.
const (
	compareFetch   = 100 // newest hits read per stance
	comparePerDay  = 3
	compareMaxDays = 10
)

// compareView is the data of compare.html.
type compareView struct {
	searchView
	ShareURL string
	Share    bool
	Columns  []compareColumn
}

// compareColumn is one stance's account: its counts and its headlines.
type compareColumn struct {
	Stance string
	Total  uint64
	URL    string // the search within this stance
	Chart  *chart
	Days   []compareDay
}

type compareDay struct {
	Date string
	Hits []index.Hit
	More int // hits of the day beyond those shown
}

// comparePage answers GET /compare: one column per stance, each with its
// timeline on the same axis and scale and its newest headlines per day.
// With collapse=story each column counts the stories its stance carried
// (a story in two stances counts in both columns) and shows each once.
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
	req, err := parseState(state, "")
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		v.Columns, v.Total, err = s.compareColumns(ctx, lang, req, state, share)
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

func (s *Server) compareColumns(ctx context.Context, lang string, req index.Request, state url.Values, share bool) ([]compareColumn, uint64, error) {
	base := req
	base.Limit = 1
	res, err := s.search.Search(ctx, base)
	if err != nil {
		return nil, 0, err
	}
	sr, err := s.stackSeries(ctx, req, res, share)
	if err != nil {
		return nil, 0, err
	}
	peak := 0.0
	for _, st := range compareStances {
		peak = max(peak, sr.Peak([]string{st}, share))
	}
	cols := make([]compareColumn, len(compareStances))
	errs := make([]error, len(compareStances))
	var wg sync.WaitGroup
	for i, st := range compareStances {
		cols[i] = compareColumn{Stance: st, URL: link("/search", with(state, "stance", st)),
			Chart: sr.chart(lang, s.opts.KeyDates, chartOpts{Path: "/compare", State: state, Compact: true,
				Share: share, Stances: []string{st}, Max: peak, Stories: req.Collapse})}
		wg.Go(func() {
			r := req
			r.Stances, r.Sort, r.Limit = []string{st}, index.SortNewest, compareFetch
			res, err := s.search.Search(ctx, r)
			if err != nil {
				errs[i] = err
				return
			}
			cols[i].Total = res.Total
			cols[i].Days = byDay(res.Hits)
		})
	}
	wg.Wait()
	return cols, res.Total, errors.Join(errs...)
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
