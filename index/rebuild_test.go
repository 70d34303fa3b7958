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
				res, err := ix.Search(ctx, Request{Query: "Расстрел"}) // only in the old articles
				if err != nil || res.Total != 0 {
					t.Errorf("old articles still found: %v %v", res, err)
				}
				if err := ix.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if left := siblings(t, dir); len(left) > 1 || (err != nil && len(left) > 0) {
				t.Errorf("left beside the index: %v", left)
			}
			if n := count(t, dir); n != tt.want {
				t.Errorf("dir has %d articles, want %d", n, tt.want)
			}
		})
	}
}

func TestOpenRecoversFromCrash(t *testing.T) {
	// A generation built from loadN(3, nil) beside dir, complete or not.
	gen := func(t *testing.T, dir string, done bool) string {
		g := dir + ".gen-123"
		ix, err := Open(g)
		if err != nil {
			t.Fatal(err)
		}
		ix.Put(context.Background(), []*model.Article{{ID: 1}, {ID: 2}, {ID: 3}})
		ix.Close()
		if done {
			os.WriteFile(filepath.Join(g, completeMarker), nil, 0o644)
		}
		return g
	}
	tests := map[string]struct {
		crash func(t *testing.T, dir string)
		want  uint64
	}{
		"during the build":       {func(t *testing.T, dir string) { gen(t, dir, false) }, 11},
		"built, before the swap": {func(t *testing.T, dir string) { gen(t, dir, true) }, 11},
		"old folder removed, not yet linked": {func(t *testing.T, dir string) {
			gen(t, dir, true)
			os.RemoveAll(dir)
		}, 3},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := oldIndex(t)
			tt.crash(t, dir)
			if n := count(t, dir); n != tt.want {
				t.Errorf("count = %d, want %d", n, tt.want)
			}
			if left := siblings(t, dir); len(left) > 1 || (tt.want == 11 && len(left) > 0) {
				t.Errorf("left beside the index: %v", left)
			}
		})
	}
}

// Searches go on during a rebuild, and writes that arrive meanwhile reach
// the new generation.
func TestRebuildWhileSearching(t *testing.T) {
	ctx := context.Background()
	dir := oldIndex(t)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	stop := make(chan struct{})
	searched := make(chan int)
	go func() {
		n := 0
		defer func() { searched <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := ix.Search(ctx, Request{Query: "Schanaosen"}); err != nil {
				t.Errorf("search during rebuild: %v", err)
				return
			}
			n++
		}
	}()
	load := func(ctx context.Context, yield func(*model.Article) error) error {
		// A write arrives while the rebuild is loading.
		if err := ix.Put(ctx, []*model.Article{{ID: 5000, Lang: "en", Title: "Arrived during the rebuild", Text: "Kurmanov"}}); err != nil {
			return err
		}
		return loadN(1203, nil)(ctx, yield)
	}
	caughtUp := false
	err = ix.Rebuild(ctx, load, func(ctx context.Context, put func([]*model.Article) error, del func([]int64) error) error {
		caughtUp = true
		return del([]int64{1000}) // deleted from the store while loading
	})
	close(stop)
	if n := <-searched; err != nil || n == 0 || !caughtUp {
		t.Fatalf("rebuild: %v after %d searches, catch-up ran: %v", err, n, caughtUp)
	}
	if n, _ := ix.Count(); n != 1203 {
		t.Errorf("after the rebuild %d articles, want 1203 (1203 loaded + 1 written - 1 deleted)", n)
	}
	if res, _ := ix.Search(ctx, Request{Query: "Kurmanov"}); res.Total != 1 {
		t.Errorf("the write made during the rebuild is lost")
	}
	if fi, err := os.Lstat(dir); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is not a link to a generation: %v", dir, err)
	}
	ix.Close()
	if n := count(t, dir); n != 1203 {
		t.Errorf("reopened: %d", n)
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
