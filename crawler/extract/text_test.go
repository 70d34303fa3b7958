package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestPlainText(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"paragraphs":      {"<p>One  two\n three.</p><p>Four.</p>", "One two three.\n\nFour."},
		"inline elements": {"<p>Жана<b>озен</b> <i>2011</i></p>", "Жанаозен 2011"},
		"line break":      {"<p>line one<br>line two</p>", "line one\nline two"},
		"headings, lists": {"<h2>Title</h2><ul><li>a</li><li>b</li></ul>", "Title\n\na\n\nb"},
		"table cells":     {"<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n\n3"},
		"pre kept":        {"<pre>a\n  b</pre>", "a\n  b"},
		"scripts skipped": {"<p>x<script>var y</script></p><style>p{}</style>", "x"},
		"soft hyphens":    {"<p>Жана\u00adозен</p>", "Жанаозен"},
		"NFC":             {"<p>Жаңаөзен café\u0301</p>", "Жаңаөзен caf\u00e9\u0301"},
		"empty blocks":    {"<div><p> </p><div>\n</div></div><p>x</p>", "x"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := plainText(doc, false); got != tc.want {
				t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestPlainTextTrimmed renders trees as trafilatura leaves them: text
// trimmed at element edges, elements renamed or created without DataAtom.
func TestPlainTextTrimmed(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(
		"<p>moved to after <code>next-line</code>and<code>previous-line</code>— add</p>" +
			"<p><strong>Quickly</strong>move files, <b>Жана</b>.</p><span>Kinder</span><span>findet</span>"))
	if err != nil {
		t.Fatal(err)
	}
	var spans []*html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "span" {
			spans = append(spans, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	spans[0].Data, spans[1].Data = "h2", "h3" // renamed, DataAtom still Span
	want := "moved to after next-line and previous-line— add\n\nQuickly move files, Жана.\n\nKinder\n\nfindet"
	if got := plainText(doc, true); got != want {
		t.Errorf("trimmed:\n got %q\nwant %q", got, want)
	}
	want = "moved to after next-lineandprevious-line— add\n\nQuicklymove files, Жана.\n\nKinder\n\nfindet"
	if got := plainText(doc, false); got != want {
		t.Errorf("untrimmed:\n got %q\nwant %q", got, want)
	}
}

func TestCleanTitle(t *testing.T) {
	tests := map[string]struct{ title, site, host, want string }{
		"site name as host":  {"Perturbazione polare - La Stampa", "lastampa.it", "www.lastampa.it", "Perturbazione polare"},
		"site name as words": {"Расстрел в Жанаозене | Степной вестник", "Степной вестник", "vestnik.kz", "Расстрел в Жанаозене"},
		"host name as words": {"Chocolate Frosting | Foxy Folksy", "", "www.foxyfolksy.com", "Chocolate Frosting"},
		"domain-like tail":   {"Streit ums Feuerholz - www.AussenGedanken.de", "", "example.com", "Streit ums Feuerholz"},
		"other suffix kept":  {"Zhanaozen - ten years on", "example.com", "example.com", "Zhanaozen - ten years on"},
		"version kept":       {"Python - 3.10", "", "example.com", "Python - 3.10"},
		"nothing known":      {"A - B", "", "", "A - B"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := cleanTitle(tc.title, tc.site, tc.host); got != tc.want {
				t.Errorf("cleanTitle(%q, %q, %q) = %q, want %q", tc.title, tc.site, tc.host, got, tc.want)
			}
		})
	}
}
