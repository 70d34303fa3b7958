package textfold

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Symbols of the folded alphabet that stand for a sound class rather than a
// letter. Inside Fold they are single upper-case ASCII bytes (input is
// lower-cased first, so they cannot be confused with input); outSymbol
// spells them in the result.
const (
	symSH = 'S' // ш ж(at the start) щ(first half): sh sz sch ş š ż(at the start)
	symCH = 'C' // ч: ch(before a vowel) cz tsch tch č ç ć
	symKH = 'X' // х һ: kh h x ch(before a consonant)
	symTS = 'T' // ц: ts tz c(not before a/o/u)
)

// outSymbol spells the sound-class symbols in Fold's result. Each spelling
// folds back to its own symbol, which keeps Fold idempotent: š and č are
// single letters, x is always х, and "ts" is always ц.
var outSymbol = [128]string{symSH: "š", symCH: "č", symKH: "x", symTS: "ts"}

// cyrillic maps the lower-case letters of the Cyrillic block (U+0400 to
// U+04FF, indexed from U+0400) to Latin letters for stage two or straight to
// symbols. Letters whose Latin spelling is ambiguous go straight to symbols
// (х, ч, ш, ц, һ); ж goes to "zh" so that the zh rules (start or inside,
// дж) treat Жанаозен exactly like Zhanaozen. Unlisted letters pass through.
var cyrillic = func() (t [0x100]string) {
	set := func(letters string, latin ...string) {
		i := 0
		for _, r := range letters {
			t[r-0x400] = latin[i]
			i++
		}
	}
	// Russian. ь and ъ are dropped (Наталья = Natalya); й and ы are the
	// i-glide and i that y, j and ï become in Latin; я ю є ё are glide +
	// vowel like ya/ja/ia, yu/ju/iu, ye/je/ie, yo/jo/ë.
	set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
		"a", "b", "v", "g", "d", "e", "io", "zh", "z", "i", "i", "k", "l", "m",
		"n", "o", "p", "r", "s", "t", "u", "f", "X", "T", "C", "S", "SC", "",
		"i", "", "e", "iu", "ia")
	// Kazakh (Жаңаөзен = Jañaözen, Маңғыстау = Mangystau, Ақтау = Aqtau),
	// also Kyrgyz (ң ө ү) and Tatar/Bashkir (җ ҙ ҡ ҫ).
	set("әғқңөұүһіҗҙҡҫ", "a", "g", "k", "n", "o", "u", "u", "X", "i", "zh", "z", "k", "s")
	// Ukrainian і ї є ґ; Uzbek ў (= Latin oʻ) and ҳ.
	set("їєґўҳ", "i", "ie", "g", "o", "X")
	// Serbian and Macedonian, for names quoted from them.
	set("ђјљњћџѓќѕ", "dj", "i", "li", "ni", "C", "dzh", "g", "k", "dz")
	return t
}()

// latinSpecial overrides the plain NFD base letter for Latin letters whose
// diacritic or shape carries a transliteration: Polish ż, Czech/Lithuanian
// ž and Kazakh 2018 ż are ж; š ş ș are ш; č ç ć are ч; ë is ё
// (Pugachëv); ə is Azerbaijani/Kazakh ә; ł ø đ ı ß æ œ have no
// decomposition at all.
var latinSpecial = map[rune]string{
	'ż': "zh", 'ž': "zh", 'š': "S", 'ş': "S", 'ș': "S", 'č': "C", 'ç': "C",
	'ć': "C", 'ë': "io", 'ə': "a", 'ł': "l", 'ø': "o", 'đ': "d", 'ð': "d",
	'ı': "i", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ŋ': "n", 'ħ': "h", 'ŀ': "l",
	'ĳ': "ij", 'ſ': "s", 'þ': "th", 'ƒ': "f",
}

// latin maps the Latin-1 Supplement and Latin Extended-A/B letters
// (U+00C0 to U+024F) and Latin Extended Additional (U+1E00 to U+1EFF) to
// their folded spelling: latinSpecial where it has one, else the base
// letter of the canonical decomposition (á ö ñ ń ğ ï ś ź → a o n n g i s z).
var latin = func() map[rune]string {
	m := make(map[rune]string, 700)
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if unicode.ToLower(r) != r {
				continue
			}
			if s, ok := latinSpecial[r]; ok {
				m[r] = s
				continue
			}
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || d[0] >= 0x80 || !unicode.IsLetter(d[0]) {
				continue
			}
			if b := unicode.ToLower(d[0]); b >= 'a' && b <= 'z' && allMarks(d[1:]) {
				m[r] = string(b)
			}
		}
	}
	add(0xC0, 0x24F)
	add(0x1E00, 0x1EFF)
	for r, s := range latinSpecial {
		m[r] = s
	}
	return m
}()

func allMarks(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// dropped are the apostrophes of transliteration, left out of the folded
// form: Uzbek oʻ gʻ (U+02BB, often typed as ‘ or '), the Ukrainian and
// Kazakh 2017 apostrophe (ʼ ’ '), which also stands for ъ and ь.
var dropped = map[rune]bool{'\'': true, 'ʻ': true, 'ʼ': true, '’': true, '‘': true}
