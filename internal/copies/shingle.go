package copies

import (
	"encoding/binary"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"

	"presswatch/internal/textfold"
)

// words splits text into tokens as the index's tokenizer would see them:
// runs of letters, digits and combining marks, with the transliteration
// apostrophes (which textfold drops) kept inside a word, so that
// "Zhanaozen's" and "Қазақстан" are one token each. Each token is folded.
func words(text string) []string {
	out := make([]string, 0, len(text)/6)
	fold := func(token string) {
		if f := textfold.Fold(token); f != "" {
			out = append(out, f)
		}
	}
	start := -1
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) || start >= 0 && isApostrophe(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fold(text[start:i])
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fold(text[start:])
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ'
}

// shingleHashes returns the distinct 64-bit hashes of the w-word shingles
// of tokens, sorted. Each token is hashed once with xxh3 and each shingle
// is the xxh3 hash of its tokens' hashes, so a shingle costs one short
// hash whatever the words' length. A text of fewer than w tokens has no
// shingles.
func shingleHashes(tokens []string, w int) []uint64 {
	if len(tokens) < w {
		return nil
	}
	th := make([]uint64, len(tokens))
	for i, t := range tokens {
		th[i] = xxh3.HashString(t)
	}
	buf := make([]byte, 8*w)
	out := make([]uint64, 0, len(tokens)-w+1)
	for i := 0; i+w <= len(th); i++ {
		for j := range w {
			binary.LittleEndian.PutUint64(buf[8*j:], th[i+j])
		}
		out = append(out, xxh3.Hash(buf))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
