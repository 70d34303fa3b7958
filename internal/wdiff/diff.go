package wdiff

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op says what a Segment does to the old text.
type Op int8

// The operations of a Segment.
const (
	Equal  Op = iota // in both texts
	Delete           // only in the old text
	Insert           // only in the new text
)

// String returns "equal", "delete" or "insert".
func (o Op) String() string {
	switch o {
	case Delete:
		return "delete"
	case Insert:
		return "insert"
	}
	return "equal"
}

// Segment is a run of text that the two texts share, or that only one of
// them has. Segments always begin and end on token boundaries: a word is
// never cut in two.
type Segment struct {
	Op   Op
	Text string
}

// timeout bounds the search for the smallest diff; past it go-diff
// returns a correct but coarser diff (a longer run deleted and inserted).
const timeout = time.Second

// Diff returns the word-level diff from old to new: concatenating the
// Equal and Delete segments gives old, the Equal and Insert segments give
// new, byte for byte. Adjacent segments never share an Op, and a change
// is given as its Delete before its Insert.
//
// The texts are split into tokens (a word is a run of letters, digits and
// combining marks in any script; a run of whitespace is one token, line
// breaks included; every other character is a token of its own), each
// distinct token is mapped to one rune, as go-diff's line mode does for
// lines, and go-diff compares the rune strings and cleans the result up
// semantically, so that a change reads as whole phrases replaced rather
// than as scattered shared words. The search stops after one second and
// keeps the diff it has.
func Diff(old, new string) []Segment {
	ta, tb := tokenize(old), tokenize(new)
	ra, rb, vocab, ok := encode(ta, tb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	var diffs []diffmatchpatch.Diff
	if ok {
		diffs = dmp.DiffMainRunes(ra, rb, false)
	} else {
		// More distinct tokens than runes: diff by characters instead.
		diffs = dmp.DiffMain(old, new, false)
		vocab = nil
	}
	if len(diffs) > maxFragments {
		diffs = coarsen(diffs)
	}
	diffs = dmp.DiffCleanupSemantic(diffs)
	return decode(diffs, vocab)
}

// maxFragments is the number of diffs above which coarsen runs before
// go-diff's semantic cleanup, whose cost grows with the square of the
// number of diffs: two unrelated 50 KB articles give some 10,000
// fragments (their shared spaces, commas and "the"s) and took 2 s to
// clean up. A few edits give a few dozen.
const maxFragments = 1000

// coarsen folds every equality of one or two tokens that sits between
// two changes into the changes around it, as the semantic cleanup would
// do with it anyway, in one pass.
func coarsen(diffs []diffmatchpatch.Diff) []diffmatchpatch.Diff {
	var out []diffmatchpatch.Diff
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffDelete, Text: del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffInsert, Text: ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for i, d := range diffs {
		switch {
		case d.Type == diffmatchpatch.DiffDelete:
			del.WriteString(d.Text)
		case d.Type == diffmatchpatch.DiffInsert:
			ins.WriteString(d.Text)
		case del.Len()+ins.Len() > 0 && i+1 < len(diffs) && utf8.RuneCountInString(d.Text) <= 2:
			del.WriteString(d.Text)
			ins.WriteString(d.Text)
		default:
			flush()
			out = append(out, d)
		}
	}
	flush()
	return out
}

// Count returns the number of words in the Delete and in the Insert
// segments of segs.
func Count(segs []Segment) (removed, added int) {
	for _, s := range segs {
		switch s.Op {
		case Delete:
			removed += countWords(s.Text)
		case Insert:
			added += countWords(s.Text)
		}
	}
	return removed, added
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenize splits s into words, whitespace runs and single other
// characters; the tokens concatenate to s.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := isWordRune(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// maxTokens is the number of runes available as token codes: every code
// point but the surrogates, which do not survive a round trip through a
// Go string (go-diff's cleanup works on strings).
const maxTokens = utf8.MaxRune + 1 - (0xE000 - 0xD800)

func codeRune(i int) rune {
	if i >= 0xD800 {
		return rune(i + 0xE000 - 0xD800)
	}
	return rune(i)
}

func runeCode(r rune) int {
	if r >= 0xE000 {
		return int(r) - (0xE000 - 0xD800)
	}
	return int(r)
}

// encode maps each distinct token to a rune; ok is false if there are
// more distinct tokens than runes.
func encode(ta, tb []string) (ra, rb []rune, vocab []string, ok bool) {
	index := make(map[string]int, len(ta))
	enc := func(toks []string) []rune {
		out := make([]rune, len(toks))
		for i, t := range toks {
			c, seen := index[t]
			if !seen {
				c = len(vocab)
				index[t] = c
				vocab = append(vocab, t)
			}
			out[i] = codeRune(c)
		}
		return out
	}
	ra, rb = enc(ta), enc(tb)
	return ra, rb, vocab, len(vocab) <= maxTokens
}

// decode turns go-diff's diffs back into text (through vocab, unless it
// is nil) and merges neighbours with the same Op.
func decode(diffs []diffmatchpatch.Diff, vocab []string) []Segment {
	var segs []Segment
	var b strings.Builder
	for _, d := range diffs {
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = Delete
		case diffmatchpatch.DiffInsert:
			op = Insert
		}
		text := d.Text
		if vocab != nil {
			b.Reset()
			for _, r := range d.Text {
				b.WriteString(vocab[runeCode(r)])
			}
			text = b.String()
		}
		if text == "" {
			continue
		}
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += text
			continue
		}
		segs = append(segs, Segment{Op: op, Text: text})
	}
	return segs
}
