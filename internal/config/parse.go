package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"presswatch/internal/model"
)

// parser walks the YAML tree by hand so every problem can be reported with
// the line and the dotted path of the field (sources[3].stance).
type parser struct {
	file string
	err  error
}

func (p *parser) fail(n *yaml.Node, field, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{File: p.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
}

// fields returns the key/value pairs of a mapping, refusing unknown keys and
// duplicates.
func (p *parser) fields(n *yaml.Node, path string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.fail(n, path, "want a mapping, got %s", kindName(n))
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			p.fail(k, name, "unknown field (known: %s)", strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.fail(k, name, "given twice")
			continue
		}
		out[k.Value] = v
	}
	return out
}

func (p *parser) decode(n *yaml.Node, field string, v any) {
	if n == nil {
		return
	}
	if err := n.Decode(v); err != nil {
		msg := err.Error()
		if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
			msg = te.Errors[0]
		}
		p.fail(n, field, "%s", strings.TrimPrefix(msg, "yaml: "))
	}
}

func (p *parser) top(doc *yaml.Node, cfg *Config) {
	f := p.fields(doc, "", "contact", "allow_private_networks", "crawl", "revisit", "archive", "sources", "topics", "key_dates")
	p.decode(f["contact"], "contact", &cfg.Contact)
	p.decode(f["allow_private_networks"], "allow_private_networks", &cfg.AllowPrivateNetworks)
	if n := f["crawl"]; n != nil {
		p.crawl(n, &cfg.Crawl)
	}
	if n := f["revisit"]; n != nil {
		p.revisit(n, &cfg.Revisit)
	}
	if n := f["archive"]; n != nil {
		af := p.fields(n, "archive", "enabled", "max_size")
		enabled := true
		p.decode(af["enabled"], "archive.enabled", &enabled)
		cfg.Archive.Off = !enabled
		p.decode(af["max_size"], "archive.max_size", &cfg.Archive.MaxSize)
		if cfg.Archive.MaxSize < 0 || cfg.Archive.MaxSize > 0 && cfg.Archive.MaxSize < 1<<20 {
			p.fail(af["max_size"], "archive.max_size", "want at least 1048576 bytes (1 MiB), got %d", cfg.Archive.MaxSize)
		}
	}
	if n := f["topics"]; n != nil {
		p.topics(n, cfg)
	}
	if n := f["sources"]; n != nil {
		p.sources(n, cfg)
	}
	if n := f["key_dates"]; n != nil {
		p.keyDates(n, cfg)
	}
	if p.err == nil && len(cfg.Sources) == 0 {
		p.fail(doc, "sources", "no sources are configured")
	}
}

func (p *parser) crawl(n *yaml.Node, c *Crawl) {
	f := p.fields(n, "crawl", "workers", "per_host", "min_delay", "connect_timeout", "timeout",
		"max_bytes", "max_redirects", "max_items", "jitter", "max_backoff")
	ints := map[string]*int{"workers": &c.Workers, "per_host": &c.PerHost, "max_redirects": &c.MaxRedirects, "max_items": &c.MaxItems}
	for k, v := range ints {
		p.decode(f[k], "crawl."+k, v)
		if *v < 0 {
			p.fail(f[k], "crawl."+k, "must not be negative")
		}
	}
	durs := map[string]*time.Duration{"min_delay": &c.MinDelay, "connect_timeout": &c.ConnectTimeout,
		"timeout": &c.Timeout, "max_backoff": &c.MaxBackoff}
	for k, v := range durs {
		p.duration(f[k], "crawl."+k, v)
	}
	p.decode(f["max_bytes"], "crawl.max_bytes", &c.MaxBytes)
	if c.MaxBytes < 0 {
		p.fail(f["max_bytes"], "crawl.max_bytes", "must not be negative")
	}
	p.decode(f["jitter"], "crawl.jitter", &c.Jitter)
	if c.Jitter < 0 || c.Jitter > 0.5 {
		p.fail(f["jitter"], "crawl.jitter", "want a fraction between 0 and 0.5, got %v", c.Jitter)
	}
}

