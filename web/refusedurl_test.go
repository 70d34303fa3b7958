package web

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// html/template writes #ZgotmplZ for a URL it refuses (javascript:, and
// every scheme but http, https and mailto: the urn:sha256: and mid: of
// files imported without a web address). No page may show one: an
// article whose URL a browser may not follow links its stored copy.

var hrefAttr = regexp.MustCompile(`href="([^"]*)"`)

// Articles imported from files without a web address, besides the pages
// fixture's javascript: one (id 3).
var unlinkable = []string{"urn:sha256:1999a101f57854786b46f62114a69468f079612b8cf00350a5e30cf949481694", "mid:strike-123@lists.example"}

func TestNoPageShowsARefusedURL(t *testing.T) {
	f := newPagesFixture(t, true)
	ctx := context.Background()
	st := f.server.store.(*store.Store)
	ix := f.server.opts.Search.(*index.Index)
	ids := map[string]int64{"javascript:alert(4)": 3}
	for i, u := range unlinkable {
		a := &model.Article{URL: u, SourceID: "import-files", Lang: "en", Title: "Zhanaozen notes " + strconv.Itoa(i),
			Text: "Notes on Zhanaozen kept in a file.", ContentHash: "imp" + strconv.Itoa(i),
			FirstSeen: pagesNow.Add(-2 * 60e9), LastChecked: pagesNow.Add(-2 * 60e9), State: model.StateLive, Provenance: model.ProvenanceImport}
		if err := st.EnsureSource(ctx, model.Source{ID: "import-files", Name: "Imported: import-files", Type: model.SourceImport,
			URL: "file:///", Stance: model.StanceUnknown, Keep: model.KeepAll}); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateArticle(ctx, a, []string{"zhanaozen"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(ctx, []*model.Article{a}); err != nil {
			t.Fatal(err)
		}
		ids[u] = a.ID
	}

	// Every page the site links, from the home page and a search finding
	// the three articles, in English and in Russian.
	seen := map[string]bool{}
	queue := []string{"/", "/search?q=Zhanaozen", "/search?q=Zhanaozen&sort=newest&limit=50", "/changes", "/topics/zhanaozen/new", "/login", "/import", "/sources/new", "/topics/new"}
	pages := 0
	for len(queue) > 0 && pages < 400 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		for _, lang := range []string{"en", "ru"} {
			res, body := f.get(t, path, lang)
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				break
			}
			pages++
			if i := strings.Index(body, "ZgotmplZ"); i >= 0 {
				t.Errorf("%s (%s) shows a refused URL: …%s…", path, lang, body[max(0, i-200):i+10])
			}
			if lang != "en" {
				continue
			}
			for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
				link := html.UnescapeString(m[1])
				if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") ||
					strings.Contains(link, "/warc") || strings.Contains(link, "/cite.") {
					continue
				}
				link, _, _ = strings.Cut(link, "#")
				if strings.Count(link, "&") > 1 {
					continue // the search's combinations of filters are endless
				}
				if !seen[link] {
					queue = append(queue, link)
				}
			}
		}
	}
	t.Logf("%d pages rendered", pages)
	if pages < 40 {
		t.Errorf("only %d pages rendered", pages)
	}
	for _, p := range []string{"/", "/articles/3", "/articles/4", "/articles/5", "/sources", "/topics", "/digests", "/help"} {
		if !seen[p] {
			t.Errorf("the pages reached leave out %s", p)
		}
	}

	// A search lists each with a link to its stored copy and no
	// "original" link.
	_, body := f.get(t, "/search?q=Zhanaozen&limit=50", "en")
	for u, id := range ids {
		hit := hitItem(t, body, id)
		if !strings.Contains(hit, `<a href="/articles/`+strconv.FormatInt(id, 10)+`" class="sp-orig"`) || !strings.Contains(hit, ">stored copy</a>") {
			t.Errorf("the hit of %s does not link its stored copy:\n%s", u, hit)
		}
		if strings.Contains(hit, ">original</a>") {
			t.Errorf("the hit of %s has an original link:\n%s", u, hit)
		}
	}
	if hit := hitItem(t, body, 2); !strings.Contains(hit, `<a href="https://kazpravda.kz/news/1" rel="noopener noreferrer" class="sp-orig">original</a>`) {
		t.Errorf("a crawled article's hit lost its original link:\n%s", hit)
	}
}

// hitItem is the <li> of the search result page body listing article id.
func hitItem(t *testing.T, body string, id int64) string {
	t.Helper()
	at := strings.Index(body, `<a href="/articles/`+strconv.FormatInt(id, 10)+`" class="sp-title">`)
	if at < 0 {
		t.Fatalf("the search page does not list article %d", id)
	}
	end := strings.Index(body[at:], "</li>")
	if end < 0 {
		end = len(body) - at
	}
	return body[at : at+end]
}

// A digest lists an article whose URL a browser may not follow with a
// link to its page in presswatch.
func TestDigestLinksAnImportedFileToItsPage(t *testing.T) {
	f := newDigestsFixture(t, true)
	a := &model.Article{URL: unlinkable[0], SourceID: "blog", Lang: "en", Title: "Zhanaozen notes from a file",
		Text: "Notes on Zhanaozen kept in a file.", FirstSeen: at16("15:00"), LastChecked: at16("15:00"),
		State: model.StateLive, ContentHash: "imported", Provenance: model.ProvenanceImport}
	if err := f.st.CreateArticle(context.Background(), a, []string{"zh"}, ""); err != nil {
		t.Fatal(err)
	}
	f.make(t)
	_, body := f.get(t, digestPage)
	if i := strings.Index(body, "ZgotmplZ"); i >= 0 {
		t.Errorf("the digest page shows a refused URL: …%s…", body[max(0, i-200):i+10])
	}
	want := `<a href="/articles/` + strconv.FormatInt(a.ID, 10) + `" rel="noopener noreferrer">Zhanaozen notes from a file</a>`
	if !strings.Contains(body, want) {
		t.Errorf("the digest page does not link the imported file's article page (%s):\n%s", want, body)
	}
}
