package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
)

// storyArts are three stories of seven articles, all about Zhanaozen:
//   - story 1: khabar 1 (16 Dec 20:00), khabar 2 (16 Dec 22:00), azattyq 3
//     (17 Dec 09:00) and ak 7 (17 Dec 11:00), one text republished;
//   - story 4: dw 4 (17 Dec 12:00) and khabar 5 (18 Dec 10:00);
//   - story 6: azattyq 6 (18 Dec 15:00), alone.
//
// Counting articles, khabar has 3 and 16 December 2; counting stories,
// khabar has 2 and every day 1.
func storyArts() []*model.Article {
	seen := time.Date(2011, 12, 20, 8, 0, 0, 0, time.UTC)
	mk := func(id, cluster int64, src string, d, h int, text string) *model.Article {
		return &model.Article{ID: id, ClusterID: cluster, SourceID: src, Lang: "en", URL: fmt.Sprintf("https://%s.example/%d", src, id),
			FirstSeen: seen, Published: time.Date(2011, 12, d, h, 0, 0, 0, almaty), Title: text[:28], Text: text}
	}
	const shot, curfew = "Police shot striking oil workers in Zhanaozen on 16 December.", "A curfew is declared in Zhanaozen until January."
	return []*model.Article{
		mk(1, 1, "khabar", 16, 20, shot), mk(2, 1, "khabar", 16, 22, shot), mk(3, 1, "azattyq", 17, 9, shot), mk(7, 1, "ak", 17, 11, shot),
		mk(4, 4, "dw", 17, 12, curfew), mk(5, 4, "khabar", 18, 10, curfew),
		mk(6, 6, "azattyq", 18, 15, "Zhanaozen residents describe the night of the shooting."),
	}
}

// tableRows are the period and total of each row of a chart's table.
func tableRows(body string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`<tr><th scope="row"><a [^>]*>([^<]*)</a></th>(?:<td>[^<]*</td>)*<td>([^<]*)</td></tr>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestSearchPageCountsStories(t *testing.T) {
	srv := newSearchServer(t, storyArts(), true)
	st := url.Values{"q": {"Zhanaozen"}, "collapse": {"story"}, "sort": {"oldest"}}
	res, body := get(t, srv.URL+"/search?"+st.Encode())
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for name, want := range map[string]string{
		"the switch is on":                 `<input type="checkbox" name="collapse" value="story" checked> Count each story once`,
		"the total counts stories":         `<p class="total">3 stories`,
		"story 1 has three other copies":   `<a href="/articles/1#copies" title="Other copies of this story that match the search">and 3 copies</a>`,
		"story 4 has one":                  `<a href="/articles/4#copies" title="Other copies of this story that match the search">and 1 copy</a>`,
		"khabar counts its 2 stories":      `khabar</a> <span class="sp-count">2</span>`,
		"the state stance its 2 stories":   `state</a> <span class="sp-count">2</span>`,
		"the chart counts stories":         "<caption>Stories over time (per day)</caption>",
		"a facet link keeps collapse":      href("/search", with(st, "source", "khabar")),
		"a sort link keeps collapse":       href("/search", with(st, "sort", "newest")),
		"a bar keeps collapse":             href("/search", with(with(st, "from", "2011-12-16"), "to", "2011-12-16")),
		"the CSV export keeps collapse":    href("/search.csv", st),
		"the JSONL export keeps collapse":  href("/search.jsonl", st),
		"the feed keeps collapse":          href("/search.atom", st),
		"the timeline link keeps collapse": href("/timeline", st),
		"the compare link keeps collapse":  href("/compare", st),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: page lacks %s", name, want)
		}
	}
	if got := strings.Count(body, `<a href="/articles/`); got != 3+2 {
		t.Errorf("%d article links, want 3 stories and 2 copies links", got)
	}
	if got, want := tableRows(body), map[string]string{"2011-12-16": "1", "2011-12-17": "1", "2011-12-18": "1"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("chart table = %v, want %v", got, want)
	}
	assertNoKeys(t, body)

	_, ru := get(t, srv.URL+"/search?ui=ru&"+st.Encode())
	for _, want := range []string{"Считать каждый сюжет один раз", "3 сюжета", "и ещё 3 копии", "и ещё 1 копия", "Сюжеты по времени"} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}

	// The same search counting articles: no copies, the old counts.
	_, flat := get(t, srv.URL+"/search?"+with(st, "collapse", "").Encode())
	for _, want := range []string{`<input type="checkbox" name="collapse" value="story"> Count each story once`, "7 articles",
		`khabar</a> <span class="sp-count">3</span>`, "<caption>Articles over time by stance (per day)</caption>"} {
		if !strings.Contains(flat, want) {
			t.Errorf("article-level page lacks %q", want)
		}
	}
	if strings.Contains(flat, "#copies") || strings.Contains(flat, "collapse=story") {
		t.Error("the article-level page shows copies or links with collapse=story")
	}
	if got := tableRows(flat)["2011-12-16"]; got != "2" {
		t.Errorf("article-level 16 December = %s, want 2", got)
	}
}

