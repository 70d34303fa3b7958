package web

import (
	"fmt"
	"strings"
	"testing"
)

// Each version read from an archived exchange links to that exchange's
// copy and WARC records, so a reader can check what the page said then.
func TestVersionsLinkTheirCapture(t *testing.T) {
	h := newHistoryFixture(t)
	_, body := h.get(t, "/articles/1", "")
	i := strings.Index(body, `<ol class="versions">`)
	if i < 0 {
		t.Fatalf("no versions list:\n%.800s", body)
	}
	versions := body[i : i+strings.Index(body[i:], "</ol>")]
	for _, want := range []string{
		fmt.Sprintf(`href="/articles/1/archived?fetch=%d"`, h.f1),
		fmt.Sprintf(`href="/articles/1/warc?fetch=%d" download`, h.f1),
	} {
		if !strings.Contains(versions, want) {
			t.Errorf("the versions list lacks %s:\n%s", want, versions)
		}
	}
	// Article 3 has no archived exchange: its versions link nothing.
	_, body = h.get(t, "/articles/3", "")
	if i := strings.Index(body, `<ol class="versions">`); i < 0 || strings.Contains(body[i:i+strings.Index(body[i:], "</ol>")], "archived?fetch=") {
		t.Errorf("a version with no archived exchange links a copy")
	}
}
