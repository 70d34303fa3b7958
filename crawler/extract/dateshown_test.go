package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestShownDate(t *testing.T) {
	filler := strings.Repeat("Ein langer Satz über etwas ganz anderes, ohne Datum. ", 10)
	words289 := strings.TrimSpace(strings.Repeat("abcd ", 58)) // 289 bytes
	tests := map[string]struct{ body, want string }{
		"byline after the headline": {
			`<h1>Titel</h1><div class="meta">Von Moritz Wichmann 29.04.2020, 12:01 Uhr</div><p>` + filler + `</p>`,
			"2020-04-29 12:01"},
		"Russian dateline": {
			`<h1>Заголовок</h1><span>16 декабря 2011, 10:30</span><p>Текст</p>`, "2011-12-16 10:30"},
		"Kazakh dateline": {
			`<h1>Тақырып</h1><div>2011 жылғы 16 желтоқсан</div><p>Мәтін</p>`, "2011-12-16"},
		"date just above the headline": {
			`<p>Politik 03.02.2022</p><h1>Titel</h1><p>` + filler + `</p>`, "2022-02-03"},
		"nearest after wins over nearest before": {
			`<p>01.01.2022</p><h1>Titel</h1><p>Datum: 03.02.2022</p>`, "2022-02-03"},
		"date in a sentence is not a dateline": {
			`<h1>Titel</h1><p>Er wird ab dem 1. Januar 2024 die Züge übernehmen, sagte der Verband am Dienstag in Berlin vor der Presse.</p>`, ""},
		"update label is skipped": {
			`<h1>Titel</h1><div>Aktualisiert am 06.03.2023</div><div>Erschienen 10.01.2023</div>`, "2023-01-10"},
		"Russian update label is skipped": {
			`<h1>Заголовок</h1><div>Обновлено: 17 декабря 2011</div>`, ""},
		"too far below the headline": {
			`<h1>Titel</h1><p>` + filler + `</p><div>27.01.2022</div>`, ""},
		"no headline": {`<div>27.01.2022</div><p>Text</p>`, ""},
		"ambiguous slashed date is not shown": {
			`<h1>Title</h1><div>By Jane Doe 12/06/2019</div><p>Text</p>`, ""},
		"slashed date whose numbers show the order": {
			`<h1>Title</h1><div>By Jane Doe 06/13/2019</div><p>Text</p>`, "2019-06-13"},
		"Spanish abbreviation": {
			`<h1>Título</h1><span>16 dic 2011</span><p>Texto</p>`, "2011-12-16"},
		"Ukrainian nominative": {
			`<h1>Заголовок</h1><span>16 грудень 2011, 10:30</span><p>Текст</p>`, "2011-12-16 10:30"},
		// readPageText stops reading shownReach past the headline: a
		// block still open there must still count as long. The date
		// ends 300 bytes after the headline's end, the last it may.
		"a long block at the end of the reach is a sentence": {
			`<h1>Titel</h1><p>` + words289 + `</p><div><span>27.01.2022</span><span> | </span><span>` + filler + `</span></div>`, ""},
		"a long block of small texts at the end of the reach is not a dateline": {
			`<h1>Titel</h1><p>` + words289 + `</p><div><span>27.01.2022</span>` + strings.Repeat("<i>y</i>", 40) + `</div>`, ""},
		"a short block at the end of the reach is a dateline": {
			`<h1>Titel</h1><p>` + words289 + `</p><div><span>27.01.2022</span></div><p>` + filler + `</p>`, "2022-01-27"},
		"script text is not shown": {
			`<h1>Titel</h1><script>var d = "27.01.2022";</script><p>Text</p>`, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader("<html><body>" + tc.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			td, ok := shownDate(root)
			got := ""
			if ok {
				got = td.Day().Format("2006-01-02")
				if td.Clock {
					got = td.Time.Format("2006-01-02 15:04")
				}
			}
			if got != tc.want {
				t.Errorf("shownDate = %q, want %q", got, tc.want)
			}
		})
	}
}
