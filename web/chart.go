package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// chartStances are the stances a timeline stacks, bottom up.
var chartStances = []string{"state", "independent", "campaign", "international", "unknown"}

// series is a timeline split by stance: the counts of each stance over the
// buckets of the whole search.
type series struct {
	Dates    []string // the first day of each bucket, oldest first
	Interval string   // day, week or month
	Counts   map[string][]int
	All      []int // every collected article per bucket; nil unless asked
}

// stackSeries splits the timeline of base (the first page of req) by
// stance. The index counts every stance's timeline in the search itself
// when asked (req.ByStance, index.Result.ByStance); a base searched
// without it costs one more search, pinned to base's buckets. An index
// being rebuilt from an older mapping has no such counts: then each
// stance present is searched once more, as before. With share, it also
// counts everything collected from the same sources (collectedRequest).
func (s *Server) stackSeries(ctx context.Context, req index.Request, base *index.Result, share bool) (*series, error) {
	sr := &series{Interval: base.Interval, Counts: map[string][]int{}}
	for _, b := range base.Timeline {
		sr.Dates = append(sr.Dates, b.Date)
	}
	if len(sr.Dates) == 0 {
		return sr, nil
	}
	first, last := sr.span()
	lastEnd := last.Format(time.DateOnly)
	byStance := base.ByStance
	if byStance == nil {
		one := req
		one.After, one.Limit, one.Sort, one.ByStance = "", 1, index.SortNewest, true
		one.Interval, one.TimelineFrom, one.TimelineTo = sr.Interval, first, last
		res, err := s.search.Search(ctx, one)
		if err != nil {
			return nil, err
		}
		byStance = res.ByStance
	}
	if byStance == nil {
		if err := s.stackPerStance(ctx, req, base, sr); err != nil {
			return nil, err
		}
	} else {
		for _, st := range chartStances {
			if tl, ok := byStance[st]; ok {
				sr.Counts[st] = rebucket(sr.Dates, lastEnd, tl)
			}
		}
	}
	if share {
		res, err := s.search.Search(ctx, collectedRequest(req, sr.Interval, first, last))
		if err != nil {
			return nil, err
		}
		sr.All = rebucket(sr.Dates, lastEnd, res.Timeline)
	}
	return sr, nil
}

// span is the first day of sr's first bucket and the last day of its last.
func (sr *series) span() (first, last time.Time) {
	first, _ = time.Parse(time.DateOnly, sr.Dates[0])
	last, _ = time.Parse(time.DateOnly, sr.Dates[len(sr.Dates)-1])
	return first, index.BucketEnd(last, sr.Interval)
}

// collectedRequest counts everything collected from the same sources as
// req, the denominator of shares: req's source, lang, stance and state
// filters and its date field, without its query and topics, over the
// buckets of interval from first to last (days). Buckets cut by req's
// own from and to count only the days inside, as the search does.
func collectedRequest(req index.Request, interval string, first, last time.Time) index.Request {
	all := index.Request{Sources: req.Sources, Langs: req.Langs, Stances: req.Stances, States: req.States,
		ByFirstSeen: req.ByFirstSeen, From: req.From, To: req.To, Interval: interval,
		TimelineFrom: first, TimelineTo: last, Limit: 1, Sort: index.SortNewest}
	if all.From.IsZero() || all.From.Before(first) {
		all.From = first
	}
	if end := last.Add(24*time.Hour - time.Nanosecond); all.To.IsZero() || all.To.After(end) {
		all.To = end
	}
	return all
}