// Twenty-five stories of two copies each: the total and the next page
// count stories, and the next page keeps counting them.
func TestSearchPageStoriesPaging(t *testing.T) {
	var arts []*model.Article
	at := time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC)
	for i := range 25 {
		for c := range 2 {
			id := int64(2*i + c + 1)
			arts = append(arts, &model.Article{ID: id, ClusterID: int64(2*i + 1), SourceID: []string{"khabar", "azattyq"}[c], Lang: "en",
				URL: fmt.Sprintf("https://example.org/%d", id), FirstSeen: at, Published: at.Add(time.Duration(i) * time.Hour),
				Title: fmt.Sprintf("Report %d", i), Text: fmt.Sprintf("Zhanaozen report number %d.", i)})
		}
	}
	srv := newSearchServer(t, arts, true)
	st := url.Values{"q": {"Zhanaozen"}, "collapse": {"story"}}
	_, body := get(t, srv.URL+"/search?"+st.Encode())
	next := `href="/search?after=story%3A20%3A` // the 20th story's key follows
	for _, want := range []string{"25 stories", next} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %s", want)
		}
	}
	if got := strings.Count(body, "and 1 copy</a>"); got != 20 {
		t.Errorf("page 1 shows %d stories with their copy, want 20", got)
	}
	_, ru := get(t, srv.URL+"/search?ui=ru&"+st.Encode())
	if !strings.Contains(ru, "25 сюжетов") {
		t.Error("Russian page 1 lacks 25 сюжетов")
	}
	res, body := get(t, srv.URL+"/search?"+with(st, "after", "story:20").Encode())
	if res.StatusCode != 200 || !strings.Contains(body, "25 stories") || strings.Count(body, "and 1 copy</a>") != 5 || strings.Contains(body, `rel="next"`) {
		t.Errorf("page 2: status %d, want the last 5 of 25 stories: %s", res.StatusCode, body)
	}
}

