package quality

import (
	"crypto/sha256"
	"path"
)

// Half is one of the two halves every tuning corpus is split into, once,
// by a hash of each file's name: rules are tuned on Dev only, and Test
// is what the figures and the floors of the quality tests report. Nobody
// reads Test's misses page by page.
type Half int

// The halves. All is both, for figures that compare with published ones.
const (
	All Half = iota
	Dev
	Test
)

func (h Half) String() string {
	switch h {
	case Dev:
		return "dev"
	case Test:
		return "test"
	}
	return "all"
}

// HalfOf is the half the corpus file name (its base name: the split does
// not move when a corpus folder does) belongs to: the low bit of the
// first byte of its SHA-256, 0 for Dev and 1 for Test. (Not FNV's low
// bit: that is only the parity of the name's odd bytes.)
func HalfOf(name string) Half {
	if sha256.Sum256([]byte(path.Base(name)))[0]&1 == 0 {
		return Dev
	}
	return Test
}

// In tells whether the file name belongs to h (every name is in All).
func (h Half) In(name string) bool { return h == All || HalfOf(name) == h }
