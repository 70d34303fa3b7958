package quality

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"presswatch/internal/dates"
)

// missKind tells what kind of miss a wrong day got is on the decoded
// page: MissNone when no day was found, MissUpdated when the page marks
// got as the day of a revision (see updatedDays), else MissWrong.
func missKind(got string, page []byte) string {
	switch {
	case got == "":
		return MissNone
	case updatedDays(page)[got]:
		return MissUpdated
	}
	return MissWrong
}

// updateKeyRe matches the names that mark a revision date: <meta> names
// and properties (article:modified_time, og:updated_time, dateModified,
// dcterms.modified), itemprops and classes.
var updateKeyRe = regexp.MustCompile(`(?i)modif|updat|revis`)

// updateJSONRe finds a revision date in JSON (JSON-LD's dateModified).
var updateJSONRe = regexp.MustCompile(`"(?i:datemodified|dateupdated|modified|updated|lastmodified|last_modified)"\s*:\s*"([^"]{6,40})"`)

// updateLabelRe matches the end of a text that labels the date after it
// as a revision ("Updated", "Aktualisiert am", "Stand:", "mis à jour le",
// "Обновлено").
var updateLabelRe = regexp.MustCompile(`(?i)(?:updat|aktualisier|stand|mis à jour|modifi|actualiza|aggiorna|atualiza|aktualizac|обновл|изменен|жаңарт|last)\pL*[^\pL\d]*(?:\pL+[^\pL\d]*)?$`)

// updatedDays returns the days (YYYY-MM-DD) a page marks as revisions:
// in markup (<meta>, itemprop, a <time> whose class says so, JSON-LD) and
// in its text, after a label such as "Updated". It is how a measurement
// tells "the update taken for the publication" from other wrong days;
// it does not decide any date presswatch stores.
func updatedDays(page []byte) map[string]bool {
	out := map[string]bool{}
	add := func(s string) {
		if t, err := dates.Parse(s); err == nil {
			out[t.Format(time.DateOnly)] = true
		}
	}
	for _, m := range updateJSONRe.FindAllSubmatch(page, -1) {
		add(string(m[1]))
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return out
	}
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"name", "property", "itemprop", "http-equiv"} {
			if updateKeyRe.MatchString(s.AttrOr(attr, "")) {
				add(s.AttrOr("content", ""))
				return
			}
		}
	})
	doc.Find("[itemprop], time").Each(func(_ int, s *goquery.Selection) {
		if !updateKeyRe.MatchString(s.AttrOr("itemprop", "") + " " + s.AttrOr("class", "")) {
			return
		}
		for _, attr := range []string{"datetime", "content"} {
			if v, ok := s.Attr(attr); ok {
				add(v)
				return
			}
		}
		add(s.Text())
	})
	doc.Find("script, style, noscript, template").Remove()
	text := strings.Join(strings.Fields(doc.Text()), " ")
	for _, f := range dates.Find(text) {
		if updateLabelRe.MatchString(text[max(0, f.Start-40):f.Start]) {
			out[f.Day().Format(time.DateOnly)] = true
		}
	}
	return out
}
