package textfold

import (
	"strings"
	"unicode/utf8"
)

// MinStem is the fewest letters Stem leaves: an ending is only removed when
// at least this many letters remain, so short words (and short names such
// as Shetpe, Aktau) are never cut.
const MinStem = 5

// An ending is an inflection Stem may remove, spelt in the folded
// alphabet (я → ia, ы → i, й → i, х → x, ch at the end → č).
type ending struct {
	suffix string
	when   stemContext
}

type stemContext uint8

const (
	afterAny       stemContext = iota
	afterConsonant             // the letter before is a consonant
	afterVowel                 // the letter before is a vowel
	afterN                     // the letter before is n (see kazakh)
	notAfterS                  // the letter before is not s
	afterConsNotS              // a consonant other than s, š
)

// kazakh are the case suffixes Kazakh (and Kyrgyz) add to any word,
// names included, in their folded spelling (ы і → i, ғ → g, қ → k, ң →
// n). Stem removes one of them first:
//   - locative + relative -дағы -дегі -тағы -тегі (Ақтаудағы, Жаңаөзендегі);
//   - locative -да -де -та -те (Жаңаөзенде);
//   - genitive -дың -дің -тың -тің (Назарбаевтың, Ақтаудың);
//   - dative -ға -ге -қа -ке (Ақтауға, Назарбаевқа);
//   - accusative -ды -ді -ты -ті (Жаңаөзенді);
//   - ablative -дан -ден -тан -тен (not after s: -stan is the name);
//   - instrumental -мен -бен -пен (Назарбаевпен);
//   - possessive -сы -сі after a vowel, folded -zi (Шетпесі).
//
// After n, the n-initial forms -ның -нің -нан -нен lose their n to the
// collapse of doubled letters (Жаңаөзеннің → "šanaozenin"), so after n
// only -ің -ан -ен are removed. The n-forms after a vowel (Шетпенің),
// the -на/-не dative and -ны/-ні accusative are not removed: they cannot
// be told from a Russian -на/-не ending or an n-final stem.
var kazakh = []ending{
	{"dagi", afterAny}, {"degi", afterAny}, {"tagi", afterAny}, {"tegi", afterAny},
	{"din", afterAny}, {"tin", afterAny},
	{"dan", afterAny}, {"den", afterAny}, {"tan", notAfterS}, {"ten", afterAny},
	{"men", afterAny}, {"ben", afterAny}, {"pen", afterAny},
	{"da", afterAny}, {"de", afterAny}, {"ta", afterAny}, {"te", afterAny},
	{"ga", afterAny}, {"ge", afterAny}, {"ka", afterAny}, {"ke", afterAny},
	{"di", afterAny}, {"ti", afterAny}, {"zi", afterVowel},
	{"in", afterN}, {"an", afterN}, {"en", afterN},
}

// inflections are the Russian, Polish (and Ukrainian) noun and adjective
// endings and the German genitive -s, removed after the Kazakh suffix so
// that Жанарту and Жанартудың meet (both end as šanart). The longest
// that leaves MinStem letters wins:
//   - adjectives of places: -ской -ская -ский -ского ... (Мангистауской
//     → Мангистау), Polish -ski -skiego -skiej -ska;
//   - adjectives: -ого -его -ому -ему -ими -ыми -ая -ое -ую -ою -ею;
//   - nouns: -ами -ями -ах -ях -ых -ом -ем -ам -ям -им -ым -ой -ей -ию -ия
//     -ие -ью -ья -ю -я, Polish -owi -ewi -iem -iu (Żanaozeniu); not Polish
//     -ach -ych (-ač -ič), which would cut -ович (Ivanovich → ivanov);
//   - one vowel -а -е -и -ы -о -у (Курамшина, Курамшину, Nazarbajewa,
//     Соколовой → sokolov), only after a consonant: names ending in a
//     vowel after a vowel (Aktau, Mangistau) are left whole;
//   - German genitive -s after a consonant other than s (Nasarbajews),
//     which also takes English plurals of names (Kazakhs). Not -en, -er,
//     -e: they would cut names (Zhanaozen, Schanaosen).
//
// Surname suffixes (-ov, -ev, -in) and -ов, the Russian genitive plural,
// are never removed: Kurmanov and Kuramshin are the stems.
var inflections = []ending{
	{"skogo", afterAny}, {"skomu", afterAny}, {"skaia", afterAny}, {"skuiu", afterAny},
	{"skimi", afterAny}, {"skiego", afterAny}, {"skiemu", afterAny}, {"skiei", afterAny},
	{"skoi", afterAny}, {"skie", afterAny}, {"skoe", afterAny}, {"skix", afterAny},
	{"skič", afterAny}, {"skim", afterAny}, {"skom", afterAny}, {"ska", afterAny},
	{"ski", afterAny},
	{"iami", afterAny}, {"ami", afterAny}, {"imi", afterAny},
	{"ogo", afterAny}, {"ego", afterAny}, {"omu", afterAny}, {"emu", afterAny},
	{"aia", afterAny}, {"uiu", afterAny}, {"oiu", afterAny}, {"eiu", afterAny},
	{"iax", afterAny}, {"iei", afterAny}, {"iem", afterAny}, {"iam", afterAny},
	{"ovi", afterAny}, {"evi", afterAny},
	{"ax", afterAny}, {"ix", afterAny},
	{"om", afterAny}, {"em", afterAny}, {"am", afterAny}, {"im", afterAny},
	{"oi", afterAny}, {"ei", afterAny}, {"oe", afterAny},
	{"ia", afterAny}, {"iu", afterAny}, {"ie", afterAny},
	{"a", afterConsonant}, {"e", afterConsonant}, {"i", afterConsonant},
	{"o", afterConsonant}, {"u", afterConsonant},
	{"s", afterConsNotS},
}

