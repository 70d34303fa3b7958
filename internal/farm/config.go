package farm

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"presswatch/internal/config"
)

// Config returns a presswatch configuration (YAML) listing every feed as a
// source (type feed, keep: all, every hour), with allow_private_networks
// on and the caller's crawl settings; zero fields are left out, so they
// take presswatch's defaults. Sources are listed host by host, as a
// deployment lists a site's feeds together.
func (fm *Farm) Config(crawl config.Crawl) []byte {
	var b bytes.Buffer
	b.WriteString("# A generated loopback feed farm (internal/farm).\ncontact: https://presswatch.test/farm\nallow_private_networks: true\ncrawl:\n")
	ints := []struct {
		name string
		v    int64
	}{{"workers", int64(crawl.Workers)}, {"per_host", int64(crawl.PerHost)}, {"max_bytes", crawl.MaxBytes},
		{"max_redirects", int64(crawl.MaxRedirects)}, {"max_items", int64(crawl.MaxItems)}}
	for _, f := range ints {
		if f.v != 0 {
			fmt.Fprintf(&b, "  %s: %d\n", f.name, f.v)
		}
	}
	durs := []struct {
		name string
		v    time.Duration
	}{{"min_delay", crawl.MinDelay}, {"connect_timeout", crawl.ConnectTimeout}, {"timeout", crawl.Timeout},
		{"max_backoff", crawl.MaxBackoff}}
	for _, f := range durs {
		if f.v != 0 {
			fmt.Fprintf(&b, "  %s: %s\n", f.name, f.v)
		}
	}
	if crawl.Jitter != 0 {
		fmt.Fprintf(&b, "  jitter: %g\n", crawl.Jitter)
	}
	stances := []string{"state", "independent", "campaign", "international", "unknown"}
	b.WriteString("sources:\n")
	for _, f := range fm.Feeds() {
		fmt.Fprintf(&b, "  - {id: farm-h%03d-f%02d, name: %q, type: feed, url: %q, stance: %s, every: 1h, keep: all}\n",
			f.Host, f.Index, fmt.Sprintf("%s — %d", fm.siteName(f.Host), f.Index), f.URL, stances[f.Host%len(stances)])
	}
	return b.Bytes()
}

// WriteConfig writes Config(crawl) to path.
func (fm *Farm) WriteConfig(path string, crawl config.Crawl) error {
	if err := os.WriteFile(path, fm.Config(crawl), 0o644); err != nil {
		return fmt.Errorf("farm: %w", err)
	}
	return nil
}
