package config

import (
	"strings"
	"testing"
)

func TestParseAllowPrivate(t *testing.T) {
	cfg, err := Parse([]byte(`
sources:
  - {id: intranet, url: "http://10.0.0.5/feed", allow_private: true}
  - {id: news, url: "https://news.example/feed"}
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Sources[0].AllowPrivate || cfg.Sources[1].AllowPrivate || cfg.AllowPrivateNetworks {
		t.Errorf("allow_private: intranet %v, news %v, all %v; want true, false, false",
			cfg.Sources[0].AllowPrivate, cfg.Sources[1].AllowPrivate, cfg.AllowPrivateNetworks)
	}
	for name, tc := range map[string]struct{ yaml, want string }{
		"a word": {"sources:\n  - id: a\n    url: http://x/\n    allow_private: maybe\n", `p.yaml:4: sources[0].allow_private: want true or false, got "maybe"`},
		"a list": {"sources:\n  - id: a\n    url: http://x/\n    allow_private: [yes]\n", "p.yaml:4: sources[0].allow_private: want true or false"},
		"a typo": {"sources:\n  - id: a\n    url: http://x/\n    allow_privat: true\n", "p.yaml:4: sources[0].allow_privat: unknown field"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "p.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}
