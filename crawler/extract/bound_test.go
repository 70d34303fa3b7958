package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// nested returns a page of blocks nested depth deep, repeated until the
// page is at least size bytes: the shape of the pages that took go-trafilatura
// 41 s each.
func nested(depth, size int) []byte {
	block := strings.Repeat("<div><span>", depth/2) + "text" + strings.Repeat("</span></div>", depth/2)
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>t</title></head><body>")
	for b.Len() < size {
		b.WriteString(block)
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

func TestCheckRefusesHostilePages(t *testing.T) {
	for name, tc := range map[string]struct {
		page   []byte
		reason string
		shape  Shape // where Measure must have stopped: just past a cap (html, head, title, body, then blocks)
	}{
		"blocks nested 500 deep, 5 MiB": {nested(500, 5<<20), "elements nested more than 128 deep", Shape{Elements: 4 + MaxDepth - 1, Depth: MaxDepth + 1}},
		"blocks nested 200 deep, 2 MiB": {nested(200, 2<<20), "elements nested more than 128 deep", Shape{Elements: 4 + MaxDepth - 1, Depth: MaxDepth + 1}},
		"a million flat elements":       {[]byte(strings.Repeat("<b>x</b>", 1<<20)), "more than 100000 elements", Shape{Elements: MaxElements + 1, Depth: 1}},
	} {
		err := Check(tc.page, "https://hostile.example/a")
		var me *model.Error
		if !errors.As(err, &me) || me.Kind != model.ErrTooComplex || !strings.Contains(err.Error(), tc.reason) ||
			!strings.Contains(err.Error(), "https://hostile.example/a") {
			t.Errorf("%s: %v; want a too_complex error naming the page and %q", name, err, tc.reason)
		}
		if got := Measure(tc.page); got != tc.shape {
			t.Errorf("%s: measured %+v; want the pass to stop at %+v", name, got, tc.shape)
		}
	}
}

func TestCheckPassesRealPages(t *testing.T) {
	pages, _ := filepath.Glob("testdata/*.html.gz")
	if len(pages) < 5 {
		t.Fatalf("only %d pages in testdata", len(pages))
	}
	for _, p := range pages {
		page := readPage(t, "testdata", strings.TrimSuffix(filepath.Base(p), ".gz"))
		if err := Check(page, "https://example.org/"+filepath.Base(p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The shared corpus's evaluation pages (over 900 real article
	// pages), when the checkout has it beside it.
	corpus, _ := filepath.Glob("../../../shared/corpus/trafilatura-eval/eval/*.html.gz")
	for _, p := range corpus {
		page := readPage(t, filepath.Dir(p), strings.TrimSuffix(filepath.Base(p), ".gz"))
		if err := Check(page, "https://example.org/"+filepath.Base(p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"testdata/handmade-kk.html", "testdata/handmade-ru.html"} {
		page, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(page, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// Elements whose end tag may be left out, and stray end tags, do not
// deepen a page as a naive count of start and end tags would.
func TestMeasureClosesAsBrowsersDo(t *testing.T) {
	for name, tc := range map[string]struct {
		page  string
		depth int
	}{
		"unclosed paragraphs":      {"<body>" + strings.Repeat("<p>para", 1000), 2},
		"unclosed list items":      {"<body><ul>" + strings.Repeat("<li>item", 1000) + "</ul>", 3},
		"unclosed cells and rows":  {"<body><table>" + strings.Repeat("<tr><td>a<td>b", 500) + "</table>", 4},
		"paragraph before a block": {"<body>" + strings.Repeat("<p>text<div>block</div>", 500), 2},
		"void and self-closed":     {"<body>" + strings.Repeat("<br><img src=x><hr/><svg/>", 500), 1},
		"stray end tags":           {"<body><div>" + strings.Repeat("</span></b>", 500) + "</div>", 2},
		"script text is not tags":  {"<body><script>" + strings.Repeat("<div>", 500) + "</script>", 2},
		"really nested":            {"<body>" + strings.Repeat("<div>", 100), 101},
	} {
		if got := Measure([]byte(tc.page)).Depth; got != tc.depth {
			t.Errorf("%s: depth %d, want %d", name, got, tc.depth)
		}
	}
}
