package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"

	"presswatch/internal/model"
)

// MinEvery is the shortest interval a source may be read at (the
// messages say 1m).
const MinEvery = time.Minute

// Problem is one thing wrong with a source: the field it is in (as the
// configuration file names it: id, url, every, keep, selectors,
// selectors.max_pages) and why.
type Problem struct {
	Field, Reason string
}

func (p Problem) Error() string { return p.Field + ": " + p.Reason }

// SourceProblems returns what is wrong with s, in field order: the same
// rules for a source in the configuration file and one saved in the web
// UI. haveTopics says whether any topic exists, which keep: topic needs.
func SourceProblems(s model.Source, haveTopics bool) []Problem {
	var out []Problem
	bad := func(field, format string, args ...any) {
		out = append(out, Problem{field, fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(s.ID) {
		bad("id", "%q is not a valid id (lower-case letters, digits, - and _, at most 64)", s.ID)
	} else if model.IsReservedSourceID(s.ID) {
		bad("id", "%q is reserved: /sources/%s is a page of the web UI (reserved: %s)", s.ID, s.ID, strings.Join(model.ReservedSourceIDs, ", "))
	}
	if s.Type == model.SourceWayback {
		if !waybackTarget(s.URL) {
			bad("url", "%q is not a host or an http(s) URL prefix (e.g. example.kz or https://example.kz/news/)", s.URL)
		}
	} else if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("url", "%q is not an http(s) URL", s.URL)
	}
	if s.Every < MinEvery {
		bad("every", "%s is too often (at least 1m)", s.Every)
	}
	if s.Keep == model.KeepTopic && !haveTopics {
		if s.Type == model.SourceWayback {
			bad("keep", "a wayback source keeps only pages that match a topic (keep: topic, the default), and there is no topic: add one or set keep: all")
		} else {
			bad("keep", "keep: topic needs at least one topic")
		}
	}
	out = append(out, waybackProblems(s)...)
	out = append(out, dateProblems(s, time.Now())...)
	switch sel := s.Selectors; {
	case s.Type == model.SourcePage && sel == nil:
		bad("selectors", "a page source needs selectors (item, link)")
	case sel == nil:
	case sel.Item == "" || sel.Link == "":
		bad("selectors", "item and link are required")
	case sel.MaxPages < 0 || sel.MaxPages > 1000:
		bad("selectors.max_pages", "want 1..1000, got %d", sel.MaxPages)
	}
	if sel := s.Selectors; sel != nil {
		// goquery reads a selector it cannot compile as one that matches
		// nothing, so a typo would only show as "matched nothing" at the
		// first run: compile each with cascadia, goquery's own parser.
		for _, f := range [...]struct{ name, sel string }{
			{"item", sel.Item}, {"link", sel.Link}, {"title", sel.Title}, {"date", sel.Date}, {"next", sel.Next},
		} {
			if f.sel == "" {
				continue
			}
			if _, err := cascadia.Compile(f.sel); err != nil {
				bad("selectors."+f.name, "%q is not a CSS selector: %v", f.sel, err)
			}
		}
	}
	return out
}

// The defaults of a wayback source: the Internet Archive, at the rate its
// own clients keep to (24 requests a minute).
const (
	DefaultWaybackEndpoint = "https://web.archive.org"
	DefaultWaybackRate     = 0.4
)

// waybackProblems checks a wayback source's own fields.
func waybackProblems(s model.Source) []Problem {
	w := s.Wayback
	if s.Type != model.SourceWayback {
		return nil
	}
	if w == nil {
		return []Problem{{"from", "a wayback source needs from: and to: (dates, YYYY-MM-DD)"}}
	}
	var out []Problem
	bad := func(field, format string, args ...any) {
		out = append(out, Problem{field, fmt.Sprintf(format, args...)})
	}
	switch {
	case w.From.IsZero():
		bad("from", "a wayback source needs from: (the first day of captures, YYYY-MM-DD)")
	case w.To.IsZero():
		bad("to", "a wayback source needs to: (the last day of captures, YYYY-MM-DD)")
	case w.To.Before(w.From):
		bad("to", "%s is before from: (%s)", w.To.Format(time.DateOnly), w.From.Format(time.DateOnly))
	}
	for i, pat := range w.Paths {
		if !strings.HasPrefix(pat, "/") {
			bad("paths", "[%d] %q is not a URL path pattern (want e.g. /news/* or /2011/12/*)", i, pat)
		}
	}
	if u, err := url.Parse(w.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		bad("endpoint", "%q is not a web archive's address (want e.g. https://web.archive.org)", w.Endpoint)
	}
	if !(w.Rate > 0 && w.Rate <= 10) {
		bad("rate", "%v requests per second is not allowed (want more than 0, at most 10; the Internet Archive asks for 0.4)", w.Rate)
	}
	return out
}

// waybackTarget reports whether u names what a CDX server can list: a
// host (example.kz) or an http(s) URL prefix (https://example.kz/news/).
func waybackTarget(u string) bool {
	if !strings.Contains(u, "://") {
		u = "http://" + u
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && !strings.ContainsAny(p.Host, " *") &&
		p.RawQuery == "" && p.Fragment == ""
}
