package fetch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/temoto/robotstxt"
)

// FuzzRobots reads hostile robots.txt files as a 200 answer, as the
// fetcher does. Any file gives an entry, never a panic; the Crawl-delay
// it sets for us is within [0, MaxCrawlDelay]; and temoto/robotstxt never
// rejects the file as prepareRobots rewrites it (which would allow
// everything).
func FuzzRobots(f *testing.F) {
	site, err := os.ReadFile(filepath.Join("..", "..", "testdata", "site", "robots.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(site)
	f.Add([]byte("User-agent: presswatch/0.1\nCrawl-delay: 600\nDisallow: /private\n"))
	f.Add([]byte("User-agent: *\nCrawl-delay: 1e400\nCrawl-delay: NaN\ncrawldelay:-1 # no\nDisallow: /*.pdf$\n"))
	f.Add([]byte("useragent:PRESSWATCH\nCrawl-delay:\nAllow: /\n"))
	fe := newFetcher(f, nil)
	const robotsURL = "https://news.example/robots.txt"
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := fe.robotsFrom(robotsURL, &Response{Status: 200, Body: body}, nil)
		if err != nil || e == nil || e.data == nil || e.kind != "" {
			t.Fatalf("entry %+v, error %v", e, err)
		}
		if d := e.data.FindGroup(fe.opts.RobotsToken).CrawlDelay; d < 0 || d > MaxCrawlDelay {
			t.Fatalf("Crawl-delay %s for us, outside [0, %s]", d, MaxCrawlDelay)
		}
		prepared, _ := prepareRobots(body, fe.opts.RobotsToken)
		if _, err := robotstxt.FromBytes(prepared); err != nil {
			t.Fatalf("the file as rewritten is rejected (%v):\n%q", err, prepared)
		}
	})
}

// FuzzRobotsAgent puts a group for the user-agent value the fuzzer
// chooses that disallows everything beside one for * that allows it: the
// group is ours exactly when the value's product token (RFC 9309) is.
func FuzzRobotsAgent(f *testing.F) {
	for _, v := range []string{"presswatch", "PressWatch/2.0", "presswatch/0.1", "press", "presswatchbot", "googlebot/2.1", "Press_Watch", "presswatch(x)"} {
		f.Add(v)
	}
	fe := newFetcher(f, nil)
	f.Fuzz(func(t *testing.T, value string) {
		if value == "" || strings.HasPrefix(value, "*") || strings.ContainsAny(value, " \t\r\n\f\v#") {
			t.Skip("one value on the line")
		}
		body := "User-agent: *\nAllow: /\n\nUser-agent: " + value + "\nDisallow: /\n"
		e, err := fe.robotsFrom("https://news.example/robots.txt", &Response{Status: 200, Body: []byte(body)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ours := productToken(value) == fe.opts.RobotsToken
		if allowed := e.data.TestAgent("/a", fe.opts.RobotsToken); allowed == ours {
			t.Fatalf("User-agent: %q (token %q): /a allowed %v, want %v", value, productToken(value), allowed, !ours)
		}
	})
}

// Lines the library reads differently from RFC 9309, or rejects the whole
// file for, found by FuzzRobots: the rest of the file still applies.
func TestRobotsOddLines(t *testing.T) {
	fe := newFetcher(t, nil)
	for name, robots := range map[string]string{
		"a rule before any User-agent": "Disallow: /tmp\nUser-agent: *\nDisallow: /private\n",
		"a Crawl-delay with a comment": "User-agent: *\nCrawl-delay: 5#slow\nDisallow: /private\n",
		"a Crawl-delay without colon":  "User-agent: *\nCrawl-delay e\nDisallow: /private\n",
		"a Crawl-delay without value":  "User-agent: *\nCrawl-delay:\nDisallow: /private\n",
		"space before the colon":       "User-agent: *\nAllow: /\n\nUser-agent : presswatch\nDisallow : /private\n",
		"a second pair on a line":      "User-agent: *\nDisallow: /private Crawl-delay x\n",
	} {
		e, err := fe.robotsFrom("https://news.example/robots.txt", &Response{Status: 200, Body: []byte(robots)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e.data.TestAgent("/private", fe.opts.RobotsToken) || !e.data.TestAgent("/public", fe.opts.RobotsToken) {
			t.Errorf("%s: /private allowed or /public refused", name)
		}
	}
}
