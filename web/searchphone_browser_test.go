package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneScreen is the height of a phone's first screen in CSS pixels: what
// a 375 px wide phone shows before one scrolls (an iPhone SE shows about
// 550 to 670, the browser's bars apart).
const phoneScreen = 700

// TestSearchFirstResultOnPhonesFirstScreen holds that on a 375 px phone the
// first result of a search begins on the first screen: the form is
// compact, its options folded, and the chart comes after the results, not
// before them.
func TestSearchFirstResultOnPhonesFirstScreen(t *testing.T) {
	chrome := chromiumOrSkip(t)
	srv := newSearchServer(t, manyArticles(45), true)
	tab := browserAt(t, chrome, 375)
	// In English and in Russian (longer words), with the options folded and
	// with them open (some are set).
	for _, path := range []string{"/search?q=report", "/search?q=report&from=2011-12-01&to=2011-12-31&op=and",
		"/search?q=report&ui=ru", "/search?q=report&from=2011-12-01&to=2011-12-31&op=and&collapse=story&ui=ru"} {
		if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		type place struct{ Hit, Chart, Width float64 }
		p, err := chromedp.Run(tab, chromedp.Evaluate[place](`(() => {
			const hit = document.querySelector('.hits li'), chart = document.querySelector('.sp-chart');
			return {Hit: hit ? hit.getBoundingClientRect().top + scrollY : -1, Chart: chart ? chart.getBoundingClientRect().top + scrollY : -1,
				Width: document.documentElement.clientWidth};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if p.Width != 375 {
			t.Fatalf("the viewport is %.0f px wide, not 375", p.Width)
		}
		if p.Hit < 0 {
			t.Fatalf("%s: no result on the page", path)
		}
		t.Logf("%s at 375 px: the first result is %.0f px down", path, p.Hit)
		if p.Hit > phoneScreen {
			t.Errorf("%s at 375 px: the first result is %.0f px down, below the first screen (%d px); the chart is at %.0f", path, p.Hit, phoneScreen, p.Chart)
		}
	}
}
