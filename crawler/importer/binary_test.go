package importer

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

const utf16Prose = "Жанаозен: забастовка\n\nПосле 16 декабря 2011 года суды над нефтяниками продолжились.\n"

// A directory of text files and binary ones: the binary files are refused,
// each with an error naming it and saying why, and every text file is
// imported, the UTF-16 one too.
func TestBinaryFilesAreRefusedAndTheRestImported(t *testing.T) {
	dir := t.TempDir()
	random := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(utf16Prose))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"file.bin":     random,
		"zeros.txt":    make([]byte, 8192), // the name says text; the content does not
		"photo.html":   img.Bytes(),
		"utf16.txt":    u16,
		"note.txt":     []byte("Zhanaozen\n\nPosted on 16 December 2011. Strikers were shot."),
		"article.html": []byte("<!doctype html><html><head><title>Trial</title></head><body><article><p>" + strings.Repeat("The trial of the oil workers went on in Aktau. ", 20) + "</p></article></body></html>"),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep := Paths(context.Background(), &countSink{n: map[string]int{}}, []string{dir}, Options{Source: src})
	if rep.Files != 6 || rep.New != 3 || rep.Failed != 3 || len(rep.Errors) != 3 {
		t.Fatalf("report = %+v; want 3 new, 3 failed", rep)
	}
	want := map[string]string{"file.bin": extract.NotText, "zeros.txt": extract.NotText, "photo.html": "binary data (image/png)"}
	for _, err := range rep.Errors {
		var me *model.Error
		name := filepath.Base(strings.SplitN(strings.TrimPrefix(err.Error(), "import: "), ":", 2)[0])
		if why, ok := want[name]; !ok || !errors.As(err, &me) || me.Kind != model.ErrBinary ||
			!strings.HasSuffix(err.Error(), ": "+why+", not imported") {
			t.Errorf("error %q; want a binary error naming one of %v and why", err, want)
		}
		delete(want, name)
	}
	if len(want) != 0 {
		t.Errorf("not refused: %v", want)
	}

	d := one(t, filepath.Join(dir, "utf16.txt"), Options{Source: src})
	if d.Title != "Жанаозен: забастовка" || !strings.HasPrefix(d.Text, "После 16 декабря 2011 года") || d.Lang != "ru" {
		t.Errorf("UTF-16 file read as %q / %q (%s)", d.Title, d.Text, d.Lang)
	}
}
