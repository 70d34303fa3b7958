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
	if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("url", "%q is not an http(s) URL", s.URL)
	}
	if s.Every < MinEvery {
		bad("every", "%s is too often (at least 1m)", s.Every)
	}
	if s.Keep == model.KeepTopic && !haveTopics {
		bad("keep", "keep: topic needs at least one topic")
	}
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