// stackPerStance fills sr's counts with one search per stance present,
// for an index without the timeline by stance.
func (s *Server) stackPerStance(ctx context.Context, req index.Request, base *index.Result, sr *series) error {
	first, last := sr.span()
	lastEnd := last.Format(time.DateOnly)
	sub := req
	sub.After, sub.Limit, sub.Sort, sub.ByStance = "", 1, index.SortNewest, false
	sub.Interval, sub.TimelineFrom, sub.TimelineTo = sr.Interval, first, last
	var present []string
	for _, st := range chartStances {
		if base.Facets == nil || facetCount(base.Facets["stance"], st) > 0 {
			present = append(present, st)
		}
	}
	out := make([][]int, len(present))
	errs := make([]error, len(present))
	var wg sync.WaitGroup
	for i, st := range present {
		wg.Go(func() {
			r := sub
			r.Stances = []string{st}
			res, err := s.search.Search(ctx, r)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = rebucket(sr.Dates, lastEnd, res.Timeline)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, st := range present {
		sr.Counts[st] = out[i]
	}
	return nil
}

func facetCount(fc []index.FacetCount, val string) int {
	for _, f := range fc {
		if f.Value == val {
			return f.Count
		}
	}
	return 0
}

// rebucket adds the counts of tl into the buckets starting at dates (the
// last ending on lastEnd): each count goes to the bucket holding its date.
func rebucket(dates []string, lastEnd string, tl []index.Bucket) []int {
	out := make([]int, len(dates))
	for _, b := range tl {
		if b.Count == 0 || b.Date > lastEnd {
			continue
		}
		i := sort.SearchStrings(dates, b.Date)
		if i == len(dates) || dates[i] != b.Date {
			i--
		}
		if i >= 0 {
			out[i] += b.Count
		}
	}
	return out
}

// chartOpts say how to draw a series.
type chartOpts struct {
	Path    string     // where a bar leads, with the bar's period as from/to
	Self    string     // the page the chart is on, for the share switch; "" for none
	State   url.Values // the search
	Compact bool
	Share   bool     // shares of all collected articles, not counts
	Stances []string // which to draw; nil for all
	Max     float64  // top of the scale; 0 fits the data
	Stories bool     // the counts are stories (collapse=story), not articles
}

// chart is an SVG timeline, laid out for the "sp-chart" template.
type chart struct {
	Lang             string
	W, H             int
	Compact, Share   bool
	Stories          bool // the counts are stories
	ShareAsked       bool // share=1 was asked for stories, which are drawn as counts
	Interval         string
	Bars             []bar
	Marks            []mark
	YTicks, XTicks   []tick
	Legend           []string // the stances drawn
	Rows             []tableRow
	Max              float64
	ShareURL         string   // the chart in the other mode
	Intervals        []choice // the chart by each interval (labels in words); nil for none
	IntervalNote     string   // says the asked interval was too fine for the span, if it was
	UndatedNote      string   // says how many matches are on no bar, if any
	PlotTop, PlotBot float64
	PlotH, MarkTop   float64
	Left, Right      float64
}

type bar struct {
	X, W  float64
	URL   string
	Title string
	Segs  []seg
}

type seg struct {
	X, W, Y, H float64
	Stance     string
}

type mark struct {
	X, LabelY   float64
	Date, Label string
}

type tick struct {
	X, Y  float64
	Label string
}

type tableRow struct {
	Period    string
	URL       string
	Cells     []string
	Total     string
	Collected string // with shares: everything collected from the same sources in the period
}

// T returns the UI text of key, for the chart's template.
func (c *chart) T(key string) string { return translate(c.Lang, key) }

// Label names what the chart counts, for its caption and its table.
func (c *chart) Label() string {
	if c.Stories {
		return c.T("sp.chart.label.stories")
	}
	return c.T("sp.chart.label")
}

// Empty says there is nothing to draw.
func (c *chart) Empty() string {
	if c.Stories {
		return c.T("sp.chart.empty.stories")
	}
	return c.T("sp.chart.empty")
}

// values is the height of each stance in bucket i: its count or its share.
func (sr *series) values(i int, stances []string, share bool) ([]float64, float64) {
	vals := make([]float64, len(stances))
	var total float64
	for k, st := range stances {
		v := 0.0
		if c := sr.Counts[st]; c != nil {
			v = float64(c[i])
		}
		if share {
			v = 0
			if sr.All != nil && sr.All[i] > 0 && sr.Counts[st] != nil {
				v = float64(sr.Counts[st][i]) / float64(sr.All[i])
			}
		}
		vals[k] = v
		total += v
	}
	return vals, total
}

// Peak is the highest bar of the stances, for a scale shared by charts.
func (sr *series) Peak(stances []string, share bool) float64 {
	peak := 0.0
	for i := range sr.Dates {
		if _, t := sr.values(i, stances, share); t > peak {
			peak = t
		}
	}
	return peak
}

// chart lays sr out, marking keyDates.
func (sr *series) chart(lang string, keyDates []model.KeyDate, o chartOpts) *chart {
	stances := o.Stances
	if stances == nil {
		stances = chartStances
	}
	share := o.Share && sr.All != nil
	c := &chart{Lang: lang, W: 800, H: 300, Compact: o.Compact, Share: share, Stories: o.Stories, Interval: sr.Interval,
		Legend: stances, Left: 52, Right: 792, PlotTop: 40}
	if o.Compact {
		c.H = 150
	}
	c.PlotBot = float64(c.H) - 22
	c.PlotH, c.MarkTop = c.PlotBot-c.PlotTop, 4
	if o.Self != "" {
		c.ShareURL = link(o.Self, with(with(o.State, "share", map[bool]string{false: "1"}[o.Share]), "after", ""))
	}
	n := len(sr.Dates)
	if n == 0 {
		return c
	}
	peak := o.Max
	if peak == 0 {
		peak = sr.Peak(stances, share)
	}
	c.Max = niceCeil(peak, share)
	plotH := c.PlotBot - c.PlotTop
	step := (c.Right - c.Left) / float64(n)
	barW := step
	if step >= 3 {
		barW = step * 0.82
	}
	labelEvery := int(math.Ceil(float64(n) / map[bool]float64{true: 4, false: 8}[o.Compact]))
	for i, d := range sr.Dates {
		vals, total := sr.values(i, stances, share)
		from, to := sr.period(i, o.State)
		linkState := with(with(with(o.State, "from", from), "to", to), "after", "")
		b := bar{X: round1(c.Left + float64(i)*step), W: round1(barW), URL: link(o.Path, linkState)}
		y := c.PlotBot
		row := tableRow{Period: periodText(lang, from, to), URL: b.URL, Total: c.format(total)}
		if share {
			row.Collected = numText(lang, int64(sr.All[i]))
		}
		var parts []string
		for k, st := range stances {
			row.Cells = append(row.Cells, c.format(vals[k]))
			if vals[k] == 0 {
				continue
			}
			h := vals[k] / c.Max * plotH
			y -= h
			b.Segs = append(b.Segs, seg{X: b.X, W: b.W, Y: round1(y), H: round1(h), Stance: st})
			parts = append(parts, translate(lang, "sp.stance."+st)+" "+c.format(vals[k]))
		}
		b.Title = row.Period + ": " + c.format(total)
		if len(parts) > 0 {
			b.Title += " (" + strings.Join(parts, ", ") + ")"
		}
		c.Bars = append(c.Bars, b)
		c.Rows = append(c.Rows, row)
		if i%labelEvery == 0 {
			c.XTicks = append(c.XTicks, tick{X: b.X, Y: c.PlotBot + 15, Label: chartDate(lang, d, sr.Interval)})
		}
	}
	for _, v := range []float64{0, c.Max / 2, c.Max} {
		if !share && v != math.Trunc(v) {
			continue
		}
		c.YTicks = append(c.YTicks, tick{X: c.Left - 4, Y: round1(c.PlotBot - v/c.Max*plotH), Label: c.format(v)})
	}
	c.Marks = keyMarks(sr.Dates, sr.Interval, keyDates, c.Left, step)
	return c
}

// keyMarks places the key dates that fall within the buckets starting on
// dates, each at the middle of its bucket (of width step from left),
// their labels on two alternating lines.
func keyMarks(dates []string, interval string, keyDates []model.KeyDate, left, step float64) []mark {
	n := len(dates)
	if n == 0 {
		return nil
	}
	lastEnd := ""
	if last, err := time.Parse(time.DateOnly, dates[n-1]); err == nil {
		lastEnd = index.BucketEnd(last, interval).Format(time.DateOnly)
	}
	var marks []mark
	for _, kd := range keyDates {
		day := kd.Date
		if len(day) == len("2006-01") {
			day += "-01"
		}
		if _, err := time.Parse(time.DateOnly, day); err != nil || day < dates[0] || day > lastEnd {
			continue
		}
		i := sort.SearchStrings(dates, day)
		if i == n || dates[i] != day {
			i--
		}
		marks = append(marks, mark{X: round1(left + (float64(i)+0.5)*step), LabelY: float64(14 + 13*(len(marks)%2)),
			Date: kd.Date, Label: kd.Label})
	}
	return marks
}

// period is the first and last day of bucket i, within the search's own
// range, as from/to parameters.
func (sr *series) period(i int, state url.Values) (string, string) {
	from := sr.Dates[i]
	start, _ := time.Parse(time.DateOnly, from)
	to := index.BucketEnd(start, sr.Interval).Format(time.DateOnly)
	if f := state.Get("from"); len(f) == len(time.DateOnly) && f > from {
		from = f
	}
	if t := state.Get("to"); len(t) == len(time.DateOnly) && t < to {
		to = t
	}
	return from, to
}

// format shows a bar's value: a count, or a share in per cent.
func (c *chart) format(v float64) string {
	if !c.Share {
		return numText(c.Lang, int64(math.Round(v)))
	}
	if v > 0 && v < 0.1 {
		return percentText(c.Lang, v, 1)
	}
	return percentText(c.Lang, v, 0)
}

// niceCeil rounds the top of a scale up to 1, 2 or 5 times a power of ten
// (a share to whole per cent, at most 100%).
func niceCeil(x float64, share bool) float64 {
	if share {
		if x <= 0 {
			return 1
		}
		return math.Min(1, math.Ceil(x*100)/100)
	}
	if x <= 1 {
		return 1
	}
	exp := math.Pow(10, math.Floor(math.Log10(x)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*exp >= x {
			return f * exp
		}
	}
	return 10 * exp
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// searchChart draws the stacked timeline of req, whose first page is base.
// A search counting stories (req.Collapse) is drawn as one series, the
// stories of base's own timeline: a story carried by sources of several
// stances counts once in each stance, so stacking the stances would count
// it more than once. Shares are of articles only, so stories are always
// drawn as counts.
func (s *Server) searchChart(ctx context.Context, lang string, req index.Request, base *index.Result, o chartOpts) (*chart, error) {
	var c *chart
	if req.Collapse {
		asked, self := o.Share, o.Self
		o.Stances, o.Share, o.Self, o.Stories = []string{storySeries}, false, "", true
		c = storiesOf(base).chart(lang, s.opts.KeyDates, o)
		c.ShareAsked = asked
		o.Self = self
	} else {
		sr, err := s.stackSeries(ctx, req, base, o.Share)
		if err != nil {
			return nil, err
		}
		if o.Stances == nil {
			o.Stances = slices.Clone(chartStances)
		}
		c = sr.chart(lang, s.opts.KeyDates, o)
	}
	if o.Self != "" {
		c.Intervals = intervalChoices(lang, o.Self, o.State)
	}
	c.IntervalNote = intervalNote(lang, req.Interval, base.Interval)
	c.UndatedNote = undatedNote(lang, base.Undated, req.Collapse)
	return c, nil
}

// intervalChoices link the page self with the search state by each
// interval, the automatic choice first; the one asked is Current.
func intervalChoices(lang, self string, state url.Values) []choice {
	asked := state.Get("interval")
	if asked == "auto" {
		asked = ""
	}
	out := []choice{{Label: translate(lang, "sp.interval.auto"), URL: link(self, with(with(state, "interval", ""), "after", "")),
		Current: asked == ""}}
	for _, iv := range index.Intervals {
		out = append(out, choice{Label: translate(lang, "sp.interval."+iv),
			URL: link(self, with(with(state, "interval", iv), "after", "")), Current: asked == iv})
	}
	return out
}

// intervalNote says, when asked is an interval the timeline could not be
// counted in (more than index.MaxBuckets buckets), which it was counted in.
func intervalNote(lang, asked, got string) string {
	if asked == "" || asked == got || got == "" {
		return ""
	}
	return fmt.Sprintf(translate(lang, "sp.interval.coarser"), translate(lang, "sp.interval."+asked), index.MaxBuckets,
		translate(lang, "sp.interval."+got))
}

// undatedNote says how many matches are on no bar, "" when none.
func undatedNote(lang string, undated uint64, stories bool) string {
	if undated == 0 {
		return ""
	}
	if stories {
		return plural(lang, "sp.undated.stories", int(undated))
	}
	return plural(lang, "sp.undated", int(undated))
}

// storySeries is the one series of a chart counting stories.
const storySeries = "story"

// storiesOf is the timeline of a search counting stories, as one series.
func storiesOf(base *index.Result) *series {
	sr := &series{Interval: base.Interval, Counts: map[string][]int{}}
	counts := make([]int, len(base.Timeline))
	for i, b := range base.Timeline {
		sr.Dates = append(sr.Dates, b.Date)
		counts[i] = b.Count
	}
	sr.Counts[storySeries] = counts
	return sr
}
