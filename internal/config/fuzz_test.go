package config

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds hostile YAML to Parse. Any input gives a configuration
// or an error, never a panic. An error is the file's: a *Error names a
// field and a line of the input, any other (YAML syntax) names the file.
// A configuration's sources, written back with WriteSources and read
// again, are the same sources.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte("sources:\n  - {id: a, url: 'https://a.example/feed', every: 90m, revisit: [1h, 2h30m], run_budget: 45s, allow_private: true}\n"))
	f.Add([]byte("topics:\n  - {id: z, query: zhanaozen, aliases: [Жаңаөзен]}\nsources:\n  - id: p\n    type: page\n    keep: topic\n    url: http://127.0.0.1/list\n    selectors: {item: 'li:nth-child(2n+1)', link: 'a[href^=\"/\"]', max_pages: 3}\n    revisit: off\n"))
	f.Add([]byte("crawl: {workers: -1, min_delay: 1y}\nsources: []\n"))
	f.Add([]byte("digests: {time_zone: Mars/Olympus, send_at: '06:00'}\nsmtp: {host: h, from: 'a@b', to: x}\nsources: [{id: a, url: 'http://a'}]\n"))
	f.Add([]byte("a: &x [*x, *x]\nsources: *x\n"))
	f.Add([]byte("sources:\n  - {id: a, url: 'http://a', selectors: {item: 'a[', link: ':has(', next: '\\\\'}}\n"))
	f.Add([]byte("\t- : {\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg *Config
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			cfg, err = Parse(data, "fuzz.yaml")
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse did not return within 2s")
		}
		if err != nil {
			checkError(t, data, err)
			return
		}
		if len(cfg.Sources) == 0 {
			t.Fatal("a configuration without sources was accepted")
		}
		var b bytes.Buffer
		if err := WriteSources(&b, cfg.Sources); err != nil {
			t.Fatalf("WriteSources: %v", err)
		}
		doc := b.String()
		if len(cfg.Topics) > 0 { // keep: topic needs one
			doc = "topics:\n  - {id: z, query: z}\n" + doc
		}
		again, err := Parse([]byte(doc), "export.yaml")
		if err != nil {
			t.Fatalf("the written sources do not read back: %v\n%s", err, doc)
		}
		if !reflect.DeepEqual(again.Sources, cfg.Sources) {
			t.Fatalf("read back:\n%+v\nwant\n%+v\nfrom\n%s", again.Sources, cfg.Sources, doc)
		}
	})
}

// checkError fails t unless err is one Parse may give for data.
func checkError(t *testing.T, data []byte, err error) {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		if !strings.HasPrefix(err.Error(), "config: fuzz.yaml: ") {
			t.Fatalf("error %q does not name the file", err)
		}
		return
	}
	lines := 1 // at most: YAML breaks lines at \r too, and at NEL, LS and PS
	for _, br := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		lines += bytes.Count(data, []byte(br))
	}
	if ce.File != "fuzz.yaml" || ce.Field == "" || ce.Msg == "" || ce.Line < 1 || ce.Line > lines {
		t.Fatalf("error %+v does not name a field and one of the %d lines", ce, lines)
	}
}
