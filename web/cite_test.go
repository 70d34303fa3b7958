package web

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestCiteText(t *testing.T) {
	h := newHistoryFixture(t)
	_, body := h.get(t, "/api/articles/1", "")
	var a ArticleJSON
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	// The version cited is the edit, seen on 18 Dec; its capture's hash
	// and record, not the first reading's.
	for _, want := range []string{
		`Айдос Садыков. Azattyq. "Беспорядки в Жанаозене". 2011-12-16. https://rus.azattyq.org/a/1.html`,
		"First seen by presswatch: 2011-12-16 09:00:00 UTC", "Version cited: 2011-12-18 10:00:00 UTC",
		"SHA-256 of the page as received: ", "WARC record: <urn:uuid:",
	} {
		if !strings.Contains(a.Cite, want) {
			t.Errorf("cite lacks %q:\n%s", want, a.Cite)
		}
	}
	if strings.Contains(a.Cite, h.loc.RecordID) || strings.Contains(a.Cite, h.loc.PayloadSHA256) {
		t.Errorf("cite names the first reading's capture, not the version cited's:\n%s", a.Cite)
	}
}

func TestCiteBibTeX(t *testing.T) {
	c := citation{Key: "presswatch-7", Source: "Radio & TV_1", Title: "50% {rise} in #strikes ~ $2^3 \\o/",
		Author: "Иван {Петров & Компания 100%; Айдос Садыков", Published: time.Date(2011, 12, 16, 14, 30, 0, 0, time.FixedZone("", 6*3600)),
		URL: "https://example.kz/a?x=1&y=%20#top", FirstSeen: time.Date(2011, 12, 16, 9, 0, 0, 0, time.UTC),
		Version: time.Date(2011, 12, 18, 10, 0, 0, 0, time.UTC), SHA256: "abc", WARC: "<urn:uuid:1>", Lang: "ru"}
	bib := c.bibtex()
	for _, want := range []string{
		"@online{presswatch-7,\n",
		`author = {{Иван \textbraceleft{}Петров} and {Компания 100\%} and Айдос Садыков},`,
		`title = {{50\% \textbraceleft{}rise\textbraceright{} in \#strikes \textasciitilde{} \$2\textasciicircum{}3 \textbackslash{}o/}},`,
		`organization = {Radio \& TV\_1},`, "date = {2011-12-16},", "urldate = {2011-12-16},",
		"url = {https://example.kz/a?x=1&y=%20#top},", // verbatim
		`note = {First seen by presswatch 2011-12-16 09:00:00 UTC; version of 2011-12-18 10:00:00 UTC; SHA-256 of the page as received abc; WARC-Record-ID <urn:uuid:1>},`,
	} {
		if !strings.Contains(bib, want) {
			t.Errorf("BibTeX lacks %q:\n%s", want, bib)
		}
	}
	// BibTeX counts every brace: the entry must stay balanced, whatever
	// the fields hold.
	depth := 0
	for i, r := range bib {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth < 0 {
			t.Fatalf("a closing brace at %d ends the entry early:\n%s", i, bib)
		}
	}
	if depth != 0 {
		t.Errorf("unbalanced braces (%d):\n%s", depth, bib)
	}
	// Outside url, no TeX special character is left unescaped.
	for _, line := range strings.Split(bib, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "url =") {
			continue
		}
		if m := regexp.MustCompile(`(^|[^\\])[&%$#_]`).FindString(line); m != "" {
			t.Errorf("unescaped %q in %s", m, line)
		}
	}
}

func TestCiteBibTeXEndpoint(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, "/articles/1/cite.bib", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/x-bibtex") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{"@online{presswatch-1,", "author = {Айдос Садыков},", "organization = {Azattyq},",
		"title = {{Беспорядки в Жанаозене}},", "version of 2011-12-18 10:00:00 UTC", "WARC-Record-ID <urn:uuid:"} {
		if !strings.Contains(body, want) {
			t.Errorf("cite.bib lacks %q:\n%s", want, body)
		}
	}
	if res, _ := h.get(t, "/articles/99/cite.bib", ""); res.StatusCode != 404 {
		t.Errorf("an unknown article's BibTeX: %d", res.StatusCode)
	}
}

