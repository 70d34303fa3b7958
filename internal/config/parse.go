package config

import (
	"fmt"
	netmail "net/mail"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"presswatch/internal/datewalk"
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
		name := join(path, keyName(k))
		if k.Kind != yaml.ScalarNode || !slices.Contains(known, k.Value) {
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
	f := p.fields(doc, "", "contact", "allow_private_networks", "crawl", "revisit", "archive", "sources", "topics", "key_dates", "digests", "smtp", "public")
	p.decode(f["contact"], "contact", &cfg.Contact)
	p.decode(f["allow_private_networks"], "allow_private_networks", &cfg.AllowPrivateNetworks)
	cfg.Public = true
	p.decode(f["public"], "public", &cfg.Public)
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
	p.digests(f["digests"], cfg)
	if n := f["smtp"]; n != nil {
		p.smtp(n, cfg)
		if p.err == nil && cfg.Digests.BaseURL == "" {
			p.fail(n, "digests.base_url", "is needed with smtp: the links in a mailed digest must reach presswatch from the recipients' machines (e.g. https://presswatch.example.org)")
		}
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
		"max_bytes", "max_redirects", "max_items", "jitter", "max_backoff", "run_budget")
	ints := map[string]*int{"workers": &c.Workers, "per_host": &c.PerHost, "max_redirects": &c.MaxRedirects, "max_items": &c.MaxItems}
	for k, v := range ints {
		p.decode(f[k], "crawl."+k, v)
		if *v < 0 {
			p.fail(f[k], "crawl."+k, "must not be negative")
		}
	}
	durs := map[string]*time.Duration{"min_delay": &c.MinDelay, "connect_timeout": &c.ConnectTimeout,
		"timeout": &c.Timeout, "max_backoff": &c.MaxBackoff, "run_budget": &c.RunBudget}
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
		f := p.fields(sn, path, "id", "name", "type", "url", "stance", "lang", "every", "keep", "selectors", "revisit", "run_budget", "allow_private",
			"from", "to", "paths", "endpoint", "rate", "url_template")
		if f == nil {
			return
		}
		s := model.Source{Type: model.SourceFeed, Stance: model.StanceUnknown, Keep: model.KeepAll, Every: time.Hour}
		p.decode(f["id"], path+".id", &s.ID)
		p.decode(f["name"], path+".name", &s.Name)
		p.decode(f["url"], path+".url", &s.URL)
		p.decode(f["lang"], path+".lang", &s.Lang)
		p.enum(f["type"], path+".type", (*string)(&s.Type), "feed", "page", "sitemap", "wayback")
		if s.Type == model.SourceWayback {
			s.Keep = model.KeepTopic // a backfill keeps what matches a topic unless told otherwise
		}
		p.enum(f["stance"], path+".stance", (*string)(&s.Stance), "state", "independent", "campaign", "international", "unknown")
		p.enum(f["keep"], path+".keep", (*string)(&s.Keep), "all", "topic")
		p.duration(f["every"], path+".every", &s.Every)
		p.duration(f["run_budget"], path+".run_budget", &s.RunBudget)
		p.boolean(f["allow_private"], path+".allow_private", &s.AllowPrivate)
		if seen[s.ID] {
			p.fail(f["id"], path+".id", "%q is used by another source", s.ID)
		}
		seen[s.ID] = true
		if s.Name == "" {
			s.Name = s.ID
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
		s.Dates = p.dates(f, sn, path, &s)
		s.Wayback = p.wayback(withoutDates(f, s.Type), sn, path, s.Type)
		for _, pr := range SourceProblems(s, len(cfg.Topics) > 0) {
			key, sub, _ := strings.Cut(pr.Field, ".") // selectors.max_pages is in selectors
			p.fail(at(valueOf(f[key], sub), at(f[key], sn)), path+"."+pr.Field, "%s", pr.Reason)
		}
		cfg.Sources = append(cfg.Sources, s)
	}
}

// wayback reads a wayback source's own fields (from, to, paths, endpoint,
// rate), refusing them on a source of another type; nil for other types.
func (p *parser) wayback(f map[string]*yaml.Node, sn *yaml.Node, path string, typ model.SourceType) *model.Wayback {
	if typ != model.SourceWayback {
		for _, k := range []string{"from", "to", "paths", "endpoint", "rate"} {
			if f[k] != nil {
				p.fail(f[k], path+"."+k, "is only for type: wayback (this source is type: %s)", typ)
			}
		}
		return nil
	}
	w := &model.Wayback{Endpoint: DefaultWaybackEndpoint, Rate: DefaultWaybackRate}
	w.From = p.day(f["from"], path+".from", false)
	w.To = p.day(f["to"], path+".to", true)
	p.decode(f["paths"], path+".paths", &w.Paths)
	p.decode(f["endpoint"], path+".endpoint", &w.Endpoint)
	w.Endpoint = strings.TrimRight(w.Endpoint, "/")
	p.decode(f["rate"], path+".rate", &w.Rate)
	return w
}

// day reads a date as midnight UTC with datewalk.ParseDate, the one reader
// of the configuration's dates (YYYY-MM-DD, or YYYY-MM or YYYY for a whole
// month or year: its first day, or with end set its last); zero when n is
// nil.
func (p *parser) day(n *yaml.Node, field string, end bool) time.Time {
	if n == nil {
		return time.Time{}
	}
	t, err := datewalk.ParseDate(n.Value, end)
	if err != nil || n.Kind != yaml.ScalarNode {
		p.fail(n, field, "%q is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)", n.Value)
		return time.Time{}
	}
	return t
}

// boolean decodes a yes-or-no field, with an error that says so.
func (p *parser) boolean(n *yaml.Node, field string, v *bool) {
	if n == nil {
		return
	}
	if n.Kind != yaml.ScalarNode || n.Decode(v) != nil {
		p.fail(n, field, "want true or false, got %q", n.Value)
	}
}

func (p *parser) selectors(n *yaml.Node, path string) *model.Selectors {
	f := p.fields(n, path, "item", "link", "title", "date", "next", "max_pages")
	if f == nil {
		return nil
	}
	var s model.Selectors
	p.decode(n, path, &s)
	if s.MaxPages == 0 {
		s.MaxPages = 1
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
// valueOf returns the value of key in the mapping n, or nil when n is no
// mapping or has no such key.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode || key == "" {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

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

// keyName is a mapping key as an error names it: an empty key or one that
// is no plain name would otherwise leave the error's field blank.
func keyName(k *yaml.Node) string {
	switch {
	case k.Kind != yaml.ScalarNode:
		return "(a key that is not a name)"
	case k.Value == "":
		return `""`
	}
	return k.Value
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

// digests reads the digests section; n may be nil (the defaults).
func (p *parser) digests(n *yaml.Node, cfg *Config) {
	d := Digests{BuildAt: 7 * 60, SendAt: -1, Lang: "en"}
	zone := "Asia/Almaty"
	var zoneNode *yaml.Node
	if n != nil {
		f := p.fields(n, "digests", "time_zone", "build_at", "send_at", "language", "base_url")
		zoneNode = at(f["time_zone"], n)
		p.decode(f["time_zone"], "digests.time_zone", &zone)
		d.BuildAt = p.clock(f["build_at"], "digests.build_at", d.BuildAt)
		d.SendAt = p.clock(f["send_at"], "digests.send_at", d.SendAt)
		p.enum(f["language"], "digests.language", &d.Lang, "en", "ru")
		p.decode(f["base_url"], "digests.base_url", &d.BaseURL)
		if d.BaseURL != "" {
			u, err := url.Parse(d.BaseURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				p.fail(f["base_url"], "digests.base_url", "%q is not an http(s) address such as https://presswatch.example.org", d.BaseURL)
			}
			d.BaseURL = strings.TrimRight(d.BaseURL, "/")
		}
		if d.SendAt >= 0 && d.BuildAt >= 0 && d.SendAt < d.BuildAt {
			p.fail(f["send_at"], "digests.send_at", "is before build_at: the digest would be sent before it is built")
		}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		p.fail(zoneNode, "digests.time_zone", "%q is not a time zone (want an IANA name such as Asia/Almaty)", zone)
		loc = time.UTC
	}
	d.Zone = loc
	cfg.Digests = d
}

// clock reads a time of day ("07:00") as minutes after midnight; "" or
// "off" is -1. def is kept when n is nil.
func (p *parser) clock(n *yaml.Node, field string, def int) int {
	if n == nil {
		return def
	}
	var s string
	p.decode(n, field, &s)
	if s == "" || s == "off" {
		return -1
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		p.fail(n, field, "%q is not a time of day (want HH:MM, 24-hour, or \"off\")", s)
		return def
	}
	return t.Hour()*60 + t.Minute()
}

// smtp reads the smtp section; the password comes from the environment.
func (p *parser) smtp(n *yaml.Node, cfg *Config) {
	f := p.fields(n, "smtp", "host", "port", "username", "password_env", "from", "to", "unsubscribe", "tls")
	if f == nil {
		return
	}
	s := &SMTP{TLS: "starttls"}
	p.decode(f["host"], "smtp.host", &s.Host)
	p.decode(f["port"], "smtp.port", &s.Port)
	p.decode(f["username"], "smtp.username", &s.Username)
	p.decode(f["password_env"], "smtp.password_env", &s.PasswordEnv)
	p.decode(f["from"], "smtp.from", &s.From)
	p.decode(f["unsubscribe"], "smtp.unsubscribe", &s.Unsubscribe)
	p.enum(f["tls"], "smtp.tls", &s.TLS, "starttls", "tls", "none")
	if to := f["to"]; to != nil && to.Kind == yaml.ScalarNode {
		s.To = []string{to.Value}
	} else {
		p.decode(to, "smtp.to", &s.To)
	}
	switch {
	case s.Host == "":
		p.fail(at(f["host"], n), "smtp.host", "the SMTP server's host name is missing")
	case s.Port < 0 || s.Port > 65535:
		p.fail(f["port"], "smtp.port", "%d is not a port", s.Port)
	case s.From == "":
		p.fail(at(f["from"], n), "smtp.from", "the sender's address is missing")
	case len(s.To) == 0:
		p.fail(at(f["to"], n), "smtp.to", "no recipient: give a list of addresses")
	}
	if _, err := netmail.ParseAddress(s.From); s.From != "" && err != nil {
		p.fail(f["from"], "smtp.from", "%q is not a mail address: %v", s.From, err)
	}
	for _, a := range s.To {
		if _, err := netmail.ParseAddress(a); err != nil {
			p.fail(f["to"], "smtp.to", "%q is not a mail address: %v", a, err)
		}
	}
	if s.Unsubscribe != "" {
		u, err := url.Parse(s.Unsubscribe)
		if err != nil || (u.Scheme != "mailto" && u.Scheme != "https") {
			p.fail(f["unsubscribe"], "smtp.unsubscribe", "%q is not a mailto: or https: URL", s.Unsubscribe)
		}
	}
	if s.PasswordEnv != "" {
		s.Password = os.Getenv(s.PasswordEnv)
		if s.Password == "" {
			p.fail(f["password_env"], "smtp.password_env", "the environment variable %s is empty or not set", s.PasswordEnv)
		}
	} else if s.Username != "" {
		p.fail(f["username"], "smtp.password_env", "a username needs password_env: the variable holding the password (never the password itself in the file)")
	}
	cfg.SMTP = s
}
