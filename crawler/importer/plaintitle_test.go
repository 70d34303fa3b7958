package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A plain-text file's title is its first line when that reads as a
// title, else the file's name: never a paragraph.
func TestPlainTextTitleIsAShortFirstLineOrTheFileName(t *testing.T) {
	para := "Zhanaozen oil workers strike continues for the seventh month as the company refuses to negotiate with the strikers, " +
		"and the police arrest two more activists in the town square on Friday evening after a rally."
	for _, c := range []struct{ name, text, title string }{
		{"a.txt", "Zhanaozen notes\n\nWitnesses spoke of Жанаозен on 16 December 2011.", "Zhanaozen notes"},
		{"a.txt", "\n\n  Расстрел нефтяников в Жанаозене  \r\nВ пятницу полиция открыла огонь.", "Расстрел нефтяников в Жанаозене"},
		{"a.txt", "Who fired on the strikers?\n\nWitnesses say the police did.", "Who fired on the strikers?"},
		{"a.txt", "Continue reading…\n\nMore.", "Continue reading…"},
		{"a.txt", strings.Repeat("x", maxTitle) + "\n\nBody.", strings.Repeat("x", maxTitle)},
		// A paragraph on one line.
		{"strike.txt", para + "\n\nMore text here about Zhanaozen.", "strike.txt"},
		{"strike.txt", strings.Repeat("я", maxTitle+1) + "\n\nBody.", "strike.txt"},
		// Short, but a paragraph's sentences.
		{"notes.txt", "Police opened fire. Sixteen died.\n\nMore.", "notes.txt"},
		{"notes.txt", "Police opened fire. Sixteen died!\n\nMore.", "notes.txt"},
		{"notes.txt", "«Стреляли без предупреждения». Так говорят свидетели?\n\nMore.", "notes.txt"},
		{"notes.txt", "Police opened fire on 16 December.\n\nMore.", "notes.txt"},
		// A paragraph broken into lines.
		{"wrapped.txt", "Zhanaozen oil workers went on strike in May 2011 and\nstayed on strike for months.", "wrapped.txt"},
		{"wrapped.txt", "On 16 December, in Zhanaozen,\nPolice opened fire.", "wrapped.txt"},
		{"wrapped.txt", "The strikers' demands:\n- pay\n- safety", "wrapped.txt"},
		{"dir/sub/file name.txt", "", "file name.txt"},
		{`C:\Users\ana\note.txt`, "   \n\n", "note.txt"},
	} {
		d := plain([]byte(c.text), c.name, "urn:sha256:x")
		if d.Title != c.title {
			t.Errorf("%s %.40q: title %q, want %q", c.name, c.text, d.Title, c.title)
		}
		// Titled by its name, the text keeps its first line.
		if want := strings.TrimSpace(c.text); strings.HasSuffix(c.name, c.title) && d.Text != want {
			t.Errorf("%s: text %q, want the whole file %q", c.name, d.Text, want)
		}
	}
}

// Imported as presswatch import reads a file: the title of a paragraph
// file is its name.
func TestImportedParagraphIsTitledByItsFileName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "zhanaozen-witness.txt")
	text := "Oil workers in Zhanaozen had been on strike since May. On 16 December police opened fire on the square, and " +
		"witnesses counted many more dead than the official figure of sixteen.\n\nThe town was closed for days."
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	d := one(t, path, Options{Source: src})
	if d.Title != "zhanaozen-witness.txt" || !strings.HasPrefix(d.Text, "Oil workers in Zhanaozen") {
		t.Errorf("title %q, text %.60q", d.Title, d.Text)
	}
}
