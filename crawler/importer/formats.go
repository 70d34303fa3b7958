package importer

import (
	"strings"

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

// plain reads a text file: its first line is the title, and a date near
// the top ("Posted by admin on January 12, 2012") the publication date.
func plain(body []byte, fallbackURL string) *model.Document {
	text := strings.TrimPrefix(strings.ToValidUTF8(string(body), "\uFFFD"), "\ufeff")
	title, rest := "", text
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line = strings.TrimSpace(line); line != "" {
			title = line
			break
		}
	}
	d := &model.Document{URL: fallbackURL, Title: title, Text: strings.TrimSpace(rest), Lang: lang.Detect(text)}
	if t, ok := dates.First(rest[:min(len(rest), 1000)]); ok {
		d.Published, d.DateSource = t, model.DateFromText
	}
	return d
}
