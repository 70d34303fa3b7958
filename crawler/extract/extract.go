package extract

import (
	"bytes"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/go-shiori/go-readability"
	dateparser "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"presswatch/internal/dates"
	"presswatch/internal/lang"
	"presswatch/internal/model"
	"presswatch/internal/urlnorm"
)

// MaxBytes is how much of a page Page reads: the rest is cut off before
// parsing. Article pages are well under it (a few hundred KB, 1-3 MB for
// pages carrying their scripts inline); extraction time grows faster than
// the size, to about 10 s for 5 MB of dense text.
const MaxBytes = 5 << 20

// minLetters is the least text, in letters, that counts as an article.
const minLetters = 20

// The values of Result.Extractor.
const (
	ExtractorTrafilatura = "trafilatura"  // trafilatura's own algorithm, or its rescue from the raw page
	ExtractorReadability = "readability"  // go-readability, chosen by trafilatura as the better result
	ExtractorDistiller   = "domdistiller" // go-domdistiller, chosen likewise
)

// Result is what Page found on a page.
type Result struct {
	Title, Author string
	Published     time.Time        // zero if none found; in the offset the page wrote it with
	DateSource    model.DateSource // model.DateFromMeta, model.DateFromText or model.DateUnknown
	Lang          string           // ISO 639-1, "" if unknown
	CanonicalURL  string           // urlnorm-canonical
	Text          string           // main text, paragraphs separated by blank lines
	Description   string
	Extractor     string // one of the Extractor constants
}

// Page extracts the article in page, an HTML document already decoded to
// UTF-8, fetched from pageURL (absolute http or https, after redirects).
//
// Text is the main text trafilatura finds, or on a short result its
// fallbacks (see mainText), less the paragraphs that only point to other
// articles and the short notices a site sets inside the article (see
// dropLinkParagraphs and dropBoilerplate).
//
// Published is chosen among witnesses (see publicationDate): the explicit
// date of the markup (JSON-LD datePublished, article:published_time,
// itemprop=datePublished, other date <meta> tags, <time datetime>), the
// date the page shows readers beside its headline (see dateshown.go), the
// day in the URL (/2011/12/16/), and go-htmldate's guess. The explicit
// date wins unless the shown date or the URL contradicts it, with
// DateSource model.DateFromMeta; a shown date that outvotes it, or
// go-htmldate's guess when nothing else is there, gives
// model.DateFromText. A guess on the first of a month at midnight that
// nothing on the page shows as a day is left out (see completedGuess):
// it is a year or a month go-htmldate completed with ones. A date written in UTC that falls on the witnessed
// neighbouring day is moved, same instant, to the offset that puts it on
// that day.
//
// Lang is the language the page declares (<html lang>, Content-Language,
// og:locale), except that when the text is long enough to judge and
// lang.Detect, which knows the declared language, finds another one, the
// detected one wins: templates often declare one language for every
// edition of a site (a Latin-script declaration that whatlanggo confirms
// is taken as it is, see chooseLang). Undeclared pages
// get lang.Detect's answer.
//
// CanonicalURL is rel=canonical (else og:url) resolved against pageURL,
// unless that points at a site's home page while pageURL does not (a
// common misconfiguration); else pageURL itself. Both are canonicalised.
//
// Errors are *model.Error: kind model.ErrExtract ("extract: URL: no main
// text found") when the page has no usable text, model.ErrParse when it is
// not parseable HTML (such as elements nested over 512 deep), and
// model.ErrInternal when pageURL is not an absolute http(s) URL.
func Page(page []byte, pageURL string) (res *Result, err error) {
	base, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil {
		return nil, model.Errorf(model.ErrInternal, "extract: %s: page URL: %w", pageURL, err)
	}
	pageCanon, err := urlnorm.Canonical(pageURL)
	if err != nil {
		return nil, model.Errorf(model.ErrInternal, "extract: %s: page URL: %w", pageURL, err)
	}
	if len(page) > MaxBytes {
		page = page[:MaxBytes]
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, model.Errorf(model.ErrParse, "extract: %s: %w", pageURL, err)
	}
	defer func() { // the extractors are third-party code run on hostile input
		if r := recover(); r != nil {
			res, err = nil, model.Errorf(model.ErrExtract, "extract: %s: extractor failed: %v", pageURL, r)
		}
	}()

	meta := readMeta(doc)
	keepLeads(doc)
	text, extractor, tm, ok := mainText(doc, base)
	text = dropBoilerplate(dropLinkParagraphs(text, linkTexts(doc)))
	if !ok || lang.Letters(text) < minLetters {
		return nil, model.Errorf(model.ErrExtract, "extract: %s: no main text found", pageURL)
	}

	res = &Result{
		Title:        cleanTitle(firstOf(tm.Title, meta.title), tm.Sitename, base.Hostname()),
		Author:       firstOf(tm.Author, meta.author),
		Lang:         chooseLang(meta.lang, text),
		CanonicalURL: canonicalURL(meta.canonical, pageURL, pageCanon),
		Text:         text,
		Description:  firstOf(tm.Description, meta.description),
		Extractor:    extractor,
	}
	guess := func(extensive bool) time.Time {
		guessed := guessDate(doc, firstOf(tm.URL, pageURL), extensive)
		if completedGuess(guessed, page, pageURL) {
			return time.Time{}
		}
		return guessed
	}
	res.Published, res.DateSource = publicationDate(meta, pageURL, guess)
	return res, nil
}

