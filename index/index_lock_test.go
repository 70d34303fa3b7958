package index

import (
	"context"
	"os"
	"path/filepath"
	"presswatch/internal/model"
	"strings"
	"testing"
)

func TestOpenWhileInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Close()
	a, err = Open(dir) // reopen existing
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), "in use by another presswatch process") {
		t.Fatalf("second open: %v", err)
	}
}

func TestRebuildRefusesAnIndexInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	running, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	_, err = Rebuild(context.Background(), dir, func(context.Context, func(*model.Article) error) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "in use by another presswatch process") {
		t.Fatalf("rebuild of an open index: %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("the index in use was moved: %v", err)
	}
}
