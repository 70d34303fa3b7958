package quality

import (
	"bytes"
	"context"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"presswatch/crawler/extract"
)

// TextReport is the outcome of Text: presswatch's extraction and, on the
// same pages in the same run, plain go-trafilatura's.
type TextReport struct {
	Pages  int // pages in the manifest
	Failed int // pages extract.Page returned an error for (scored as empty text)
	Scores
	// Extractors counts the pages by Result.Extractor ("error" for the
	// failed ones).
	Extractors map[string]int
	// Titles counts the pages whose manifest gives a title, and how many
	// of them came out exactly so (white space collapsed).
	Titles Count
	// Elapsed is the time spent in fetch.DecodeHTML and extract.Page,
	// summed over the pages; PagesPerSec is Pages divided by it.
	Elapsed     time.Duration
	PagesPerSec float64
	Baseline    Baseline
	Misses      []TextMiss // pages with a segment missed or wrongly kept, sorted by URL
}

// Baseline is plain go-trafilatura on the same decoded pages: default
// options with its fallback on and comments excluded, as in its published
// comparison, parsing the page itself.
type Baseline struct {
	Failed int // pages it returned an error for
	Scores
	Elapsed     time.Duration // html.Parse and trafilatura.ExtractDocument, summed over the pages
	PagesPerSec float64
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

// Text measures main-text extraction on the pages of
// corpusDir/trafilatura-eval/evaldata.json, each decoded with
// fetch.DecodeHTML and extracted with extract.Page as the crawler does,
// and runs plain go-trafilatura on the same pages beside it (see
// Baseline). Pages run on workers goroutines, each page through both
// extractors one after the other, so that both see the same machine. A
// page that cannot be read is an error.
func Text(ctx context.Context, corpusDir string, workers int) (*TextReport, error) {
	rep := &TextReport{Extractors: map[string]int{}}
	var mu sync.Mutex
	n, err := each(ctx, corpusDir, TextSet, TextManifest, workers, func(p evalPage, raw []byte) {
		start := time.Now()
		page := decode(raw)
		r, xerr := extract.Page(page, p.URL)
		took := time.Since(start)

		start = time.Now()
		baseText, berr := baseline(page, p.URL)
		baseTook := time.Since(start)

		text, extractor, title := "", "error", ""
		if xerr == nil {
			text, extractor, title = squash(r.Text), r.Extractor, r.Title
		}
		missed, kept := score(p, text)
		baseMissed, baseKept := score(p, squash(baseText))

		mu.Lock()
		defer mu.Unlock()
		rep.Elapsed += took
		rep.Baseline.Elapsed += baseTook
		rep.Extractors[extractor]++
		if xerr != nil {
			rep.Failed++
		}
		if berr != nil {
			rep.Baseline.Failed++
		}
		if p.Title != "" {
			rep.Titles.Total++
			if xerr == nil && squash(title) == squash(p.Title) {
				rep.Titles.Right++
			}
		}
		rep.Scores.add(p, missed, kept)
		rep.Baseline.Scores.add(p, baseMissed, baseKept)
		if len(missed)+len(kept) > 0 {
			m := TextMiss{URL: p.URL, File: p.File, Extractor: extractor, Missed: missed, Kept: kept,
				BaselineMissed: baseMissed, BaselineKept: baseKept}
			if xerr != nil {
				m.Error = xerr.Error()
			}
			rep.Misses = append(rep.Misses, m)
		}
	})
	if err != nil {
		return nil, err
	}
	rep.Pages = n
	rep.Scores.compute()
	rep.Baseline.Scores.compute()
	rep.PagesPerSec = perSecond(rep.Pages, rep.Elapsed)
	rep.Baseline.PagesPerSec = perSecond(rep.Pages, rep.Baseline.Elapsed)
	sort.Slice(rep.Misses, func(i, j int) bool { return rep.Misses[i].URL < rep.Misses[j].URL })
	return rep, nil
}

// WriteMisses writes the misses to path as JSON Lines, one TextMiss a line.
func (r *TextReport) WriteMisses(path string) error {
	return writeLines(path, r.Misses)
}

// SpeedRatio is presswatch's pages a second over the baseline's.
func (r *TextReport) SpeedRatio() float64 {
	if r.Baseline.PagesPerSec == 0 {
		return 0
	}
	return r.PagesPerSec / r.Baseline.PagesPerSec
}

// baseline runs plain go-trafilatura on a decoded page and returns its
// text.
func baseline(page []byte, pageURL string) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", errPanic
		}
	}()
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", err
	}
	res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  true,
		ExcludeComments: true,
	})
	if err != nil {
		return "", err
	}
	return res.ContentText, nil
}

type panicError struct{}

func (panicError) Error() string { return "quality: go-trafilatura panicked" }

var errPanic error = panicError{}

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
