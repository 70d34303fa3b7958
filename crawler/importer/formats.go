package importer

import (
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/dates"
	"presswatch/internal/lang"
	"presswatch/internal/model"
)

// feed turns a saved feed into one document per item, with the text the
// feed carries (an import fetches nothing).
func feed(body []byte, baseURL string) ([]*model.Document, error) {
	l, err := parse.Feed(body, baseURL)
	if err != nil {
		return nil, err
	}
	var docs []*model.Document
	for _, it := range l.Items {
		text := it.Content
		if len(it.Summary) > len(text) {
			text = it.Summary
		}
		d := &model.Document{URL: it.URL, Title: it.Title, Author: it.Author, Text: text, Lang: lang.Normalize(it.Lang)}
		if !it.Published.IsZero() {
			d.Published, d.DateSource = it.Published, model.DateFromFeed
		}
		if d.Lang == "" {
			d.Lang = lang.Detect(it.Title + "\n" + text)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// page extracts a saved web page. Its address is the one the user gave,
// else its rel=canonical, else fallbackURL.
func page(body []byte, userURL, fallbackURL string) (*model.Document, error) {
	html, _, err := fetch.DecodeHTML(body, "")
	if err != nil {
		return nil, err
	}
	base := userURL
	if base == "" {
		base = "http://imported.invalid/" // only resolves relative links; never stored
	}
	res, err := extract.Page(html, base)
	if err != nil {
		return nil, err
	}
	d := &model.Document{URL: fallbackURL, Title: res.Title, Author: res.Author, Published: res.Published,
		DateSource: res.DateSource, Lang: res.Lang, Text: res.Text}
	switch {
	case userURL != "":
		d.URL = userURL
	case res.CanonicalURL != "" && !strings.Contains(res.CanonicalURL, "imported.invalid"):
		d.URL = res.CanonicalURL
	}
	return d, nil
}

// plain reads the text file name: its first line is the title when it
// reads as one (textTitle), else the file's name is; a date near the top
// ("Posted by admin on January 12, 2012") is the publication date.
func plain(body []byte, name, fallbackURL string) *model.Document {
	text := strings.TrimPrefix(strings.ToValidUTF8(string(body), "\uFFFD"), "\ufeff")
	title, rest := textTitle(text)
	if title == "" {
		title, rest = path.Base(strings.ReplaceAll(name, `\`, "/")), text // also a name from Windows
	}
	d := &model.Document{URL: fallbackURL, Title: title, Text: strings.TrimSpace(rest), Lang: lang.Detect(text)}
	if t, ok := dates.First(rest[:min(len(rest), 1000)]); ok {
		d.Published, d.DateSource = t, model.DateFromText
	}
	return d
}

// maxTitle is the longest first line of a text file that may be its
// title, in characters.
const maxTitle = 120

// sentences finds a sentence's end followed by the start of another.
var sentences = regexp.MustCompile(`[.!?…]["»”’)]*\s+["«“‘(]*\p{Lu}`)

// textTitle is the first line of text and what follows it when that line
// reads as a title, else "" and text: a title is at most maxTitle
// characters and is not a paragraph's first line. That is a line holding
// more than one sentence, one ending in a full stop (headlines do not),
// or one the next line continues: a line break inside a sentence, where
// the line ends in a comma, colon, semicolon or hyphen, or the next line
// goes on in lower case.
func textTitle(text string) (title, rest string) {
	rest = text
	var line string
	for line == "" && rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimSpace(line)
	}
	next, _, _ := strings.Cut(rest, "\n")
	next = strings.TrimSpace(next)
	last, _ := utf8.DecodeLastRuneInString(line)
	first, _ := utf8.DecodeRuneInString(next)
	switch {
	case line == "", utf8.RuneCountInString(line) > maxTitle, sentences.MatchString(line),
		strings.ContainsRune(".,:;-", last),
		next != "" && unicode.IsLower(first):
		return "", text
	}
	return line, rest
}
