package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"presswatch/internal/model"
)

// loadN yields n tiny articles with ids from 1000.
func loadN(n int, fail error) func(context.Context, func(*model.Article) error) error {
	return func(ctx context.Context, yield func(*model.Article) error) error {
		for i := range n {
			a := &model.Article{ID: int64(1000 + i), SourceID: "dw", Lang: "de", Title: "Schanaosen", Text: "Ölarbeiter"}
			if err := yield(a); err != nil {
				return err
			}
		}
		return fail
	}
}

// oldIndex makes an index in a fresh dir holding the fixture articles, and
// closes it.
func oldIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), testArticles()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// count opens dir, counts and closes it.
func count(t *testing.T, dir string) uint64 {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// siblings lists what lies beside dir besides dir itself.
func siblings(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.Name() != filepath.Base(dir) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestRebuild(t *testing.T) {
	boom := errors.New("store went away")
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := map[string]struct {
		ctx     context.Context
		load    func(context.Context, func(*model.Article) error) error
		noOld   bool
		want    uint64 // articles in dir afterwards
		wantErr error
	}{
		"swaps in the new index":   {load: loadN(1203, nil), want: 1203},
		"empty store":              {load: loadN(0, nil), want: 0},
		"no index before":          {load: loadN(7, nil), noOld: true, want: 7},
		"failing loader keeps old": {load: loadN(700, boom), want: 11, wantErr: boom},
		"canceled keeps old":       {ctx: canceled, load: loadN(10, nil), want: 11, wantErr: context.Canceled},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			if !tt.noOld {
				dir = oldIndex(t)
			}
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			ix, err := Rebuild(ctx, dir, tt.load)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				if n, _ := ix.Count(); n != tt.want {
					t.Errorf("returned index has %d articles, want %d", n, tt.want)
				}
				res, err := ix.Search(ctx, Request{Query: "Zhanaozen"})
				if err != nil || res.Total != 0 {
					t.Errorf("old articles still found: %v %v", res, err)
				}
				if err := ix.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if left := siblings(t, dir); len(left) > 0 {
				t.Errorf("left beside the index: %v", left)
			}
			if n := count(t, dir); n != tt.want {
				t.Errorf("dir has %d articles, want %d", n, tt.want)
			}
		})
	}
}

func TestOpenRecoversFromCrash(t *testing.T) {
	tests := map[string]struct {
		crash func(dir string) error
	}{
		"during build": {func(dir string) error { return os.MkdirAll(dir+".new-123/store", 0o700) }},
		"between the renames": {func(dir string) error {
			if err := os.MkdirAll(dir+".new-123/store", 0o700); err != nil {
				return err
			}
			return os.Rename(dir, dir+".old-123")
		}},
		"before removing the old": {func(dir string) error { return os.MkdirAll(dir+".old-123/store", 0o700) }},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := oldIndex(t)
			if err := tt.crash(dir); err != nil {
				t.Fatal(err)
			}
			if n := count(t, dir); n != 11 {
				t.Errorf("count = %d, want the old 11", n)
			}
			if left := siblings(t, dir); len(left) > 0 {
				t.Errorf("left beside the index: %v", left)
			}
		})
	}
}

func TestOpenErrorNamesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !containsAll(err.Error(), "index: open", dir) {
		t.Errorf("error %v, want one naming %s", err, dir)
	}
}

func TestCloseTwice(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPutOverwritesAndDelete(t *testing.T) {
	ctx := context.Background()
	ix := newTestIndexes(t)["disk"]
	changed := testArticles()[1]
	changed.Title, changed.Text = "Retracted", "This article was retracted."
	if err := ix.Put(ctx, []*model.Article{changed}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, []int64{1, 999}); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 10 {
		t.Errorf("count = %d, want 10", n)
	}
	for q, want := range map[string]uint64{"retracted": 1, "Расстрел": 0, `"striking oil workers"`: 0} {
		if res, err := ix.Search(ctx, Request{Query: q}); err != nil || res.Total != want {
			t.Errorf("%s: total %v (%v), want %d", q, res, err, want)
		}
	}
}
