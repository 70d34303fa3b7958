package quality

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"presswatch/crawler/extract"
)

// TextOptions says how Text measures.
type TextOptions struct {
	// Workers is how many pages are extracted at once (at least one).
	Workers int
	// Rounds is how many times each extractor runs over the pages for its
	// CPU time (at least one); the scores come from the first round.
	Rounds int
	// Half restricts the pages read to one half (All reads every page).
	Half Half
}

// TextReport is the outcome of Text: presswatch's extraction and, on the
// same pages in the same run, plain go-trafilatura's and go-trafilatura's
// with its fallback.
type TextReport struct {
	Pages int          // pages measured
	Count map[Half]int // of which in All, Dev and Test
	// Presswatch is extract.Page; Plain is go-trafilatura with its
	// default options and comments excluded; Fallback is the same with
	// its fallback on (go-readability and go-domdistiller), as in its
	// published comparison. Each parses the page itself.
	Presswatch, Plain, Fallback Extraction
	// Extractors counts the pages by Result.Extractor ("error" for the
	// failed ones).
	Extractors map[string]int
	// Titles counts the pages whose manifest gives a title, and how many
	// of them came out exactly so (white space collapsed).
	Titles Count
	// Misses are the Dev half's pages where presswatch missed a segment
	// or wrongly kept one, sorted by URL. The Test half's are not kept:
	// nobody reads them page by page.
	Misses []TextMiss
}

// Extraction is what one extractor did over the pages.
type Extraction struct {
	Name   string
	Failed int             // pages it returned an error (or panicked) for, scored as empty text
	Scores map[Half]Scores // All, Dev and Test
	// CPU is the process's CPU time (user and system, the garbage
	// collector's included) per page, one value a round.
	CPU []CPUTime
}

// Scores counts the manifest's segments as trafilatura's evaluation does:
// a "with" segment found in the text is a true positive, else a false
// negative; a "without" segment found is a false positive, else a true
// negative. Both sides are compared with white space collapsed and soft
// hyphens (U+00AD, invisible, which extract.Page drops) removed.
type Scores struct {
	TP, FN, FP, TN        int
	Precision, Recall, F1 float64
}

// TextMiss is a page where presswatch missed a "with" segment or kept a
// "without" one.
type TextMiss struct {
	URL       string   `json:"url"`
	File      string   `json:"file"`
	Extractor string   `json:"extractor"` // Result.Extractor, "error" when extract.Page failed
	Error     string   `json:"error,omitempty"`
	Missed    []string `json:"missed,omitempty"` // "with" segments not in the text
	Kept      []string `json:"kept,omitempty"`   // "without" segments in the text
	// What plain go-trafilatura did on the same page, for comparison.
	BaselineMissed []string `json:"baseline_missed,omitempty"`
	BaselineKept   []string `json:"baseline_kept,omitempty"`
}

// textPage is a page of the set, decoded as the crawler decodes it.
type textPage struct {
	evalPage
	html []byte
}

// textOut is what an extractor gave for one page.
type textOut struct {
	text, extractor, title string
	err                    error
}

// Text measures main-text extraction on the pages of
// corpusDir/trafilatura-eval/evaldata.json (those of opt.Half), each
// decoded with fetch.DecodeHTML and extracted with extract.Page as the
// crawler does, beside plain go-trafilatura and go-trafilatura with its
// fallback on the same decoded pages (see TextReport).
//
// The pages are read into memory first. Then, opt.Rounds times, each
// extractor runs over all of them on opt.Workers goroutines, one
// extractor at a time, in an order that turns each round, and the
// process's CPU time over its run is its figure for that round: the
// extractors share the same machine in turn, and noise from other
// processes moves wall time far more than CPU time. A page that cannot be
// read is an error.
func Text(ctx context.Context, corpusDir string, opt TextOptions) (*TextReport, error) {
	pages, err := readTextPages(ctx, corpusDir, opt.Half, opt.Workers)
	if err != nil {
		return nil, err
	}
	rep := &TextReport{Pages: len(pages), Count: map[Half]int{}, Extractors: map[string]int{}}
	for _, p := range pages {
		rep.Count[All]++
		rep.Count[HalfOf(p.File)]++
	}
	xs := []*Extraction{&rep.Presswatch, &rep.Plain, &rep.Fallback}
	runs := []func(p textPage) textOut{presswatch, baselineRun(false), baselineRun(true)}
	for i, name := range []string{"presswatch", "go-trafilatura", "go-trafilatura, fallback on"} {
		*xs[i] = Extraction{Name: name, Scores: map[Half]Scores{}}
	}
	outs := make([][]textOut, len(xs))
	for r := range max(opt.Rounds, 1) {
		for k := range xs {
			i := (k + r) % len(xs)
			out, cpu, err := timed(ctx, pages, opt.Workers, runs[i])
			if err != nil {
				return nil, err
			}
			xs[i].CPU = append(xs[i].CPU, cpu)
			if r == 0 {
				outs[i] = out
			}
		}
	}
	rep.score(pages, outs)
	return rep, nil
}

