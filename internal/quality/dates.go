package quality

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/markusmobius/go-htmldate"
	"golang.org/x/net/html"

	"presswatch/crawler/extract"
)

// DateReport is the outcome of Dates: presswatch's publication day and,
// on the same pages in the same run, plain go-htmldate's.
type DateReport struct {
	Pages    int          // pages in the manifest
	Count    map[Half]int // of which in All, Dev and Test
	Right    int          // pages whose publication day presswatch got right (All)
	Accuracy float64      // Right / Pages
	// Presswatch is extract.Page; HTMLDate is go-htmldate alone, in its
	// extensive mode, asked for the original date with the page's URL.
	Presswatch, HTMLDate DateRun
	// Kinds counts presswatch's misses by kind, per half.
	Kinds map[Half]MissKinds
	// BySource counts the pages by the DateSource of presswatch's result
	// ("error" when extract.Page failed, "" when it found no date).
	BySource map[string]Count
	// Elapsed is the time presswatch spent decoding and extracting,
	// summed over the pages; PagesPerSec is Pages divided by it (pages a
	// second on one core, near enough on an idle machine).
	Elapsed     time.Duration
	PagesPerSec float64
	// Misses are the Dev half's pages presswatch got wrong, sorted by
	// URL. The Test half's are only counted (see Kinds): nobody reads
	// them page by page.
	Misses []DateMiss
}

// DateRun is what one date reader did over the pages.
type DateRun struct {
	Name   string
	Scores map[Half]DateScore // All, Dev and Test
	// Elapsed is its time summed over the pages (decoding excluded).
	Elapsed time.Duration
}

// DateScore counts the pages whose day came out right.
type DateScore struct {
	Right, Pages int
	Accuracy     float64 // Right / Pages, 0 without pages
}

// The kinds of a miss.
const (
	MissNone    = "none"    // no date found
	MissWrong   = "wrong"   // another day
	MissUpdated = "updated" // the day the page marks as a revision, taken for the publication
)

// MissKinds counts misses by kind.
type MissKinds struct {
	None, Wrong, Updated int
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
	Kind   string `json:"kind"`   // MissNone, MissWrong or MissUpdated
	Source string `json:"source"` // the result's DateSource, "error" when extract.Page failed
	// HTMLDate is go-htmldate's day on the page, "" when it found none.
	HTMLDate string `json:"htmldate"`
	Error    string `json:"error,omitempty"`
}

// Dates measures the publication day found by extract.Page on the pages
// of corpusDir/htmldate-eval/eval_default.json, and go-htmldate's on the
// same decoded pages (see DateReport): a page is right when the day, in
// the offset the page wrote it with, is the manifest's. Pages run on
// workers goroutines. A page that cannot be read is an error; one a
// reader fails on is a miss.
func Dates(ctx context.Context, corpusDir string, workers int) (*DateReport, error) {
	rep := &DateReport{
		Count:      map[Half]int{},
		Presswatch: DateRun{Name: "presswatch", Scores: map[Half]DateScore{}},
		HTMLDate:   DateRun{Name: "go-htmldate, extensive", Scores: map[Half]DateScore{}},
		Kinds:      map[Half]MissKinds{},
		BySource:   map[string]Count{},
	}
	var mu sync.Mutex
	n, err := each(ctx, corpusDir, DateSet, DateManifest, workers, func(p evalPage, raw []byte) {
		start := time.Now()
		page := decode(raw)
		r, xerr := extract.Page(page, p.URL)
		took := time.Since(start)
		src, got := "error", ""
		if xerr == nil {
			src = string(r.DateSource)
			if !r.Published.IsZero() {
				got = r.Published.Format(time.DateOnly)
			}
		}
		start = time.Now()
		base := htmldateDay(page, p.URL)
		baseTook := time.Since(start)
		kind := ""
		if got != p.Date {
			kind = missKind(got, page)
		}

		mu.Lock()
		defer mu.Unlock()
		rep.Elapsed += took
		rep.Presswatch.Elapsed += took
		rep.HTMLDate.Elapsed += baseTook
		half := HalfOf(p.File)
		for _, h := range []Half{All, half} {
			rep.Count[h]++
			rep.Presswatch.add(h, got == p.Date)
			rep.HTMLDate.add(h, base == p.Date)
			if kind != "" {
				rep.Kinds[h] = rep.Kinds[h].add(kind)
			}
		}
		c := rep.BySource[src]
		c.Total++
		if got == p.Date {
			c.Right++
		} else if half == Dev {
			m := DateMiss{URL: p.URL, File: p.File, Want: p.Date, Got: got, Kind: kind, Source: src, HTMLDate: base}
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
	for _, run := range []*DateRun{&rep.Presswatch, &rep.HTMLDate} {
		for h, s := range run.Scores {
			if s.Pages > 0 {
				s.Accuracy = float64(s.Right) / float64(s.Pages)
			}
			run.Scores[h] = s
		}
	}
	rep.Right = rep.Presswatch.Scores[All].Right
	rep.Accuracy = rep.Presswatch.Scores[All].Accuracy
	rep.PagesPerSec = perSecond(rep.Pages, rep.Elapsed)
	sort.Slice(rep.Misses, func(i, j int) bool { return rep.Misses[i].URL < rep.Misses[j].URL })
	return rep, nil
}

func (r *DateRun) add(h Half, right bool) {
	s := r.Scores[h]
	s.Pages++
	if right {
		s.Right++
	}
	r.Scores[h] = s
}

func (k MissKinds) add(kind string) MissKinds {
	switch kind {
	case MissNone:
		k.None++
	case MissUpdated:
		k.Updated++
	default:
		k.Wrong++
	}
	return k
}

// String reads "none 3, wrong day 5, updated 2".
func (k MissKinds) String() string {
	return fmt.Sprintf("none found %d, wrong day %d, updated date taken %d", k.None, k.Wrong, k.Updated)
}

// htmldateDay is the day plain go-htmldate finds on the decoded page, in
// its extensive mode, asked for the original date with the page's URL;
// "" when it finds none, fails or panics.
func htmldateDay(page []byte, pageURL string) (day string) {
	defer func() { // third-party code: a panic is no date
		if recover() != nil {
			day = ""
		}
	}()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return ""
	}
	res, err := htmldate.FromDocument(doc, htmldate.Options{URL: pageURL, UseOriginalDate: true})
	if err != nil || res.IsZero() {
		return ""
	}
	return res.Format(time.DateOnly)
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
