package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"presswatch/internal/model"
)

// This file writes the citations of an article: the text of the page's
// "cite this" box and of the JSON, BibTeX (/articles/{id}/cite.bib) and
// CSL-JSON (/articles/{id}/cite.json). Each names the source, title,
// author, published date, URL, when presswatch first saw the article, the
// version cited (the text the article has now, by the time it was seen),
// the SHA-256 of the page as received and the WARC record of the exchange
// that saw that version.

// citation is what every form of citation says.
type citation struct {
	Key       string // stable: presswatch-<id>
	Source    string
	Title     string
	Author    string
	Published time.Time // zero if unknown
	URL       string
	FirstSeen time.Time
	Version   time.Time // when the version cited was seen; zero if no version is stored
	SHA256    string    // of the page as received, else of the text (TextHash)
	TextHash  bool
	WARC      string // the response record's WARC-Record-ID; "" if not archived
	// Captured and Capture: when and where the capture the text was read
	// from was made, for a page a web archive or another tool captured
	// (zero and "" for presswatch's own fetches); WebArchive says it is a
	// web archive's address, not a WARC file and record.
	Captured   time.Time
	Capture    string
	WebArchive bool
	Lang       string
	News       bool // from a news outlet (article-newspaper), not a campaign or unknown site (webpage)
}

func (v *articleView) citation() citation {
	c := citation{Key: "presswatch-" + strconv.FormatInt(v.ID, 10), Source: v.SourceName(), Title: cmp.Or(v.Title, v.URL),
		Author: strings.TrimSpace(v.Author), Published: v.Published, URL: v.URL, FirstSeen: v.FirstSeen,
		SHA256: v.ContentHash, TextHash: true, Lang: v.Lang}
	if v.Current != nil {
		c.Version = v.Current.Seen
	}
	if f := v.Capture; f != nil {
		if f.SHA256 != "" {
			c.SHA256, c.TextHash = f.SHA256, false
		}
		c.WARC = f.WARCRecord
		if f.Capture != "" {
			c.Captured, c.Capture = f.CapturedAt, f.Capture
			c.WebArchive = strings.HasPrefix(f.Capture, "https://") || strings.HasPrefix(f.Capture, "http://")
		}
	}
	switch model.Stance(v.Stance()) {
	case model.StanceState, model.StanceIndependent, model.StanceInternational:
		c.News = true
	}
	return c
}

// cite is the "cite this" text in lang.
func (v *articleView) cite(lang string) string {
	c := v.citation()
	date := translate(lang, "article.cite.nodate")
	if !c.Published.IsZero() {
		date = c.Published.Format(time.DateOnly)
	}
	var b strings.Builder
	if c.Author != "" {
		b.WriteString(c.Author + ". ")
	}
	fmt.Fprintf(&b, translate(lang, "article.cite.format"), c.Source, c.Title, date, c.URL)
	line := func(key, value string) { fmt.Fprintf(&b, "\n%s: %s", translate(lang, key), value) }
	if c.Capture != "" {
		key := "article.cite.captured.file"
		if c.WebArchive {
			key = "article.cite.captured.archive"
		}
		line(key, utc(c.Captured)+", "+c.Capture)
	}
	line("article.cite.seen", utc(c.FirstSeen))
	if !c.Version.IsZero() {
		line("article.cite.version", utc(c.Version))
	}
	if c.TextHash {
		line("article.cite.texthash", c.SHA256)
	} else {
		line("article.cite.sha", c.SHA256)
	}
	if c.WARC != "" {
		line("article.cite.warc", c.WARC)
	}
	return b.String()
}

