package wayback

import (
	"bytes"
	"regexp"
)

// archivePageSigns are marks of the archive's own pages: its banner and
// scripts, which the id_ playback leaves out of a capture, and the texts of
// its error and redirect notices.
var archivePageSigns = []struct {
	mark []byte
	why  string
}{
	{[]byte("wm-ipp-base"), "the archive's banner"},
	{[]byte("__wm.init("), "the archive's banner"},
	{[]byte("/_static/js/wombat.js"), "the archive's playback scripts"},
	{[]byte("got an http 301 response at crawl time"), "the archive's notice of a redirect"},
	{[]byte("got an http 302 response at crawl time"), "the archive's notice of a redirect"},
	{[]byte("got an http 307 response at crawl time"), "the archive's notice of a redirect"},
	{[]byte("wayback machine doesn't have that page archived"), "the archive's page for a missing capture"},
	{[]byte("wayback machine has not archived that url"), "the archive's page for a missing capture"},
	{[]byte("this url has been excluded from the wayback machine"), "the archive's page for an excluded URL"},
}

// archiveTitle is the title of the archive's own pages.
var archiveTitle = regexp.MustCompile(`(?i)<title>\s*(internet archive: )?wayback machine\s*</title>`)

// ArchivePage says why body is a page of the archive's own (an error
// page, a redirect notice, a page carrying its banner) rather than the
// capture's bytes; "" when it looks like the capture. The playback
// answers such pages with 200, so the status cannot tell.
func ArchivePage(body []byte) string {
	if len(body) > 256<<10 {
		body = body[:256<<10] // the marks are near the top; a long article is not scanned to its end
	}
	if archiveTitle.Match(body) {
		return "a Wayback Machine page"
	}
	low := bytes.ToLower(body)
	for _, s := range archivePageSigns {
		if bytes.Contains(low, s.mark) {
			return s.why
		}
	}
	return ""
}
