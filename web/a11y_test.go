package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"presswatch/internal/store"
)

// The accessibility rules every page keeps, checked on the HTML without a
// browser (cmd/presswatch/a11y_browser_test.go runs axe-core in Chromium
// where one is installed): one h1; a skip link to <main> as the first
// thing a keyboard reaches; one banner, navigation, main and content-info
// landmark; a label for every form control and a name for every button;
// unique ids; and every chart named, with a link to its table.

// a11yPages are the pages checked, with the status each answers.
var a11yPages = map[string]struct {
	path   string
	status int
}{
	"home":              {"/", 200},
	"search":            {"/search?q=Zhanaozen", 200},
	"search, no query":  {"/search", 200},
	"search, bad input": {"/search?q=Zhanaozen&from=2011-13-01", 400},
	"article":           {"/articles/1", 200},
	"article copy":      {"/articles/2", 200},
	"timeline":          {"/timeline?q=Zhanaozen", 200},
	"timeline, lines":   {"/timeline?q=Zhanaozen&q2=strike", 200},
	"compare":           {"/compare?q=Zhanaozen", 200},
	"breakdown":         {"/breakdown?q=Zhanaozen", 200},
	"terms":             {"/terms?q=Zhanaozen", 200},
	"sources":           {"/sources", 200},
	"source form":       {"/sources/new", 200},
	"topics":            {"/topics", 200},
	"topic form":        {"/topics/new", 200},
	"topic's new":       {"/topics/zhanaozen/new", 200},
	"changes":           {"/changes", 200},
	"help":              {"/help", 200},
	"login":             {"/login", 200},
	"import":            {"/import", 200},
	"digests":           {"/digests", 200},
	"not found":         {"/no/such/page", 404},
}

// newA11yServer is the pages fixture's data behind a server that also
// shows the administrators' forms (import, new source, new topic).
func newA11yServer(t *testing.T) *httptest.Server {
	t.Helper()
	f := newPagesFixture(t, true)
	opts := f.server.opts
	opts.Admin = true
	opts.Importer = &fakeImporter{files: map[string]string{}}
	opts.Topics = &fakeEditor{}
	opts.Sources = &fakeSources{st: opts.Store.(*store.Store)}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func TestPagesAccessible(t *testing.T) {
	srv := newA11yServer(t)
	for name, p := range a11yPages {
		for _, lang := range []string{"en", "ru"} {
			t.Run(name+" "+lang, func(t *testing.T) {
				doc := getDoc(t, srv.URL+p.path, lang, p.status)
				for _, problem := range a11yProblems(doc) {
					t.Errorf("%s (%s): %s", p.path, lang, problem)
				}
			})
		}
	}
}

// TestA11yChecksSeeProblems feeds the checks a page with each fault: each
// must be reported, so TestPagesAccessible passing means something.
func TestA11yChecksSeeProblems(t *testing.T) {
	const good = `<html><body><a class="skip" href="#main">Skip</a><header><nav><a href="/">x</a></nav></header>
<main id="main" tabindex="-1"><h1>T</h1>%s</main><footer>f</footer></body></html>`
	for name, c := range map[string]struct{ html, want string }{
		"no fault":            {fmt.Sprintf(good, ""), ""},
		"no h1":               {strings.Replace(fmt.Sprintf(good, ""), "<h1>T</h1>", "", 1), "h1"},
		"two h1":              {fmt.Sprintf(good, "<h1>U</h1>"), "h1"},
		"no skip link":        {strings.Replace(fmt.Sprintf(good, ""), `<a class="skip" href="#main">Skip</a>`, "", 1), "first focusable"},
		"skip to nowhere":     {strings.Replace(fmt.Sprintf(good, ""), `id="main"`, `id="other"`, 1), "first focusable"},
		"no footer":           {strings.Replace(fmt.Sprintf(good, ""), "<footer>f</footer>", "", 1), "footer"},
		"unlabelled input":    {fmt.Sprintf(good, `<input name="q">`), "label"},
		"label for elsewhere": {fmt.Sprintf(good, `<label for="x">Q</label><input id="q" name="q">`), "label"},
		"nameless button":     {fmt.Sprintf(good, `<button type="submit"></button>`), "button"},
		"duplicate id":        {fmt.Sprintf(good, `<p id="main">x</p>`), "id"},
		"unnamed chart":       {fmt.Sprintf(good, `<figure><svg role="img"></svg><table id="t"></table><a href="#t">table</a></figure>`), "chart"},
		"chart without table": {fmt.Sprintf(good, `<figure><svg role="img" aria-label="c"></svg></figure>`), "table"},
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.html))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(a11yProblems(doc), "\n")
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("problems %q, want one saying %q", got, c.want)
			}
		})
	}
}

