package web

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"presswatch/index"
)

// tableRow returns the cells of the chart table's row for period.
func chartRow(t *testing.T, body, period string) []string {
	t.Helper()
	m := regexp.MustCompile(`>` + regexp.QuoteMeta(period) + `</a></th>((?:<td>[^<]*</td>)+)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no table row for %s", period)
	}
	var cells []string
	for _, c := range regexp.MustCompile(`<td>([^<]*)</td>`).FindAllStringSubmatch(m[1], -1) {
		cells = append(cells, c[1])
	}
	return cells
}

func TestTimelineChart(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for name, tc := range map[string]struct {
		query string
		bars  int
	}{
		"asked range, one bar a day":       {"from=2011-12-14&to=2011-12-19", 6},
		"range of the data, one bar a day": {"q=", 4},
	} {
		t.Run(name, func(t *testing.T) {
			res, body := get(t, srv.URL+"/timeline?"+tc.query)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			if n := strings.Count(body, `class="sp-bar"`); n != tc.bars {
				t.Errorf("%d bar groups, want %d", n, tc.bars)
			}
			if !regexp.MustCompile(`<g class="sp-keydate"><title>2011-12-16: Zhanaozen shooting</title>`).MatchString(body) {
				t.Error("the key date 2011-12-16 is not marked")
			}
			if strings.Contains(body, "Strike begins") {
				t.Error("a key date outside the axis is marked")
			}
			// The bar of the 16th leads to the search of that day and
			// stacks the state and the independent report.
			bar := regexp.MustCompile(`<a href="([^"]*)" class="sp-bar"><g><title>2011-12-16: 2 \(state 1, independent 1\)</title>` +
				`<rect class="sp-hit"[^>]*>(<rect class="sp-s-state"[^>]*><rect class="sp-s-independent"[^>]*>)</g></a>`).FindStringSubmatch(body)
			if bar == nil {
				t.Fatalf("no stacked bar for 2011-12-16 in %s", body)
			}
			u, err := url.Parse(html.UnescapeString(bar[1]))
			if err != nil || u.Path != "/search" || u.Query().Get("from") != "2011-12-16" || u.Query().Get("to") != "2011-12-16" {
				t.Errorf("bar links to %s, want /search with from=to=2011-12-16", bar[1])
			}
			if got := strings.Join(chartRow(t, body, "2011-12-16"), " "); got != "1 1 0 0 0 2" {
				t.Errorf("table row of the 16th: %s", got)
			}
		})
	}
}

func TestTimelineShare(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	_, body := get(t, srv.URL+"/timeline?q=хулиганы&from=2011-12-15&to=2011-12-18&share=1")
	// One of the two articles collected on the 16th matches.
	if got := strings.Join(chartRow(t, body, "2011-12-16"), " "); got != "50% 0% 0% 0% 0% 50% 2" {
		t.Errorf("row of the 16th in shares: %s", got)
	}
	if got := strings.Join(chartRow(t, body, "2011-12-15"), " "); got != "0% 0% 0% 0% 0% 0% 1" {
		t.Errorf("row of the 15th in shares: %s", got)
	}
	// The switch back to counts drops share=.
	if !strings.Contains(body, href("/timeline", url.Values{"q": {"хулиганы"}, "from": {"2011-12-15"}, "to": {"2011-12-18"}})) {
		t.Error("no link back to counts")
	}
	_, body = get(t, srv.URL+"/timeline?q=хулиганы&from=2011-12-15&to=2011-12-18")
	if got := strings.Join(chartRow(t, body, "2011-12-16"), " "); got != "1 0 0 0 0 1" {
		t.Errorf("row of the 16th in counts: %s", got)
	}
}

func TestChartWeeksAndMonths(t *testing.T) {
	sr := &series{Dates: []string{"2011-11-28", "2011-12-05", "2011-12-12"}, Interval: "week",
		Counts: map[string][]int{"state": {1, 0, 3}, "independent": {0, 0, 5}}}
	c := sr.chart("en", spKeyDates, chartOpts{Path: "/search", State: url.Values{"from": {"2011-11-30"}}})
	if len(c.Bars) != 3 || len(c.Marks) != 1 || c.Marks[0].X <= c.Bars[2].X || c.Marks[0].X >= c.Bars[2].X+c.Bars[2].W {
		t.Fatalf("bars %+v marks %+v: want the key date inside the third week", c.Bars, c.Marks)
	}
	for i, want := range []string{"from=2011-11-30&to=2011-12-04", "from=2011-12-05&to=2011-12-11"} {
		if !strings.Contains(c.Bars[i].URL, want) {
			t.Errorf("bar %d links %s, want %s", i, c.Bars[i].URL, want)
		}
	}
	if c.Max != 10 {
		t.Errorf("scale tops at %v, want 10", c.Max)
	}
	got := rebucket([]string{"2011-11-01", "2011-12-01"}, "2011-12-31",
		[]index.Bucket{{Date: "2011-11-28", Count: 2}, {Date: "2011-12-05", Count: 3}, {Date: "2012-01-02", Count: 9}})
	if got[0] != 2 || got[1] != 3 {
		t.Errorf("rebucket gives %v, want [2 3]", got)
	}
}
