package fetch

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Two lines of robots.txt are rewritten before temoto/robotstxt reads the
// file, because the library reads them in ways that hurt:
//
//   - User-agent values are matched as prefixes of the agent it is given,
//     so "User-agent: presswatch/0.1" would not apply to "presswatch", and
//     "User-agent: press" would. RFC 9309 (2.2.1) matches the product
//     token, case-insensitively: the leading letters, "-" and "_" of the
//     value. A value whose token is ours becomes exactly our token; any
//     other gets a "/" after its token, which no prefix of our token has.
//   - One Crawl-delay it cannot read (negative, NaN, "abc") makes it reject
//     the whole file, which robotsFrom then treats as allowing everything;
//     and a huge one overflows time.Duration to no delay at all. Every
//     Crawl-delay value outside [0, MaxCrawlDelay] becomes MaxCrawlDelay.
var (
	userAgentLine  = regexp.MustCompile(`(?im)^([ \t]*user-?agent[ \t]*:[ \t]*)([^\s#]+)`)
	crawlDelayLine = regexp.MustCompile(`(?im)^([ \t]*crawl-?delay[ \t]*:[ \t]*)([^\s#]+)`)
)

// productToken returns the leading RFC 9309 identifier characters of v,
// lower-cased: "Presswatch/0.1 (+https://...)" gives "presswatch".
func productToken(v string) string {
	end := strings.IndexFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	})
	if end >= 0 {
		v = v[:end]
	}
	return strings.ToLower(v)
}

// prepareRobots rewrites body as described above for our product token.
// capped reports whether some Crawl-delay was replaced by MaxCrawlDelay.
func prepareRobots(body []byte, token string) (out []byte, capped bool) {
	out = userAgentLine.ReplaceAllFunc(body, func(line []byte) []byte {
		m := userAgentLine.FindSubmatch(line)
		v := string(m[2])
		tok := productToken(v)
		switch {
		case strings.HasPrefix(v, "*"):
			v = "*"
		case tok == token:
			v = token
		case tok != "":
			v = tok + "/"
		}
		return append(append([]byte{}, m[1]...), v...)
	})
	capSecs := strconv.FormatInt(int64(MaxCrawlDelay/time.Second), 10)
	out = crawlDelayLine.ReplaceAllFunc(out, func(line []byte) []byte {
		m := crawlDelayLine.FindSubmatch(line)
		secs, err := strconv.ParseFloat(string(m[2]), 64)
		if err == nil && secs >= 0 && secs <= MaxCrawlDelay.Seconds() {
			return line
		}
		capped = true
		return append(append([]byte{}, m[1]...), capSecs...)
	})
	return out, capped
}

// crawlDelay turns a Crawl-delay read by the library into a wait no
// longer than MaxCrawlDelay; a negative or overflowed one is the cap.
func crawlDelay(d time.Duration) time.Duration {
	if d < 0 || d > MaxCrawlDelay {
		return MaxCrawlDelay
	}
	return d
}
