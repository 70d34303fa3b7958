package config

import (
	"strings"
	"testing"
	"time"
)

func TestRunBudget(t *testing.T) {
	const sources = `
sources:
  - {id: slow, url: "https://slow.example/rss", run_budget: 90s}
  - {id: plain, url: "https://plain.example/rss"}
`
	for name, tc := range map[string]struct {
		yaml        string
		crawl, slow time.Duration
		err         string
	}{
		"the default":          {sources, 10 * time.Minute, 90 * time.Second, ""},
		"a configured budget":  {"crawl:\n  run_budget: 3m\n" + sources, 3 * time.Minute, 90 * time.Second, ""},
		"not a duration":       {"crawl:\n  run_budget: soon\n" + sources, 0, 0, `crawl.run_budget: "soon" is not a duration`},
		"a source's, negative": {strings.Replace(sources, "90s", "-1m", 1), 0, 0, `sources[0].run_budget: "-1m" is not a duration`},
	} {
		cfg, err := Parse([]byte(tc.yaml), "test.yaml")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v; want %q", name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		slow, _ := cfg.Source("slow")
		plain, _ := cfg.Source("plain")
		if cfg.Crawl.RunBudget != tc.crawl || slow.RunBudget != tc.slow || plain.RunBudget != 0 {
			t.Errorf("%s: crawl %s, slow %s, plain %s; want %s, %s and none", name, cfg.Crawl.RunBudget, slow.RunBudget, plain.RunBudget, tc.crawl, tc.slow)
		}
	}
}