func TestTimelineAndCompareCountStories(t *testing.T) {
	srv := newSearchServer(t, storyArts(), true)
	st := url.Values{"q": {"Zhanaozen"}, "collapse": {"story"}}
	_, body := get(t, srv.URL+"/timeline?"+with(st, "share", "1").Encode())
	for _, want := range []string{`<p class="total">3 stories`, "<caption>Stories over time (per day)</caption>",
		`value="story" checked>`, "Shares are of articles only", `<span class="sp-key sp-k-story">stories</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if got := tableRows(body); len(got) != 3 || got["2011-12-16"] != "1" || got["2011-12-17"] != "1" || got["2011-12-18"] != "1" {
		t.Errorf("timeline table = %v, want one story a day", got)
	}
	if strings.Contains(body, "Show counts") || strings.Contains(body, "Show as share") {
		t.Error("the timeline of stories offers the share switch")
	}

	_, body = get(t, srv.URL+"/compare?"+st.Encode())
	for name, want := range map[string]string{
		"state (khabar) carried 2 stories":       `<a href="/search?collapse=story&amp;q=Zhanaozen&amp;stance=state">2 stories in all</a>`,
		"campaign (ak) carried 1":                `<a href="/search?collapse=story&amp;q=Zhanaozen&amp;stance=campaign">1 story in all</a>`,
		"khabar's copy 2 stands for story 1":     `<a href="/articles/2#copies" class="sp-copies" title="Other copies of this story that match the search">and 1 copy</a>`,
		"the column charts count stories":        "<caption>Stories over time (per day)</caption>",
		"the switch stays on":                    `value="story" checked>`,
		"no share switch for stories":            `same time axis and scale. Click a bar to see that period.</p>`,
		"the bar of a column keeps the collapse": href("/compare", url.Values{"q": {"Zhanaozen"}, "collapse": {"story"}, "from": {"2011-12-16"}, "to": {"2011-12-16"}}),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("compare: %s: page lacks %s", name, want)
		}
	}
	if strings.Contains(body, `href="/articles/1"`) {
		t.Error("compare, counting stories, lists khabar's article 1 beside its newer copy 2")
	}
	_, flat := get(t, srv.URL+"/compare?q=Zhanaozen")
	if !strings.Contains(flat, "all 3 articles") || !strings.Contains(flat, `href="/articles/1"`) {
		t.Error("compare counting articles lacks khabar's 3 articles")
	}
}

func TestExportsOfStories(t *testing.T) {
	srv := newSearchServer(t, storyArts(), true)
	st := url.Values{"q": {"Zhanaozen"}, "collapse": {"story"}, "sort": {"oldest"}}
	_, body := get(t, srv.URL+"/search.csv?"+st.Encode())
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "id,published,first_seen,source,stance,lang,title,url,source_name,author,date_source,topics,cluster,provenance,captured_at,capture,story,copies" {
		t.Fatalf("CSV of stories: %q", rows)
	}
	for i, want := range []string{"1,1,3", "4,4,1", "6,6,0"} {
		r := rows[i+1]
		if got := r[0] + "," + r[16] + "," + r[17]; got != want {
			t.Errorf("row %d: id, story, copies = %s, want %s", i+1, got, want)
		}
	}
	_, body = get(t, srv.URL+"/search.csv?"+with(st, "collapse", "").Encode())
	rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	if len(rows) != 8 || len(rows[0]) != len(csvHeader) {
		t.Errorf("CSV of articles: %d rows of %d columns, want 8 of %d", len(rows), len(rows[0]), len(csvHeader))
	}

	_, body = get(t, srv.URL+"/search.jsonl?"+st.Encode())
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"copies":3`) || !strings.Contains(lines[2], `"copies":0`) || !strings.Contains(lines[2], `"story":6`) {
		t.Errorf("JSONL of stories: %s", body)
	}

	_, body = get(t, srv.URL+"/search.atom?"+st.Encode())
	ids := regexp.MustCompile(`<id>tag:presswatch,2024:(story|article)-(\d+)</id>`).FindAllStringSubmatch(body, -1)
	if got := fmt.Sprint(ids); len(ids) != 3 || !strings.Contains(got, "story-6") || !strings.Contains(got, "story-1") || strings.Contains(got, "article-") {
		t.Errorf("feed of stories has entries %v, want stories 1, 4 and 6", got)
	}
}