// guessDate is go-htmldate's guess of the publication date of doc, the
// original rather than the updated date, zero if none; extensive runs its
// extensive search (go-dateparser on the page's text, several
// milliseconds on a news page), else its fast one. trafilatura runs with
// its own date search off (see mainText), so that a page is searched at
// most once, and only when publicationDate needs it.
func guessDate(doc *html.Node, pageURL string, extensive bool) time.Time {
	r, err := htmldate.FromDocument(doc, htmldate.Options{URL: pageURL, UseOriginalDate: true,
		SkipExtensiveSearch: !extensive, DateParserConfig: dateParserConfig})
	if err != nil || r.IsZero() {
		return time.Time{}
	}
	return r.DateTime
}

// dateParserConfig is go-htmldate's own configuration of go-dateparser
// (go-htmldate v1.9.1), less the languages presswatch does not read
// dates in (dates.Languages): go-dateparser tries every language it
// knows on each string otherwise, most of the extensive search's cost.
var dateParserConfig = &dateparser.Configuration{
	Languages:           dates.Languages,
	PreferredDateSource: dateparser.Past,
	StrictParsing:       true,
}

// mainText runs trafilatura and reports which extractor produced the
// text. trafilatura's own date search is off: its metadata carries no
// date (Page asks go-htmldate itself, see guessDate).
//
// trafilatura runs alone first. Only when its text is short (under
// minPlainLetters letters, or none) does it run again with its fallback,
// go-readability and go-domdistiller, whose text it takes when that is
// the better one: on the development half of trafilatura-eval, the
// fallback improved 19 pages and worsened 5, nearly all of them pages
// where trafilatura alone kept a few hundred letters, and running it on
// every page cost more CPU than trafilatura itself.
func mainText(doc *html.Node, base *url.URL) (string, string, trafilatura.Metadata, bool) {
	opts := trafilatura.Options{
		OriginalURL:     base,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // Page asks go-htmldate itself when it must (see guessDate)
		// Options of presswatch's copy of go-trafilatura
		// (third_party/go-trafilatura): Page detects the language itself
		// (chooseLang), and has no use for categories, tags or a licence.
		SkipLanguageDetection:     true,
		SkipCategoriesTagsLicense: true,
	}
	r, err := trafilatura.ExtractDocument(doc, opts)
	var text string
	if err == nil && r != nil && r.ContentNode != nil {
		text = plainText(r.ContentNode, true)
		if lang.Letters(text) >= minPlainLetters {
			return text, ExtractorTrafilatura, r.Metadata, true
		}
	}
	// trafilatura always tries go-readability first when the fallback is
	// on; computing it here costs nothing extra and lets us recognise it.
	var readNode *html.Node
	if art, err := readability.FromDocument(doc, base); err == nil {
		readNode = art.Node
	}
	opts.EnableFallback = true
	opts.FallbackCandidates = &trafilatura.FallbackCandidates{Readability: readNode}
	f, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil || f == nil || f.ContentNode == nil {
		if text == "" {
			return "", "", trafilatura.Metadata{}, false
		}
		return text, ExtractorTrafilatura, r.Metadata, true
	}
	meta := f.Metadata
	if r != nil {
		meta = r.Metadata
	}
	switch {
	case readNode != nil && f.ContentNode == readNode:
		return plainText(f.ContentNode, false), ExtractorReadability, meta, true
	case f.ContentNode.Type == html.ElementNode && f.ContentNode.Data == "div":
		// trafilatura's own result and its rescue are <body> elements;
		// go-domdistiller's is a <div> (go-trafilatura v1.12.2).
		return plainText(f.ContentNode, false), ExtractorDistiller, meta, true
	}
	return plainText(f.ContentNode, true), ExtractorTrafilatura, meta, true
}