func (p *parser) revisit(n *yaml.Node, r *Revisit) {
	f := p.fields(n, "revisit", "steps", "max_age", "every", "budget", "workers")
	if sn := f["steps"]; sn != nil {
		r.Steps = p.steps(sn, "revisit.steps")
	}
	for k, v := range map[string]*time.Duration{"max_age": &r.MaxAge, "every": &r.Every} {
		p.duration(f[k], "revisit."+k, v)
	}
	for k, v := range map[string]*int{"budget": &r.Budget, "workers": &r.Workers} {
		p.decode(f[k], "revisit."+k, v)
		if *v < 0 {
			p.fail(f[k], "revisit."+k, "must not be negative")
		}
	}
	if n := f["every"]; n != nil && r.Every < time.Minute {
		p.fail(n, "revisit.every", "%s is too often (at least 1m)", r.Every)
	}
}

// steps reads a list of increasing durations of at least a minute.
func (p *parser) steps(n *yaml.Node, field string) []time.Duration {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.fail(n, field, "want a list of durations (e.g. [1h, 6h, 24h]) or off")
		return nil
	}
	var out []time.Duration
	for i, sn := range n.Content {
		var d time.Duration
		p.duration(sn, fmt.Sprintf("%s[%d]", field, i), &d)
		switch {
		case p.err != nil:
			return nil
		case d < time.Minute:
			p.fail(sn, fmt.Sprintf("%s[%d]", field, i), "%s is too soon (at least 1m)", d)
		case len(out) > 0 && d <= out[len(out)-1]:
			p.fail(sn, fmt.Sprintf("%s[%d]", field, i), "%s is not after the step before it (%s)", d, out[len(out)-1])
		}
		out = append(out, d)
	}
	return out
}

func (p *parser) duration(n *yaml.Node, field string, d *time.Duration) {
	if n == nil {
		return
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		p.fail(n, field, "%q is not a duration (want e.g. 30s, 15m, 6h)", n.Value)
		return
	}
	*d = v
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func (p *parser) sources(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "sources", "want a list, got %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i, sn := range n.Content {
		path := fmt.Sprintf("sources[%d]", i)
		f := p.fields(sn, path, "id", "name", "type", "url", "stance", "lang", "every", "keep", "selectors", "revisit")
		if f == nil {
			return
		}
		s := model.Source{Type: model.SourceFeed, Stance: model.StanceUnknown, Keep: model.KeepAll, Every: time.Hour}
		p.decode(f["id"], path+".id", &s.ID)
		p.decode(f["name"], path+".name", &s.Name)
		p.decode(f["url"], path+".url", &s.URL)
		p.decode(f["lang"], path+".lang", &s.Lang)
		p.enum(f["type"], path+".type", (*string)(&s.Type), "feed", "page", "sitemap")
		p.enum(f["stance"], path+".stance", (*string)(&s.Stance), "state", "independent", "campaign", "international", "unknown")
		p.enum(f["keep"], path+".keep", (*string)(&s.Keep), "all", "topic")
		p.duration(f["every"], path+".every", &s.Every)
		switch {
		case !idPattern.MatchString(s.ID):
			p.fail(at(f["id"], sn), path+".id", "%q is not a valid id (lower-case letters, digits, - and _)", s.ID)
		case seen[s.ID]:
			p.fail(f["id"], path+".id", "%q is used by another source", s.ID)
		case s.Every < time.Minute:
			p.fail(at(f["every"], sn), path+".every", "%s is too often (at least 1m)", s.Every)
		}
		seen[s.ID] = true
		if s.Name == "" {
			s.Name = s.ID
		}
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.fail(at(f["url"], sn), path+".url", "%q is not an http(s) URL", s.URL)
		}
		if s.Keep == model.KeepTopic && len(cfg.Topics) == 0 {
			p.fail(f["keep"], path+".keep", "keep: topic needs at least one topic")
		}
		if rn := f["revisit"]; rn != nil {
			if rn.Kind == yaml.ScalarNode && (rn.Value == "off" || rn.Value == "false") {
				s.RevisitOff = true
			} else {
				s.Revisit = p.steps(rn, path+".revisit")
			}
		}
		if sel := f["selectors"]; sel != nil {
			s.Selectors = p.selectors(sel, path+".selectors")
		}
		if s.Type == model.SourcePage && s.Selectors == nil {
			p.fail(sn, path+".selectors", "a page source needs selectors (item, link)")
		}
		cfg.Sources = append(cfg.Sources, s)
	}
}

