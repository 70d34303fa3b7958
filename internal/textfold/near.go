package textfold

import "unicode/utf8"

// Misspellings: coverage writes names in ways no transliteration table
// foresees. The campaign's own appeals write Жанаозен "Zhenaozen" and
// "Zhenazoen"; French writes ш as "ch" (Kouramchine, which folds to
// "kuramčin" where Kuramshin folds to "kuramšin") and ж inside a word as
// "j" (Nourjan, "nurian", against Nurzhan's "nurzan"); the French j of
// Jeltoqsan is read as the German glide й and dropped, where Zheltoqsan
// keeps "š". Near says when two keys are such spellings of one name.

// Bounds of Near, tuned on the development half of
// index/testdata/misspellings (see index/misspell_test.go).
const (
	// MinNear is the length, in letters, of the shortest key Near
	// compares: below it a name and another word differ by too little.
	MinNear = 6
	// MinTypoKey is the length of the shortest key that may have a typo
	// (a letter left out, added, changed or two letters swapped): the
	// six letters of Nurzhan and Nurlan, Kozlov and Kozlev are other
	// people's. On the development half 7 found the names set's Polish
	// and German spellings of seven-letter keys too (recall 0.910
	// against 0.903 with 8, the same wrong finds), 9 lost Zhanaozen's
	// typos (recall 0.833 against 0.958).
	MinTypoKey = 7
	// maxTypos is the number of typos a key of MinTypoKey letters or more
	// may have: Zhenazoen has two (e for a, zo for oz).
	maxTypos = 2
	// maxVariants is the number of spelling variants (variant) a key
	// may have.
	maxVariants = 2
)

// Near reports whether the keys a and b (as Key gives them) are two
// spellings of one name: they differ, both have at least MinNear letters,
// start and end with the same letter, and differ only by spelling
// variants (French ch for ш, j for ж: at most maxVariants) and, when a has at least
// MinTypoKey letters, by at most maxTypos typos, counting two swapped
// neighbours as one. The ends are kept on purpose: a name's ending says
// its gender (Sokolov and Sokolova, Kowalski and Kowalska), and a
// misspelling rarely falls on the first letter.
//
// The exception to the first letter is the French j of ж at the start
// before e or i, which folding drops as a glide (Jeltoqsan "eltoksan",
// Zheltoqsan "šeltoksan"): a key starting with "š" is near the same key
// without it.
//
// Near is symmetric in what it accepts for keys of the same length and is
// meant for a query's key (a) against the keys of an index's dictionary
// (b). It is pure and allocates only for keys longer than 32 letters.
func Near(a, b string) bool {
	if a == b {
		return false
	}
	var ba, bb [32]rune
	ra, rb := runes(ba[:0], a), runes(bb[:0], b)
	if len(ra) < MinNear || len(rb) < MinNear {
		return false
	}
	// the dropped French j: compare without the š
	if ra[0] == 'š' && rb[0] != 'š' {
		ra = ra[1:]
	} else if rb[0] == 'š' && ra[0] != 'š' {
		rb = rb[1:]
	}
	if ra[0] != rb[0] || ra[len(ra)-1] != rb[len(rb)-1] {
		return false
	}
	typos := 0
	if utf8.RuneCountInString(a) >= MinTypoKey {
		typos = maxTypos
	}
	t, v := distance(ra, rb)
	return t <= typos && v <= maxVariants
}

func runes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// variant reports whether x and y are letters of the folded alphabet that
// one spelling of a name gives where another gives the other: French ch
// (č before a vowel) for ш (š); French j (i inside a word) for ж (z).
func variant(x, y rune) bool {
	switch {
	case x > y:
		x, y = y, x
	}
	return x == 'č' && y == 'š' || x == 'i' && y == 'z'
}

// distance returns the fewest typos and, among the alignments with that
// many, the fewest variants that turn a into b: the optimal string
// alignment distance, where a variant substitution costs no typo and two
// swapped neighbours cost one.
func distance(a, b []rune) (typos, variants int) {
	type cell struct{ t, v int }
	less := func(x, y cell) bool { return x.t < y.t || x.t == y.t && x.v < y.v }
	w := len(b) + 1
	var buf [34 * 34]cell
	d := buf[:0]
	if (len(a)+1)*w > len(buf) {
		d = make([]cell, 0, (len(a)+1)*w)
	}
	d = d[:(len(a)+1)*w]
	for j := range w {
		d[j] = cell{t: j}
	}
	for i := 1; i <= len(a); i++ {
		d[i*w] = cell{t: i}
		for j := 1; j <= len(b); j++ {
			best := d[(i-1)*w+j-1]
			switch {
			case a[i-1] == b[j-1]:
			case variant(a[i-1], b[j-1]):
				best.v++
			default:
				best.t++
			}
			for _, c := range []cell{{d[(i-1)*w+j].t + 1, d[(i-1)*w+j].v}, {d[i*w+j-1].t + 1, d[i*w+j-1].v}} {
				if less(c, best) {
					best = c
				}
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if c := (cell{d[(i-2)*w+j-2].t + 1, d[(i-2)*w+j-2].v}); less(c, best) {
					best = c
				}
			}
			d[i*w+j] = best
		}
	}
	c := d[len(a)*w+len(b)]
	return c.t, c.v
}