// Stem removes inflection endings from a folded word (Fold's result): at
// most one Kazakh case suffix, then at most one Russian, Polish or German
// ending (the lists above say which and why), each only when MinStem
// letters remain. It knows nothing of names: Key applies the name rule
// (names.go) first. A stem left ending in z ends in s, as Fold spells a
// final z (Озенмунайгаза → ozenmunaigaz → ozenmunaigas); only then does
// Stem allocate, otherwise it returns a prefix of folded.
// Call it on Fold's result only; Key does both.
func Stem(folded string) string {
	s := strip(strip(folded, &kazakhByLast), &inflectionsByLast)
	if len(s) < len(folded) && s[len(s)-1] == 'z' {
		return s[:len(s)-1] + "s" // Fold's final z: Озенмунайгаза → ...gas
	}
	return s
}

// Key is the form the index stores for each token in the folded field and
// the form a query term is looked up by: Stem(Fold(token)), unless the
// name rule (names.go) knows the word's shape as a surname and gives it
// the key of its gender. An English possessive 's is removed first.
// Жанаозене, Żanaozeniu and Zhanaozen all give "šanaozen"; Назарбаевтың,
// Nasarbajews and Nazarbayev's give "nazarbaev"; Назарбаевой, Nazarbayeva
// and Nasarbajewej give "nazarbaeva".
func Key(token string) string {
	token = possessiveS(token)
	folded := Fold(token)
	if k, ok := gendered(folded, token); ok {
		return k
	}
	return Stem(folded)
}

// byLast indexes a list of endings by their last byte, so that strip
// only tries the few that can match.
type byLast [256][]ending

func index(list []ending) (t byLast) {
	for _, e := range list {
		last := e.suffix[len(e.suffix)-1]
		t[last] = append(t[last], e)
	}
	return t
}

var kazakhByLast, inflectionsByLast = index(kazakh), index(inflections)

// strip removes the longest ending of list whose context holds and that
// leaves at least MinStem letters.
func strip(w string, list *byLast) string {
	if w == "" {
		return w
	}
	best := 0
	for _, e := range list[w[len(w)-1]] {
		if len(e.suffix) <= best || !strings.HasSuffix(w, e.suffix) {
			continue
		}
		stem := w[:len(w)-len(e.suffix)]
		if utf8.RuneCountInString(stem) >= MinStem && e.when.holds(stem) {
			best = len(e.suffix)
		}
	}
	return w[:len(w)-best]
}

func (c stemContext) holds(stem string) bool {
	last, _ := utf8.DecodeLastRuneInString(stem)
	vowel := last < utf8.RuneSelf && isVowel(byte(last))
	letter := last >= 'a' && last <= 'z' || last == 'š' || last == 'č'
	switch c {
	case afterConsonant:
		return letter && !vowel
	case afterVowel:
		return vowel
	case afterN:
		return last == 'n'
	case notAfterS:
		return last != 's'
	case afterConsNotS:
		return letter && !vowel && last != 's' && last != 'š'
	}
	return true
}
