package web

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The breakdown page shows every matching article by language, source and
// stance: sources by their configured names, each row a link to the
// narrowed search with its count and share as text, and the rows of each
// field adding up to the total.
func TestBreakdownPage(t *testing.T) {
	srv := newCountServer(t)
	res, body := get(t, srv.URL+"/breakdown?q=&date=first_seen&from=2011-12-01")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	sections := map[string]string{}
	for _, sec := range strings.Split(body, `<section class="bd-section" aria-labelledby="bd-`)[1:] {
		sections[sec[:strings.Index(sec, `"`)]] = sec[:strings.Index(sec, "</section>")]
	}
	if len(sections) != 3 {
		t.Fatalf("sections %v, want lang, source and stance", slices.Collect(maps.Keys(sections)))
	}
	row := regexp.MustCompile(`(?s)<tr><th scope="row">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?(?: <span class="bd-id">([^<]*)</span>)?</th>\s*<td class="num">(\d+)</td><td class="num">([^<]*)</td>`)
	type got struct{ label, id, count, share string }
	rows := map[string][]got{}
	for by, sec := range sections {
		for _, m := range row.FindAllStringSubmatch(sec, -1) {
			rows[by] = append(rows[by], got{m[2], m[3], m[4], m[5]})
			if m[1] == "" && m[2] != "Others, or none recorded" && m[2] != "none recorded" {
				t.Errorf("%s row %q leads nowhere", by, m[2])
			}
		}
	}
	// Sources by name, the id beside it; an unconfigured source by its id.
	wantSources := []got{{"Khabar 24", "khabar", "2", "25%"}, {"Radio Azattyq", "azattyq", "2", "25%"},
		{"Deutsche Welle", "dw", "1", "12%"}, {"Strike committee", "ak", "1", "12%"}, {"Vlast.kz", "vlast", "1", "12%"}, {"ghost", "", "1", "12%"}}
	if !sameRows(rows["source"], wantSources) {
		t.Errorf("source rows %v, want %v", rows["source"], wantSources)
	}
	wantStances := []got{{"state", "", "2", "25%"}, {"independent", "", "2", "25%"}, {"campaign", "", "1", "12%"},
		{"international", "", "1", "12%"}, {"unknown", "", "2", "25%"}}
	if !slices.Equal(rows["stance"], wantStances) {
		t.Errorf("stance rows %v, want %v", rows["stance"], wantStances)
	}
	// An undated article is counted with date=first_seen. Every field's
	// rows add up to the 8 articles, the one without a
	// language on a row of its own.
	for by, rs := range rows {
		n := 0
		for _, r := range rs {
			n += atoi(t, r.count)
		}
		if n != 8 {
			t.Errorf("%s rows add up to %d, the total is 8: %v", by, n, rs)
		}
	}
	if !slices.Contains(rows["lang"], got{"Russian", "ru", "3", "38%"}) || !slices.Contains(rows["lang"], got{"Kazakh", "kk", "1", "12%"}) {
		t.Errorf("language rows %v lack Russian (ru) 3 and Kazakh (kk) 1", rows["lang"])
	}
	// A row narrows the search; the bars are drawn, and hidden from screen
	// readers, which read the numbers.
	if narrowed := href("/search", url.Values{"date": {"first_seen"}, "from": {"2011-12-01"}, "source": {"dw"}}); !strings.Contains(sections["source"], narrowed+`>Deutsche Welle</a>`) {
		t.Errorf("the Deutsche Welle row does not lead to %s", narrowed)
	}
	if n := strings.Count(sections["stance"], `<svg class="bd-bar" width="160" height="12" viewBox="0 0 160 12" aria-hidden="true"`); n != 5 {
		t.Errorf("%d bars in the stance section, want 5", n)
	}
	if !strings.Contains(sections["stance"], `<rect class="bd-fill" width="40" height="12"/>`) {
		t.Error("a quarter of the articles is not a bar of 40 of 160 px")
	}
	for _, link := range []string{"/api/breakdown?by=source&amp;date=first_seen&amp;format=csv&amp;from=2011-12-01",
		"/api/breakdown?bom=1&amp;by=lang&amp;date=first_seen&amp;format=csv&amp;from=2011-12-01"} {
		if !strings.Contains(body, link) {
			t.Errorf("the page does not link %s", link)
		}
	}
	// Russian UI.
	res, body = get(t, srv.URL+"/breakdown?ui=ru")
	if res.StatusCode != 200 || !strings.Contains(body, "Языки и источники") || !strings.Contains(body, ">русский</a>") {
		t.Errorf("the Russian page: %d, title or language names missing", res.StatusCode)
	}
}

