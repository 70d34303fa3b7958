package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
)

// BenchmarkStanceSeries compares the two ways of counting a search's
// timeline by stance on N generated articles (PRESSWATCH_BENCH_N, default
// 10,000), in the same run on the same index, over pageQueries:
//
//   - per-stance: what the web's stackSeries did before Request.ByStance,
//     the search (Limit 1) and then one more search per stance it found,
//     the five at once;
//   - one-search: the search with ByStance, one facet more.
//
// Before timing, both are checked to give the same counts for every
// query. p50-ms and p95-ms are of the whole series; the ratio of the two
// ns/op is the saving. The index is built once into
// PRESSWATCH_BENCH_DIR/presswatch-series (default
// $TMPDIR/presswatch-bench-N), apart from BenchmarkSearchPage's, since
// its marker names the fields the timeline by stance needs.
func BenchmarkStanceSeries(b *testing.B) {
	n := benchPageN(b)
	root := os.Getenv("PRESSWATCH_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), fmt.Sprintf("presswatch-bench-%d", n))
	}
	dir := filepath.Join(root, "presswatch-series")
	ensureBuilt(b, dir, "presswatch mapping "+mappingVersion+" with "+fieldFacetKey+" and "+fieldFacetKeySeen, n, benchGenerator(b), openPresswatch)
	ix, err := openPresswatchIndex(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ways := []struct {
		name   string
		series func(ctx context.Context, ix *Index, q string) (map[string][]Bucket, error)
	}{
		{"per-stance", seriesPerStance},
		{"one-search", seriesOneSearch},
	}
	for _, q := range pageQueries {
		old, err := seriesPerStance(b.Context(), ix, q)
		if err != nil {
			b.Fatalf("%q: %v", q, err)
		}
		now, err := seriesOneSearch(b.Context(), ix, q)
		if err != nil {
			b.Fatalf("%q: %v", q, err)
		}
		if err := sameSeries(old, now); err != nil {
			b.Fatalf("%q: the two ways differ: %v", q, err)
		}
	}
	for _, w := range ways {
		b.Run(w.name, func(b *testing.B) {
			measurePage(b, func(ctx context.Context, q string) (uint64, error) {
				s, err := w.series(ctx, ix, q)
				var total uint64
				for _, tl := range s {
					for _, bk := range tl {
						total += uint64(bk.Count)
					}
				}
				return total, err
			})
		})
	}
}

// seriesPerStance is the old stackSeries: the search, then one search per
// stance with matches, each pinned to the search's first bucket.
func seriesPerStance(ctx context.Context, ix *Index, q string) (map[string][]Bucket, error) {
	base, err := ix.Search(ctx, Request{Query: q, Limit: 1})
	if err != nil || len(base.Timeline) == 0 {
		return nil, err
	}
	first, _ := time.Parse(time.DateOnly, base.Timeline[0].Date)
	out := map[string][]Bucket{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(model.Stances))
	for i, st := range model.Stances {
		if facetCountOf(base.Facets[fieldStance], string(st)) == 0 {
			continue
		}
		wg.Go(func() {
			res, err := ix.Search(ctx, Request{Query: q, Limit: 1, Sort: SortNewest, From: first, Stances: []string{string(st)},
				Interval: base.Interval, TimelineTo: lastDay(base)})
			if err != nil {
				errs[i] = err
				return
			}
			mu.Lock()
			out[string(st)] = res.Timeline
			mu.Unlock()
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// seriesOneSearch is the search with ByStance.
func seriesOneSearch(ctx context.Context, ix *Index, q string) (map[string][]Bucket, error) {
	res, err := ix.Search(ctx, Request{Query: q, Limit: 1, ByStance: true})
	if err != nil {
		return nil, err
	}
	if res.Total > res.Undated && len(res.ByStance) == 0 {
		return nil, fmt.Errorf("%d dated matches but no timeline by stance", res.Total-res.Undated)
	}
	return res.ByStance, nil
}

func lastDay(res *Result) time.Time {
	d, _ := time.Parse(time.DateOnly, res.Timeline[len(res.Timeline)-1].Date)
	return d
}

func facetCountOf(fc []FacetCount, v string) int {
	for _, f := range fc {
		if f.Value == v {
			return f.Count
		}
	}
	return 0
}

// sameSeries reports where two timelines by stance differ; a stance with
// no count in one may be absent from the other.
func sameSeries(a, b map[string][]Bucket) error {
	for _, st := range model.Stances {
		x, y := a[string(st)], b[string(st)]
		if nonzero(x) == 0 && nonzero(y) == 0 {
			continue
		}
		if !slices.Equal(x, y) {
			return fmt.Errorf("%s: %v against %v", st, x, y)
		}
	}
	return nil
}

func nonzero(tl []Bucket) int {
	n := 0
	for _, b := range tl {
		n += b.Count
	}
	return n
}
