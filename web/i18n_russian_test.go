package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// A Russian page shows no English interface word. The words are those of
// the English messages, less those the Russian messages use too (query
// syntax, format names, presswatch) and less the fixture's data (source
// and topic names, the queries asked, the articles' titles). What a page
// marks as another language (an article's text, a crawler's error, the
// terms of a language), snippets, code and URLs are not its interface and
// are not read.

// russianPages are the pages read in Russian: every page of a11yPages,
// and those that need more data than its fixture (key dates, lines).
func russianPages() map[string]string {
	out := map[string]string{}
	for name, p := range a11yPages {
		out[name] = p.path
	}
	out["search, stories"] = "/search?q=Zhanaozen&collapse=story"
	out["search, shares"] = "/search?q=Zhanaozen&share=1"
	out["timeline, weeks"] = "/timeline?q=Zhanaozen&interval=week&from=2011-05-01&to=2011-12-31"
	out["compare, stories"] = "/compare?q=Zhanaozen&collapse=story"
	out["compare, shares"] = "/compare?q=Zhanaozen&share=1"
	out["article 3"] = "/articles/3"
	out["topic edit"] = "/topics/zhanaozen/edit"
	out["archived, none"] = "/articles/1/archived"
	out["changes, older"] = "/changes?before=2011-12-20T00:00:00Z"
	out["sources, done"] = "/sources?done=paused&id=azattyq"
	out["search, bad query"] = "/search?q=%22unclosed"
	out["search, bad field"] = "/search?q=Title:Zhanaozen"
	out["search, bad interval"] = "/search?q=Zhanaozen&interval=hour"
	out["compare, bad dates"] = "/compare?q=Zhanaozen&from=2011-12-18&to=2011-12-01"
	return out
}

// latinWord is a word in Latin letters.
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z'’]*`)

// sameInBoth are the messages that read the same in English and Russian
// by design. Any other Russian message equal to its English one is not
// translated, and its words stay English.
var sameInBoth = map[string]bool{"brand": true, "archived.record": true}

// englishWords are the words of the English messages that the Russian
// messages never use, lower-cased.
func englishWords() map[string]bool {
	words := map[string]bool{}
	for _, v := range messages["en"] {
		for _, w := range plainWords(v) {
			words[w] = true
		}
	}
	for k, v := range messages["ru"] {
		if v == messages["en"][k] && !sameInBoth[k] {
			continue
		}
		for _, w := range plainWords(v) {
			delete(words, w)
		}
	}
	return words
}

// plainWords are the Latin words of s, lower-cased, less what is not
// prose in any language: fmt's verbs (%d), `commands`, «quoted» values
// and names, paths and URLs, file names, --flags and query fields
// (title:).
func plainWords(s string) []string {
	s = notProse.ReplaceAllString(s, " ")
	var out []string
	for _, w := range latinWord.FindAllString(s, -1) {
		out = append(out, strings.ToLower(w))
	}
	return out
}

var notProse = regexp.MustCompile("%(\\[\\d+\\])?[-+# 0-9.]*[a-zA-Z%]|`[^`]*`|«[^»]*»|\"[^\"]*\"|“[^”]*”|\\S*/\\S*|\\S+\\.[a-z]{2,4}\\b|--\\S+|\\b[A-Za-z_]+:\\S*")

// skipped says whether n's text is not interface text of a page in lang:
// markup that is not shown, code, a URL, a snippet of an article's text,
// or text marked as another language.
func skipped(n *html.Node, lang string) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "script", "style", "code", "kbd", "samp", "pre":
		return true
	}
	for _, a := range n.Attr {
		switch {
		case a.Key == "lang" && a.Val != "" && a.Val != lang:
			return true
		case a.Key == "class" && slices.ContainsFunc(strings.Fields(a.Val), func(c string) bool { return c == "url" || c == "snippet" }):
			return true
		}
	}
	return false
}

// shownAttrs are the attributes a person reads or hears.
var shownAttrs = []string{"title", "aria-label", "placeholder", "alt", "data-label"}

