package web

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// labelBox is what Chromium measures of a chart's label.
type labelBox struct {
	Text     string  `json:"text"`
	FontPx   float64 `json:"fontPx"`   // computed font size times the SVG's scale on screen
	BoxH     float64 `json:"boxH"`     // getBoundingClientRect().height
	ColumnTo float64 `json:"columnTo"` // its column's top, to see the columns side by side
}

// In Chromium at 1280 px wide, every label of the compare page's charts is
// at least 11 px tall, and the five stance columns stand side by side.
// Skipped (saying so) without a chromium binary, unless CI is set.
func TestCompareLabelsInBrowser(t *testing.T) {
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
			t.Fatal("CI is set but no chromium binary is installed")
		}
		t.Skip("SKIPPED: no chromium binary on PATH (install Debian's chromium package)")
	}
	srv := newCountServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("no-proxy-server", true), chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	if err := chromedp.Do(browser, chromedp.Navigate(srv.URL+"/compare")); err != nil {
		t.Fatal(err)
	}
	labels, err := chromedp.Run(browser, chromedp.Evaluate[[]labelBox](`[...document.querySelectorAll('.sp-compare svg text')].map(e => {
		const svg = e.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
		return {text: e.textContent, fontPx: parseFloat(getComputedStyle(e).fontSize) * scale,
			boxH: e.getBoundingClientRect().height, columnTo: e.closest('.sp-column').getBoundingClientRect().top};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) < 3*len(compareStances) {
		t.Fatalf("%d labels measured, want a scale and dates in each of %d charts", len(labels), len(compareStances))
	}
	smallest := labels[0]
	tops := map[float64]bool{}
	for _, l := range labels {
		if l.FontPx < smallest.FontPx {
			smallest = l
		}
		if l.FontPx < minLabelPx || l.BoxH < minLabelPx {
			t.Errorf("label %q is %.1f px (box %.1f px tall), want at least %d", l.Text, l.FontPx, l.BoxH, minLabelPx)
		}
		tops[l.ColumnTo] = true
	}
	if len(tops) != 1 {
		t.Errorf("the columns start at %d heights at 1280 px, want one row of %d", len(tops), len(compareStances))
	}
	t.Logf("%d labels, the smallest %q at %.1f px (box %.1f px)", len(labels), smallest.Text, smallest.FontPx, smallest.BoxH)
}
