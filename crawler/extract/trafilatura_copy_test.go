package extract

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"path/filepath"
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

// TestTrafilaturaCopySkips: presswatch's two options of its go-trafilatura
// copy leave out the language, the categories, the tags and the licence,
// and only those: the text and the rest of the metadata are what the
// library's defaults give. With the defaults, all four are found, so the
// test also fails if the page stops exercising them.
func TestTrafilaturaCopySkips(t *testing.T) {
	base, _ := url.Parse("https://example.de/2011/12/16/streik")
	run := func(skip bool) *trafilatura.ExtractResult {
		doc, err := html.Parse(strings.NewReader(copyPage))
		if err != nil {
			t.Fatal(err)
		}
		r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
			OriginalURL: base, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled,
			SkipLanguageDetection: skip, SkipCategoriesTagsLicense: skip,
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	full, skipped := run(false), run(true)

	if full.Metadata.Language != "de" || len(full.Metadata.Categories) == 0 || len(full.Metadata.Tags) == 0 || full.Metadata.License == "" {
		t.Fatalf("with the defaults: language %q, categories %q, tags %q, licence %q; want de and all three found",
			full.Metadata.Language, full.Metadata.Categories, full.Metadata.Tags, full.Metadata.License)
	}
	if m := skipped.Metadata; m.Language != "" || len(m.Categories) != 0 || len(m.Tags) != 0 || m.License != "" {
		t.Errorf("with the skips: language %q, categories %q, tags %q, licence %q; want none",
			m.Language, m.Categories, m.Tags, m.License)
	}
	if skipped.ContentText != full.ContentText {
		t.Errorf("text with the skips:\n%s\nwith the defaults:\n%s", skipped.ContentText, full.ContentText)
	}
	var a, b bytes.Buffer
	html.Render(&a, full.ContentNode)
	html.Render(&b, skipped.ContentNode)
	if a.String() != b.String() {
		t.Errorf("content node differs with the skips")
	}
	fm, sm := full.Metadata, skipped.Metadata
	if fm.Title != sm.Title || fm.Author != sm.Author || fm.URL != sm.URL || fm.Sitename != sm.Sitename || fm.Description != sm.Description {
		t.Errorf("metadata with the skips %+v, with the defaults %+v: only language, categories, tags and licence may differ", sm, fm)
	}
}