func (p *parser) selectors(n *yaml.Node, path string) *model.Selectors {
	f := p.fields(n, path, "item", "link", "title", "date", "next", "max_pages")
	if f == nil {
		return nil
	}
	var s model.Selectors
	p.decode(n, path, &s)
	if s.Item == "" || s.Link == "" {
		p.fail(n, path, "item and link are required")
	}
	if s.MaxPages == 0 {
		s.MaxPages = 1
	}
	if s.MaxPages < 0 || s.MaxPages > 1000 {
		p.fail(at(f["max_pages"], n), path+".max_pages", "want 1..1000, got %d", s.MaxPages)
	}
	return &s
}

func (p *parser) topics(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "topics", "want a list, got %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i, tn := range n.Content {
		path := fmt.Sprintf("topics[%d]", i)
		f := p.fields(tn, path, "id", "name", "query", "aliases")
		if f == nil {
			return
		}
		var t model.Topic
		p.decode(f["id"], path+".id", &t.ID)
		p.decode(f["name"], path+".name", &t.Name)
		p.decode(f["query"], path+".query", &t.Query)
		p.decode(f["aliases"], path+".aliases", &t.Aliases)
		switch {
		case !idPattern.MatchString(t.ID):
			p.fail(at(f["id"], tn), path+".id", "%q is not a valid id (lower-case letters, digits, - and _)", t.ID)
		case seen[t.ID]:
			p.fail(f["id"], path+".id", "%q is used by another topic", t.ID)
		case strings.TrimSpace(t.Query) == "":
			p.fail(at(f["query"], tn), path+".query", "a topic needs a query")
		}
		seen[t.ID] = true
		if t.Name == "" {
			t.Name = t.ID
		}
		if cfg.queryLines == nil {
			cfg.queryLines = map[string]int{}
		}
		cfg.queryLines[t.ID] = at(f["query"], tn).Line
		cfg.Topics = append(cfg.Topics, t)
	}
}

func (p *parser) enum(n *yaml.Node, field string, v *string, allowed ...string) {
	if n == nil {
		return
	}
	if !slices.Contains(allowed, n.Value) || n.Kind != yaml.ScalarNode {
		p.fail(n, field, "%q is not one of %s", n.Value, strings.Join(allowed, ", "))
		return
	}
	*v = n.Value
}

// at returns n, or the enclosing node when the field is missing.
func at(n, parent *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return parent
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func (p *parser) keyDates(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "key_dates", "want a list, got %s", kindName(n))
		return
	}
	for i, kn := range n.Content {
		path := fmt.Sprintf("key_dates[%d]", i)
		f := p.fields(kn, path, "date", "label")
		if f == nil {
			return
		}
		var k model.KeyDate
		p.decode(f["date"], path+".date", &k.Date)
		p.decode(f["label"], path+".label", &k.Label)
		_, errDay := time.Parse(time.DateOnly, k.Date)
		_, errMonth := time.Parse("2006-01", k.Date)
		switch {
		case errDay != nil && errMonth != nil:
			p.fail(at(f["date"], kn), path+".date", "%q is not a date (want YYYY-MM-DD or YYYY-MM)", k.Date)
		case strings.TrimSpace(k.Label) == "":
			p.fail(at(f["label"], kn), path+".label", "a key date needs a label")
		}
		cfg.KeyDates = append(cfg.KeyDates, k)
	}
}
