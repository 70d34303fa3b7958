package index

import (
	"context"
	"fmt"
	"testing"

	"presswatch/internal/model"
)

// TestMisspeltAfterChange checks that the misspellings kept for a word
// are looked for again when the index changes: an article written after
// a search, by Put or by a rebuild, is found through its misspelling by
// the same search after it.
func TestMisspeltAfterChange(t *testing.T) {
	ctx := context.Background()
	art := func(id int64, text string) *model.Article {
		return &model.Article{ID: id, Lang: "en", Text: text, URL: fmt.Sprintf("https://example.org/%d", id)}
	}
	first := []*model.Article{art(1, "Striking oil workers gathered in Zhanaozen."), art(2, "Police came to Zhenaozen.")}
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(ctx, first); err != nil {
		t.Fatal(err)
	}
	search := func(when string, want ...int64) {
		t.Helper()
		res, err := ix.Search(ctx, Request{Query: "Zhanaozen", Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedIDs(hitIDs(res)); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: found %v, want %v", when, got, want)
		}
	}
	search("at first", 1, 2)
	search("again, its misspellings kept", 1, 2)
	if err := ix.Put(ctx, []*model.Article{art(3, "The trial of the Zhenazoen strikers began.")}); err != nil {
		t.Fatal(err)
	}
	search("after a Put", 1, 2, 3)
	if err := ix.Delete(ctx, []int64{2, 3}); err != nil {
		t.Fatal(err)
	}
	search("after a Delete", 1)
	rebuilt := append(first, art(4, "Zhanozen remembers."))
	err = ix.Rebuild(ctx, func(ctx context.Context, yield func(*model.Article) error) error {
		for _, a := range rebuilt {
			if err := yield(a); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	search("after a rebuild", 1, 2, 4)
}