// note is the provenance a BibTeX or CSL note carries, in English.
func (c citation) note() string {
	var parts []string
	switch {
	case c.Capture != "" && c.WebArchive:
		parts = append(parts, "Captured by a web archive "+utc(c.Captured)+" at "+c.Capture)
	case c.Capture != "":
		parts = append(parts, "Captured by another tool "+utc(c.Captured)+" in "+c.Capture)
	}
	parts = append(parts, "First seen by presswatch "+utc(c.FirstSeen))
	if !c.Version.IsZero() {
		parts = append(parts, "version of "+utc(c.Version))
	}
	if c.TextHash {
		parts = append(parts, "SHA-256 of the text "+c.SHA256)
	} else {
		parts = append(parts, "SHA-256 of the page as received "+c.SHA256)
	}
	if c.WARC != "" {
		parts = append(parts, "WARC-Record-ID "+c.WARC)
	}
	return strings.Join(parts, "; ")
}

// citeBib answers GET /articles/{id}/cite.bib: a biblatex @online entry.
func (s *Server) citeBib(w http.ResponseWriter, r *http.Request) {
	v, ok := s.articleOr404(w, r, false)
	if !ok {
		return
	}
	attachment(w, "application/x-bibtex; charset=utf-8", fmt.Sprintf("presswatch-article-%d.bib", v.ID))
	w.Write([]byte(v.citation().bibtex()))
}

// citeCSL answers GET /articles/{id}/cite.json: CSL-JSON, an array of one
// item, as Zotero and citeproc read it.
func (s *Server) citeCSL(w http.ResponseWriter, r *http.Request) {
	v, ok := s.articleOr404(w, r, false)
	if !ok {
		return
	}
	attachment(w, "application/vnd.citationstyles.csl+json; charset=utf-8", fmt.Sprintf("presswatch-article-%d.json", v.ID))
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode([]cslItem{v.citation().csl()})
}

func attachment(w http.ResponseWriter, ctype, name string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename="+name)
}

// bibtex is the citation as a biblatex @online entry. Every field but
// url is escaped for TeX; url keeps its characters, with the few a .bib
// parser would trip on percent-encoded.
func (c citation) bibtex() string {
	var b strings.Builder
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, value)
		}
	}
	fmt.Fprintf(&b, "@online{%s,\n", c.Key)
	var authors []string
	for _, a := range splitAuthors(c.Author) {
		if personal(a) {
			authors = append(authors, texEscape(a))
		} else {
			authors = append(authors, "{"+texEscape(a)+"}") // a literal name: not split into given and family
		}
	}
	field("author", strings.Join(authors, " and "))
	field("title", "{"+texEscape(c.Title)+"}") // braced: a style must not change its case
	field("organization", texEscape(c.Source))
	if !c.Published.IsZero() {
		field("date", c.Published.Format(time.DateOnly))
	}
	field("url", bibURL(c.URL))
	field("urldate", c.FirstSeen.UTC().Format(time.DateOnly))
	field("langid", texEscape(c.Lang))
	field("note", texEscape(c.note()))
	b.WriteString("}\n")
	return b.String()
}

