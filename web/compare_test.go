package web

import (
	"regexp"
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
	if len(parts) != 4 {
		t.Fatalf("%d columns, want 4 (the stance filter does not apply here)", len(parts))
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
		if n := strings.Count(col, `class="sp-bar"`); n != 4 {
			t.Errorf("%s column has %d bars, want 4", tc.stance, n)
		}
		svg := col[:strings.Index(col, "</svg>")]
		ticks := regexp.MustCompile(`<text class="sp-ylabel"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(svg, -1)
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
