package lang

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"
)

// keptModels are the files the pruned copy of lingua-go must hold: the
// unigram, bigram and trigram models of each language Detect uses.
func keptModels() []string {
	var want []string
	for _, l := range languages {
		for n := 1; n <= 3; n++ {
			want = append(want, lingua.LanguageModelPath(l, n))
		}
	}
	slices.Sort(want)
	return want
}

// TestEmbeddedModels lists the models embedded in the binary and in
// third_party/lingua-go, and asserts they are exactly keptModels: no
// language missing, none of the other 65 left in.
func TestEmbeddedModels(t *testing.T) {
	want := keptModels()
	embedded, err := lingua.EmbeddedLanguageModels()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d models embedded: %s", len(embedded), strings.Join(embedded, " "))
	if !slices.Equal(embedded, want) {
		t.Errorf("embedded models:\n%s\nwant:\n%s", strings.Join(embedded, "\n"), strings.Join(want, "\n"))
	}

	root := filepath.Join("..", "..", "third_party", "lingua-go")
	var onDisk []string
	err = filepath.WalkDir(filepath.Join(root, "language-models"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(onDisk, want) {
		t.Errorf("models in %s:\n%s\nwant:\n%s", root, strings.Join(onDisk, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckModelsNamesMissing: a language whose models were pruned away
// (Mongolian and Belarusian are not kept) is an error naming the model
// file, where lingua itself would silently score it zero.
func TestCheckModelsNamesMissing(t *testing.T) {
	if err := checkModels(languages); err != nil {
		t.Fatalf("checkModels(languages) = %v, want nil", err)
	}
	err := checkModels(append(slices.Clone(languages), lingua.Mongolian, lingua.Belarusian))
	if err == nil {
		t.Fatal("checkModels with Mongolian and Belarusian = nil, want an error naming their models")
	}
	for _, name := range []string{"language-models/mn/trigrams.pb.bin.zip (Mongolian)", "language-models/be/trigrams.pb.bin.zip (Belarusian)"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "/en/") {
		t.Errorf("error %q names a model that is embedded", err)
	}
}
