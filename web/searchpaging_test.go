package web

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

var (
	hitTitleRe = regexp.MustCompile(`class="sp-title">([^<]*)</a>`)
	startRe    = regexp.MustCompile(`<ol class="hits"(?: start="(\d+)")?>`)
	relRe      = map[string]*regexp.Regexp{"next": regexp.MustCompile(`<a href="([^"]*)" rel="next"`), "prev": regexp.MustCompile(`<a href="([^"]*)" rel="prev"`)}
)

// pageOf reads a results page: its hits' titles, the number of its first
// hit and its next and previous links ("" when absent).
func pageOf(t *testing.T, u string) (titles []string, start, next, prev string) {
	t.Helper()
	res, body := get(t, u)
	if res.StatusCode != 200 {
		t.Fatalf("%s: status %d: %.500s", u, res.StatusCode, body)
	}
	for _, m := range hitTitleRe.FindAllStringSubmatch(body, -1) {
		titles = append(titles, m[1])
	}
	m := startRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no list of hits", u)
	}
	start = m[1]
	if m := relRe["next"].FindStringSubmatch(body); m != nil {
		next = html.UnescapeString(m[1])
	}
	if m := relRe["prev"].FindStringSubmatch(body); m != nil {
		prev = html.UnescapeString(m[1])
	}
	return titles, start, next, prev
}

// TestSearchPageNumbersAndPrevious walks 45 hits forward by the next
// links and back by the previous ones: the numbering goes on across
// pages, and both links keep the query, the filters and the sort.
func TestSearchPageNumbersAndPrevious(t *testing.T) {
	srv := newSearchServer(t, manyArticles(45), true)
	state := url.Values{"q": {"report"}, "lang": {"en"}, "sort": {"oldest"}}
	keeps := func(page, rel, u string) {
		t.Helper()
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		got := pu.Query()
		for k := range state {
			if !slices.Equal(got[k], state[k]) {
				t.Errorf("page %s: the %s link %s does not keep %s=%v", page, rel, u, k, state[k])
			}
		}
	}
	p1, start, next, prev := pageOf(t, srv.URL+link("/search", state))
	if start != "" || prev != "" || next == "" || len(p1) != 20 || p1[0] != "Report 1" {
		t.Fatalf("page 1: start %q, prev %q, next %q, %d hits from %v", start, prev, next, len(p1), p1[:1])
	}
	keeps("1", "next", next)
	p2, start, next, prev := pageOf(t, srv.URL+next)
	if start != "21" || p2[0] != "Report 21" || prev != link("/search", state) {
		t.Errorf("page 2: start %q, first hit %q, prev %q", start, p2[0], prev)
	}
	keeps("2", "next", next)
	p3, start, next3, prev := pageOf(t, srv.URL+next)
	if start != "41" || len(p3) != 5 || p3[0] != "Report 41" || next3 != "" || prev == "" {
		t.Fatalf("page 3: start %q, %d hits from %v, next %q, prev %q", start, len(p3), p3[:1], next3, prev)
	}
	keeps("3", "prev", prev)
	back, start, _, prev := pageOf(t, srv.URL+prev)
	if start != "21" || !slices.Equal(back, p2) || prev != link("/search", state) {
		t.Errorf("back on page 2: start %q, hits %v, want %v; prev %q", start, back, p2, prev)
	}
	back, start, _, _ = pageOf(t, srv.URL+prev)
	if start != "" || !slices.Equal(back, p1) {
		t.Errorf("back on page 1: start %q, hits %v", start, back)
	}
	for _, bad := range []string{"0", "x", "9999", "4"} {
		res, body := get(t, srv.URL+link("/search", with(state, "page", bad)))
		if res.StatusCode != 400 || !strings.Contains(body, "page") {
			t.Errorf("page=%s: status %d: %.300s", bad, res.StatusCode, body)
		}
	}
}

var snippetRe = regexp.MustCompile(`(?s)<p class="snippet">(.*?)</p>`)

// TestSearchPageSnippetsReadWell holds that a snippet shows only whole
// words, in English and Russian, and does not repeat the title that the
// text starts with.
func TestSearchPageSnippetsReadWell(t *testing.T) {
	seen := time.Date(2011, 12, 20, 8, 0, 0, 0, time.UTC)
	filler := strings.Repeat("The strike of the oil workers went on through the summer and the autumn of that year. ", 6)
	fillerRU := strings.Repeat("Забастовка нефтяников продолжалась всё лето и всю осень того года. ", 6)
	arts := []*model.Article{
		{ID: 1, SourceID: "dw", Lang: "en", URL: "https://dw.example/1", FirstSeen: seen, Published: seen,
			Title: "Police fire on strikers", Text: "Police fire on strikers\n\n" + filler + "Then the police fired on Zhanaozen. " + filler},
		{ID: 2, SourceID: "azattyq", Lang: "ru", URL: "https://rus.azattyq.org/2", FirstSeen: seen, Published: seen,
			Title: "Расстрел в Жанаозене", Text: "Расстрел в Жанаозене\n\n" + fillerRU + "Полиция открыла огонь в Жанаозене. " + fillerRU},
		{ID: 3, SourceID: "ak", Lang: "en", URL: "https://ak.example/3", FirstSeen: seen, Published: seen,
			Title: "Strikers in Zhanaozen", Text: "Strikers in Zhanaozen\n\nOil workers of Zhanaozen walked out in May."},
	}
	srv := newSearchServer(t, arts, true)
	for _, q := range []string{"Zhanaozen", "Жанаозене", "strikers"} {
		_, body := get(t, srv.URL+"/search?q="+url.QueryEscape(q))
		snippets := snippetRe.FindAllStringSubmatch(body, -1)
		if len(snippets) == 0 {
			t.Fatalf("q=%s: no snippets", q)
		}
		for _, m := range snippets {
			text := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(m[1]))
			// The article whose words hold all of the snippet's.
			var art *model.Article
			for _, a := range arts {
				words := map[string]bool{}
				for _, w := range strings.FieldsFunc(a.Text, splitWord) {
					words[w] = true
				}
				all := true
				for _, w := range strings.FieldsFunc(text, splitWord) {
					all = all && words[w]
				}
				if all {
					art = a
				}
			}
			if art == nil {
				t.Errorf("q=%s: snippet %q shows a word in part", q, text)
			} else if strings.HasPrefix(text, art.Title) {
				t.Errorf("q=%s: snippet repeats the title: %q", q, text)
			}
		}
	}
}

func splitWord(r rune) bool { return strings.ContainsRune(" \n….,", r) }
