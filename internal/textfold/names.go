package textfold

import "strings"

// The name rule: Key keeps a surname's gender. Russian (and Ukrainian,
// Bulgarian, Kazakh, Polish, German ...) writers give a woman the
// feminine form of her family's surname, so Sokolov and Sokolova,
// Nazarbayev and Nazarbayeva, Kowalski and Kowalska, Sarsenuly and
// Sarsenkyzy are different people. Stripping endings alone would give one
// key for both; instead each paradigm gets its own key:
//
//   - surnames in -ov, -ev (-ёв) and -in, with at least MinStem letters:
//     the masculine forms Соколов, Соколову, Соколовым, Соколове,
//     Соколовых, Polish Sokołowem, Sokołowowi, Sokołowie,
//     German Sokolows, Kazakh Соколовтың, Соколовқа ... key "sokolov";
//     the feminine forms Соколова, Соколовой, Соколовою (Sokolovoy,
//     Sokolovoi, Sokolovoj), Polish Sokołowa, Sokołowej, Sokołową,
//     Kazakh Соколованың, Соколоваға, Соколовамен, Соколовада,
//     Соколовадан key "sokolova";
//   - adjectival surnames in -ский/-ski after -ov, -ev, -in or -al:
//     masculine Жуковский, Жуковского, Жуковскому, Жуковским,
//     Жуковском, Polish Kowalski, Kowalskiego, Kowalskiemu, Kowalskim key
//     "šukovski", "kovalski"; feminine Жуковская, Жуковской, Жуковскую,
//     Polish Kowalska, Kowalskiej, Kowalską key "šukovska", "kovalska";
//   - Kazakh patronymic surnames in -ұлы "son of" and -қызы "daughter
//     of", with their case endings (Сәрсенұлының, Сәрсенұлына,
//     Сәрсенұлын, Сәрсенұлымен, Сәрсенқызының ...): "sarsenuli" and
//     "sarsenkizi".
//
// Two forms belong to both paradigms of -ov, -ev, -in, and a key without
// context must choose:
//   - -ова is the feminine nominative and the masculine genitive and
//     accusative (Соколова: Natalia Sokolova, or "a goal of Sokolov's"),
//     likewise Polish Sokołowa. It keys as feminine: a query is typed in
//     the nominative, and a query for the man must not find the woman.
//     The price: a query for Sokolov misses the man's genitive and
//     accusative in Russian and Polish text, and a query for Sokolova
//     finds them. In running Russian text the masculine reading is the
//     more frequent one; Kazakh, English, German and the Romance
//     languages never decline a man's name that way.
//   - -ову is the masculine dative and the feminine accusative. It keys
//     as masculine: the woman keeps five of her six cases (-а, and -ой for
//     four), the man would otherwise keep only the nominative,
//     instrumental and prepositional. Tuned on the development half of
//     index/testdata/names (see index/names_test.go).
//
// The rule applies to any word of these shapes, not only to names (the
// folded field has no capital letters to tell them): common nouns in
// -ова, -ина, -ева (голова, машина, Украина) and masculine ones in -ов,
// -ин (остров, магазин) no longer meet their genitive (острова) or other
// cases in the folded field; the language fields' stemmers still bring
// them together within a language. Adjectives of places in -ский after a
// vowel, -stan or -ar (Мангистауской, казахстанский, Павлодарская) still
// meet the place; after -ov, -ev, -in, -al they are taken for surnames
// (Алматинская and алматинский, Polish krakowski and krakowska now
// differ).
//
// Not covered: -цкий/-cki (Высоцкий, Sawicka) and masculine -ской
// (Трубецкой keys as feminine); Russian -ына (Синицына: folded it is
// Kazakh -ына, жұмысына); the Kazakh accusative Соколованы (folded it
// is Russian -овании); the plural Соколовы ("sokol", as before).

// surnameSuffixes end the stem of a possessive surname, in the folded
// alphabet (ёв is "iov", which ends in "ov").
var surnameSuffixes = []string{"ov", "ev", "in"}

// feminineEndings follow a possessive surname in its feminine forms:
// Russian -а, -ой (Sokolovoy, Sokolovoi, Sokolovoj all fold to -oi),
// -ою; Polish -ej after -ow, -ew only (ą folds to a); the feminine -а with a Kazakh case
// suffix: genitive -ның, dative -ға, locative -да, ablative -дан,
// instrumental -мен. Not the Kazakh accusative -ны: -ovani is also the
// folded Russian -овании, -ований (образовании). The masculine forms
// need no rule of their own: the inflections and Kazakh suffixes Stem
// removes bring Соколову, Соколовым, Соколове, Соколовы, Sokołowem,
// Sokołowowi, Sokołowie, Sokolows and Соколовтың to "sokolov".
var feminineEndings = []string{"a", "oi", "oiu", "anin", "aga", "ada", "adan", "amen"}

// adjectiveStems end the stem of an adjectival surname (Жуков-ский,
// Kowal-ski, Kamiń-ski, Dostoev-sky). After other letters -ский is taken
// for the adjective of a place and removed as before (Мангистауской,
// казахстанский, Павлодарская).
var adjectiveStems = []string{"ov", "ev", "in", "al"}

