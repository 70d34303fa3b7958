package dates

import (
	"net/url"
	"regexp"
	"time"
)

// urlDayRe finds a day written in a URL path as /2011/12/16/.
var urlDayRe = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)

// URLDay returns the day a URL's path names (/2011/12/16/, /2011/12/16),
// at midnight UTC, and reports whether it names one. Days that do not
// exist (/2011/02/31/) and years outside MinYear to MaxYear are not read.
func URLDay(rawURL string) (time.Time, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return time.Time{}, false
	}
	m := urlDayRe.FindStringSubmatch(u.Path)
	if m == nil {
		return time.Time{}, false
	}
	y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
	if !validDate(y, mo, d) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
}
