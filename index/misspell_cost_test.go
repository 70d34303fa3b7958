package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"

	"presswatch/internal/model"
	"presswatch/internal/textfold"
)

// TestNearWalkExact checks that walking only below nearPrefixes finds
// exactly what textfold.Near takes from the whole dictionary within two
// edits, for every key of testdata/misspellings/queries.tsv and for the
// French j that folding drops, both ways (Jeltoqsan, "eltoksan", finds
// Zheltoqsan, "šeltoksan", and Zheltoqsan finds Jeltoqsan).
func TestNearWalkExact(t *testing.T) {
	mentions := loadMentionsFrom(t, "misspellings")
	arts := make([]*model.Article, len(mentions))
	for i, m := range mentions {
		arts[i] = &model.Article{ID: int64(i + 1), Lang: m.lang, Text: m.text, URL: "https://example.org/" + m.id}
	}
	keys := map[string]bool{textfold.Key("Jeltoqsan"): true}
	for _, r := range readTSVFrom(t, "misspellings", "queries.tsv") {
		for _, q := range r[1 : len(r)-1] {
			keys[textfold.Key(q)] = true
		}
	}
	for desc, open := range map[string]func() (*Index, error){
		"on disk":   func() (*Index, error) { return Open(t.TempDir()) },
		"in memory": func() (*Index, error) { return OpenMem() },
	} {
		t.Run(desc, func(t *testing.T) {
			ix, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if err := ix.Put(context.Background(), arts); err != nil {
				t.Fatal(err)
			}
			found := 0
			for key := range keys {
				got, ok := ix.nearWalk(fieldText, key)
				if !ok {
					t.Fatalf("%s: the walk failed", key)
				}
				slices.Sort(got)
				want := nearEverywhere(t, ix, fieldText, key)
				if !slices.Equal(got, want) {
					t.Errorf("%s: the walk below %q found %q, the whole dictionary %q", key, nearPrefixes(key), got, want)
				}
				found += len(got)
			}
			for key, want := range map[string]string{"šeltoksan": "eltoksan", "eltoksan": "šeltoksan"} {
				if got, _ := ix.nearWalk(fieldText, key); !slices.Contains(got, want) {
					t.Errorf("%s: found %q, want %s among them", key, got, want)
				}
			}
			if found < 20 {
				t.Errorf("the keys found %d misspellings in all, want at least 20", found)
			}
		})
	}
}

// nearEverywhere is what nearWalk did before it kept to nearPrefixes: the
// terms within two edits of key, the whole dictionary read, that Near
// takes, sorted.
func nearEverywhere(t *testing.T, ix *Index, field, key string) []string {
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var d bindex.FieldDict
	if fr, ok := r.(bindex.IndexReaderFuzzy); ok {
		d, err = fr.FieldDictFuzzy(field, key, 2, "")
	} else {
		d, err = r.FieldDict(field)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out []string
	for {
		e, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			slices.Sort(out)
			return out
		}
		if textfold.Near(key, e.Term) {
			out = append(out, e.Term)
		}
	}
}

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
