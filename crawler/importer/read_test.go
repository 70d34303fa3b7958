package importer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// recordSink keeps the documents it is given.
type recordSink struct{ docs []*model.Document }

func (s *recordSink) Put(_ context.Context, _ model.Source, d *model.Document) (model.Outcome, *model.Article, error) {
	s.docs = append(s.docs, d)
	return model.OutcomeNew, nil, nil
}

// A file read from a stream is imported as one read from disk, and its
// fetch record names it: an absolute path as a file:// URL, an upload's
// bare name as upload:NAME. A binary stream is refused naming it.
func TestReadNamesTheFile(t *testing.T) {
	note := "Zhanaozen\n\nPosted on 16 December 2011. Strikers were shot."
	for name, want := range map[string]string{
		"/home/ana/saved/note.txt": "file:///home/ana/saved/note.txt",
		"note.txt":                 "upload:note.txt",
	} {
		sink := &recordSink{}
		rep := Read(context.Background(), sink, name, strings.NewReader(note), Options{Source: src})
		if rep.Files != 1 || rep.New != 1 || rep.Failed != 0 || len(sink.docs) != 1 {
			t.Fatalf("%s: report %+v, %d documents; want 1 new", name, rep, len(sink.docs))
		}
		if d := sink.docs[0]; d.Fetch.URL != want || d.Provenance != model.ProvenanceImport || !strings.Contains(d.Text, "Strikers were shot") {
			t.Errorf("%s: recorded as %q (%s), text %q; want %s", name, d.Fetch.URL, d.Provenance, d.Text, want)
		}
	}
	rep := Read(context.Background(), &recordSink{}, "zeros.txt", strings.NewReader(string(make([]byte, 4096))), Options{Source: src})
	if rep.Failed != 1 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "zeros.txt") || !strings.HasSuffix(rep.Errors[0].Error(), "not imported") {
		t.Errorf("a file of zeros: %+v", rep)
	}
	var sum Report
	sum.Add(rep)
	sum.Add(Report{Files: 2, New: 2})
	if sum.Files != 3 || sum.New != 2 || sum.Failed != 1 || len(sum.Errors) != 1 {
		t.Errorf("Add: %+v", sum)
	}
}

// Files yields what Paths reads: the files of the folders named, without
// hidden ones, and an error for what cannot be read.
func TestFilesWalksAsPaths(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a.txt", "sub/b.html", ".hidden/c.txt", "sub/.d.txt"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	var errs []error
	for path, err := range Files(context.Background(), []string{dir, filepath.Join(dir, "missing")}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, strings.TrimPrefix(path, dir+"/"))
	}
	if want := []string{"a.txt", "sub/b.html"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "missing") {
		t.Errorf("errors %v, want one naming the missing path", errs)
	}
}
