package textenc

import (
	"bytes"
	"mime"
	"regexp"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"golang.org/x/net/html/charset"

	"presswatch/internal/model"
)

// DecodeHTML converts an HTML body to UTF-8 and returns it with the name
// of the encoding used ("windows-1251", "koi8-r", "utf-8", ...). Call it
// on Response.Body with the response's Content-Type header before parsing
// a page; feeds are decoded by their parser instead.
//
// The encoding is found as browsers do (WHATWG): a byte-order mark first,
// then the charset parameter of contentType, then <meta charset> or
// <meta http-equiv="Content-Type"> in the first 1024 bytes. A page that
// declares nothing is read as UTF-8 when the whole body is valid UTF-8
// (the WHATWG sniff looks at the first 1024 bytes only, which are often
// plain ASCII markup); else, when its text is mostly bytes above 0xBF, as
// windows-1251 or KOI8-R, whichever puts more of them in the lower-case
// range (Russian and Kazakh prose is mostly lower-case letters); else as
// windows-1252.
//
// A charset in contentType that names no known encoding returns a
// model.ErrCharset error together with the body decoded as if the header
// had no charset, so the caller may store the error and still go on. An
// unknown label in a <meta> tag is ignored, as browsers do. Invalid byte
// sequences become U+FFFD; the result is always valid UTF-8.
func DecodeHTML(body []byte, contentType string) ([]byte, string, error) {
	label := headerCharset(contentType)
	if label != "" && bomLength(body) == 0 {
		if e, _ := charset.Lookup(label); e == nil {
			out, name, err := decode(body, "")
			if err != nil {
				return out, name, err
			}
			return out, name, model.Errorf(model.ErrCharset,
				"fetch: unknown charset %q in Content-Type %q; read as %s", label, contentType, name)
		}
	}
	return decode(body, contentType)
}

func decode(body []byte, contentType string) ([]byte, string, error) {
	e, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && name == "windows-1252" && !metaCharset.Match(body[:min(len(body), 1024)]) {
		e, name = guess(body)
	}
	body = body[bomLength(body):]
	if name == "utf-8" {
		// Also covers encoding.Nop, which DetermineEncoding returns for
		// UTF-8 found by sniffing the first 1024 bytes only.
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), name, nil
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, model.Errorf(model.ErrCharset, "fetch: decoding %s: %v", name, err)
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name, nil
}

// metaCharset finds a charset declared in a <meta> tag.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset`)

// guess picks the encoding of an undeclared body: see DecodeHTML.
func guess(body []byte) (encoding.Encoding, string) {
	if utf8.Valid(body) {
		return encoding.Nop, "utf-8"
	}
	var letters, high, lowerWin int
	inTag := false
	for _, c := range body {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case inTag:
		case c >= 0xc0:
			high++
			if c >= 0xe0 {
				lowerWin++
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters++
		}
	}
	switch {
	case high < 20 || high*2 < letters: // a few accented letters: Western text
		return charmap.Windows1252, "windows-1252"
	case lowerWin*2 >= high:
		return charmap.Windows1251, "windows-1251"
	}
	return charmap.KOI8R, "koi8-r"
}

// headerCharset returns the charset parameter of a Content-Type value, or
// "" if there is none or the value cannot be parsed.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// bomLength is the length of a UTF-8 or UTF-16 byte-order mark at the start
// of body, or 0.
func bomLength(body []byte) int {
	switch {
	case bytes.HasPrefix(body, []byte{0xef, 0xbb, 0xbf}):
		return 3
	case bytes.HasPrefix(body, []byte{0xfe, 0xff}), bytes.HasPrefix(body, []byte{0xff, 0xfe}):
		return 2
	}
	return 0
}

// xmlDeclEncoding finds an encoding in an XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=`)

// DecodeXML returns a feed's body ready for an XML parser: when the XML
// declaration names no encoding but the Content-Type header names one
// other than UTF-8 (a windows-1251 feed served with "charset=windows-1251"
// and a bare <?xml version="1.0"?>), the body is converted to UTF-8, since
// the parser would otherwise read it as UTF-8 and fail. Otherwise, and for
// an unknown label, the body is returned as it is: the parser follows the
// declaration.
func DecodeXML(body []byte, contentType string) []byte {
	label := headerCharset(contentType)
	if label == "" || bomLength(body) > 0 || xmlDeclEncoding.Match(body[:min(len(body), 256)]) {
		return body
	}
	e, name := charset.Lookup(label)
	if e == nil || name == "utf-8" {
		return body
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}
