package testsite

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// ExpectedArticle is one article of the fixture site, as expected.json
// describes it: what a crawl and an extraction should find.
type ExpectedArticle struct {
	Path      string `json:"path"`      // URL path on the site
	Title     string `json:"title"`     // as the page's headline gives it
	Published string `json:"published"` // YYYY-MM-DD; the same day in UTC and in Almaty (+06:00)
	Lang      string `json:"lang"`      // ISO 639-1
	Author    string `json:"author"`    // as the structured data gives it; "" if none
	Charset   string `json:"charset"`   // of the bytes served: utf-8, windows-1251, koi8-r
	// DateIn says where the page states its date: "meta" (article:published_time),
	// "json-ld", "time" (<time datetime>) or "text" (a byline only).
	DateIn      string   `json:"date_in"`
	AnnouncedBy []string `json:"announced_by"` // the listings, feeds and sitemaps that link to it
	Word        string   `json:"word"`         // in this article's text and in no other article's
	Seed        string   `json:"seed"`         // the seed document it came from, or "fixture"
	// RobotsDisallowed marks a page robots.txt forbids: a polite crawler never requests it.
	RobotsDisallowed bool   `json:"robots_disallowed,omitempty"`
	Note             string `json:"note,omitempty"`
}

// PublishedDate returns Published as midnight UTC.
func (a ExpectedArticle) PublishedDate() time.Time {
	t, _ := time.Parse(time.DateOnly, a.Published)
	return t
}

// ExpectedMessage is one e-mail message of the fixture's mailing-list
// files, for import tests. The same message may sit in a .eml and an mbox.
type ExpectedMessage struct {
	Path      string `json:"path"`  // the .eml or .mbox file
	Index     int    `json:"index"` // position in the mbox; 0 for a .eml
	Subject   string `json:"subject"`
	From      string `json:"from"` // the address only
	Date      string `json:"date"` // RFC 3339, in the zone of the Date header
	MessageID string `json:"message_id"`
	Charset   string `json:"charset"`
	Encoding  string `json:"encoding"` // Content-Transfer-Encoding
	Word      string `json:"word"`     // in the decoded body
	Seed      string `json:"seed"`
	Note      string `json:"note,omitempty"`
}

type expectedFile struct {
	LastModified string            `json:"last_modified"`
	Articles     []ExpectedArticle `json:"articles"`
	Messages     []ExpectedMessage `json:"messages"`
}

func parseExpected(b []byte) (expectedFile, error) {
	var e expectedFile
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("expected.json: %v", err)
	}
	if len(e.Articles) == 0 {
		return e, fmt.Errorf("expected.json: no articles")
	}
	return e, nil
}

// Expected returns the site's articles as testdata/site/expected.json
// lists them; the caller may modify the slice.
func (s *Site) Expected() []ExpectedArticle { return slices.Clone(s.expected.Articles) }

// ExpectedMessages returns the messages of the site's mailing-list files.
func (s *Site) ExpectedMessages() []ExpectedMessage { return slices.Clone(s.expected.Messages) }
