package textenc

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"presswatch/internal/model"
)

const cyrillic = "Жанаозен, 16 декабря 2011 года"

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

func TestDecodeHTML(t *testing.T) {
	page := func(head string) string {
		return "<html><head>" + head + "<title>" + cyrillic + "</title></head><body><p>" + cyrillic + "</p></body></html>"
	}
	tests := map[string]struct {
		body        []byte
		contentType string
		wantName    string
		wantKind    model.ErrorKind
	}{
		"windows-1251 from the header charset": {
			body:        encode(t, charmap.Windows1251, page("")),
			contentType: "text/html; charset=windows-1251",
			wantName:    "windows-1251",
		},
		"windows-1251 from an alias in the header": {
			body:        encode(t, charmap.Windows1251, page("")),
			contentType: `text/html; charset="CP1251"`,
			wantName:    "windows-1251",
		},
		"KOI8-R from the header charset": {
			body:        encode(t, charmap.KOI8R, page("")),
			contentType: "text/html; charset=KOI8-R",
			wantName:    "koi8-r",
		},
		"KOI8-R from <meta charset>": {
			body:        encode(t, charmap.KOI8R, page(`<meta charset="koi8-r">`)),
			contentType: "text/html",
			wantName:    "koi8-r",
		},
		"windows-1251 from <meta charset>": {
			body:     encode(t, charmap.Windows1251, page(`<meta charset=windows-1251>`)),
			wantName: "windows-1251",
		},
		"windows-1251 from <meta http-equiv>": {
			body:        encode(t, charmap.Windows1251, page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`)),
			contentType: "text/html",
			wantName:    "windows-1251",
		},
		"the header wins over <meta>": {
			body:        encode(t, charmap.KOI8R, page(`<meta charset="windows-1251">`)),
			contentType: "text/html; charset=koi8-r",
			wantName:    "koi8-r",
		},
		"windows-1251 guessed without any declaration": {
			body:     encode(t, charmap.Windows1251, page("")),
			wantName: "windows-1251",
		},
		"KOI8-R guessed without any declaration": {
			body:     encode(t, charmap.KOI8R, page("")),
			wantName: "koi8-r",
		},
		"UTF-8 after more than 1024 bytes of ASCII markup": {
			body:     []byte(page(strings.Repeat(`<link rel="preload" href="/static/app.js">`, 40))),
			wantName: "utf-8",
		},
		"UTF-8 sniffed without a declaration": {
			body:     []byte(page("")),
			wantName: "utf-8",
		},
		"a UTF-8 byte-order mark is dropped and wins over the header": {
			body:        append([]byte{0xef, 0xbb, 0xbf}, page("")...),
			contentType: "text/html; charset=windows-1251",
			wantName:    "utf-8",
		},
		"an unknown header label is an error, the body read by <meta>": {
			body:        encode(t, charmap.Windows1251, page(`<meta charset="windows-1251">`)),
			contentType: "text/html; charset=x-no-such-charset",
			wantName:    "windows-1251",
			wantKind:    model.ErrCharset,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out, enc, err := DecodeHTML(tc.body, tc.contentType)
			if kindOf(err) != tc.wantKind {
				t.Fatalf("error %v, want kind %q", err, tc.wantKind)
			}
			if enc != tc.wantName {
				t.Errorf("encoding %q, want %q", enc, tc.wantName)
			}
			if !strings.HasPrefix(string(out), "<html>") || strings.Count(string(out), cyrillic) != 2 {
				t.Errorf("decoded to %q", out)
			}
		})
	}
}

func TestDecodeHTMLWesternTextStaysWindows1252(t *testing.T) {
	text := "<html><body><p>Die Streikenden in Schanaosen forderten höhere Löhne; über vierzehn Menschen starben. " +
		"Les grévistes de Janaozen réclamaient des salaires décents.</p></body></html>"
	out, name, err := DecodeHTML(encode(t, charmap.Windows1252, text), "")
	if err != nil || name != "windows-1252" || !strings.Contains(string(out), "höhere Löhne") || !strings.Contains(string(out), "grévistes") {
		t.Errorf("DecodeHTML = %q, %q, %v", out, name, err)
	}
}

func TestDecodeHTMLInvalidUTF8(t *testing.T) {
	body := []byte("<meta charset=utf-8><p>ok \xff\xfe broken</p>")
	out, name, err := DecodeHTML(body, "")
	if err != nil || name != "utf-8" || !utf8.Valid(out) || !strings.Contains(string(out), "\uFFFD") {
		t.Errorf("DecodeHTML = %q, %q, %v", out, name, err)
	}
}

func FuzzDecodeHTML(f *testing.F) {
	f.Add(encode(f, charmap.Windows1251, cyrillic), "text/html; charset=windows-1251")
	f.Add(encode(f, charmap.KOI8R, `<meta charset="koi8-r">`+cyrillic), "")
	f.Add([]byte(`<meta http-equiv="content-type" content="text/html; charset=utf-16">`), "text/html")
	f.Add([]byte{0xff, 0xfe, 'a', 0, 0xd8}, "")
	f.Add([]byte("<p>x</p>"), "text/html; charset=")
	f.Add([]byte{}, `text/html; charset="unknown`)
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, name, err := DecodeHTML(body, contentType)
		if err != nil && kindOf(err) != model.ErrCharset {
			t.Fatalf("error of kind %q: %v", kindOf(err), err)
		}
		if out != nil && !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out of %q as %s", body, name)
		}
		if name == "" {
			t.Fatal("no encoding name")
		}
	})
}

func TestDecodeXML(t *testing.T) {
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>` + cyrillic + `</title></channel></rss>`
	for name, tc := range map[string]struct {
		body        []byte
		contentType string
		converted   bool
	}{
		"charset only in the header":       {encode(t, charmap.Windows1251, rss), "application/rss+xml; charset=windows-1251", true},
		"declaration wins":                 {encode(t, charmap.KOI8R, strings.Replace(rss, `?>`, ` encoding="koi8-r"?>`, 1)), "text/xml; charset=windows-1251", false},
		"utf-8 header":                     {[]byte(rss), "text/xml; charset=utf-8", false},
		"no header charset":                {[]byte(rss), "text/xml", false},
		"unknown label leaves it as it is": {[]byte(rss), "text/xml; charset=x-nothing", false},
	} {
		t.Run(name, func(t *testing.T) {
			out := DecodeXML(tc.body, tc.contentType)
			if tc.converted != !bytes.Equal(out, tc.body) {
				t.Fatalf("converted = %v, want %v", !bytes.Equal(out, tc.body), tc.converted)
			}
			if tc.converted && !strings.Contains(string(out), cyrillic) {
				t.Errorf("decoded to %q", out)
			}
		})
	}
}

func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	if err != nil {
		return "not a *model.Error"
	}
	return ""
}