func TestAPIStories(t *testing.T) {
	srv := newSearchServer(t, storyArts(), true)
	res, body := get(t, srv.URL+"/api/search?q=Zhanaozen&collapse=story&sort=oldest")
	var sr struct {
		Total    int
		Collapse string
		Hits     []struct{ ID, Story, Copies int64 }
		Facets   map[string][]struct {
			Value string
			Count int
		}
	}
	if err := json.Unmarshal([]byte(body), &sr); err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v: %s", res.StatusCode, err, body)
	}
	if sr.Total != 3 || sr.Collapse != "story" || fmt.Sprint(sr.Hits) != "[{1 1 3} {4 4 1} {6 6 0}]" {
		t.Errorf("total %d, collapse %q, hits %v", sr.Total, sr.Collapse, sr.Hits)
	}
	if got := strings.Count(body, `"copies":`); got != 3 {
		t.Errorf(`%d hits carry "copies", want all 3 (0 included)`, got)
	}
	if fmt.Sprint(sr.Facets["source"]) != "[{azattyq 2} {khabar 2} {ak 1} {dw 1}]" {
		t.Errorf("source facet of stories = %v", sr.Facets["source"])
	}

	_, body = get(t, srv.URL+"/api/timeline?q=Zhanaozen&collapse=story")
	var tl TimelineJSON
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatal(err)
	}
	if tl.Total != 3 || tl.Collapse != "story" || fmt.Sprint(datesCounts(tl.Timeline)) != "[{2011-12-16 1} {2011-12-17 1} {2011-12-18 1}]" {
		t.Errorf("timeline of stories: %+v", tl)
	}
	_, body = get(t, srv.URL+"/api/timeline?q=Zhanaozen")
	tl = TimelineJSON{}
	if err := json.Unmarshal([]byte(body), &tl); err != nil || tl.Total != 7 || tl.Collapse != "" {
		t.Errorf("timeline of articles: %+v", tl)
	}

	// The next page of stories, by the cursor of the one before.
	var p1, p2 struct {
		Next string
		Hits []struct{ ID int64 }
	}
	_, body = get(t, srv.URL+"/api/search?q=Zhanaozen&collapse=story&sort=oldest&limit=2")
	json.Unmarshal([]byte(body), &p1)
	res, body = get(t, srv.URL+"/api/search?q=Zhanaozen&collapse=story&sort=oldest&limit=2&after="+url.QueryEscape(p1.Next))
	if json.Unmarshal([]byte(body), &p2); res.StatusCode != 200 || len(p2.Hits) != 1 || p2.Hits[0].ID != 6 || p2.Next != "" {
		t.Errorf("page 2 of stories after %q: %d %s", p1.Next, res.StatusCode, body)
	}

	if res, body := get(t, srv.URL+"/api/search?collapse=stories"); res.StatusCode != 400 || !strings.Contains(body, "collapse") {
		t.Errorf("collapse=stories: %d %s", res.StatusCode, body)
	}
}

// tooBroad answers a search counting stories as the index answers one
// matching more than index.MaxCollapse articles (indexing that many takes
// over a minute), and any other search from the index it wraps.
type tooBroad struct{ Searcher }

// tooBroadReason is the sentence of the index's *ParamError.
var tooBroadReason = fmt.Sprintf("cannot count the stories of %d matching articles (at most %d): narrow the search, by dates or sources",
	index.MaxCollapse+1, index.MaxCollapse)

func (s tooBroad) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if req.Collapse {
		return nil, &index.ParamError{Param: "collapse", Value: "story", Reason: tooBroadReason}
	}
	return s.Searcher.Search(ctx, req)
}

// A search counting the stories of too many articles is answered with 400
// and the index's sentence, on the pages, in the API and the exports;
// counting articles, the same search is fine.
func TestTooManyToCollapse(t *testing.T) {
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), storyArts()); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Search: tooBroad{ix}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/search", "/timeline", "/compare"} {
		res, body := get(t, srv.URL+path+"?q=Zhanaozen&collapse=story")
		if want := `<p class="error" role="alert">The parameter “collapse” cannot be used: “story” ` + tooBroadReason + `.</p>`; res.StatusCode != 400 || !strings.Contains(body, want) {
			t.Errorf("%s: status %d, want 400 and %s", path, res.StatusCode, want)
		}
	}
	_, ru := get(t, srv.URL+"/search?ui=ru&q=Zhanaozen&collapse=story")
	if want := fmt.Sprintf("Параметр «collapse» не подходит: «story» — нельзя собрать в сюжеты %d найденных статей (не больше %d)",
		index.MaxCollapse+1, index.MaxCollapse); !strings.Contains(ru, want) {
		t.Errorf("the Russian page lacks the index's sentence in Russian, %s", want)
	}
	for _, path := range []string{"/api/search", "/api/timeline", "/search.csv", "/search.jsonl", "/search.atom"} {
		if res, body := get(t, srv.URL+path+"?q=Zhanaozen&collapse=story"); res.StatusCode != 400 || !strings.Contains(body, tooBroadReason) {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
	if res, body := get(t, srv.URL+"/search?q=Zhanaozen"); res.StatusCode != 200 || !strings.Contains(body, "7 articles") {
		t.Errorf("counting articles: status %d", res.StatusCode)
	}
}
