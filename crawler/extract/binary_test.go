package extract

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// randomBytes returns n bytes from a fixed seed.
func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// pngImage returns a real PNG file.
func pngImage(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16Text(t testing.TB, order unicode.Endianness, s string) []byte {
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const prose = "Жанаозен, 16 декабря 2011 года. Забастовка нефтяников длилась семь месяцев.\n"

func TestBinary(t *testing.T) {
	cp1251, _ := charmap.Windows1251.NewEncoder().Bytes([]byte(strings.Repeat(prose, 50)))
	textBefore := append([]byte(strings.Repeat("plain text line\n", 100)), make([]byte, 4096)...)
	for name, tc := range map[string]struct {
		body []byte
		want string
	}{
		"random bytes":              {randomBytes(100 << 10), NotText},
		"NUL-filled":                {make([]byte, 10000), NotText},
		"a PNG":                     {pngImage(t), "binary data (image/png)"},
		"a PDF":                     {[]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "binary data (application/pdf)"},
		"a gzip file":               {[]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + strings.Repeat("x", 100)), "binary data (application/x-gzip)"},
		"text, then NULs":           {textBefore, NotText},
		"UTF-16 LE text":            {utf16Text(t, unicode.LittleEndian, strings.Repeat(prose, 20)), ""},
		"UTF-16 BE text":            {utf16Text(t, unicode.BigEndian, strings.Repeat(prose, 20)), ""},
		"UTF-8 text":                {[]byte(strings.Repeat(prose, 20)), ""},
		"windows-1251 text":         {cp1251, ""},
		"an HTML page":              {[]byte("<!doctype html><html><body><p>" + prose + "</p></body></html>"), ""},
		"a feed":                    {[]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`), ""},
		"empty":                     {nil, ""},
		"undefined in windows-1252": {[]byte(strings.Repeat("ab \x81\x8d\x8f\x90\x9d ", 200)), NotText},
		"text with a stray NUL":     {append([]byte(strings.Repeat(prose, 20)), 0), ""},
		"odd-length UTF-16 broken":  {append(utf16Text(t, unicode.LittleEndian, prose), 'x'), NotText},
	} {
		if got := Binary(tc.body); got != tc.want {
			t.Errorf("%s: Binary = %q, want %q", name, got, tc.want)
		}
	}
}

func TestFromUTF16(t *testing.T) {
	got, ok := FromUTF16(utf16Text(t, unicode.BigEndian, prose))
	if !ok || string(got) != "\ufeff"+prose {
		t.Errorf("FromUTF16 = %q, %v; want the text with its mark", got, ok)
	}
	if _, ok := FromUTF16([]byte(prose)); ok {
		t.Error("FromUTF16 took UTF-8 for UTF-16")
	}
}
