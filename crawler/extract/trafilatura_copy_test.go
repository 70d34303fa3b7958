package extract

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// trafilaturaModule is the module third_party/go-trafilatura replaces.
const trafilaturaModule = "github.com/markusmobius/go-trafilatura"

// TestTrafilaturaCopyVersion: go.mod requires the go-trafilatura version
// that third_party/go-trafilatura was made from (its VERSION file) and
// replaces the module with that copy. A require bumped without rerunning
// PATCH.sh would otherwise build the old copy under the new version's name.
func TestTrafilaturaCopyVersion(t *testing.T) {
	root := filepath.Join("..", "..")
	copied, err := os.ReadFile(filepath.Join(root, "third_party", "go-trafilatura", "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var required, replaced string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 2 && fields[0] == trafilaturaModule:
			required = fields[1]
		case len(fields) >= 4 && fields[0] == "replace" && fields[1] == trafilaturaModule:
			replaced = fields[len(fields)-1]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(string(copied)); required != want {
		t.Errorf("go.mod requires %s %q; third_party/go-trafilatura is %s: run third_party/go-trafilatura/PATCH.sh", trafilaturaModule, required, want)
	}
	if replaced != "./third_party/go-trafilatura" {
		t.Errorf("go.mod replaces %s with %q, want ./third_party/go-trafilatura", trafilaturaModule, replaced)
	}
}

// copyPage is a German article with tags, a category and a licence link
// that go-trafilatura finds by searching the document, and no declared
// language.
const copyPage = `<!DOCTYPE html><html><head><title>Streik in Schanaosen</title></head><body>
<div class="post-meta"><a href="/category/kasachstan/">Kasachstan</a></div>
<article><h1>Streik in Schanaosen</h1>
<p>Die Ölarbeiter im Westen Kasachstans streikten sieben Monate lang für höhere Löhne und bessere Arbeitsbedingungen, und die Firma entließ fast tausend von ihnen.</p>
<p>Am sechzehnten Dezember schoss die Polizei auf dem Platz der Stadt auf die Streikenden und ihre Familien; nach den amtlichen Angaben starben vierzehn Menschen.</p>
<p>Die Anwältin der Arbeiter, Natalja Sokolowa, wurde zu sechs Jahren Haft verurteilt, weil sie zu sozialem Hass aufgestachelt haben soll, was sie bestritt.</p>
</article>
<div class="tags"><a href="/tag/streik">Streik</a> <a href="/tag/erdoel">Erdöl</a></div>
<footer><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></footer>
</body></html>`

// metaTagsPage is copyPage with a tag in a <meta> tag and a category in
// JSON-LD, which go-trafilatura reads before it would search the document.
// (JSON-LD's keywords, when there are any, replace the <meta> tags' tags.)
var metaTagsPage = strings.Replace(copyPage, "</head>", `<meta property="article:tag" content="Zhanaozen">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","articleSection":"Kasachstan"}</script></head>`, 1)

// extractCopy runs go-trafilatura's ExtractDocument on page with the
// options presswatch gives it, and skipLang and skipMeta for the two of
// its copy.
func extractCopy(t *testing.T, page, target string, skipLang, skipMeta bool) (*trafilatura.ExtractResult, error) {
	t.Helper()
	base, _ := url.Parse("https://example.de/2011/12/16/streik")
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL: base, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled, TargetLanguage: target,
		SkipLanguageDetection: skipLang, SkipCategoriesTagsLicense: skipMeta,
	})
}

// TestTrafilaturaCopySkips: each of presswatch's two options of its
// go-trafilatura copy leaves out what it names and only that: the text,
// the content node and the rest of the metadata are what the library's
// defaults give. With the defaults, all four are found, so the test also
// fails if the page stops exercising them.
func TestTrafilaturaCopySkips(t *testing.T) {
	run := func(skipLang, skipMeta bool) *trafilatura.ExtractResult {
		r, err := extractCopy(t, copyPage, "", skipLang, skipMeta)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	full := run(false, false)
	if m := full.Metadata; m.Language != "de" || len(m.Categories) == 0 || len(m.Tags) == 0 || m.License == "" {
		t.Fatalf("with the defaults: language %q, categories %q, tags %q, licence %q; want de and all three found",
			m.Language, m.Categories, m.Tags, m.License)
	}
	var fullNode bytes.Buffer
	html.Render(&fullNode, full.ContentNode)

	for _, tc := range []struct {
		name               string
		skipLang, skipMeta bool
	}{
		{"language", true, false},
		{"categories, tags and licence", false, true},
		{"both", true, true},
	} {
		r := run(tc.skipLang, tc.skipMeta)
		want := full.Metadata
		if tc.skipLang {
			want.Language = ""
		}
		if tc.skipMeta {
			want.Categories, want.Tags, want.License = nil, nil, ""
		}
		got := r.Metadata
		if len(got.Categories) == 0 && len(got.Tags) == 0 { // nil or empty alike
			got.Categories, got.Tags = nil, nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("skipping %s: metadata\n%#v\nwant\n%#v", tc.name, r.Metadata, want)
		}
		if r.ContentText != full.ContentText || r.CommentsText != full.CommentsText {
			t.Errorf("skipping %s: text\n%s\nwith the defaults:\n%s", tc.name, r.ContentText, full.ContentText)
		}
		var node bytes.Buffer
		html.Render(&node, r.ContentNode)
		if node.String() != fullNode.String() {
			t.Errorf("skipping %s: the content node differs", tc.name)
		}
	}
}

// TestTrafilaturaCopyKeepsMetaTags: skipping the search of the document
// keeps the tags and categories that <meta> tags and JSON-LD give.
func TestTrafilaturaCopyKeepsMetaTags(t *testing.T) {
	r, err := extractCopy(t, metaTagsPage, "", true, true)
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Metadata; !slices.Equal(m.Tags, []string{"Zhanaozen"}) || !slices.Equal(m.Categories, []string{"Kasachstan"}) {
		t.Errorf("tags %q, categories %q; want [Zhanaozen] and [Kasachstan]", m.Tags, m.Categories)
	}
}

// TestTrafilaturaCopyTargetLanguage: with SkipLanguageDetection set, a
// TargetLanguage still filters: the German page is kept for de, with its
// language, and refused for en.
func TestTrafilaturaCopyTargetLanguage(t *testing.T) {
	r, err := extractCopy(t, copyPage, "de", true, true)
	if err != nil || r.Metadata.Language != "de" {
		t.Errorf("target de: %v, language %q; want the page, language de", err, r.Metadata.Language)
	}
	if _, err := extractCopy(t, copyPage, "en", true, true); err == nil {
		t.Errorf("target en: the German page was kept")
	}
}
