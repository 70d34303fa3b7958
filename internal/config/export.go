package config

import (
	"fmt"
	"io"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"presswatch/internal/model"
)

// WriteSources writes sources as the configuration file's sources: list,
// each with the fields it sets (defaults left out), so the list can be
// pasted into a configuration file: `presswatch sources export` writes
// the file's sources and the web UI's together this way, to move the
// web's into the file.
func WriteSources(w io.Writer, sources []model.Source) error {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range sources {
		list.Content = append(list.Content, sourceNode(s))
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("sources"), list}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("config: writing sources: %w", err)
	}
	return enc.Close()
}

func sourceNode(s model.Source) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) { n.Content = append(n.Content, scalar(key), v) }
	str := func(key, v, def string) {
		if v != def {
			add(key, scalar(v))
		}
	}
	str("id", s.ID, "")
	str("name", s.Name, s.ID)
	str("type", string(s.Type), string(model.SourceFeed))
	str("url", s.URL, "")
	str("stance", string(s.Stance), string(model.StanceUnknown))
	str("lang", s.Lang, "")
	str("every", FormatDuration(s.Every), FormatDuration(time.Hour))
	keep := model.KeepAll
	if s.Type == model.SourceWayback {
		keep = model.KeepTopic
	}
	str("keep", string(s.Keep), string(keep))
	if sel := s.Selectors; sel != nil {
		m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		for _, kv := range [][2]string{{"item", sel.Item}, {"link", sel.Link}, {"title", sel.Title}, {"date", sel.Date}, {"next", sel.Next}} {
			if kv[1] != "" {
				m.Content = append(m.Content, scalar(kv[0]), scalar(kv[1]))
			}
		}
		if sel.MaxPages > 1 {
			m.Content = append(m.Content, scalar("max_pages"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(sel.MaxPages)})
		}
		add("selectors", m)
	}
	switch {
	case s.RevisitOff:
		add("revisit", scalar("off"))
	case len(s.Revisit) > 0:
		steps := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, d := range s.Revisit {
			steps.Content = append(steps.Content, scalar(FormatDuration(d)))
		}
		add("revisit", steps)
	}
	if s.RunBudget > 0 {
		add("run_budget", scalar(FormatDuration(s.RunBudget)))
	}
	if s.AllowPrivate {
		add("allow_private", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	if w := s.Wayback; w != nil {
		add("from", scalar(w.From.Format(time.DateOnly)))
		add("to", scalar(w.To.Format(time.DateOnly)))
		if len(w.Paths) > 0 {
			paths := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, p := range w.Paths {
				paths.Content = append(paths.Content, scalar(p))
			}
			add("paths", paths)
		}
		str("endpoint", w.Endpoint, DefaultWaybackEndpoint)
		if w.Rate != DefaultWaybackRate {
			add("rate", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: fmt.Sprint(w.Rate)})
		}
	}
	if r := s.Dates; r != nil {
		str("url_template", r.URLTemplate, "")
		add("from", scalar(r.From.Format(time.DateOnly)))
		if !r.To.IsZero() {
			add("to", scalar(r.To.Format(time.DateOnly)))
		}
	}
	return n
}

// scalar is a string node, quoted by the encoder where YAML needs it.
func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// FormatDuration writes d as the file (and people) write it: 1h, 90m,
// 2h30m, 45s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
