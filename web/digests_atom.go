package web

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"

	"presswatch/internal/digest"
	"presswatch/internal/store"
)

// digestsInFeed is how many digests a topic's feed holds, the latest day
// first.
const digestsInFeed = 30

// digestFeed is a topic's digests as Atom: atom.go's feed, its entries
// with content.
type digestFeed struct {
	atomFeed
	Entries []digestEntry `xml:"entry"`
}

// digestEntry is one digest: its content the HTML of its mail as it will
// be sent (or was), escaped once as Atom's type="html" wants.
type digestEntry struct {
	atomEntry
	Content atomText `xml:"content"`
}

// digestTopic answers GET /digests/{name}: {topic}.atom is the topic's
// feed, a bare topic its list.
func (s *Server) digestTopic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if topic, ok := strings.CutSuffix(name, ".atom"); ok {
		s.digestAtom(w, r, topic)
		return
	}
	http.Redirect(w, r, "/digests?topic="+url.QueryEscape(name), http.StatusFound)
}

// digestAtom answers GET /digests/{topic}.atom: the topic's latest
// digests, each entry's id the topic and day, so a reader shows a digest
// once however often it is rebuilt or edited.
func (s *Server) digestAtom(w http.ResponseWriter, r *http.Request, topicID string) {
	if s.digestsOff(w, r) {
		return
	}
	lang := uiLang(r)
	topics, err := s.store.Topics(r.Context())
	if err != nil {
		s.internalError(w, r, "listing topics failed", err)
		return
	}
	rows, err := s.store.Digests(r.Context(), topicID, digestsInFeed)
	if err != nil {
		s.internalError(w, r, "listing digests failed", err)
		return
	}
	topic, known := topicNamed(topics, topicID)
	if !known && len(rows) == 0 {
		s.errorPage(w, r, http.StatusNotFound, fmtT(lang, "digests.err.topic", topicID))
		return
	}
	name := topic.Name
	if name == "" {
		name = topicID
	}
	base, esc := baseURL(r), url.PathEscape(topicID)
	feed := digestFeed{atomFeed: atomFeed{
		ID:    "tag:presswatch,2024:digests/" + esc,
		Title: fmtT(lang, "digests.atom.title", name),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/digests/" + esc + ".atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/digests?topic=" + url.QueryEscape(topicID)},
		},
		Author: &atomPerson{Name: "presswatch"},
	}}
	names := s.namesOrIDs(r.Context())
	var updated time.Time
	for _, row := range rows {
		e, at, err := s.digestEntry(base, row, names)
		if err != nil {
			s.internalError(w, r, "rendering a digest failed", err)
			return
		}
		feed.Entries = append(feed.Entries, e)
		if at.After(updated) {
			updated = at
		}
	}
	if updated.IsZero() {
		updated = s.opts.Now()
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		s.log.Debug("writing a feed failed", "error", err)
	}
}

// digestEntry makes the entry of a stored digest, its sources named by
// names where the digest has only their ids, and returns it with its
// updated time: the latest of its building, editing and sending.
func (s *Server) digestEntry(base string, row *store.DigestRow, names map[string]string) (digestEntry, time.Time, error) {
	d, err := digest.Edited(row)
	if err != nil {
		return digestEntry{}, time.Time{}, err
	}
	nameDigestSources(d, names)
	doc, err := digest.Render(d, digest.FormatHTML, s.digestLang())
	if err != nil {
		return digestEntry{}, time.Time{}, err
	}
	updated := row.BuiltAt
	for _, t := range []time.Time{row.EditedAt, row.SentAt} {
		if t.After(updated) {
			updated = t
		}
	}
	e := digestEntry{
		atomEntry: atomEntry{
			ID:      "tag:presswatch,2024:digest/" + url.PathEscape(row.TopicID) + "/" + row.Day,
			Title:   atomText{Type: "text", Text: digest.Subject(d, s.digestLang())},
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: base + digestPath(row.TopicID, row.Day)}},
			Updated: updated.UTC().Format(time.RFC3339),
			Author:  atomPerson{Name: "presswatch"},
		},
		Content: atomText{Type: "html", Text: mailBody(doc)},
	}
	if !row.SentAt.IsZero() {
		e.Published = row.SentAt.UTC().Format(time.RFC3339)
	}
	return e, updated, nil
}

// nameDigestSources gives the copies and failed sources of d that carry
// only their source's id (it had no name when the digest was built) the
// name in names, the sources' names now.
func nameDigestSources(d *digest.Digest, names map[string]string) {
	for i := range d.Stories {
		for j := range d.Stories[i].Copies {
			if c := &d.Stories[i].Copies[j]; c.SourceName == "" || c.SourceName == c.Source {
				c.SourceName = cmp.Or(names[c.Source], c.SourceName)
			}
		}
	}
	for i := range d.Failed {
		if f := &d.Failed[i]; f.Name == "" || f.Name == f.Source {
			f.Name = cmp.Or(names[f.Source], f.Name)
		}
	}
}

// mailBody is what the digest's HTML mail holds inside <body>: a feed
// entry's content is a fragment, not a document with its own head.
func mailBody(doc []byte) string {
	s := string(doc)
	if i := strings.Index(s, "<body"); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j >= 0 {
			s = s[i+j+1:]
		}
	}
	if k := strings.LastIndex(s, "</body>"); k >= 0 {
		s = s[:k]
	}
	return strings.TrimSpace(s)
}
