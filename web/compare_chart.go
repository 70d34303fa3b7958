package web

import (
	"math"
	"net/url"
	"sort"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// A compare column's chart is drawn at its own size: the SVG's width and
// height are those of its viewBox and no style scales it, so a label of
// compareFont user units is compareFont CSS pixels on screen. (The
// search page's 800-unit chart scaled into a column of about 250 px drew
// its 11-unit labels 3.4 px tall.) The column is at least compareW wide.
const (
	compareW, compareH = 200, 120
	compareFont        = 12 // px as rendered, over the 11 px every label needs
	compareLeft        = 40 // room for the scale's labels
	compareRight       = compareW - 6
	comparePlotTop     = 8
	comparePlotBot     = compareH - 22
)

// compareChart is one stance's timeline, laid out for "compare-chart".
type compareChart struct {
	Lang           string // the UI language
	Label          string // what the chart shows, for its aria-label
	W, H, Font     int
	Left, Right    float64
	PlotTop, PlotH float64
	PlotBot        float64
	Bars           []compareBar
	YTicks, XTicks []compareTick
	Marks          []compareMark
}

type compareBar struct {
	X, Y, W, H float64
	URL, Title string
}

type compareTick struct {
	X, Y   float64
	Label  string
	Anchor string // text-anchor: start, middle or end
}

type compareMark struct {
	X           float64
	Date, Label string
}

// layoutCompareChart draws the stance st of sr with the scale topping at
// peak (the highest of all columns, so they compare), its bars leading to
// the compare page narrowed to their period, keyDates marked.
func layoutCompareChart(lang string, sr *series, st string, state url.Values, share bool, peak float64, stories bool, keyDates []model.KeyDate) *compareChart {
	what := "sp.chart.label"
	if stories {
		what = "sp.chart.label.stories"
	}
	c := &compareChart{Lang: lang, Label: translate(lang, "sp.stance."+st) + ": " + translate(lang, what),
		W: compareW, H: compareH, Font: compareFont, Left: compareLeft, Right: compareRight,
		PlotTop: comparePlotTop, PlotBot: comparePlotBot, PlotH: comparePlotBot - comparePlotTop}
	n := len(sr.Dates)
	if n == 0 {
		return c
	}
	top := niceCeil(peak, share)
	step := (c.Right - c.Left) / float64(n)
	barW := step
	if step >= 3 {
		barW = step * 0.82
	}
	for i := range sr.Dates {
		vals, _ := sr.values(i, []string{st}, share)
		from, to := sr.period(i, state)
		h := vals[0] / top * c.PlotH
		b := compareBar{X: round1(c.Left + float64(i)*step), W: round1(barW), Y: round1(c.PlotBot - h), H: round1(h),
			URL:   link("/compare", with(with(with(state, "from", from), "to", to), "after", "")),
			Title: periodText(lang, from, to) + ": " + formatValue(lang, vals[0], share)}
		c.Bars = append(c.Bars, b)
	}
	for _, v := range []float64{0, top / 2, top} {
		if !share && v != math.Trunc(v) {
			continue
		}
		c.YTicks = append(c.YTicks, compareTick{X: c.Left - 4, Y: round1(c.PlotBot - v/top*c.PlotH), Label: formatValue(lang, v, share), Anchor: "end"})
	}
	labelY := float64(c.H - 6)
	c.XTicks = append(c.XTicks, compareTick{X: c.Left, Y: labelY, Label: chartDate(lang, sr.Dates[0], sr.Interval), Anchor: "start"})
	if n > 1 {
		c.XTicks = append(c.XTicks, compareTick{X: c.Right, Y: labelY, Label: chartDate(lang, sr.Dates[n-1], sr.Interval), Anchor: "end"})
	}
	c.Marks = compareMarks(sr, keyDates, c.Left, step)
	return c
}

// compareMarks places the key dates within sr's buckets at the middle of
// their bucket. Their labels are listed under the charts: a column has no
// room for them at a readable size.
func compareMarks(sr *series, keyDates []model.KeyDate, left, step float64) []compareMark {
	n := len(sr.Dates)
	last, err := time.Parse(time.DateOnly, sr.Dates[n-1])
	if err != nil {
		return nil
	}
	lastEnd := index.BucketEnd(last, sr.Interval).Format(time.DateOnly)
	var out []compareMark
	for _, kd := range keyDates {
		day := kd.Date
		if len(day) == len("2006-01") {
			day += "-01"
		}
		if _, err := time.Parse(time.DateOnly, day); err != nil || day < sr.Dates[0] || day > lastEnd {
			continue
		}
		i := sort.SearchStrings(sr.Dates, day)
		if i == n || sr.Dates[i] != day {
			i--
		}
		out = append(out, compareMark{X: round1(left + (float64(i)+0.5)*step), Date: kd.Date, Label: kd.Label})
	}
	return out
}

// formatValue shows a count, or a share in per cent, as the charts do.
func formatValue(lang string, v float64, share bool) string {
	c := chart{Lang: lang, Share: share}
	return c.format(v)
}

// compareTable is every count of the compare page in one table: a row per
// period, a row of the undated, a row of the totals; a column per stance.
type compareTable struct {
	Stances  []string
	Rows     []compareRow
	Undated  *compareRow // nil when every counted article is dated
	Totals   compareRow
	ShowSums bool // the last column adds the stances up (articles only: a story may be in several)
}

type compareRow struct {
	Period, URL string
	Cells       []string
	Sum         string
}

// compareTableOf tabulates c: counts, with their share of all collected
// articles beside them when share is set.
func compareTableOf(lang string, c *comparison, state url.Values, share bool) compareTable {
	t := compareTable{Stances: compareStances, ShowSums: !c.Stories}
	sr := c.Series
	for i := range sr.Dates {
		from, to := sr.period(i, state)
		row := compareRow{Period: periodText(lang, from, to), URL: link("/search", with(with(with(state, "from", from), "to", to), "after", ""))}
		sum := 0
		for _, st := range c.Stances {
			cell := numText(lang, int64(st.Counts[i]))
			if share {
				vals, _ := sr.values(i, []string{st.Stance}, true)
				cell += " (" + formatValue(lang, vals[0], true) + ")"
			}
			row.Cells = append(row.Cells, cell)
			sum += st.Counts[i]
		}
		row.Sum = numText(lang, int64(sum))
		t.Rows = append(t.Rows, row)
	}
	var undated, total uint64
	u := compareRow{}
	for _, st := range c.Stances {
		u.Cells = append(u.Cells, numText(lang, int64(st.Undated())))
		t.Totals.Cells = append(t.Totals.Cells, numText(lang, int64(st.Total)))
		undated += st.Undated()
		total += st.Total
	}
	u.Sum, t.Totals.Sum = numText(lang, int64(undated)), numText(lang, int64(total))
	if undated > 0 {
		t.Undated = &u
	}
	return t
}