// The forms of -ский/-ski in the folded alphabet (ий and ый fold to i,
// ая to aia, ую to uiu), feminine and masculine.
var (
	skiFeminine  = []string{"skaia", "ska", "skoi", "skuiu", "skoiu", "skiei"}
	skiMasculine = []string{"ski", "skogo", "skomu", "skim", "skom", "skie", "skix", "skimi", "skiego", "skiemu"}
)

// kazakhPatronymic are the Kazakh endings after ұлы and қызы, which take
// the possessive forms of the cases: genitive -ның, dative -на, accusative
// -н, instrumental -мен, ablative -нан, locative -нда.
var kazakhPatronymic = []string{"", "nin", "na", "n", "men", "nan", "nda"}

// feminine returns the key of the feminine forms of a possessive surname
// (the stem and "a": Соколовой → "sokolova"), and false for other words.
func feminine(w string) (string, bool) {
	for _, end := range feminineEndings {
		if stem, ok := strings.CutSuffix(w, end); ok && surnameStem(stem) {
			return stem + "a", true
		}
	}
	if stem, ok := strings.CutSuffix(w, "ei"); ok && surnameStem(stem) && !strings.HasSuffix(stem, "in") {
		return stem + "a", true // Polish Sokołowej; not Russian крайней, синей
	}
	return "", false
}

// surnameStem reports whether s ends in -ov, -ev or -in and has at least
// MinStem letters.
func surnameStem(s string) bool {
	if runeCount(s) < MinStem {
		return false
	}
	for _, suf := range surnameSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// adjectival returns the key of an adjectival surname: the stem and "ska"
// for the feminine forms, the stem and "ski" for the masculine ones; false
// for other words.
func adjectival(w string) (string, bool) {
	for _, g := range []struct {
		forms []string
		key   string
	}{{skiFeminine, "ska"}, {skiMasculine, "ski"}} {
		for _, f := range g.forms {
			stem, ok := strings.CutSuffix(w, f)
			if !ok || runeCount(stem) < 4 {
				continue
			}
			for _, s := range adjectiveStems {
				if strings.HasSuffix(stem, s) {
					return stem + g.key, true
				}
			}
		}
	}
	return "", false
}

// patronymic returns the key of a Kazakh -ұлы or -қызы surname, without
// its case ending (Сәрсенұлының → "sarsenuli"); false for other words.
// The father's name before -ұлы has at least four letters.
func patronymic(w string) (string, bool) {
	for _, end := range kazakhPatronymic {
		rest, ok := strings.CutSuffix(w, end)
		if !ok {
			continue
		}
		for _, p := range []string{"uli", "kizi"} {
			if father, ok := strings.CutSuffix(rest, p); ok && runeCount(father) >= 4 {
				return rest, true
			}
		}
	}
	return "", false
}

// gendered returns the key the name rule gives a folded word, and false
// when the word has none of its shapes. token is the word before folding,
// which tells apart what folding merges: Kazakh -ұлы from Russian verbs in
// -ули (втянули) and English -fully, Kazakh -ына (жұмысына, орнына) from
// Russian -ина. An adjectival surname may carry a Kazakh case suffix
// (Жуковскийдің).
func gendered(w, token string) (string, bool) {
	lower := strings.ToLower(token)
	if containsAny(lower, patronymicMarks) {
		if k, ok := patronymic(w); ok {
			return k, true
		}
	}
	if !strings.Contains(lower, "ына") {
		if k, ok := feminine(w); ok {
			return k, true
		}
	}
	if k, ok := adjectival(w); ok {
		return k, true
	}
	if k := strip(w, &kazakhByLast); k != w {
		return adjectival(k)
	}
	return "", false
}

// patronymicMarks are the spellings of ұлы and қызы as a Kazakh surname
// is written in Kazakh, Russian and Latin text (Sarsenuly, Sarsenouly,
// Сарсенулы, Sarsenkyzy, Sarsenqyzy, Sarsenkızı).
var patronymicMarks = []string{"ұлы", "улы", "uly", "ūly", "ulı", "қызы", "кызы", "kyzy", "qyzy", "kızı", "qızı", "qizi"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// possessiveS removes an English possessive 's or ’s from a token
// (Sokolova's, Nazarbayev’s), which the tokenizer keeps with its word,
// when at least three letters are left.
func possessiveS(token string) string {
	for _, s := range []string{"'s", "’s", "'S", "’S"} {
		if rest, ok := strings.CutSuffix(token, s); ok && runeCount(rest) >= 3 {
			return rest
		}
	}
	return token
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// Gendered reports whether token has the shape of a surname whose key
// keeps its gender: a feminine or adjectival form the name rule keys (Соколовой,
// Kowalska), or a key ending as a possessive surname's stem does
// (Sokolov, Соколову). A search looks such a word up by its key and as
// written only: a language's stemmer would merge the genders again
// (Bleve's Russian stemmer makes Соколова, Соколовой and Соколов one
// stem, its Italian one Sokolova and Sokolov).
func Gendered(token string) bool {
	token = possessiveS(token)
	folded := Fold(token)
	if _, ok := gendered(folded, token); ok {
		return true
	}
	return surnameStem(Stem(folded))
}
