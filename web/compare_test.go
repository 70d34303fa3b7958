package web

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"presswatch/index"
	"presswatch/internal/model"
)

func TestComparePage(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	res, body := get(t, srv.URL+"/compare?from=2011-12-15&to=2011-12-18&stance=state")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	parts := strings.Split(body, `<section class="sp-column sp-col-`)[1:]
	if len(parts) != 5 {
		t.Fatalf("%d columns, want 5 (the stance filter does not apply here)", len(parts))
	}
	var scale string
	for i, tc := range []struct {
		stance   string
		has, not []string
	}{
		{"state", []string{`href="/articles/1"`, `href="/articles/5"`, `<time datetime="2011-12-16">`}, []string{`href="/articles/2"`}},
		{"independent", []string{`href="/articles/2"`, `href="/articles/6"`}, []string{`href="/articles/1"`}},
		{"campaign", []string{`href="/articles/3"`, `<time datetime="2011-12-17">`}, []string{`href="/articles/4"`}},
		{"international", []string{`href="/articles/4"`}, []string{`href="/articles/3"`}},
		{"unknown", []string{`<p class="sp-none">`, `<p class="total">no articles</p>`}, []string{`href="/articles/`, "all 0"}},
	} {
		col := parts[i]
		if !strings.HasPrefix(col, tc.stance+`"`) {
			t.Errorf("column %d is %.20s, want %s", i, col, tc.stance)
		}
		for _, h := range tc.has {
			if !strings.Contains(col, h) {
				t.Errorf("%s column lacks %s", tc.stance, h)
			}
		}
		for _, h := range tc.not {
			if strings.Contains(col, h) {
				t.Errorf("%s column has %s", tc.stance, h)
			}
		}
		// Same axis and scale in every column.
		if n := strings.Count(col, `class="cmp-bar"`); n != 4 {
			t.Errorf("%s column has %d bars, want 4", tc.stance, n)
		}
		svg := col[:strings.Index(col, "</svg>")]
		ticks := regexp.MustCompile(`<text class="cmp-label"[^>]*dominant-baseline="middle">([^<]*)</text>`).FindAllStringSubmatch(svg, -1)
		if len(ticks) == 0 {
			t.Fatalf("%s column has no scale", tc.stance)
		}
		top := ticks[len(ticks)-1][1]
		if scale == "" {
			scale = top
		} else if top != scale {
			t.Errorf("%s column's scale tops at %s, others at %s", tc.stance, top, scale)
		}
	}
	// Days are newest first within a column.
	state := parts[0]
	if strings.Index(state, `datetime="2011-12-16"`) > strings.Index(state, `datetime="2011-12-15"`) {
		t.Error("state column lists the 15th before the 16th")
	}
}

func TestByDayBounds(t *testing.T) {
	hits := hitsFrom(manyArticles(24 * 20)) // 20 days, 24 a day, newest last
	for i, j := 0, len(hits)-1; i < j; i, j = i+1, j-1 {
		hits[i], hits[j] = hits[j], hits[i]
	}
	days := byDay(hits)
	if len(days) != compareMaxDays || days[0].Date != "2011-12-20" || len(days[0].Hits) != comparePerDay || days[0].More != 24-comparePerDay {
		t.Errorf("got %d days, first %+v", len(days), days[0].Date)
	}
}

func hitsFrom(arts []*model.Article) []index.Hit {
	hits := make([]index.Hit, len(arts))
	for i, a := range arts {
		p := a.Published
		hits[i] = index.Hit{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.SourceID, Published: &p, FirstSeen: a.FirstSeen}
	}
	return hits
}

// Every article is in a column: with articles of every stance, unknown
// included, the columns hold exactly their stance's articles and add up to
// the total the page states, and the table's totals say the same.
func TestCompareColumnsAddUp(t *testing.T) {
	srv := newCountServer(t)
	res, body := get(t, srv.URL+"/compare")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	total := regexp.MustCompile(`<p class="total cmp-sum">(\d+) articles:`).FindStringSubmatch(body)
	if total == nil || total[1] != "8" {
		t.Fatalf("the page states the total %v, want 8 articles", total)
	}
	got := map[string]uint64{}
	var sum uint64
	var order []string
	for _, col := range strings.Split(body, `<section class="sp-column sp-col-`)[1:] {
		stance := col[:strings.Index(col, `"`)]
		m := regexp.MustCompile(`>(?:all )?(\d+) articles?</a>`).FindStringSubmatch(col)
		if m == nil {
			t.Fatalf("the %s column states no count", stance)
		}
		n, _ := strconv.ParseUint(m[1], 10, 64)
		got[stance] = n
		sum += n
		order = append(order, stance)
	}
	if !slices.Equal(order, compareStances) {
		t.Errorf("columns %v, want %v", order, compareStances)
	}
	if !maps.Equal(got, countCounts) {
		t.Errorf("columns count %v, want %v", got, countCounts)
	}
	if sum != 8 {
		t.Errorf("the columns add up to %d, the total is 8", sum)
	}
	// The table: its totals row, and the undated article of unknown stance
	// on a row of its own rather than on none.
	foot := regexp.MustCompile(`(?s)<tr class="cmp-totals">(.*?)</tr>`).FindStringSubmatch(body)
	if foot == nil {
		t.Fatal("the table has no totals row")
	}
	cells := regexp.MustCompile(`<td>(\d+)</td>`).FindAllStringSubmatch(foot[1], -1)
	var foots []string
	for _, c := range cells {
		foots = append(foots, c[1])
	}
	if want := []string{"2", "2", "1", "1", "2", "8"}; !slices.Equal(foots, want) {
		t.Errorf("totals row %v, want %v", foots, want)
	}
	if !strings.Contains(body, `<tr class="cmp-undated"><th scope="row">Undated</th><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>`) {
		t.Error("the table lacks the row of the one undated article (unknown stance)")
	}
	if !strings.Contains(body, "1 undated, on no bar") {
		t.Error("the unknown column does not say one article is undated")
	}
	// Source names, not ids, beside the headlines.
	if !strings.Contains(body, `<span class="source">Vlast.kz</span>`) || strings.Contains(body, `<span class="source">vlast</span>`) {
		t.Error("the unknown column's headline is not given its source's name")
	}
}

