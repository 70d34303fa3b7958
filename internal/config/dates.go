package config

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"presswatch/internal/datewalk"
	"presswatch/internal/model"
)

// dates reads the date range of a page source (url_template, from, to) or
// a sitemap source (from, to); nil when the source has none. A page source
// given url_template and no url has the template as its url.
func (p *parser) dates(f map[string]*yaml.Node, sn *yaml.Node, path string, s *model.Source) *model.DateRange {
	tn := f["url_template"]
	if tn != nil && s.Type != model.SourcePage {
		p.fail(tn, path+".url_template", "is only for type: page (this source is type: %s)", s.Type)
		return nil
	}
	if s.Type != model.SourcePage && s.Type != model.SourceSitemap {
		return nil
	}
	from, to := f["from"], f["to"]
	if tn == nil && from == nil && to == nil {
		return nil
	}
	r := &model.DateRange{}
	p.decode(tn, path+".url_template", &r.URLTemplate)
	if tn != nil && f["url"] == nil {
		s.URL = r.URLTemplate
	}
	for _, e := range []struct {
		n   *yaml.Node
		key string
		end bool
		t   *time.Time
	}{{from, "from", false, &r.From}, {to, "to", true, &r.To}} {
		*e.t = p.day(e.n, path+"."+e.key, e.end)
	}
	return r
}

// dateProblems checks a source's date range: the template's placeholders,
// from before to, and no more than datewalk.MaxListings listing URLs (an
// open to counts up to today).
func dateProblems(s model.Source, now time.Time) []Problem {
	r := s.Dates
	if r == nil {
		return nil
	}
	var out []Problem
	bad := func(field, format string, args ...any) {
		out = append(out, Problem{field, fmt.Sprintf(format, args...)})
	}
	if r.URLTemplate == "" && s.Type == model.SourcePage {
		bad("url_template", "from: and to: on a page source need url_template: (e.g. https://example.org/{yyyy}/{mm}/{dd}/)")
		return out
	}
	if r.From.IsZero() {
		bad("from", "a date range needs from: (its first day, YYYY-MM-DD)")
		return out
	}
	to := r.To
	if to.IsZero() {
		to = now
	}
	if to.Before(r.From) {
		bad("to", "%s is before from: (%s)", to.Format(time.DateOnly), r.From.Format(time.DateOnly))
		return out
	}
	if r.URLTemplate == "" {
		return out
	}
	t, err := datewalk.Parse(r.URLTemplate)
	if err != nil {
		bad("url_template", "%v", err)
		return out
	}
	if n := t.Count(r.From, to); n > datewalk.MaxListings {
		bad("to", "%s to %s is %d %s listings, more than the %d one source may walk: split the range over several sources",
			r.From.Format(time.DateOnly), to.Format(time.DateOnly), n, t.Step(), datewalk.MaxListings)
	}
	return out
}

// withoutDates is f without from and to when they are a page or sitemap
// source's date range, which the wayback fields' check must not refuse.
func withoutDates(f map[string]*yaml.Node, typ model.SourceType) map[string]*yaml.Node {
	if typ != model.SourcePage && typ != model.SourceSitemap {
		return f
	}
	out := make(map[string]*yaml.Node, len(f))
	for k, v := range f {
		if k != "from" && k != "to" {
			out[k] = v
		}
	}
	return out
}
