package urlnorm

import "strings"

// Characters that may appear unescaped, besides the unreserved ones
// (letters, digits and "-._~"), in a canonical path and in a canonical
// query or fragment.
const (
	pathChars  = "!$&'()*+,;=:@/"
	queryChars = "!$&'()*+,;=:@/?"
)

const upperHex = "0123456789ABCDEF"

// normEscapes rewrites s so that every percent escape uses upper-case hex
// digits, escapes of unreserved characters are decoded, a stray "%" becomes
// "%25", and every byte outside the unreserved set and allowed is escaped.
func normEscapes(s, allowed string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(d) {
				b.WriteByte(d)
			} else {
				writeEscape(&b, d)
			}
			i += 2
		case unreserved(c) || (c < 0x80 && c != '%' && strings.IndexByte(allowed, c) >= 0):
			b.WriteByte(c)
		default:
			writeEscape(&b, c)
		}
	}
	return b.String()
}

func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&15])
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