// /api/breakdown gives the page's counts as JSON and, one field at a time,
// as CSV: sources with their id and name, an empty value for those with
// none, a byte order mark with bom=1; bad parameters are a 400 naming them.
func TestAPIBreakdown(t *testing.T) {
	srv := newCountServer(t)
	res, body := get(t, srv.URL+"/api/breakdown?by=source&format=csv&bom=1")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(body, "\uFEFFsource_id,source_name,count\n") {
		t.Fatalf("source csv: %d %s %.60q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"source_id", "source_name", "count"}, {"azattyq", "Radio Azattyq", "2"}, {"khabar", "Khabar 24", "2"},
		{"ak", "Strike committee", "1"}, {"dw", "Deutsche Welle", "1"}, {"ghost", "", "1"}, {"vlast", "Vlast.kz", "1"}}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("source csv\n%v\nwant\n%v", recs, want)
	}
	_, body = get(t, srv.URL+"/api/breakdown?by=stance&format=csv")
	if want := "stance,count\nstate,2\nindependent,2\ncampaign,1\ninternational,1\nunknown,2\n"; body != want {
		t.Errorf("stance csv %q, want %q", body, want)
	}
	_, body = get(t, srv.URL+"/api/breakdown?by=lang&format=csv")
	recs, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	langs, n := map[string]string{}, 0
	for _, r := range recs[1:] {
		langs[r[0]] = r[1]
		n += atoi(t, r[1])
	}
	if recs[0][0] != "lang" || langs["ru"] != "3" || langs["kk"] != "1" || langs[""] != "1" || n != 8 {
		t.Errorf("lang csv %v: want ru 3, kk 1, one with none, 8 in all", recs)
	}

	// JSON: all three, each adding up to the total.
	_, body = get(t, srv.URL+"/api/breakdown?q=oil")
	var out BreakdownJSON
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	var bys []string
	for _, b := range out.Breakdowns {
		bys = append(bys, b.By)
		sum := b.Uncounted
		for _, r := range b.Rows {
			sum += uint64(r.Count)
		}
		if sum != out.Total || out.Total == 0 {
			t.Errorf("%s adds up to %d, total %d", b.By, sum, out.Total)
		}
	}
	if !slices.Equal(bys, []string{"lang", "source", "stance"}) {
		t.Errorf("breakdowns %v", bys)
	}

	for name, tc := range map[string]struct{ query, has string }{
		"unknown field":     {"by=author", `\"by\": \"author\" is not a breakdown (want lang, source, stance)`},
		"csv without field": {"format=csv", `\"by\" is needed with format=csv`},
		"unknown format":    {"by=lang&format=tsv", `\"format\": \"tsv\" is not a format`},
		"bad bom":           {"by=lang&format=csv&bom=2", `\"bom\": \"2\" is not 0 or 1`},
		"bad query":         {"by=lang&q=" + url.QueryEscape("titel:x"), `titel`},
	} {
		res, body := get(t, srv.URL+"/api/breakdown?"+tc.query)
		if res.StatusCode != 400 || !strings.Contains(body, tc.has) {
			t.Errorf("%s: %d %s, want 400 with %s", name, res.StatusCode, body, tc.has)
		}
	}
}

func sameRows[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%q is not a count", s)
	}
	return n
}