func getDoc(t *testing.T, url, lang string, status int) *goquery.Document {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Language", lang)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d", res.StatusCode, status)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// a11yProblems lists what a page breaks of the rules above.
func a11yProblems(doc *goquery.Document) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	if n := doc.Find("h1").Length(); n != 1 {
		add("%d h1 elements, want 1", n)
	} else if strings.TrimSpace(doc.Find("h1").Text()) == "" {
		add("an empty h1")
	}

	ids := map[string]int{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) { ids[s.AttrOr("id", "")]++ })
	for id, n := range ids {
		if n > 1 {
			add("the id %q is on %d elements", id, n)
		}
	}

	first := doc.Find(`a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex^="-"])`).First()
	href := first.AttrOr("href", "")
	if !first.Is("a") || !strings.HasPrefix(href, "#") || !doc.Find("main#"+strings.TrimPrefix(href, "#")).Is("main") ||
		strings.TrimSpace(first.Text()) == "" {
		h, _ := goquery.OuterHtml(first)
		add("the first focusable element is %.120s, want a skip link to <main id=...>", h)
	}

	for sel, what := range map[string]string{"header": "header (banner)", "main": "main", "footer": "footer (content-info)"} {
		if n := doc.Find("body > " + sel).Length(); n != 1 {
			add("%d body > %s elements, want one %s", n, sel, what)
		}
	}
	if doc.Find("header nav").Length() == 0 {
		add("no nav in the header")
	}

	doc.Find(`input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea`).Each(func(_ int, s *goquery.Selection) {
		if !labelled(doc, s) {
			h, _ := goquery.OuterHtml(s)
			add("a form control without a label: %.150s", h)
		}
	})
	doc.Find("button").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "" && strings.TrimSpace(s.AttrOr("aria-label", "")) == "" {
			h, _ := goquery.OuterHtml(s)
			add("a button without a name: %.150s", h)
		}
	})

	doc.Find("figure svg").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("aria-hidden", "") == "true" {
			return
		}
		h, _ := goquery.OuterHtml(s)
		if _, ok := s.Attr("role"); !ok || strings.TrimSpace(s.AttrOr("aria-label", "")) == "" {
			add("a chart without a role and an aria-label: %.100s", h)
		}
		if !linksTable(doc, s.ParentsFiltered("figure, section")) {
			add("a chart whose figure links to no table view (an <a href=\"#id\"> of a <table>): %.100s", h)
		}
	})
	return out
}

// labelled tells whether a form control has a name: a label for its id, a
// label around it, aria-label or aria-labelledby of existing elements.
func labelled(doc *goquery.Document, s *goquery.Selection) bool {
	if strings.TrimSpace(s.AttrOr("aria-label", "")) != "" {
		return true
	}
	if ids := strings.Fields(s.AttrOr("aria-labelledby", "")); len(ids) > 0 {
		for _, id := range ids {
			if doc.Find("#"+cssID(id)).Length() == 0 {
				return false
			}
		}
		return true
	}
	if s.Closest("label").Length() > 0 && strings.TrimSpace(s.Closest("label").Text()) != "" {
		return true
	}
	id := s.AttrOr("id", "")
	if id == "" {
		return false
	}
	found := false
	doc.Find("label[for]").Each(func(_ int, l *goquery.Selection) {
		if l.AttrOr("for", "") == id && strings.TrimSpace(l.Text()) != "" {
			found = true
		}
	})
	return found
}

// linksTable tells whether the selection (a chart's figure and section)
// holds a link to a table's id.
func linksTable(doc *goquery.Document, s *goquery.Selection) bool {
	found := false
	s.Find(`a[href^="#"]`).Each(func(_ int, a *goquery.Selection) {
		id := strings.TrimPrefix(a.AttrOr("href", ""), "#")
		if id != "" && doc.Find("table#"+cssID(id)).Length() == 1 {
			found = true
		}
	})
	return found
}

// cssID quotes an id for a CSS selector (ids here are letters, digits
// and hyphens; anything else is escaped as a code point).
func cssID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r == '-' || r == '_' || r >= '0' && r <= '9' && b.Len() > 0 || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		} else {
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + " ")
		}
	}
	return b.String()
}

// TestDigestPageAccessible checks a built digest's page (its editing form
// for an administrator) and the list of digests holding it.
func TestDigestPageAccessible(t *testing.T) {
	f := newDigestsFixture(t, true)
	f.make(t)
	for _, path := range []string{digestPage, "/digests"} {
		for _, lang := range []string{"en", "ru"} {
			doc := getDoc(t, f.srv.URL+path, lang, http.StatusOK)
			for _, problem := range a11yProblems(doc) {
				t.Errorf("%s (%s): %s", path, lang, problem)
			}
		}
	}
}
