// Package quality measures presswatch's extraction against the shared
// corpus (see ../shared/corpus/README.md): main text on trafilatura-eval,
// publication dates on htmldate-eval. Every page goes through the
// crawler's own code path, fetch.DecodeHTML then extract.Page.
//
// Text and Dates take the corpus folder (the one holding trafilatura-eval/
// and htmldate-eval/) and a number of workers, and return a report with
// the counts, the scores, the speed and every page that missed. The
// corpus tests of this package assert floors on them; the benchmark tool
// writes them to BENCHMARKS.md.
package quality

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"presswatch/crawler/fetch"
)

// The corpus folders and manifests the evaluations read.
const (
	TextSet      = "trafilatura-eval"
	TextManifest = "evaldata.json"
	DateSet      = "htmldate-eval"
	DateManifest = "eval_default.json"
)

// evalPage is one entry of a corpus manifest (evaldata.json,
// eval_default.json).
type evalPage struct {
	URL     string   `json:"-"`
	File    string   `json:"file"`
	Date    string   `json:"date"`
	Title   string   `json:"title"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// readManifest reads a manifest, sorted by URL. Keys that are labels
// ("hard::x.html") rather than addresses get a URL under corpus.invalid.
func readManifest(path string) ([]evalPage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]evalPage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("quality: %s: %w", path, err)
	}
	pages := make([]evalPage, 0, len(m))
	for u, p := range m {
		p.URL = u
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			p.URL = "https://corpus.invalid/" + p.File
		}
		pages = append(pages, p)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	if len(pages) == 0 {
		return nil, fmt.Errorf("quality: %s: no pages", path)
	}
	return pages, nil
}

// readRaw reads the gzipped page name from dir/cache/, dir/eval/ or dir.
func readRaw(dir, name string) ([]byte, error) {
	var f *os.File
	var err error
	for _, sub := range []string{"cache", "eval", ""} {
		if f, err = os.Open(filepath.Join(dir, sub, name+".gz")); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("quality: page %s: %w", name, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("quality: page %s: %w", name, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("quality: page %s: %w", name, err)
	}
	return raw, nil
}

// decode turns a saved page into what extract.Page receives from the
// crawler. The saved pages have no HTTP header, so only what the page
// itself declares counts; an unknown charset still yields a page.
func decode(raw []byte) []byte {
	page, _, _ := fetch.DecodeHTML(raw, "text/html")
	return page
}

// each reads the manifest of the corpus folder set and calls fn on every
// page in it with the page's raw bytes, on workers goroutines (at least
// one). It returns the number of pages, or the first error reading a page
// or ctx's, after which it stops early.
func each(ctx context.Context, corpusDir, set, manifest string, workers int, fn func(p evalPage, raw []byte)) (int, error) {
	dir := filepath.Join(corpusDir, set)
	pages, err := readManifest(filepath.Join(dir, manifest))
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan evalPage)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for p := range work {
				raw, err := readRaw(dir, p.File)
				if err != nil {
					cancel(err)
					continue
				}
				fn(p, raw)
			}
		})
	}
feed:
	for _, p := range pages {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return len(pages), context.Cause(ctx)
}

// writeLines writes each value as one line of JSON to path.
func writeLines[T any](path string, rows []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A NewsPage is one page of the main-text set as its site served it.
type NewsPage struct {
	URL string // where the corpus says it came from
	Raw []byte // the page's bytes, in its own charset
}

// NewsPages reads every page of the main-text set (trafilatura-eval),
// sorted by URL: real news pages, for measurements that need the weight
// of real sites' HTML rather than a generated page's.
func NewsPages(ctx context.Context, corpusDir string) ([]NewsPage, error) {
	var (
		mu  sync.Mutex
		out []NewsPage
	)
	_, err := each(ctx, corpusDir, TextSet, TextManifest, 2, func(p evalPage, raw []byte) {
		mu.Lock()
		out = append(out, NewsPage{URL: p.URL, Raw: raw})
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}
