package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"presswatch/internal/model"
)

// lineChart is the timelines of several queries, one line each, on one
// time axis and scale, laid out for "tl-lines". A line is told apart by
// its colour (a palette safe for colour blindness, see style.css), its
// dashes and its marker's shape, so it reads in grey and in print too;
// the legend shows all three beside each query and its total.
type lineChart struct {
	Lang             string
	W, H             int
	Left, Right      float64
	PlotTop, PlotBot float64
	MarkTop          float64
	Share, Stories   bool
	Interval         string
	Lines            []line
	YTicks, XTicks   []tick
	Marks            []mark
	Rows             []lineRow
	Max              float64
	ShareURL         string
	Intervals        []choice
	IntervalNote     string
}

// line is one query's timeline.
type line struct {
	N           int    // 1 to 5: its colour, dashes and marker
	Shape       string // the marker's path, relative to its point
	Query       string // as typed; "" is every article
	URL         string // the search of this query
	Total       string // "25 articles"
	UndatedNote string
	Points      string // the polyline's points
	Markers     []marker
}

type marker struct {
	X, Y  float64
	Title string
}

type lineRow struct {
	Period    string
	Cells     []lineCell // one per query
	Collected string     // with shares
}

type lineCell struct {
	Value, URL string
}

// markerShapes are the markers of the five lines, as SVG path data drawn
// from the point: circle, square, triangle, diamond, cross.
var markerShapes = []string{
	"m-3.5,0a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0z",
	"m-3.2,-3.2h6.4v6.4h-6.4z",
	"m0,-4.2l4.2,7.2h-8.4z",
	"m0,-4.6l4.6,4.6l-4.6,4.6l-4.6,-4.6z",
	"m-3.6,-3.6l7.2,7.2m0,-7.2l-7.2,7.2",
}

// T returns the UI text of key, for the chart's template.
func (c *lineChart) T(key string) string { return translate(c.Lang, key) }

// Label names what the chart counts.
func (c *lineChart) Label() string {
	if c.Stories {
		return c.T("tl.chart.label.stories")
	}
	return c.T("tl.chart.label")
}

// Empty says there is nothing to draw.
func (c *lineChart) Empty() string {
	if c.Stories {
		return c.T("sp.chart.empty.stories")
	}
	return c.T("sp.chart.empty")
}

// lineOpts say how to draw several queries.
type lineOpts struct {
	State   url.Values // the page's parameters, every query's included
	Share   bool
	Stories bool
}

// value is query k's height in bucket i: its count or its share.
func (ms *multiSeries) value(k, i int, share bool) float64 {
	if share {
		return ms.share(k, i)
	}
	return float64(ms.Queries[k].Counts[i])
}

// lines lays ms out; a point's period leads, in the table, to the search
// of its query narrowed to that period.
func (ms *multiSeries) lines(lang string, keyDates []model.KeyDate, o lineOpts) *lineChart {
	share := o.Share && ms.All != nil
	c := &lineChart{Lang: lang, W: 800, H: 320, Left: 52, Right: 792, PlotTop: 40, MarkTop: 4,
		Share: share, Stories: o.Stories, Interval: ms.Interval}
	c.PlotBot = float64(c.H) - 22
	fmtv := (&chart{Lang: lang, Share: share}).format
	n := len(ms.Dates)
	peak := 0.0
	for k := range ms.Queries {
		for i := range n {
			peak = max(peak, ms.value(k, i, share))
		}
	}
	c.Max = niceCeil(peak, share)
	plotH := c.PlotBot - c.PlotTop
	step := (c.Right - c.Left) / float64(max(n, 1))
	every := 1 // a marker on every point while they are 8 units apart
	if step < 8 {
		every = int(math.Ceil(8 / step))
	}
	sr := &series{Dates: ms.Dates, Interval: ms.Interval}
	periods := make([][2]string, n)
	for i := range n {
		from, to := sr.period(i, o.State)
		periods[i] = [2]string{from, to}
		row := lineRow{Period: periodText(lang, from, to)}
		if share {
			row.Collected = numText(lang, int64(ms.All[i]))
		}
		c.Rows = append(c.Rows, row)
	}
	totalKey := "tl.total"
	if o.Stories {
		totalKey = "tl.total.stories"
	}
	for k, q := range ms.Queries {
		qState := queryState(o.State, q.Query)
		l := line{N: k + 1, Shape: markerShapes[k%len(markerShapes)], Query: q.Query, URL: link("/search", qState),
			Total: plural(lang, totalKey, int(q.Total)), UndatedNote: undatedNote(lang, q.Undated, o.Stories)}
		var pts []string
		name := q.Query
		if name == "" {
			name = translate(lang, "tl.all")
		}
		for i := range n {
			v := ms.value(k, i, share)
			x, y := round1(c.Left+(float64(i)+0.5)*step), round1(c.PlotBot-v/c.Max*plotH)
			pts = append(pts, strconv.FormatFloat(x, 'f', -1, 64)+","+strconv.FormatFloat(y, 'f', -1, 64))
			if i%every == 0 || i == n-1 {
				l.Markers = append(l.Markers, marker{X: x, Y: y, Title: name + ", " + c.Rows[i].Period + ": " + fmtv(v)})
			}
			cellState := with(with(qState, "from", periods[i][0]), "to", periods[i][1])
			c.Rows[i].Cells = append(c.Rows[i].Cells, lineCell{Value: fmtv(v), URL: link("/search", cellState)})
		}
		l.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, l)
	}
	labelEvery := int(math.Ceil(float64(n) / 8))
	for i, d := range ms.Dates {
		if i%labelEvery == 0 {
			c.XTicks = append(c.XTicks, tick{X: round1(c.Left + float64(i)*step), Y: c.PlotBot + 15, Label: chartDate(lang, d, ms.Interval)})
		}
	}
	for _, v := range []float64{0, c.Max / 2, c.Max} {
		if !share && v != math.Trunc(v) {
			continue
		}
		c.YTicks = append(c.YTicks, tick{X: c.Left - 4, Y: round1(c.PlotBot - v/c.Max*plotH), Label: fmtv(v)})
	}
	c.Marks = keyMarks(ms.Dates, ms.Interval, keyDates, c.Left, step)
	return c
}

// queryState is the search of one query of a timeline: the page's
// parameters with q set to it and the other queries dropped.
func queryState(state url.Values, q string) url.Values {
	out := with(state, "q", q)
	for _, p := range queryParams[1:] {
		out.Del(p)
	}
	return out
}
