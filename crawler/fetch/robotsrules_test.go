package fetch

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// Groups are matched by product token (RFC 9309), case-insensitively,
// whatever version or comment follows it, and only by the whole token.
func TestRobotsProductToken(t *testing.T) {
	tests := map[string]struct {
		robots string
		denied bool // whether /private is refused
	}{
		"presswatch":           {"User-agent: *\nDisallow: /\n\nUser-agent: presswatch\nDisallow: /private\n", true},
		"presswatch/0.1":       {"User-agent: *\nDisallow: /\n\nUser-agent: presswatch/0.1\nDisallow: /private\n", true},
		"PressWatch/2.0":       {"User-agent: PressWatch/2.0\nDisallow: /private\n", true},
		"with a comment":       {"User-agent: presswatch # our crawler\nDisallow: /private\n", true},
		"in a list of agents":  {"User-agent: googlebot\nUser-agent: presswatch/0.1\nDisallow: /private\n", true},
		"a token prefix":       {"User-agent: press\nDisallow: /private\n", false},
		"a longer token":       {"User-agent: presswatchbot\nDisallow: /private\n", false},
		"another crawler only": {"User-agent: googlebot/2.1\nDisallow: /private\n", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, map[string]http.HandlerFunc{
				"/robots.txt": text(tc.robots), "/public": text("p"), "/private": text("p"),
			})
			// The fetcher's User-Agent is the full "presswatch/0.1 (+...)".
			f := newFetcher(t, func(o *Options) { o.UserAgent = "presswatch/0.1 (+https://example.org/contact)" })
			if _, err := f.Get(context.Background(), Request{URL: s.URL + "/public"}); err != nil {
				t.Errorf("/public: %v", err)
			}
			_, err := f.Get(context.Background(), Request{URL: s.URL + "/private"})
			if denied := kindOf(err) == model.ErrRobots; denied != tc.denied {
				t.Errorf("/private: error %v, want denied %v", err, tc.denied)
			}
		})
	}
}

// A Crawl-delay that is too long, or no number of seconds, is read as
// MaxCrawlDelay and logged once per host; the rest of the file still
// applies. No page is fetched after robots.txt, so nothing waits.
func TestCrawlDelayCapped(t *testing.T) {
	tests := map[string]struct {
		delay  string
		want   time.Duration
		logged bool
	}{
		"600 seconds":  {"600", MaxCrawlDelay, true},
		"1e10 seconds": {"1e10", MaxCrawlDelay, true},
		"negative":     {"-1", MaxCrawlDelay, true},
		"not a number": {"abc", MaxCrawlDelay, true},
		"NaN":          {"NaN", MaxCrawlDelay, true},
		"the cap":      {"60", MaxCrawlDelay, false},
		"a short one":  {"2.5", 2500 * time.Millisecond, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, map[string]http.HandlerFunc{
				"/robots.txt": text("User-agent: presswatch\nCrawl-delay: " + tc.delay + "\nDisallow: /private\n"),
			})
			var logs bytes.Buffer
			clk := &clock{t: time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)}
			f := newFetcher(t, func(o *Options) {
				o.Clock = clk.Now
				o.Log = slog.New(slog.NewTextHandler(&logs, nil))
			})
			u, _ := url.Parse(s.URL)
			h := f.getHost(origin(u))
			defer f.putHost(h)
			var got time.Duration
			for range 2 { // robots.txt read twice, once it has expired
				_, err := f.Get(context.Background(), Request{URL: s.URL + "/private"})
				if kindOf(err) != model.ErrRobots {
					t.Fatalf("error %v, want kind robots: the Disallow beside the Crawl-delay must hold", err)
				}
				clk.Add(2 * DefaultRobotsTTL)
				h.mu.Lock()
				got = h.crawlDelay
				h.next = time.Time{} // the second read need not wait the delay out
				h.mu.Unlock()
			}
			if n := s.count("/robots.txt"); n != 2 {
				t.Fatalf("robots.txt read %d times, want 2", n)
			}
			if got != tc.want {
				t.Errorf("crawl delay %s, want %s", got, tc.want)
			}
			n := strings.Count(logs.String(), "Crawl-delay")
			if want := map[bool]int{true: 1, false: 0}[tc.logged]; n != want {
				t.Errorf("%d log lines about the Crawl-delay, want %d:\n%s", n, want, logs.String())
			}
			if tc.logged && !strings.Contains(logs.String(), "origin="+origin(u)) {
				t.Errorf("the log line does not name the origin:\n%s", logs.String())
			}
		})
	}
}

// A Crawl-delay the library already turned into a duration is capped too.
func TestCrawlDelayDuration(t *testing.T) {
	for d, want := range map[time.Duration]time.Duration{
		-1: MaxCrawlDelay, 0: 0, time.Second: time.Second, 10 * time.Minute: MaxCrawlDelay,
	} {
		if got := crawlDelay(d); got != want {
			t.Errorf("crawlDelay(%s) = %s, want %s", d, got, want)
		}
	}
}
