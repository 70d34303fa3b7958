package copies

import (
	"encoding/binary"
	"slices"

	"github.com/zeebo/xxh3"
)

// params are the choices a Sketch is built with; doc.go says why these
// values. Changing any of them changes the sketches, so it must come with
// a new blob version (see binary.go).
type params struct {
	shingle     int     // words per shingle
	bands, rows int     // LSH banding of a bands*rows MinHash signature
	keep        int     // verification hashes kept per article (bottom-k)
	minShingles int     // fewer distinct shingles than this: Empty
	threshold   float64 // least containment that Verify calls a copy
}

var defaults = params{shingle: 5, bands: 32, rows: 2, keep: 256, minShingles: 50, threshold: 0.525}

// Sketch is what clustering needs of one article's text: the LSH band keys
// to find candidate copies and a bounded sample of the text's shingles to
// verify them. Build it with NewSketch, store it with MarshalBinary, read
// it back with UnmarshalSketch. The zero Sketch is Empty.
type Sketch struct {
	shingles int      // distinct shingles in the text
	bands    []int64  // one key per band; nil when Empty
	sample   []uint32 // the smallest verification hashes, ascending, at most keep
}

// NewSketch sketches an article's extracted body text (not its title: a
// copy under a new headline must match). Words are folded with textfold,
// so spelling, script and case do not matter; punctuation and line breaks
// do not either. A text of fewer than 50 distinct five-word shingles
// (about 54 words: a teaser of two or three sentences) gives an Empty
// sketch, which never clusters. NewSketch is pure and safe for concurrent
// use; its cost is linear in the text (see BenchmarkNewSketch).
func NewSketch(text string) Sketch { return defaults.sketch(text) }

func (p params) sketch(text string) Sketch {
	hs := shingleHashes(words(text), p.shingle)
	sample := make([]uint32, len(hs))
	for i, h := range hs {
		sample[i] = uint32(h)
	}
	slices.Sort(sample)
	sample = slices.Compact(sample)
	s := Sketch{shingles: len(sample)}
	if s.shingles < p.minShingles {
		return s
	}
	s.sample = slices.Clip(sample[:min(len(sample), p.keep)])
	s.bands = p.bandKeys(p.signature(hs))
	return s
}

// Empty reports whether the text was too short to cluster. An Empty
// sketch has no band keys and Verify never calls it a copy.
func (s Sketch) Empty() bool { return len(s.bands) == 0 }

// BandKeys returns one key per LSH band, the band's number mixed in, so
// that keys of different bands never meet. Two articles whose texts share
// a fraction J of their shingles (Jaccard) share at least one key with
// probability 1-(1-J²)³² (see doc.go). Store them as
// (band key, article id) rows; the articles sharing any key with a new
// one are its candidates, to check with Verify. Empty sketches have none.
// The slice is the sketch's own: do not modify it.
func (s Sketch) BandKeys() []int64 { return s.bands }

// signature is the MinHash signature of the shingle hashes hs: for each of
// bands*rows permutations x -> a*x+b (mod 2⁶⁴, a odd), the least image.
func (p params) signature(hs []uint64) []uint64 {
	n := p.bands * p.rows
	sig := make([]uint64, n)
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	mul, add := perms.mul[:n], perms.add[:n]
	for _, h := range hs {
		for i := range sig {
			if v := mul[i]*h + add[i]; v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

func (p params) bandKeys(sig []uint64) []int64 {
	keys := make([]int64, p.bands)
	buf := make([]byte, 8*(p.rows+1))
	for b := range keys {
		binary.LittleEndian.PutUint64(buf, uint64(b))
		for r := range p.rows {
			binary.LittleEndian.PutUint64(buf[8*(r+1):], sig[b*p.rows+r])
		}
		keys[b] = int64(xxh3.Hash(buf))
	}
	return keys
}

// maxPerms bounds bands*rows.
const maxPerms = 256

// perms are the MinHash permutations: fixed, so that sketches made by any
// process compare. splitmix64 from a constant seed.
var perms = func() (t struct{ mul, add [maxPerms]uint64 }) {
	x := uint64(0x7072657373776174) // "presswat"
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return z ^ z>>31
	}
	for i := range maxPerms {
		t.mul[i] = next() | 1
		t.add[i] = next()
	}
	return t
}()

// Verify compares two sketches and reports the containment of their
// texts, |A∩B| / min(|A|,|B|) over the shingle sets, and whether that
// makes them copies: both non-Empty and containment at least 0.525. A copy
// cut to its first half, or carrying a credit, a footer or another site's
// template, stays well above it; different stories about the same events
// share a few phrases and stay well below (see doc.go for the figures).
// The containment is exact when both texts have at most 256 distinct
// shingles, otherwise estimated from the bottom-256 samples (standard
// error about 0.03 near the threshold). Verify is symmetric and pure.
func Verify(a, b Sketch) (score float64, copy bool) { return defaults.verify(a, b) }

func (p params) verify(a, b Sketch) (float64, bool) {
	if a.Empty() || b.Empty() {
		return 0, false
	}
	c := containment(a, b, p.keep)
	return c, c >= p.threshold
}

// containment estimates |A∩B| / min(|A|,|B|). When both samples are the
// whole sets it counts exactly; otherwise it takes the bottom-k of the
// union of the samples, whose members' presence in A and in B the samples
// know exactly, estimates Jaccard J from it, and turns that into
// |A∩B| = J(|A|+|B|)/(1+J).
func containment(a, b Sketch, k int) float64 {
	exact := len(a.sample) == a.shingles && len(b.sample) == b.shingles
	var union, common int
	i, j := 0, 0
	for i < len(a.sample) || j < len(b.sample) {
		if !exact && union == k {
			break
		}
		switch {
		case j == len(b.sample) || i < len(a.sample) && a.sample[i] < b.sample[j]:
			i++
		case i == len(a.sample) || b.sample[j] < a.sample[i]:
			j++
		default:
			common++
			i++
			j++
		}
		union++
	}
	smaller := float64(min(a.shingles, b.shingles))
	if smaller == 0 || union == 0 {
		return 0
	}
	if exact {
		return float64(common) / smaller
	}
	jac := float64(common) / float64(union)
	inter := jac * float64(a.shingles+b.shingles) / (1 + jac)
	return min(1, inter/smaller)
}
