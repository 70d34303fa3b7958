package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"presswatch/internal/model"
	"presswatch/internal/store"
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
	// A window is no narrower than about 500 px: a phone's screen is
	// emulated.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(int64(width), 800)); err != nil {
		t.Fatal(err)
	}
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
	if o.ViewportWidth > float64(width) {
		t.Fatalf("the viewport is %.0f px wide, not %d", o.ViewportWidth, width)
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

// manySources are 40 feeds with long addresses and an import source
// holding imported files.
func manySources() []model.Source {
	var srcs []model.Source
	for i := range 40 {
		srcs = append(srcs, model.Source{ID: fmt.Sprintf("feed-%02d", i), Name: fmt.Sprintf("Regional newspaper number %d of the Mangystau region", i),
			Type: model.SourceFeed, Stance: model.StanceIndependent, Lang: "ru", Every: time.Hour, Keep: model.KeepAll,
			URL: fmt.Sprintf("https://www.a-rather-long-domain-name-of-a-regional-newspaper-%d.kz/rss/category/politics/society/economy/feed.xml?utm_source=presswatch&utm_medium=rss&utm_campaign=monitoring", i)})
	}
	return append(srcs, model.Source{ID: "import", Name: "Imported: import", Type: model.SourceImport, URL: "file:///",
		Stance: model.StanceUnknown, Keep: model.KeepAll})
}

// sourcesRun gives the feeds of manySources a run each: every other one
// failed with a long message.
func sourcesRun(st *store.Store) {
	ctx := context.Background()
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, src := range manySources() {
		if src.Type != model.SourceFeed {
			continue
		}
		state := model.SourceState{SourceID: src.ID, LastFetch: at, LastSuccess: at, LastStatus: 200, NextDue: at.Add(time.Hour)}
		if i%2 == 1 {
			state.ErrorKind, state.LastStatus, state.Failures = model.ErrHTTPStatus, 503, 3
			state.Error = "crawler: fetch " + src.URL + ": HTTP 503 Service Unavailable"
		}
		if err := st.SaveSourceState(ctx, state); err != nil {
			panic(err)
		}
	}
}

// TestSourcesTableFits holds that the sources page, with many sources and
// long addresses, does not scroll sideways at 1280 px or at 375 px, and
// that its last column, the next run, shows in full.
func TestSourcesTableFits(t *testing.T) {
	chrome := chromiumOrSkip(t)
	seen := time.Date(2011, 12, 17, 8, 0, 0, 0, time.UTC)
	srv := newStoreServerAs(t, manySources(), []*model.Article{{URL: "https://www.example.org/imported", SourceID: "import", Lang: "ru",
		Title: "Imported", Text: "Imported text.", ContentHash: "i1", FirstSeen: seen}}, true, sourcesRun)
	for _, width := range layoutWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tab := browserAt(t, chrome, width)
			fits(t, tab, srv.URL, "/sources", width)
			// A cell is cut off when it passes the edge of the table's
			// column (main), which scrolls the rest out of sight.
			cut, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.sources tbody th, .sources tbody td')]
				.filter(e => e.getBoundingClientRect().right > Math.min(document.documentElement.clientWidth, document.querySelector('.wide').getBoundingClientRect().right) + 1 || e.scrollWidth > e.clientWidth + 1)
				.slice(0, 5).map(e => e.textContent.trim().slice(0, 40))`))
			if err != nil {
				t.Fatal(err)
			}
			if len(cut) > 0 {
				t.Errorf("at %d px these cells of the sources table are cut off: %q", width, cut)
			}
		})
	}
}
