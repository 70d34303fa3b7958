package wdiff

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := map[string]struct {
		segs []Segment
		want template.HTML
	}{
		"figure revised": {
			segs: Diff("погибли 10 человек", "погибли 16 человек"),
			want: "<p>погибли <del>10</del><ins>16</ins> человек</p>",
		},
		"paragraphs and line breaks": {
			segs: []Segment{{Equal, "Первый абзац.\n\nВторая "}, {Insert, "строка\nи ещё"}, {Equal, " одна."}},
			want: "<p>Первый абзац.</p>\n<p>Вторая <ins>строка</ins><br>\n<ins>и ещё</ins> одна.</p>",
		},
		"a change across a paragraph break": {
			segs: []Segment{{Equal, "А. "}, {Delete, "Б.\n\nВ."}, {Equal, " Г."}},
			want: "<p>А. <del>Б.</del></p>\n<p><del>В.</del> Г.</p>",
		},
		"XSS in the text is escaped": {
			segs: []Segment{
				{Equal, `<script>alert("x")</script> `},
				{Delete, `<img src=x onerror=alert(1)>`},
				{Insert, `</ins><a href="javascript:alert(1)">&amp;</a>`},
			},
			want: `<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <del>&lt;img src=x onerror=alert(1)&gt;</del>` +
				`<ins>&lt;/ins&gt;&lt;a href=&#34;javascript:alert(1)&#34;&gt;&amp;amp;&lt;/a&gt;</ins></p>`,
		},
		"leading and trailing breaks": {
			segs: []Segment{{Equal, "\n\nТекст.\n\n"}},
			want: "<p>Текст.</p>",
		},
		"empty": {segs: nil, want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := HTML(tc.segs); got != tc.want {
				t.Errorf("HTML:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestHTMLInTemplate checks that the result goes through html/template
// as it is and that nothing in the text becomes markup.
func TestHTMLInTemplate(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<div class="diff">{{.}}</div>`))
	var buf bytes.Buffer
	payload := `"><script>alert(1)</script><svg onload=alert(2)>`
	if err := tmpl.Execute(&buf, HTML(Diff("Жанаозен", "Жанаозен "+payload))); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(strings.TrimPrefix(buf.String(), `<div class="diff">`), "</div>")
	for _, bad := range []string{"<script", "<svg", `"><`} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds %q: %s", bad, out)
		}
	}
	if !strings.Contains(out, "<ins>") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("output lacks the escaped insertion: %s", out)
	}
}
