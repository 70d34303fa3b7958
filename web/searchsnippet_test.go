package web

import (
	"strings"
	"testing"
)

func TestReadableSnippet(t *testing.T) {
	tests := map[string]struct{ title, in, want string }{
		"cut in a word at both ends": {"", "…t began in <mark>Zhanaozen</mark> on the sixteenth of Decem…",
			"…began in <mark>Zhanaozen</mark> on the sixteenth of…"},
		"cut at a space": {"", "… began in <mark>Zhanaozen</mark> on the …", "…began in <mark>Zhanaozen</mark> on the…"},
		"Cyrillic":       {"", "…лиция открыла огонь в <mark>Жанаозене</mark> по бастующим нефтяни…", "…открыла огонь в <mark>Жанаозене</mark> по бастующим…"},
		"a match at the cut is a word": {"", "…<mark>Zhanaozen</mark> oil workers went on str…",
			"…<mark>Zhanaozen</mark> oil workers went on…"},
		"two fragments": {"", "…ice shot <mark>oil</mark> work… … …ers and <mark>oil</mark> fie…",
			"…shot <mark>oil</mark>… … …and <mark>oil</mark>…"},
		"no spaces to cut at": {"", "…新疆维吾尔自治区<mark>石油</mark>工人罢工…", "…新疆维吾尔自治区<mark>石油</mark>工人罢工…"},
		"whole text":          {"", "Police shot striking <mark>oil</mark> workers.", "Police shot striking <mark>oil</mark> workers."},
		"entities kept whole": {"", "…b &amp; <mark>oil</mark> &lt;b&gt; end…", "…&amp; <mark>oil</mark> &lt;b&gt;…"},
		"the title first": {"Strike in the oil town", "Strike in the <mark>oil</mark> town\n\nWorkers of the <mark>oil</mark> fields went on strike.",
			"Workers of the <mark>oil</mark> fields went on strike."},
		"the title with markup and another case": {`Oil & "gas" strike`, "<mark>oil</mark> &amp; &#34;gas&#34; strike. Workers walked out.", "Workers walked out."},
		"a match open across the title's end": {"Zhanaozen", "<mark>Zhanaozen</mark>\n<mark>Zhanaozen</mark> is a town…",
			"<mark>Zhanaozen</mark> is a…"},
		"Cyrillic title":                             {"Расстрел в Жанаозене", "Расстрел в <mark>Жанаозене</mark> Полиция открыла огонь.", "Полиция открыла огонь."},
		"the title runs on in the text":              {"Oil", "Oilmen went on strike.", "Oilmen went on strike."},
		"the title's words start the first sentence": {"Oil output grew", "Oil output grew this year.", "Oil output grew this year."},
		"the title, a space and a new sentence":      {"Oil output grew", "Oil output grew Production rose.", "Production rose."},
		"the text starts otherwise":                  {"Strike", "Workers went on strike.", "Workers went on strike."},
		"the text is only the title":                 {"Strike", "<mark>Strike</mark>", ""},
		"a cut fragment keeps its start":             {"began", "…t began in …", "…began in…"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := readableSnippet(tc.in, tc.title)
			if got != tc.want {
				t.Errorf("readableSnippet(%q, %q)\n got %q\nwant %q", tc.in, tc.title, got, tc.want)
			}
			if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") {
				t.Errorf("unbalanced marks in %q", got)
			}
		})
	}
}
