package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scriptRule recognises Kyrgyz and Uzbek, which lingua-go has no models
// for, by the letters that set them apart from Kazakh, Russian and
// Ukrainian. It reports decided=false when the letters say nothing, and
// decided=true with code "" when they point at Kyrgyz or Mongolian without
// a way to tell which.
//
//   - Kazakh writes ә і ғ қ ң ө ұ ү һ; Kyrgyz only ң ө ү; Mongolian ө ү;
//     Uzbek Cyrillic ў қ ғ ҳ; Belarusian ў and і (ў alone is not Uzbek).
//   - Uzbek Latin writes oʻ and gʻ (often typed o' g' or o‘ g‘).
//
// Text with Russian function words is left to lingua, as are texts where
// the letters are too few. Thresholds are shares of the letters, so that a
// Russian article quoting a Kyrgyz or Uzbek name is not relabelled; they
// were checked against the lingua test sentences of all 16 languages in
// the corpus (no sentence is relabelled ky or uz; 1 Kazakh sentence in
// 1,000 becomes "").
func scriptRule(s string) (code string, decided bool) {
	var cyr, kazakh, qg, kyrgyz, ng, uzbek, latinWords, apos int
	prevLatin := false
	for i, r := range s {
		latin := unicode.Is(unicode.Latin, r)
		if latin && !prevLatin {
			latinWords++
		}
		prevLatin = latin
		if unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r) {
			cyr++
		}
		switch unicode.ToLower(r) {
		case 'ә', 'і', 'ұ', 'һ':
			kazakh++
		case 'ғ', 'қ':
			qg++
		case 'ө', 'ү':
			kyrgyz++
		case 'ң':
			kyrgyz++
			ng++
		case 'ў', 'ҳ':
			uzbek++
		case 'o', 'g':
			if uzbekApostrophe(s[i+1:]) {
				apos++
			}
		}
	}
	cyrillicRule := cyr >= minLetters && !russianWords(s)
	switch {
	case cyrillicRule && uzbek > 0 && qg > 0 && (uzbek+qg)*100 >= cyr && (kazakh+kyrgyz)*200 < cyr:
		return "uz", true
	case cyrillicRule && kyrgyz >= 2 && kyrgyz*100 >= cyr && (kazakh+qg)*200 < cyr && uzbek == 0:
		if ng > 0 {
			return "ky", true
		}
		return "", true // Kyrgyz or Mongolian
	case apos >= 2 && apos*25 >= latinWords:
		return "uz", true
	}
	return "", false
}

// uzbekApostrophe reports whether rest (what follows an o or g) starts
// with the oʻ/gʻ apostrophe and a lower-case letter, as in "oʻzbek",
// "to'g'ri"; Irish names (O'Brien) and possessives (dog's) do not count.
func uzbekApostrophe(rest string) bool {
	r, n := utf8.DecodeRuneInString(rest)
	switch r {
	case 'ʻ', '‘', '’', '\'', '`':
	default:
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest[n:])
	return unicode.IsLower(next) && next != 's'
}

// russianStop are frequent Russian words that Kyrgyz, Uzbek and Mongolian
// do not have.
var russianStop = map[string]bool{
	"в": true, "и": true, "на": true, "не": true, "что": true, "с": true,
	"по": true, "из": true, "для": true, "как": true, "это": true, "от": true,
	"за": true, "он": true, "она": true,
	"был": true, "была": true, "были": true, "также": true, "его": true,
}

// russianWords reports whether at least one word in twenty of s is a
// Russian function word.
func russianWords(s string) bool {
	words, stop := 0, 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		words++
		if russianStop[strings.ToLower(w)] {
			stop++
		}
	}
	return stop > 0 && stop*20 >= words
}