// /api/compare gives the page's counts: every stance a row, adding up to
// the total, as JSON and CSV (with a byte order mark on asking).
func TestAPICompare(t *testing.T) {
	srv := newCountServer(t)
	res, body := get(t, srv.URL+"/api/compare")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var out CompareJSON
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	got, sum := map[string]uint64{}, uint64(0)
	for _, st := range out.Stances {
		got[st.Stance] = st.Count
		sum += st.Count
		dated := uint64(0)
		for _, b := range st.Timeline {
			dated += uint64(b.Count)
		}
		if dated+st.Undated != st.Count {
			t.Errorf("%s: %d on the timeline and %d undated, but %d in all", st.Stance, dated, st.Undated, st.Count)
		}
	}
	if !maps.Equal(got, countCounts) || sum != out.Total || out.Total != 8 {
		t.Errorf("stances %v adding up to %d, total %d; want %v and 8", got, sum, out.Total, countCounts)
	}

	res, body = get(t, srv.URL+"/api/compare?format=csv&bom=1")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(body, "\uFEFFstance,count,undated,2011-12-15,2011-12-16,2011-12-17,2011-12-18\n") {
		t.Errorf("csv starts %.80q", body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"stance", "count", "undated", "2011-12-15", "2011-12-16", "2011-12-17", "2011-12-18"},
		{"state", "2", "0", "1", "1", "0", "0"},
		{"independent", "2", "0", "0", "1", "0", "1"},
		{"campaign", "1", "0", "0", "0", "1", "0"},
		{"international", "1", "0", "0", "0", "1", "0"},
		{"unknown", "2", "1", "0", "0", "1", "0"},
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("csv rows\n%v\nwant\n%v", rows, want)
	}
	if _, body := get(t, srv.URL+"/api/compare?format=csv"); strings.HasPrefix(body, "\uFEFF") {
		t.Error("a byte order mark without bom=1")
	}

	for name, tc := range map[string]struct{ query, has string }{
		"unknown format":  {"format=xlsx", `\"format\": \"xlsx\" is not a format`},
		"bad bom":         {"format=csv&bom=yes", `\"bom\": \"yes\" is not 0 or 1`},
		"bom for json":    {"bom=1", `for format=csv only`},
		"a stance filter": {"stance=state", `takes no stance filter`},
		"bad date":        {"from=2011-13-01", `is not a date`},
	} {
		res, body := get(t, srv.URL+"/api/compare?"+tc.query)
		if res.StatusCode != 400 || !strings.Contains(body, tc.has) {
			t.Errorf("%s: %d %s, want 400 with %s", name, res.StatusCode, body, tc.has)
		}
	}
}

// The compare page runs the search once with every stance's timeline and
// once per stance for its headlines: six searches (seven with shares),
// not one more per stance for the timelines.
func TestCompareSearches(t *testing.T) {
	var cs *compareCounter
	srv := newCountServerWith(t, func(s Searcher) Searcher { cs = &compareCounter{Searcher: s}; return cs })
	for path, most := range map[string]int64{"/compare": 6, "/compare?share=1": 7, "/api/compare": 6} {
		cs.n.Store(0)
		if res, body := get(t, srv.URL+path); res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, body)
		}
		if n := cs.n.Load(); n > most {
			t.Errorf("%s ran %d searches, want at most %d", path, n, most)
		}
	}
}

// TestCompareEmptyColumnSaysSo holds that a column with nothing says so,
// in stories when stories are counted and in Russian for a Russian
// reader, instead of linking a search of nothing.
func TestCompareEmptyColumnSaysSo(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	for _, tc := range []struct{ query, want string }{
		{"", `<p class="total">no articles</p>`},
		{"&collapse=story", `<p class="total">no stories</p>`},
		{"&ui=ru", `<p class="total">статей нет</p>`},
		{"&collapse=story&ui=ru", `<p class="total">сюжетов нет</p>`},
	} {
		_, body := get(t, srv.URL+"/compare?from=2011-12-15&to=2011-12-18"+tc.query)
		_, unknown, ok := strings.Cut(body, `<section class="sp-column sp-col-unknown"`)
		if !ok {
			t.Fatalf("%s: no unknown column", tc.query)
		}
		if !strings.Contains(unknown, tc.want) || strings.Contains(unknown, `<p class="total"><a`) {
			t.Errorf("%s: the empty column lacks %s or links a search: %.300s", tc.query, tc.want, unknown)
		}
	}
}
