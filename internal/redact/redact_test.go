package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"no secret":        {"https://news.example/feed.xml?lang=ru#top", "https://news.example/feed.xml?lang=ru#top"},
		"user and pass":    {"https://bob:hunter2@news.example/feed", "https://REDACTED@news.example/feed"},
		"user only":        {"https://ghp_abc123@news.example/feed", "https://REDACTED@news.example/feed"},
		"@ in the path":    {"https://news.example/@bob/feed", "https://news.example/@bob/feed"},
		"token":            {"https://news.example/feed?token=abc&lang=ru", "https://news.example/feed?token=REDACTED&lang=ru"},
		"every name":       {"http://x.example/?key=1&apikey=2&api_key=3&secret=4&password=5&passwd=6&auth=7&access_token=8&sig=9&signature=10", "http://x.example/?key=REDACTED&apikey=REDACTED&api_key=REDACTED&secret=REDACTED&password=REDACTED&passwd=REDACTED&auth=REDACTED&access_token=REDACTED&sig=REDACTED&signature=REDACTED"},
		"any case":         {"http://x.example/?API_KEY=abc&Token=def", "http://x.example/?API_KEY=REDACTED&Token=REDACTED"},
		"suffixes":         {"http://x.example/?private_token=a&x-api-key=b&client_secret=c", "http://x.example/?private_token=REDACTED&x-api-key=REDACTED&client_secret=REDACTED"},
		"escaped name":     {"http://x.example/?api%5Fkey=abc", "http://x.example/?api%5Fkey=REDACTED"},
		"in the fragment":  {"http://x.example/cb#access_token=abc&state=1", "http://x.example/cb#access_token=REDACTED&state=1"},
		"both":             {"https://u:p@x.example:8443/f?sig=zz", "https://REDACTED@x.example:8443/f?sig=REDACTED"},
		"a near miss":      {"http://x.example/?monkey=1&keys=2", "http://x.example/?monkey=1&keys=2"},
		"not a URL at all": {"bob:pw@host", "bob:pw@host"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := URL(tc.in); got != tc.want {
				t.Errorf("URL(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	in := `fetch: GET https://u:s3cr3t@x.example/feed?token=s3cr3t: redirect to "https://y.example/?key=s3cr3t" refused; xmlUrl "feed://u:s3cr3t@z.example/" is not http`
	got := Text(in)
	if strings.Contains(got, "s3cr3t") || !strings.Contains(got, "https://REDACTED@x.example/feed?token=REDACTED") ||
		!strings.Contains(got, `"https://y.example/?key=REDACTED"`) || !strings.Contains(got, `"feed://REDACTED@z.example/"`) {
		t.Errorf("Text = %q", got)
	}
}

func TestAttr(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: Attr}))
	log.Warn("fetch failed", "url", "https://u:s3cr3t@x.example/f?api_key=s3cr3t",
		"error", errors.New("fetch: GET https://x.example/f?token=s3cr3t: 500"), "source", "news")
	log.With("feed", "http://x.example/?secret=s3cr3t").Info("grouped")
	if out := buf.String(); strings.Contains(out, "s3cr3t") || !strings.Contains(out, "source=news") {
		t.Errorf("log output carries a secret or lost an attribute:\n%s", out)
	}
}
