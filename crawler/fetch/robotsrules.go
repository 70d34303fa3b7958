package fetch

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// robots.txt is rewritten line by line before temoto/robotstxt reads the
// file, because the library reads it in ways that hurt:
//
//   - User-agent values are matched as prefixes of the agent it is given,
//     so "User-agent: presswatch/0.1" would not apply to "presswatch", and
//     "User-agent: press" would. RFC 9309 (2.2.1) matches the product
//     token, case-insensitively: the leading letters, "-" and "_" of the
//     value. A value whose token is ours becomes exactly our token; any
//     other gets a "/" after its token, which no prefix of our token has.
//   - It rejects the whole file, which robotsFrom then treats as allowing
//     everything, for one line it cannot read: a Crawl-delay that is
//     negative, NaN, "abc", "5#slow" or missing, or an Allow, Disallow or
//     Crawl-delay before any User-agent. And a huge Crawl-delay overflows
//     time.Duration to no delay at all. Every Crawl-delay value outside
//     [0, MaxCrawlDelay], or no number, becomes MaxCrawlDelay; one without
//     a value, and a rule before any User-agent, is left out (RFC 9309
//     ignores lines it cannot read, not the file).
//   - It reads tokens, not lines: "User-agent : x" gives the agent ":",
//     and a second "key value" pair later on a line is read as a rule.
//     Each line becomes "key: value" from its first two tokens (RFC 9309
//     allows space before the colon; "#" starts a comment anywhere), and
//     lines of other keys are left out.

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
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	capSecs := strconv.FormatInt(int64(MaxCrawlDelay/time.Second), 10)
	agent := false // a User-agent line came before
	for len(body) > 0 {
		end := bytes.IndexAny(body, "\r\n")
		if end < 0 {
			end = len(body)
		}
		key, v := robotsLine(body[:end])
		body = body[min(end+1, len(body)):]
		switch key {
		case "user-agent", "useragent":
			agent = true
			tok := productToken(v)
			switch {
			case strings.HasPrefix(v, "*"):
				v = "*"
			case tok == token:
				v = token
			case tok != "":
				v = tok + "/"
			}
		case "crawl-delay", "crawldelay":
			if v == "" || !agent {
				continue
			}
			if secs, err := strconv.ParseFloat(v, 64); err != nil || !(secs >= 0 && secs <= MaxCrawlDelay.Seconds()) {
				capped, v = true, capSecs
			}
		case "allow", "disallow":
			if !agent {
				continue
			}
		case "sitemap", "host":
		default:
			continue
		}
		out = append(append(append(append(out, key...), ": "...), v...), '\n')
	}
	return out, capped
}

// robotsLine returns the lower-cased key and the value of one line, as
// the library's scanner splits them: at spaces, tabs and vertical tabs,
// the key also at its first colon.
func robotsLine(line []byte) (key, value string) {
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\v' }
	line = bytes.TrimLeftFunc(line, isSpace)
	end := bytes.IndexFunc(line, func(r rune) bool { return isSpace(r) || r == ':' })
	if end < 0 {
		return strings.ToLower(string(line)), ""
	}
	key, rest := strings.ToLower(string(line[:end])), bytes.TrimLeftFunc(line[end:], isSpace)
	rest = bytes.TrimLeftFunc(bytes.TrimPrefix(rest, []byte(":")), isSpace)
	if end := bytes.IndexFunc(rest, isSpace); end >= 0 {
		rest = rest[:end]
	}
	return key, string(rest)
}

// crawlDelay turns a Crawl-delay read by the library into a wait no
// longer than MaxCrawlDelay; a negative or overflowed one is the cap.
func crawlDelay(d time.Duration) time.Duration {
	if d < 0 || d > MaxCrawlDelay {
		return MaxCrawlDelay
	}
	return d
}
