package extract

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"presswatch/internal/textenc"
)

// NotText is Binary's answer for bytes that are not text and not a known
// binary format either (random bytes, a file of zeros).
const NotText = "binary data (NUL bytes / not text in any known encoding)"

// binarySample is how much of a body Binary reads beyond its first 512 bytes.
const binarySample = 64 << 10

// Binary says why body is not text, or returns "" when it is text: an
// image, a PDF or an archive ("binary data (image/png)"), or bytes that
// are not text in any encoding presswatch reads (NotText). Call it on a
// page or a file before decoding it: extraction of binary bytes yields
// garbage, stored as an article.
//
// It looks at the content only, never at a name or a declared type: the
// first 512 bytes as http.DetectContentType sniffs them (a UTF-16 text
// with a byte-order mark is read as UTF-16 first), then, in the first 64
// KiB, the share of control bytes (NUL and the other C0 controls but tab,
// line and page breaks and escape; more than 1% is not text) and, when the
// bytes are not UTF-8, the share of undecodable characters once decoded
// as pages are (more than 5% is not text).
func Binary(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	if text, ok := FromUTF16(body); ok {
		body = text
	} else if bomUTF16(body) {
		return NotText
	}
	if ct := http.DetectContentType(body[:min(len(body), 512)]); !strings.HasPrefix(ct, "text/") {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && mt != "application/octet-stream" {
			return "binary data (" + mt + ")"
		}
		return NotText
	}
	sample := body[:min(len(body), binarySample)]
	if controls(sample)*100 > len(sample) {
		return NotText
	}
	if !utf8.Valid(trimRune(sample)) {
		text, _, _ := textenc.DecodeHTML(sample, "")
		bad, n := 0, 0
		for _, r := range string(text) {
			n++
			if r == utf8.RuneError || r >= 0x80 && r <= 0x9f {
				bad++
			}
		}
		if bad*20 > n {
			return NotText
		}
	}
	return ""
}

// FromUTF16 converts a text that starts with a UTF-16 byte-order mark to
// UTF-8, keeping the mark (as U+FEFF in UTF-8) so that decoders that look
// for one still find it. ok is false when body has no such mark or is not
// valid UTF-16.
func FromUTF16(body []byte) (utf8Text []byte, ok bool) {
	if !bomUTF16(body) {
		return nil, false
	}
	// A UTF-16 text has an even length; UTF-32 LE starts FF FE 00 00 and
	// is not read as UTF-16.
	if len(body)%2 != 0 || bytes.HasPrefix(body, []byte{0xff, 0xfe, 0, 0}) {
		return nil, false
	}
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	return append([]byte("\ufeff"), out...), true
}

func bomUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})
}

// controls counts the C0 control bytes that text does not hold.
func controls(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b {
			n++
		}
	}
	return n
}

// trimRune drops an incomplete UTF-8 sequence cut off at the end of b.
func trimRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size != 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}
