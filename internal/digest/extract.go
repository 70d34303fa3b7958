package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxExtract bounds an extract, in runes.
const maxExtract = 400

// Extract returns the first n sentences of text, leaving out a first
// paragraph that only repeats the title. It cuts at a word, with "…",
// when the sentences run past maxExtract runes.
func Extract(title, text string, n int) string {
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, "\n")
	// Only a first line about the title's length can repeat it.
	if len(first) <= 2*len(title)+16 && sameText(first, title) {
		text = strings.TrimSpace(rest)
	}
	text = strings.Join(strings.Fields(text), " ")
	end := 0
	for i := 0; i < n && end < len(text); i++ {
		e := sentenceEnd(text[end:])
		if e < 0 {
			end = len(text)
			break
		}
		end += e
	}
	out := strings.TrimSpace(text[:end])
	if utf8.RuneCountInString(out) > maxExtract {
		out = CutAtWord(out, maxExtract) + "…"
	}
	return out
}

// sameText tells whether two strings are the same words, ignoring case,
// spacing and punctuation.
func sameText(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	na := norm(a)
	return na != "" && na == norm(b)
}

// sentenceEnd returns the length of s's first sentence with the space
// after it, or -1 when s holds one sentence only. A sentence ends at .,
// !, ? or … (and closing quotes or brackets) followed by a space and a
// capital, digit or opening quote; a full stop after a single letter or a
// short capitalised abbreviation (N. Nazarbayev, Mr., г.) ends none.
func sentenceEnd(s string) int {
	for i, r := range s {
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(s) {
			c, w := utf8.DecodeRuneInString(s[j:])
			if !strings.ContainsRune(".!?…\"'»”’)]", c) {
				break
			}
			j += w
		}
		if j >= len(s) || s[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[j+1:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("\"'«“„(", next) {
			continue
		}
		if r == '.' && abbreviation(s[:i]) {
			continue
		}
		return j + 1
	}
	return -1
}

// abbreviation tells whether the word before a full stop is an initial or
// a short abbreviation rather than the end of a sentence.
func abbreviation(before string) bool {
	k := strings.LastIndexAny(before, " (\"«")
	word := before[k+1:]
	n := utf8.RuneCountInString(word)
	if n == 0 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(word)
	switch {
	case n == 1 && unicode.IsLetter(first):
		return true // an initial, or "г." (year) and "т." in Russian
	case n <= 3 && unicode.IsUpper(first) && !strings.ContainsFunc(word, unicode.IsDigit):
		return abbreviations[strings.ToLower(word)]
	case n <= 4:
		return abbreviations[strings.ToLower(word)]
	}
	return false
}

// abbreviations are the short words news text ends with a full stop in
// the middle of a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "vs": true, "no": true, "gen": true,
	"col": true, "lt": true, "sgt": true, "prof": true, "dec": true, "jan": true, "feb": true, "aug": true,
	"sept": true, "oct": true, "nov": true, "ул": true, "гг": true, "им": true, "тыс": true, "млн": true,
	"млрд": true, "руб": true, "др": true, "пр": true, "см": true, "ст": true, "обл": true, "жж": true,
}

// CutAtWord returns s cut to at most n runes, at the last space before.
func CutAtWord(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			s = s[:k]
			break
		}
		i++
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:-–—")
}
