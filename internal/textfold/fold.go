package textfold

import (
	"unicode"
	"unicode/utf8"
)

// Fold returns the script- and spelling-independent form of one token (a
// word as the tokenizer gives it): Zhanaozen, Janaozen, Жаңаөзен,
// Schanaosen and Żanaozeń all give "šanaozen"; Nazarbayev, Назарбаев and
// Nasarbajew give "nazarbaev". Call it on every token of every document
// and of every query that searches the folded field; it does not split or
// stem (see Key for the indexed form).
//
// The result is lower case, in a Latin alphabet of a e i o u b d f g k l m
// n p r s t v x z š č (plus "ts" for ц). Digits, punctuation and letters
// of other scripts pass through lower-cased; combining marks, the
// transliteration apostrophes (ʻ ʼ ’ ') and invalid UTF-8 are dropped.
// Fold is deterministic, idempotent (Fold(Fold(x)) == Fold(x)), safe for
// concurrent use and never panics. It allocates once for a token of up to
// 64 bytes, and not at all when the token is already folded.
func Fold(token string) string {
	var a1, a2 [64]byte
	w := transliterate(a1[:0], token)
	// Stage two, to a fixpoint: a rule's output can complete a match with
	// the letter before it (o + ou's u, s or t + a medial ж's z), and
	// Fold's result must read the same when folded again. The passes swap
	// the two buffers.
	w, spare := applyRules(a2[:0], w), w[:0]
	for {
		next := applyRules(spare, w)
		if string(next) == string(w) {
			break
		}
		w, spare = next, w[:0]
	}
	// Stage three: the rules that look at a letter's neighbours, in order.
	// collapse runs again after those that can bring two equal letters
	// together. (Direct calls: through a slice of funcs the buffers would
	// escape to the heap.)
	w = collapse(w)
	w = collapse(stanNames(dropGlides(w)))
	w = collapse(voiceS(w))
	return spell(w, token)
}

// transliterate is stage one: lower case; Cyrillic to Latin letters or
// symbols; Latin letters with diacritics to their base or their symbol;
// combining marks, apostrophes and invalid bytes dropped.
func transliterate(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != '\'' {
				dst = append(dst, c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r)) // K (Kelvin sign) and friends
		case 0x400 <= r && r < 0x500 && cyrillic[r-0x400] != "" || r == 'ъ' || r == 'ь':
			dst = append(dst, cyrillic[r-0x400]...)
		case dropped[r] || unicode.Is(unicode.Mn, r):
		default:
			if l, ok := latin[r]; ok {
				dst = append(dst, l...)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
	}
	return dst
}

// applyRules is one pass of stage two: the transliteration rules
// (rules.go) from left to right, each letter read once. Fold repeats it
// until nothing changes. That ends: the rules of one letter are those of
// c h j q w x y, the first pass rewrites every one of these and no rule
// writes them back, so a later pass can only match rules whose from is
// longer than their to (ts tz sz ou), and each match shortens the word.
func applyRules(dst, w []byte) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		n, to := 1, ""
		if c < utf8.RuneSelf {
			for _, r := range rulesByFirst[c] {
				if hasPrefix(w[i:], r.from) && r.when.holds(w, i, len(r.from)) {
					n, to = len(r.from), r.to
					break
				}
			}
		}
		if n == 1 && to == "" {
			dst = append(dst, c)
		} else {
			dst = append(dst, to...)
		}
		i += n
	}
	return dst
}

func hasPrefix(w []byte, p string) bool {
	return len(w) >= len(p) && string(w[:len(p)]) == p
}

// isFolded reports whether b is a letter or symbol of the folded alphabet
// (the bytes that collapse and the vowel tests look at).
func isFolded(b byte) bool {
	return 'a' <= b && b <= 'z' || b == symSH || b == symCH || b == symKH || b == symTS
}

// collapse turns doubled letters into one: Natalija's "iia", Rossiya's
// "ss", Mangghystau's "gg". Digits and other runes are left alone.
func collapse(w []byte) []byte {
	out := w[:0]
	for i, c := range w {
		if i > 0 && c == w[i-1] && isFolded(c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// dropGlides removes the glide i before e where Latin spellings disagree
// on writing it: after a vowel (Nazarbayev, Nazarbaev, Назарбаев,
// Nasarbajew all give "nazarbaev") and at the start of a word (Yerlan,
// Jerlan, Ерлан).
func dropGlides(w []byte) []byte {
	out := w[:0]
	for i, c := range w {
		if c == 'i' && i+1 < len(w) && w[i+1] == 'e' &&
			(len(out) == 0 && i == 0 || len(out) > 0 && isVowel(out[len(out)-1])) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// stanNames folds the consonant before -stan, where Russian х, Kazakh қ
// and Spanish j differ in one name: Казахстан, Қазақстан, Kazakhstan,
// Kasachstan, Kazajistán all give "kazakstan".
func stanNames(w []byte) []byte {
	for i := 0; i+5 <= len(w); i++ {
		if w[i] == symKH && string(w[i+1:i+5]) == "stan" {
			w[i] = 'k'
		}
	}
	return w
}

// voiceS folds s and z where spellings disagree: s between vowels is z,
// as German writes з (Nasarbajew, Schanaosen, Kasachstan); z at the end
// is s, as English writes газ (Ozenmunaigas, Озенмунайгаз). Elsewhere s
// and z stay apart (Zeit and seit, сан and заң).
func voiceS(w []byte) []byte {
	for i, c := range w {
		switch {
		case c == 's' && i > 0 && i+1 < len(w) && isVowel(w[i-1]) && isVowel(w[i+1]):
			w[i] = 'z'
		case c == 'z' && (i+1 == len(w) || !isFolded(w[i+1])):
			w[i] = 's'
		}
	}
	return w
}

// spell writes the folded form, the symbols spelt out. It returns token
// itself when that is already the folded form, so folding folded text
// does not allocate.
func spell(w []byte, token string) string {
	var a [64]byte
	out := a[:0]
	for _, c := range w {
		if c < utf8.RuneSelf && outSymbol[c] != "" {
			out = append(out, outSymbol[c]...)
		} else {
			out = append(out, c)
		}
	}
	if string(out) == token {
		return token
	}
	return string(out)
}