// visibleText is the text of doc a reader of lang sees or hears, each
// piece with the element it is in.
func visibleText(doc *goquery.Document, lang string) []string {
	var out []string
	var walk func(n *html.Node, path string)
	walk = func(n *html.Node, path string) {
		if skipped(n, lang) {
			return
		}
		switch n.Type {
		case html.TextNode:
			if s := strings.TrimSpace(n.Data); s != "" {
				out = append(out, path+": "+s)
			}
		case html.ElementNode:
			path = n.Data
			for _, a := range n.Attr {
				if slices.Contains(shownAttrs, a.Key) && strings.TrimSpace(a.Val) != "" ||
					a.Key == "value" && n.Data == "input" && attr(n, "type") == "submit" {
					out = append(out, n.Data+"@"+a.Key+": "+a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, path)
		}
	}
	for _, n := range doc.Nodes {
		walk(n, "")
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// englishIn lists the English interface words in texts, with the text
// each was found in. The words of data.titles, where a text holds one
// whole (a page's <title>, a citation), are data.
func englishIn(texts []string, english map[string]bool, data pageData) []string {
	var out []string
	for _, s := range texts {
		_, text, _ := strings.Cut(s, ": ")
		for _, title := range data.titles {
			text = strings.ReplaceAll(text, title, " ")
		}
		for _, w := range plainWords(text) {
			if english[w] && !data.words[w] {
				out = append(out, w+" in "+s)
			}
		}
	}
	return out
}

// pageData is what a page may show in any UI language.
type pageData struct {
	words  map[string]bool // lower-cased
	titles []string        // the articles' titles
}

// fixtureData is the fixture's data: the words of source names, topic
// names and queries and of the queries of russianPages. The caller adds
// the articles' titles.
func fixtureData(t *testing.T, base string) pageData {
	t.Helper()
	data := pageData{words: map[string]bool{}}
	add := func(s string) {
		for _, w := range latinWord.FindAllString(s, -1) {
			data.words[strings.ToLower(w)] = true
		}
	}
	var srcs struct{ Sources []SourceStatus }
	getJSON(t, base+"/api/sources", &srcs)
	for _, s := range srcs.Sources {
		add(s.Name)
	}
	var topics struct {
		Topics []struct{ Name, Query string }
	}
	getJSON(t, base+"/api/topics", &topics)
	for _, tp := range topics.Topics {
		add(tp.Name + " " + tp.Query)
	}
	add("Zhanaozen strike")
	if len(data.words) < 5 {
		t.Fatalf("the fixture's data are %v: the API answers were not read", data)
	}
	return data
}

// withTerms is data with the terms of the top-terms answer at url, the
// words of the articles it counts.
func withTerms(t *testing.T, data pageData, url string) pageData {
	t.Helper()
	var res struct {
		Langs []struct{ Frequent, Distinctive []struct{ Term string } }
	}
	getJSON(t, url, &res)
	words := maps.Clone(data.words)
	for _, l := range res.Langs {
		for _, term := range append(l.Frequent, l.Distinctive...) {
			for _, w := range plainWords(term.Term) {
				words[w] = true
			}
		}
	}
	return pageData{words: words, titles: data.titles}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

func TestRussianPagesShowNoEnglish(t *testing.T) {
	english := englishWords()
	for _, w := range []string{"search", "sources", "published", "articles", "compare"} {
		if !english[w] {
			t.Fatalf("the English word list lacks %q: %d words", w, len(english))
		}
	}
	srv := newA11yServerWith(t, []model.KeyDate{{Date: "2011-12-16", Label: "Расстрел в Жанаозене"}, {Date: "2011-05", Label: "Начало забастовки"}})
	data := fixtureData(t, srv.URL)
	var res struct{ Hits []struct{ Title string } }
	getJSON(t, srv.URL+"/api/search?q=&limit=100", &res)
	for _, h := range res.Hits {
		data.titles = append(data.titles, h.Title)
	}
	if len(data.titles) < 3 {
		t.Fatalf("the search API gave the titles %q", data.titles)
	}
	checkRussian(t, srv.URL, russianPages(), english, data)
}

// The digests' pages, of a built digest and of the list holding it, are
// as Russian as the others.
func TestRussianDigestPagesShowNoEnglish(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	data := fixtureData(t, f.srv.URL)
	for _, id := range f.ids {
		var a struct{ Title string }
		getJSON(t, f.srv.URL+"/api/articles/"+strconv.FormatInt(id, 10), &a)
		data.titles = append(data.titles, a.Title)
	}
	if len(data.titles) < 4 || data.titles[0] == "" {
		t.Fatalf("the articles API gave the titles %q", data.titles)
	}
	checkRussian(t, f.srv.URL, map[string]string{"digest": digestPage, "digests": "/digests",
		"digests of the topic": "/digests?topic=zh"}, englishWords(), data)
	for _, path := range []string{digestPage, "/digests"} {
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		req.Header.Set("Accept-Language", "ru")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find("main").Text(); !strings.Contains(got, "16 декабря 2011") {
			t.Errorf("%s names the digest's day otherwise than «16 декабря 2011»: %.300q", path, got)
		}
	}
}

// checkRussian reads each of pages (by name) from the server at base in
// Russian and reports the English interface words each shows.
func checkRussian(t *testing.T, base string, pages map[string]string, english map[string]bool, data pageData) {
	t.Helper()
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := pages[name]
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Header.Set("Accept-Language", "ru")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("%s: status %d", path, res.StatusCode)
			}
			doc, err := goquery.NewDocumentFromReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if l, _ := doc.Find("html").Attr("lang"); l != "ru" {
				t.Fatalf("%s: the page is in %q, not Russian", path, l)
			}
			data := data
			if strings.HasPrefix(path, "/terms") {
				data = withTerms(t, data, base+"/api"+path)
			}
			texts := visibleText(doc, "ru")
			if len(texts) < 10 {
				t.Fatalf("%s: only %d pieces of text read: %q", path, len(texts), texts)
			}
			for _, e := range englishIn(texts, english, data) {
				t.Errorf("%s: English %s", path, e)
			}
		})
	}
}

// The check sees English: a Russian page with an English word, in text
// or in an attribute, is reported; the same word marked as English, in
// code or in data is not.
func TestRussianCheckSeesEnglish(t *testing.T) {
	english := englishWords()
	data := pageData{words: map[string]bool{"strike": true}, titles: []string{"Police fire on workers"}}
	for name, tc := range map[string]struct {
		html string
		want bool
	}{
		"Russian":            {`<p>Поиск по источникам</p>`, false},
		"English text":       {`<p>Поиск: Search</p>`, true},
		"English attribute":  {`<a title="Remove this filter">✕</a>`, true},
		"English data-label": {`<table><tr><td data-label="Articles">3</td></tr></table>`, true},
		"a title":            {`<title>Police fire on workers – presswatch</title>`, false},
		"a title and more":   {`<title>Police fire on workers – Sources</title>`, true},
		"marked English":     {`<p lang="en">Search the sources</p>`, false},
		"code":               {`<code>source:azattyq</code>`, false},
		"a URL":              {`<span class="url">https://example.org/search</span>`, false},
		"data":               {`<p>strike</p>`, false},
	} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html lang="ru"><body>` + tc.html + `</body></html>`))
		if err != nil {
			t.Fatal(err)
		}
		if got := englishIn(visibleText(doc, "ru"), english, data); (len(got) > 0) != tc.want {
			t.Errorf("%s: found %q, want found %v", name, got, tc.want)
		}
	}
}

// newA11yServerWith is newA11yServer's fixture with keyDates marked on
// the charts.
func newA11yServerWith(t *testing.T, keyDates []model.KeyDate) *httptest.Server {
	t.Helper()
	f := newPagesFixture(t, true)
	opts := f.server.opts
	opts.Admin = true
	opts.Importer = &fakeImporter{files: map[string]string{}}
	opts.Topics = &fakeEditor{}
	opts.Sources = &fakeSources{st: opts.Store.(*store.Store)}
	opts.KeyDates = keyDates
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// Every page the site links, reached from the home page, a search and
// the administrators' forms, is as Russian as those listed.
func TestRussianLinkedPagesShowNoEnglish(t *testing.T) {
	srv := newA11yServerWith(t, []model.KeyDate{{Date: "2011-12-16", Label: "Расстрел в Жанаозене"}})
	data := fixtureData(t, srv.URL)
	var res struct{ Hits []struct{ Title string } }
	getJSON(t, srv.URL+"/api/search?q=&limit=100", &res)
	for _, h := range res.Hits {
		data.titles = append(data.titles, h.Title)
	}
	pages := linkedPages(t, srv.URL, []string{"/", "/search?q=Zhanaozen", "/sources/new", "/topics/new", "/import", "/login"}, 300)
	t.Logf("%d pages reached", len(pages))
	if len(pages) < 60 {
		t.Fatalf("only %d pages reached", len(pages))
	}
	for _, p := range []string{"/", "/articles/1", "/articles/3", "/sources", "/topics", "/digests", "/help", "/changes"} {
		if _, ok := pages[p]; !ok {
			t.Errorf("the pages reached leave out %s", p)
		}
	}
	checkRussian(t, srv.URL, pages, englishWords(), data)
}

// linkedPages are the HTML pages reached from start by following the
// site's own links, at most max of them, by path. A link with more than
// two parameters is left (the search's combinations of filters are
// endless, and the pages of two filters show the same words), and so is
// the language switch.
func linkedPages(t *testing.T, base string, start []string, most int) map[string]string {
	t.Helper()
	pages := map[string]string{}
	seen := map[string]bool{}
	queue := start
	for len(queue) > 0 && len(pages) < most {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Language", "ru")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			res.Body.Close()
			continue
		}
		doc, err := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		pages[path] = path
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			link, _ := a.Attr("href")
			link, _, _ = strings.Cut(link, "#")
			if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") ||
				strings.Contains(link, "/warc") || strings.Contains(link, "/cite.") || strings.Count(link, "&") > 1 ||
				strings.Contains(link, uiParam+"=") {
				return
			}
			if !seen[link] {
				queue = append(queue, link)
			}
		})
	}
	return pages
}
