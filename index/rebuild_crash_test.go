package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// A second process that opens the index (presswatch search, reindex, crawl)
// while serve is rebuilding is refused and changes nothing.
func TestOpenDuringRebuildKeepsTheRunningGeneration(t *testing.T) {
	dir := oldIndex(t)
	serve, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer serve.Close()
	loading, resume := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- serve.Rebuild(context.Background(), func(ctx context.Context, yield func(*model.Article) error) error {
			for i, a := range testArticles() {
				if i == 5 {
					close(loading)
					<-resume
				}
				if err := yield(a); err != nil {
					return err
				}
			}
			return nil
		}, nil)
	}()
	<-loading
	gens, _ := filepath.Glob(dir + ".gen-*")
	t.Logf("generations while rebuilding: %v", gens)
	// The CLI, in another process.
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v", err)
	}
	for _, g := range gens {
		if _, err := os.Stat(g); errors.Is(err, os.ErrNotExist) {
			t.Errorf("the refused Open deleted the generation %s that serve is filling", filepath.Base(g))
		}
	}
	close(resume)
	if err := <-done; err != nil {
		t.Errorf("serve's rebuild failed: %v", err)
	}
}

// When linking the new generation fails, the old one stays current, and
// what is written afterwards is still there after a restart.
func TestFailedLinkKeepsTheOldGenerationAndItsWrites(t *testing.T) {
	dir := oldIndex(t)
	// First rebuild: dir becomes a link (the normal layout).
	ix, err := Rebuild(context.Background(), dir, loadN(3, nil))
	if err != nil {
		t.Fatal(err)
	}
	// Make the link step fail: something is in the way of dir.link.
	if err := os.MkdirAll(filepath.Join(dir+".link", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err = ix.Rebuild(context.Background(), loadN(3, nil), nil)
	t.Logf("rebuild: %v", err)
	if err == nil {
		t.Fatal("the link was expected to fail")
	}
	os.RemoveAll(dir + ".link")
	// serve logs "the old one stays" and the indexer goes on.
	if err := ix.Put(context.Background(), []*model.Article{{ID: 77, Lang: "en", Title: "Zhanaozen", Text: "after the failed rebuild"}}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	re, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	res, err := re.Search(context.Background(), Request{Query: "failed"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("article 77, put (and marked indexed by the indexer) after the failed rebuild, is gone after restart: total %d", res.Total)
	}
}