// score fills in the scores, the counts and the misses from the first
// round's outputs, outs[i] being xs[i]'s.
func (rep *TextReport) score(pages []textPage, outs [][]textOut) {
	for i, x := range []*Extraction{&rep.Presswatch, &rep.Plain, &rep.Fallback} {
		for j, p := range pages {
			o := outs[i][j]
			if o.err != nil {
				x.Failed++
			}
			missed, kept := score(p.evalPage, squash(o.text))
			for _, h := range []Half{All, HalfOf(p.File)} {
				s := x.Scores[h]
				s.add(p.evalPage, missed, kept)
				x.Scores[h] = s
			}
		}
		for h, s := range x.Scores {
			s.compute()
			x.Scores[h] = s
		}
	}
	for j, p := range pages {
		o, b := outs[0][j], outs[1][j]
		rep.Extractors[o.extractor]++
		if p.Title != "" {
			rep.Titles.Total++
			if o.err == nil && squash(o.title) == squash(p.Title) {
				rep.Titles.Right++
			}
		}
		missed, kept := score(p.evalPage, squash(o.text))
		if HalfOf(p.File) != Dev || len(missed)+len(kept) == 0 {
			continue
		}
		m := TextMiss{URL: p.URL, File: p.File, Extractor: o.extractor, Missed: missed, Kept: kept}
		m.BaselineMissed, m.BaselineKept = score(p.evalPage, squash(b.text))
		if o.err != nil {
			m.Error = o.err.Error()
		}
		rep.Misses = append(rep.Misses, m)
	}
}

// readTextPages reads and decodes the pages of half, sorted by URL.
func readTextPages(ctx context.Context, corpusDir string, half Half, workers int) ([]textPage, error) {
	var (
		mu    sync.Mutex
		pages []textPage
	)
	_, err := each(ctx, corpusDir, TextSet, TextManifest, workers, func(p evalPage, raw []byte) {
		if !half.In(p.File) {
			return
		}
		page := decode(raw)
		mu.Lock()
		pages = append(pages, textPage{p, page})
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("quality: %s: no pages in the %s half", TextSet, half)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	return pages, nil
}

// presswatch runs extract.Page on a page.
func presswatch(p textPage) textOut {
	r, err := extract.Page(p.html, p.URL)
	if err != nil {
		return textOut{extractor: "error", err: err}
	}
	return textOut{text: r.Text, extractor: r.Extractor, title: r.Title}
}

// baselineRun returns a run of go-trafilatura on a decoded page, parsing
// it itself, with comments excluded and its fallback on or off.
func baselineRun(fallback bool) func(p textPage) textOut {
	return func(p textPage) (out textOut) {
		defer func() {
			if r := recover(); r != nil {
				out = textOut{err: errPanic}
			}
		}()
		u, err := url.Parse(p.URL)
		if err != nil {
			return textOut{err: err}
		}
		doc, err := html.Parse(bytes.NewReader(p.html))
		if err != nil {
			return textOut{err: err}
		}
		res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
			OriginalURL:     u,
			EnableFallback:  fallback,
			ExcludeComments: true,
		})
		if err != nil {
			return textOut{err: err}
		}
		return textOut{text: res.ContentText}
	}
}

type panicError struct{}

func (panicError) Error() string { return "quality: go-trafilatura panicked" }

var errPanic error = panicError{}

// WriteMisses writes the misses to path as JSON Lines, one TextMiss a line.
func (r *TextReport) WriteMisses(path string) error {
	return writeLines(path, r.Misses)
}

// score returns the "with" segments text misses and the "without" ones it
// keeps; text has its white space collapsed.
func score(p evalPage, text string) (missed, kept []string) {
	for _, s := range p.With {
		if !strings.Contains(text, squash(s)) {
			missed = append(missed, s)
		}
	}
	for _, s := range p.Without {
		if strings.Contains(text, squash(s)) {
			kept = append(kept, s)
		}
	}
	return missed, kept
}

func (s *Scores) add(p evalPage, missed, kept []string) {
	s.TP += len(p.With) - len(missed)
	s.FN += len(missed)
	s.FP += len(kept)
	s.TN += len(p.Without) - len(kept)
}

func (s *Scores) compute() {
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

// squash collapses white space, so that segments match across line
// breaks, and drops soft hyphens.
func squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00ad", "")), " ")
}