// texReplacer escapes the characters TeX gives a meaning. Braces become
// commands, not \{ and \}, because BibTeX counts every brace of a field
// and an unbalanced one would end it.
var texReplacer = strings.NewReplacer(
	`\`, `\textbackslash{}`, `{`, `\textbraceleft{}`, `}`, `\textbraceright{}`,
	`&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`,
	`^`, `\textasciicircum{}`, `~`, `\textasciitilde{}`,
)

func texEscape(s string) string { return texReplacer.Replace(strings.Join(strings.Fields(s), " ")) }

// bibURL percent-encodes the characters of u that would end or unbalance
// a .bib field (braces, backslash, blanks); a valid URL has none of them.
func bibURL(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r == '{' || r == '}' || r == '\\' || unicode.IsSpace(r) {
			b.WriteString(url.QueryEscape(string(r)))
			continue
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "+", "%20")
}

// splitAuthors splits a byline into names: at ";", " and ", " и ", " & "
// and at commas between names of two words or more ("Айдос Садыков, Иван
// Петров"). A comma before a single word ("Sadykov, Aidos") is kept,
// as a name written family first.
func splitAuthors(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' }) {
		for _, sep := range []string{" and ", " и ", " & "} {
			part = strings.ReplaceAll(part, sep, ";")
		}
		for p := range strings.SplitSeq(part, ";") {
			pieces := strings.Split(p, ",")
			split := len(pieces) > 1
			for _, q := range pieces {
				if len(strings.Fields(q)) < 2 {
					split = false
				}
			}
			if !split {
				pieces = []string{p}
			}
			for _, q := range pieces {
				if q = strings.Join(strings.Fields(q), " "); q != "" {
					out = append(out, q)
				}
			}
		}
	}
	return out
}

// personal reports whether name reads as a person's name: two to four
// capitalised words of letters (with . - ’ '), lower-case particles (van,
// de, ибн ...) between them. Such a name may be split into given and
// family names; anything else (an agency, "Reuters staff", a name with
// digits or markup) is cited as written.
func personal(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 4 || strings.Contains(name, ",") {
		return false
	}
	for i, w := range words {
		for _, r := range w {
			if !unicode.IsLetter(r) && !unicode.IsMark(r) && !strings.ContainsRune(".-'’", r) {
				return false
			}
		}
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) && (i == 0 || i == len(words)-1 || !particles[strings.ToLower(w)]) {
			return false
		}
	}
	return true
}

var particles = map[string]bool{"van": true, "von": true, "de": true, "der": true, "den": true, "da": true, "di": true,
	"du": true, "la": true, "le": true, "al": true, "bin": true, "ibn": true, "фон": true, "ван": true, "де": true, "ибн": true}

// cslItem is one CSL-JSON item (citationstyles.org/csl-data schema).
type cslItem struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	Title          string    `json:"title"`
	ContainerTitle string    `json:"container-title,omitempty"`
	Author         []cslName `json:"author,omitempty"`
	Issued         *cslDate  `json:"issued,omitempty"`
	Accessed       cslDate   `json:"accessed"`
	URL            string    `json:"URL"`
	Language       string    `json:"language,omitempty"`
	Note           string    `json:"note"`
	Version        string    `json:"version,omitempty"`
	Archive        string    `json:"archive,omitempty"`
	ArchiveLoc     string    `json:"archive_location,omitempty"`
}

type cslName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

func dateParts(t time.Time) cslDate {
	return cslDate{DateParts: [][]int{{t.Year(), int(t.Month()), t.Day()}}}
}

func (c citation) csl() cslItem {
	it := cslItem{ID: c.Key, Type: "webpage", Title: c.Title, ContainerTitle: c.Source, Accessed: dateParts(c.FirstSeen.UTC()),
		URL: c.URL, Language: c.Lang, Note: c.note(), ArchiveLoc: c.WARC}
	if c.News {
		it.Type = "article-newspaper"
	}
	if !c.Published.IsZero() {
		d := dateParts(c.Published) // the publisher's own day
		it.Issued = &d
	}
	if !c.Version.IsZero() {
		it.Version = utc(c.Version)
	}
	if c.WARC != "" {
		it.Archive = "presswatch WARC archive"
	}
	if c.Capture != "" && c.WebArchive { // the capture a reader can open
		it.Archive, it.ArchiveLoc = archiveName(c.Capture), c.Capture
	}
	for _, a := range splitAuthors(c.Author) {
		if !personal(a) {
			it.Author = append(it.Author, cslName{Literal: a})
			continue
		}
		words := strings.Fields(a)
		it.Author = append(it.Author, cslName{Given: strings.Join(words[:len(words)-1], " "), Family: words[len(words)-1]})
	}
	return it
}

// archiveName is the host of a web archive's capture address
// (web.archive.org), which names the archive.
func archiveName(capture string) string {
	if u, err := url.Parse(capture); err == nil && u.Host != "" {
		return u.Host
	}
	return capture
}
