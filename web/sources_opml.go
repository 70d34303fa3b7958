package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"presswatch/internal/config"
	"presswatch/internal/model"
	"presswatch/internal/opml"
	"presswatch/internal/redact"
)

// OPML is how feed readers trade subscription lists. GET /sources.opml
// writes the feed sources (the file's and the web UI's, active ones) as
// Miniflux and Feedly write them, each under its stance as category;
// POST /sources/opml adds the feeds of an uploaded list that presswatch
// does not read yet as sources of the web UI. Both are for
// administrators. The export keeps the addresses' credentials
// (user:password@, ?token=): it is the file that moves the sources to
// another reader, where a redacted address would not be read; it is sent
// as a download that is not stored. The import's page shows them
// redacted, as every page does.

// maxOPMLSources is the most sources one upload adds; the rest are listed
// as left out.
const maxOPMLSources = 500

// maxOPMLRunGap is the longest time between the first runs of two sources
// one upload adds. Their first runs are spread, the first at once: a list
// is read at the pace of its sources' interval (500 hourly feeds, one
// every 7.2 s), a short one at this pace, instead of every feed within
// the few seconds of a single source's start. The fetcher's per-host and
// overall limits hold either way; the spread keeps hundreds of runs from
// waiting on them at once, each using up its run budget.
const maxOPMLRunGap = 10 * time.Second

// opmlResult is the data of sources-opml.html; its addresses are
// redacted.
type opmlResult struct {
	File    string
	Added   []model.Source
	Known   []string // feed URLs a source reads already
	Skipped []string // outlines the list could not give, with line and reason
	Refused []string // feeds that are not valid sources, with the reason
	Left    int      // feeds beyond maxOPMLSources
}

// Max is the most sources one upload adds.
func (opmlResult) Max() int { return maxOPMLSources }

// exportOPML answers GET /sources.opml.
func (s *Server) exportOPML(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.log.Error("listing sources failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
		return
	}
	var feeds []opml.Feed
	for _, si := range srcs {
		if si.Active && si.Type == model.SourceFeed {
			feeds = append(feeds, opml.Feed{Title: si.Name, FeedURL: si.URL, Category: string(si.Stance)})
		}
	}
	var buf bytes.Buffer
	if err := opml.Write(&buf, "presswatch sources", feeds); err != nil {
		s.log.Error("writing the sources as OPML failed", "error", err)
		s.errorPage(w, r, http.StatusInternalServerError, translate(uiLang(r), "error.internal"))
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // it holds the addresses' credentials
	w.Header().Set("Content-Disposition", `attachment; filename="presswatch-sources-`+s.opts.Now().UTC().Format("2006-01-02")+`.opml"`)
	w.Write(buf.Bytes())
}

// importOPML answers POST /sources/opml: a multipart form whose "opml"
// file is the list.
func (s *Server) importOPML(w http.ResponseWriter, r *http.Request) {
	if !s.sourcesEditable(w, r) {
		return
	}
	lang := uiLang(r)
	r.Body = http.MaxBytesReader(w, r.Body, opml.MaxBytes+64<<10)
	file, hdr, err := r.FormFile("opml")
	if err != nil {
		msg := translate(lang, "sources.opml.err.nofile")
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			msg = fmt.Sprintf(translate(lang, "sources.opml.err.large"), opml.MaxBytes>>20)
		}
		s.errorPage(w, r, http.StatusBadRequest, msg)
		return
	}
	defer file.Close()
	list, err := opml.Parse(file)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf(translate(lang, "sources.opml.err.parse"), hdr.Filename, err))
		return
	}
	ctx := r.Context()
	srcs, err := s.store.Sources(ctx)
	if err != nil {
		s.sourceStoreError(w, r, err)
		return
	}
	topics, err := s.store.Topics(ctx)
	if err != nil {
		s.sourceStoreError(w, r, err)
		return
	}
	keep := model.KeepAll
	if len(topics) > 0 {
		keep = model.KeepTopic // a feed reader's list is mostly general outlets
	}
	res := opmlResult{File: hdr.Filename}
	now, every := s.opts.Now(), time.Hour
	gap := min(every/time.Duration(max(1, min(len(list.Feeds), maxOPMLSources))), maxOPMLRunGap)
	for _, sk := range list.Skipped {
		res.Skipped = append(res.Skipped, redact.Text(sk.String()))
	}
	reads, ids := map[string]bool{}, map[string]bool{}
	for _, si := range srcs {
		ids[si.ID] = true
		if si.Active {
			reads[si.URL] = true
		}
	}
	for _, feed := range list.Feeds {
		if reads[feed.FeedURL] {
			res.Known = append(res.Known, redact.URL(feed.FeedURL))
			continue
		}
		if len(res.Added) == maxOPMLSources {
			res.Left++
			continue
		}
		src := model.Source{ID: uniqueID(suggestID(feed.FeedURL), ids), Name: feed.Title, Type: model.SourceFeed,
			URL: feed.FeedURL, Stance: stanceOf(feed.Category), Every: every, Keep: keep}
		src.Name = plainName(src.Name)
		if src.Name == "" || len([]rune(src.Name)) > maxSourceName {
			src.Name = src.ID
		}
		if pr := config.SourceProblems(src, len(topics) > 0); len(pr) > 0 {
			res.Refused = append(res.Refused, redact.URL(feed.FeedURL)+": "+redact.Text(pr[0].Error()))
			continue
		}
		first := now.Add(time.Duration(len(res.Added)) * gap)
		if err := s.opts.Sources.SaveSourceAt(ctx, src, first); err != nil {
			res.Refused = append(res.Refused, redact.URL(feed.FeedURL)+": "+redact.Text(err.Error()))
			continue
		}
		ids[src.ID], reads[src.URL] = true, true
		src.URL = redact.URL(src.URL)
		res.Added = append(res.Added, src)
	}
	s.log.Info("OPML imported from the web UI", "file", hdr.Filename, "added", len(res.Added), "known", len(res.Known),
		"skipped", len(res.Skipped), "refused", len(res.Refused), "left", res.Left)
	s.render(w, r, http.StatusOK, "sources-opml.html", translate(lang, "sources.opml.title"), res)
}

// uniqueID is id, or id-2, id-3... when taken; an id the sources' rules
// refuse (none could be made from the URL) becomes "feed".
func uniqueID(id string, taken map[string]bool) string {
	if id == "" || model.IsReservedSourceID(id) {
		id = "feed"
	}
	id = strings.TrimRight(id[:min(len(id), 58)], "-_")
	out := id
	for n := 2; taken[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	return out
}

// plainName is an outline's title on one line: control characters (line
// breaks, tabs, C1 codes) are spaces, runs of spaces one.
func plainName(title string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, title)), " ")
}

// stanceOf reads a stance from an OPML category (as exportOPML writes
// them); any other category is unknown.
func stanceOf(category string) model.Stance {
	st := model.Stance(strings.ToLower(strings.TrimSpace(category)))
	if validStance(st) {
		return st
	}
	return model.StanceUnknown
}
