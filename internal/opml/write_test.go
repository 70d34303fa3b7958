package opml

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// special holds the characters an OPML writer gets wrong: markup, quotes,
// ampersands in URLs, Cyrillic and Kazakh letters, a tab and a newline.
var special = []Feed{
	{Title: "Азаттык — «Новости» & <анализ>", FeedURL: "https://rus.azattyq.org/api/zrqiteuuir?a=1&b=2", SiteURL: "https://rus.azattyq.org/", Category: "Қазақстан"},
	{Title: `Quotes "double" and 'single'`, FeedURL: "https://example.org/feed.xml", Category: "Қазақстан"},
	{Title: "No category", FeedURL: "http://example.org/rss"},
	{Title: "Tab\tand\nnewline", FeedURL: "https://example.org/atom", SiteURL: "https://example.org/", Category: "R&D <lab>"},
}

func TestWriteRoundTrip(t *testing.T) {
	tests := map[string][]Feed{
		"special characters": special,
		"Miniflux export":    mustParse(t, "testdata/miniflux.opml"),
		"Feedly export":      mustParse(t, "testdata/feedly.opml"),
		"windows-1251 file":  mustParse(t, "testdata/windows-1251.opml"),
		"nothing":            nil,
	}
	for name, feeds := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, "presswatch sources", feeds); err != nil {
				t.Fatalf("Write: %v", err)
			}
			l, err := Parse(&b)
			if err != nil {
				t.Fatalf("Parse of what Write wrote: %v", err)
			}
			if l.Title != "presswatch sources" {
				t.Errorf("title %q", l.Title)
			}
			if !reflect.DeepEqual(l.Feeds, feeds) || len(l.Skipped) != 0 {
				t.Errorf("read back\n%+v\nskipped %v\nwant\n%+v", l.Feeds, l.Skipped, feeds)
			}
		})
	}
}

func mustParse(t *testing.T, file string) []Feed {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return l.Feeds
}

// TestWriteGolden holds the exact file Write produces, the form other
// readers import: run with -update after a deliberate change.
func TestWriteGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "presswatch & friends", special); err != nil {
		t.Fatalf("Write: %v", err)
	}
	const golden = "testdata/written.golden.opml"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("Write wrote\n%s\nwant\n%s", got, want)
	}
}

func TestWriteGroupsCategories(t *testing.T) {
	in := []Feed{
		{Title: "a", FeedURL: "https://example.org/a", Category: "X"},
		{Title: "b", FeedURL: "https://example.org/b"},
		{Title: "c", FeedURL: "https://example.org/c", Category: "Y"},
		{Title: "d", FeedURL: "https://example.org/d", Category: "X"},
	}
	var b bytes.Buffer
	if err := Write(&b, "t", in); err != nil {
		t.Fatal(err)
	}
	written := b.String()
	l, err := Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{in[0], in[3], in[1], in[2]}
	if !reflect.DeepEqual(l.Feeds, want) {
		t.Errorf("read back %+v, want %+v", l.Feeds, want)
	}
	if n := strings.Count(written, `text="X"`); n != 1 {
		t.Errorf("category X written %d times, want once:\n%s", n, written)
	}
}

func TestWriteRefuses(t *testing.T) {
	for name, u := range map[string]string{"empty": "", "feed scheme": "feed://example.org/rss", "relative": "/rss.xml"} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			feeds := []Feed{{Title: "ok", FeedURL: "https://example.org/"}, {Title: "Bad one", FeedURL: u}}
			err := Write(&b, "t", feeds)
			if err == nil || !strings.Contains(err.Error(), `opml: feed 2 ("Bad one"): xmlUrl "`+u+`" is not an absolute http(s) URL`) {
				t.Errorf("error %v", err)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing", b.Len())
			}
		})
	}
}

type failWriter struct{}

var errDisk = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestWriteError(t *testing.T) {
	if err := Write(failWriter{}, "t", special); !errors.Is(err, errDisk) {
		t.Errorf("error %v, want the writer's", err)
	}
}