// minPlainLetters is the length, in letters, under which trafilatura's
// text alone is checked against its fallback's (see mainText).
const minPlainLetters = 500

// minDetectLetters is how much text lang.Detect needs before its answer
// overrides a declared language.
const minDetectLetters = 200

// chooseLang picks the declared language unless the text is long enough
// for lang.Detect, which could have answered the declared language, to
// find another. A declared language of the Latin script that lang.Confirms
// (whatlanggo, which tells those apart well) is taken without asking
// lang.Detect, which costs about two and a half times as much. Cyrillic declarations
// are always checked: a Kazakh edition declared Russian is what the check
// is for.
func chooseLang(declared, text string) string {
	if declared != "" && (!lang.Detectable(declared) || lang.Letters(text) < minDetectLetters) {
		return declared
	}
	if latinLangs[declared] && lang.Confirms(declared, text) {
		return declared
	}
	if detected := lang.Detect(text); detected != "" {
		return detected
	}
	return declared
}

// latinLangs are the detected languages written in the Latin script.
var latinLangs = map[string]bool{"en": true, "de": true, "fr": true, "es": true, "it": true, "pl": true, "pt": true}

// canonicalURL resolves the page's declared canonical href against
// pageURL, falling back on pageCanon (pageURL canonicalised) when there is
// none, it does not resolve, or it names the site's home page for a page
// that is not.
func canonicalURL(href, pageURL, pageCanon string) string {
	if href == "" {
		return pageCanon
	}
	c, err := urlnorm.Resolve(pageURL, href)
	if err != nil {
		return pageCanon
	}
	if u, err := url.Parse(c); err == nil && u.Path == "/" && u.RawQuery == "" {
		if p, err := url.Parse(pageCanon); err == nil && (p.Path != "/" || p.RawQuery != "") {
			return pageCanon
		}
	}
	return c
}

// cleanTitle drops the site's name from the end of a title: "Perturbazione
// polare al Centro - La Stampa" on lastampa.it. A tail after a separator
// is the site's name when it matches og:site_name or the page's host, or
// looks like a host name itself ("Streit ums Feuerholz - www.Example.de").
func cleanTitle(title, site, host string) string {
	names := map[string]bool{}
	for _, n := range []string{site, host, hostBase(site), hostBase(host)} {
		if a := alnum(n); len(a) >= 3 {
			names[a] = true
		}
	}
	for _, sep := range []string{" - ", " | ", " — ", " – ", " :: ", " · "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		tail := strings.TrimSpace(title[i+len(sep):])
		if names[alnum(tail)] || domainLike(tail) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// domainLike reports whether s looks like a host name: no spaces, a dot,
// and a top-level domain of letters ("Helge.at", not "3.10").
func domainLike(s string) bool {
	i := strings.LastIndex(s, ".")
	if i <= 0 || strings.ContainsAny(s, " \t") || len(s)-i-1 < 2 {
		return false
	}
	for _, r := range s[i+1:] {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// hostBase returns the name a host is registered under, without "www."
// and the top-level domain: "www.lastampa.it" gives "lastampa".
func hostBase(host string) string {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if i := strings.LastIndex(host, "."); i > 0 {
		host = host[:i]
	}
	if i := strings.LastIndex(host, "."); i >= 0 {
		host = host[i+1:]
	}
	return host
}

// alnum keeps the letters and digits of s, lower-cased.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