func TestCiteCSL(t *testing.T) {
	h := newHistoryFixture(t)
	res, body := h.get(t, "/articles/1/cite.json", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.citationstyles.csl+json") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(body), &items); err != nil || len(items) != 1 {
		t.Fatalf("not a CSL-JSON array of one item: %v\n%s", err, body)
	}
	it := items[0]
	want := map[string]string{
		"id": "presswatch-1", "type": "article-newspaper", "title": "Беспорядки в Жанаозене", "container-title": "Azattyq",
		"URL": "https://rus.azattyq.org/a/1.html", "language": "ru",
		"issued": `{"date-parts":[[2011,12,16]]}`, "accessed": `{"date-parts":[[2011,12,16]]}`,
		"author": `[{"family":"Садыков","given":"Айдос"}]`,
	}
	for k, v := range want {
		got, _ := json.Marshal(it[k])
		if s, ok := it[k].(string); ok {
			got = []byte(s)
		}
		if string(got) != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	note, _ := it["note"].(string)
	for _, w := range []string{"First seen by presswatch 2011-12-16 09:00:00 UTC", "version of 2011-12-18 10:00:00 UTC", "SHA-256 of the page as received ", "WARC-Record-ID <urn:uuid:"} {
		if !strings.Contains(note, w) {
			t.Errorf("note lacks %q: %s", w, note)
		}
	}
	// A campaign's page is a webpage; an agency byline is a literal name.
	c := citation{Key: "k", Title: "t", Author: "Reuters staff; Ludwig van Beethoven", URL: "u"}.csl()
	if c.Type != "webpage" || len(c.Author) != 2 || c.Author[0].Literal != "Reuters staff" ||
		c.Author[1] != (cslName{Given: "Ludwig van", Family: "Beethoven"}) {
		t.Errorf("csl = %+v", c)
	}
}

func TestSplitAuthors(t *testing.T) {
	for in, want := range map[string][]string{
		"Айдос Садыков":                         {"Айдос Садыков"},
		"Айдос Садыков, Иван Петров":            {"Айдос Садыков", "Иван Петров"},
		"Sadykov, Aidos":                        {"Sadykov, Aidos"},
		"Айдос Садыков и Иван Петров":           {"Айдос Садыков", "Иван Петров"},
		"Jane Roe and John Doe; Max Mustermann": {"Jane Roe", "John Doe", "Max Mustermann"},
		"":                                      nil,
	} {
		got := splitAuthors(in)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// After a return to an earlier text, the version cited is that text and
// its capture the return's exchange, not the last edit's.
func TestCurrentVersionAfterReturn(t *testing.T) {
	f1, f2, f3 := &model.Fetch{ID: 1}, &model.Fetch{ID: 2}, &model.Fetch{ID: 3}
	v := &articleView{Article: &model.Article{ContentHash: "h1", FetchID: 1},
		Versions: []versionView{{Version: model.Version{ID: 1, ContentHash: "h1", FetchID: 1}}, {Version: model.Version{ID: 2, ContentHash: "h2", FetchID: 1}}},
		Events: []eventView{{Event: model.Event{Kind: model.EventEdited, VersionID: 2, FetchID: 2}},
			{Event: model.Event{Kind: model.EventBack, VersionID: 1, FetchID: 3}}},
		fetches: map[int64]*model.Fetch{1: f1, 2: f2, 3: f3}, Fetch: f1}
	cur, capture := v.current()
	if cur == nil || cur.ID != 1 || capture != f3 {
		t.Errorf("current = %+v, capture %+v; want version 1 seen by fetch 3", cur, capture)
	}
	v.ContentHash = "h2"
	if cur, capture = v.current(); cur.ID != 2 || capture != f2 {
		t.Errorf("current = %+v, capture %+v; want version 2 seen by fetch 2", cur, capture)
	}
}

// A page a web archive captured is cited with the capture's time and
// address apart from when presswatch read it, in every form; one read
// from another tool's WARC file names the file and record.
func TestCiteACapture(t *testing.T) {
	at := time.Date(2011, 12, 19, 6, 30, 0, 0, time.UTC)
	capture := "https://web.archive.org/web/20111219063000/http://kazpravda.kz/news/1"
	v := &articleView{Article: &model.Article{ID: 9, Title: "Беспорядки в Жанаозене", URL: "http://kazpravda.kz/news/1",
		Lang: "ru", FirstSeen: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC), ContentHash: "h", Provenance: model.ProvenanceArchive}}
	v.Capture = &model.Fetch{SHA256: "abc", WARCRecord: "<urn:uuid:2>", CapturedAt: at, Capture: capture}
	for lang, want := range map[string]string{
		"en": "Captured by a web archive: 2011-12-19 06:30:00 UTC, " + capture + "\nFirst seen by presswatch: 2026-12-03 07:00:00 UTC",
		"ru": "Снимок веб-архива: 2011-12-19 06:30:00 UTC, " + capture,
	} {
		if got := v.cite(lang); !strings.Contains(got, want) {
			t.Errorf("%s: cite lacks %q:\n%s", lang, want, got)
		}
	}
	c := v.citation()
	wantNote := "Captured by a web archive 2011-12-19 06:30:00 UTC at " + capture + "; First seen by presswatch 2026-12-03 07:00:00 UTC"
	if bib := c.bibtex(); !strings.Contains(bib, texEscape(wantNote)) {
		t.Errorf("BibTeX note lacks %q:\n%s", wantNote, bib)
	}
	if it := c.csl(); it.Archive != "web.archive.org" || it.ArchiveLoc != capture || !strings.HasPrefix(it.Note, wantNote) {
		t.Errorf("CSL archive %q, location %q, note %q", it.Archive, it.ArchiveLoc, it.Note)
	}

	v.Capture = &model.Fetch{CapturedAt: at, Capture: "file:///data/zhanaozen.warc.gz#<urn:uuid:3>"}
	if got := v.cite("en"); !strings.Contains(got, "Captured by another tool: 2011-12-19 06:30:00 UTC, file:///data/zhanaozen.warc.gz#<urn:uuid:3>") {
		t.Errorf("cite of a WARC file's capture:\n%s", got)
	}
	if it := v.citation().csl(); it.ArchiveLoc == "file:///data/zhanaozen.warc.gz#<urn:uuid:3>" {
		t.Errorf("CSL points a reader at a local file: %+v", it)
	}
}
