package index

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestQueryFixes(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	ctx := context.Background()
	total := func(q string) uint64 {
		t.Helper()
		res, err := ix.Search(ctx, Request{Query: q, Limit: 50})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res.Total
	}
	t.Run("stop words do not widen the result", func(t *testing.T) {
		if a, b := total("Zhanaozen"), total("in the Zhanaozen"); a != b {
			t.Errorf("Zhanaozen %d, in the Zhanaozen %d", a, b)
		}
	})
	t.Run("wildcards are folded", func(t *testing.T) {
		if a, b := total("Zhanaozen"), total("Zhanaoz*"); a != b {
			t.Errorf("Zhanaozen %d, Zhanaoz* %d", a, b)
		}
		if n := total("Ölarb*"); n != 2 {
			t.Errorf("Ölarb* found %d, want 2", n)
		}
	})
	t.Run("a boost changes the order", func(t *testing.T) {
		order := func(q string) []int64 {
			res, _ := ix.Search(ctx, Request{Query: q})
			return hitIDs(res)
		}
		if a, b := order("curfew^20 Ozenmunaigas"), order("curfew Ozenmunaigas^20"); slices.Equal(a, b) || a[0] != 4 || b[0] != 11 {
			t.Errorf("curfew^20: %v; Ozenmunaigas^20: %v", a, b)
		}
	})
	for name, q := range map[string]string{
		"negative fuzziness":        "Zhanaozen~-1",
		"fuzziness beyond 2":        "Zhanaozen~5",
		"a pattern without letters": "*a*b*c*",
		"unknown field":             "titel:Zhanaozen",
		"one-letter patterns":       "a* b* c* d* e*",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ix.Search(ctx, Request{Query: q})
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Errorf("%s: %v, want a *QueryError", q, err)
			}
		})
	}
}
