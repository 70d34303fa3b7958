package quality

import (
	"context"
	"sort"
	"sync"
	"time"

	"presswatch/crawler/extract"
)

// DateReport is the outcome of Dates.
type DateReport struct {
	Pages    int     // pages in the manifest
	Right    int     // pages whose publication day is the manifest's
	Accuracy float64 // Right / Pages
	// BySource counts the pages by the DateSource of the result ("error"
	// when extract.Page failed, "" when it found no date).
	BySource map[string]Count
	// Elapsed is the time spent decoding and extracting, summed over the
	// pages; PagesPerSec is Pages divided by it (pages a second on one
	// core, near enough on an idle machine).
	Elapsed     time.Duration
	PagesPerSec float64
	Misses      []DateMiss // sorted by URL
}

// Count is a number of right answers out of a total.
type Count struct {
	Right, Total int
}

// DateMiss is a page whose publication day came out wrong.
type DateMiss struct {
	URL    string `json:"url"`
	File   string `json:"file"`
	Want   string `json:"want"`   // YYYY-MM-DD
	Got    string `json:"got"`    // YYYY-MM-DD, "" when none was found
	Source string `json:"source"` // the result's DateSource, "error" when extract.Page failed
	Error  string `json:"error,omitempty"`
}

// Dates measures the publication day found by extract.Page on the pages
// of corpusDir/htmldate-eval/eval_default.json: a page is right when its
// Published, in the offset the page wrote it with, falls on the
// manifest's day. Pages run on workers goroutines. A page that cannot be
// read is an error; one extract.Page fails on is a miss.
func Dates(ctx context.Context, corpusDir string, workers int) (*DateReport, error) {
	rep := &DateReport{BySource: map[string]Count{}}
	var mu sync.Mutex
	n, err := each(ctx, corpusDir, DateSet, DateManifest, workers, func(p evalPage, raw []byte) {
		start := time.Now()
		r, xerr := extract.Page(decode(raw), p.URL)
		took := time.Since(start)
		src, got := "error", ""
		if xerr == nil {
			src = string(r.DateSource)
			if !r.Published.IsZero() {
				got = r.Published.Format(time.DateOnly)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		rep.Elapsed += took
		c := rep.BySource[src]
		c.Total++
		if got == p.Date {
			rep.Right++
			c.Right++
		} else {
			m := DateMiss{URL: p.URL, File: p.File, Want: p.Date, Got: got, Source: src}
			if xerr != nil {
				m.Error = xerr.Error()
			}
			rep.Misses = append(rep.Misses, m)
		}
		rep.BySource[src] = c
	})
	if err != nil {
		return nil, err
	}
	rep.Pages = n
	rep.Accuracy = float64(rep.Right) / float64(rep.Pages)
	rep.PagesPerSec = perSecond(rep.Pages, rep.Elapsed)
	sort.Slice(rep.Misses, func(i, j int) bool { return rep.Misses[i].URL < rep.Misses[j].URL })
	return rep, nil
}

// WriteMisses writes the misses to path as JSON Lines, one DateMiss a line.
func (r *DateReport) WriteMisses(path string) error {
	return writeLines(path, r.Misses)
}

// perSecond is n divided by d in seconds, 0 when d is.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
