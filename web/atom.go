package web

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"presswatch/index"
)

// atomEntries is how many articles a feed holds: those presswatch first
// saw most recently, so an old article found today is in it.
const atomEntries = 50

// The Atom 1.0 document (RFC 4287), as much of it as presswatch writes.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  *atomPerson `xml:"author,omitempty"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Links     []atomLink `xml:"link"`
	Published string     `xml:"published,omitempty"`
	Updated   string     `xml:"updated"`
	Author    atomPerson `xml:"author"`
	Summary   *atomText  `xml:"summary,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

// atomFeed answers GET /search.atom: the articles of the search presswatch
// first saw most recently, as an Atom feed; the date filters keep their
// meaning (date=published bounds the published date). Its id is the search
// itself, so a reader keeps its place.
func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) {
	lang := uiLang(r)
	if !s.ready.Load() {
		http.Error(w, translate(lang, "error.starting"), http.StatusServiceUnavailable)
		return
	}
	state := with(with(searchState(r), "sort", ""), "share", "")
	req, err := parseState(state, "")
	if err != nil {
		http.Error(w, userMessage(lang, err), statusOf(err))
		return
	}
	req.Sort, req.Limit = index.SortSeen, atomEntries
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Search(ctx, req)
	if err != nil {
		if statusOf(err) >= 500 {
			s.log.Error("feed failed", "query", r.URL.RawQuery, "error", err)
		}
		http.Error(w, userMessage(lang, err), statusOf(err))
		return
	}
	// An entry's author is the source's name, or its id when it has none.
	names := s.namesOrIDs(ctx)
	hits := readableHits(res.Hits)
	for i := range hits {
		hits[i].Source = cmp.Or(names[hits[i].Source], hits[i].Source)
	}
	s.writeFeed(w, s.feedOf(baseURL(r), state, lang, hits, req.Collapse))
}

// writeFeed answers with feed.
func (s *Server) writeFeed(w http.ResponseWriter, feed atomFeed) {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		s.log.Debug("writing a feed failed", "error", err)
	}
}

// feedOf builds the feed of hits. With stories (collapse=story) an entry
// is a story: its id names the story, not the article standing for it, so
// a reader shows a story once however many sites republish it, and a
// newer copy updates the entry instead of adding one.
func (s *Server) feedOf(base string, state url.Values, lang string, hits []index.Hit, stories bool) atomFeed {
	q := state.Get("q")
	if q == "" {
		q = translate(lang, "sp.atom.all")
	}
	// The id names the search, not where it is served, so it stays put.
	feed := atomFeed{
		ID:    "tag:presswatch,2024:search?" + state.Encode(),
		Title: fmt.Sprintf(translate(lang, "sp.atom.title"), q),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + link("/search.atom", state)},
			{Rel: "alternate", Type: "text/html", Href: base + link("/search", state)},
		},
		Author: &atomPerson{Name: "presswatch"},
	}
	feed.Entries, feed.Updated = s.entriesOf(base, hits, stories)
	return feed
}

// entriesOf makes an entry of each hit, in their order, and returns them
// with the feed's updated time: the latest first seen, else now. An
// entry's updated is when presswatch first saw the article, its
// published the article's own date when known.
func (s *Server) entriesOf(base string, hits []index.Hit, stories bool) ([]atomEntry, string) {
	var (
		entries []atomEntry
		updated time.Time
	)
	for _, h := range hits {
		title := h.Title
		if title == "" {
			title = h.URL
		}
		id := "tag:presswatch,2024:article-" + strconv.FormatInt(h.ID, 10)
		if stories && h.Story != 0 {
			id = "tag:presswatch,2024:story-" + strconv.FormatInt(h.Story, 10)
		}
		e := atomEntry{
			ID:    id,
			Title: atomText{Type: "text", Text: title},
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: h.URL},
				{Rel: "related", Type: "text/html", Href: base + "/articles/" + strconv.FormatInt(h.ID, 10)},
			},
			Updated: h.FirstSeen.UTC().Format(time.RFC3339),
			Author:  atomPerson{Name: cmp.Or(h.Source, "presswatch")},
		}
		if h.Published != nil {
			e.Published = h.Published.Format(time.RFC3339)
		}
		if sn := plainSnippet(h.Snippet); sn != "" {
			e.Summary = &atomText{Type: "text", Text: sn}
		}
		if h.FirstSeen.After(updated) {
			updated = h.FirstSeen
		}
		entries = append(entries, e)
	}
	if updated.IsZero() {
		updated = s.opts.Now()
	}
	return entries, updated.UTC().Format(time.RFC3339)
}

// baseURL is the scheme and host the request came to, for the absolute
// links a feed needs.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
