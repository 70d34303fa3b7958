package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// layoutWidths are the screens the layout tests measure the pages at: a
// laptop's and a phone's (375 px, an iPhone's CSS width).
var layoutWidths = []int{1280, 375}

// chromiumOrSkip returns the path of a chromium binary, or skips the test
// saying so; with CI set, a missing chromium fails it instead.
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("CI is set but no chromium binary is installed")
	}
	t.Skip("SKIPPED: no chromium binary on PATH (install Debian's chromium package)")
	return ""
}

// browserAt starts a headless Chromium with a window width px wide and
// returns a tab in it; it is stopped when the test ends.
func browserAt(t *testing.T, chrome string, width int) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("no-proxy-server", true), chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, 800))...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	return tab
}

// overflow is what a page measures of its width: the document's against
// the viewport's, and the elements whose right edge passes the viewport.
type overflow struct {
	ScrollWidth   float64  `json:"scrollWidth"`
	ViewportWidth float64  `json:"viewportWidth"`
	Wide          []string `json:"wide"`
}

const measureOverflow = `(() => {
	const vw = document.documentElement.clientWidth;
	const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > vw + 1 && !e.closest('details:not([open])'))
		.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': ' + (e.textContent || '').slice(0, 40));
	return {scrollWidth: document.documentElement.scrollWidth, viewportWidth: vw, wide};
})()`

// fits loads path in tab and fails the test when the page is wider than
// the viewport: when it scrolls sideways.
func fits(t *testing.T, tab context.Context, base, path string, width int) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(base+path)); err != nil {
		t.Fatal(err)
	}
	o, err := chromedp.Run(tab, chromedp.Evaluate[overflow](measureOverflow))
	if err != nil {
		t.Fatal(err)
	}
	if o.ScrollWidth > o.ViewportWidth {
		t.Errorf("at %d px, %s is %.0f px wide in a viewport of %.0f: %q", width, path, o.ScrollWidth, o.ViewportWidth, o.Wide)
	}
}

// TestSearchFacetsBelowResultsOnPhones holds that on a 375 px screen the
// first result comes before the filters (no scrolling past them), and
// that at 1280 px the filters stand beside the results.
func TestSearchFacetsBelowResultsOnPhones(t *testing.T) {
	chrome := chromiumOrSkip(t)
	srv := newSearchServer(t, manyArticles(45), true)
	type layout struct {
		Hit, Filters, FiltersLeft, HitLeft float64
	}
	for _, width := range layoutWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tab := browserAt(t, chrome, width)
			if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/search?q=report")); err != nil {
				t.Fatal(err)
			}
			l, err := chromedp.Run(tab, chromedp.Evaluate[layout](`(() => {
				const hit = document.querySelector('.hits li').getBoundingClientRect(), f = document.querySelector('.sp-filters').getBoundingClientRect();
				return {Hit: hit.top, Filters: f.top, HitLeft: hit.left, FiltersLeft: f.left};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if width < 640 {
				if l.Hit > l.Filters {
					t.Errorf("at %d px the first result is at %.0f px, below the filters at %.0f: want the results first", width, l.Hit, l.Filters)
				}
			} else if l.FiltersLeft >= l.HitLeft {
				t.Errorf("at %d px the filters are not beside the results (left %.0f, results %.0f)", width, l.FiltersLeft, l.HitLeft)
			}
			fits(t, tab, srv.URL, "/search?q=report", width)
		})
	}
}
