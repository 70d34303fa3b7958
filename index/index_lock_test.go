package index

import (
	"path/filepath"
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
