// Package corpus finds the shared test corpus (real feeds, pages and
// sentences with ground truth, see ../shared/corpus/README.md) for the
// tests that measure against it. It is for tests and
// the benchmark command only.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env is the setting that names the corpus folder.
const Env = "PRESSWATCH_CORPUS"

// Dir returns the corpus folder: $PRESSWATCH_CORPUS, else ../shared/corpus
// beside the module root. When there is none, it skips the test with a
// message saying how to provide it, so the project tests cleanly for
// someone who cloned it alone.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := Find()
	if err != nil {
		t.Skip(err)
	}
	return dir
}

// Find returns the corpus folder as Dir does, or an error saying where it
// looked and how to name it, for the programs that measure against it.
func Find() (string, error) {
	dir := os.Getenv(Env)
	if dir == "" {
		root, ok := moduleRoot()
		if !ok {
			return "", fmt.Errorf("corpus not found: no go.mod above the working directory; set %s", Env)
		}
		dir = filepath.Join(root, "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("corpus not found at %s (set %s to the shared corpus folder): %w", dir, Env, err)
	}
	return dir, nil
}

func moduleRoot() (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}
