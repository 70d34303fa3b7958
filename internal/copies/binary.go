package copies

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// version is the first byte of a sketch blob. It names the parameters
// too: sketches built with other parameters do not compare, so changing
// any of defaults means a new version, and the store re-sketches the
// articles whose blobs UnmarshalSketch refuses.
const version = 1

// ErrBadSketch is the error UnmarshalSketch wraps for bytes that are not
// a sketch of this version.
var ErrBadSketch = errors.New("copies: bad sketch")

// MarshalBinary encodes s for a BLOB column: the version byte, the number
// of distinct shingles (uvarint), then for a non-Empty sketch the 32 band
// keys (8 bytes each) and the sample (a uvarint count, 4 bytes each). A
// full sketch is 1,283-1,285 bytes; a text of fewer than 256 distinct shingles
// takes 4 bytes fewer per missing one; an Empty sketch is 2-3 bytes.
// The error is always nil; it is there for encoding.BinaryMarshaler.
func (s Sketch) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 1+3*binary.MaxVarintLen32+8*len(s.bands)+4*len(s.sample))
	b = append(b, version)
	b = binary.AppendUvarint(b, uint64(s.shingles))
	if s.Empty() {
		return b, nil
	}
	for _, k := range s.bands {
		b = binary.LittleEndian.AppendUint64(b, uint64(k))
	}
	b = binary.AppendUvarint(b, uint64(len(s.sample)))
	for _, h := range s.sample {
		b = binary.LittleEndian.AppendUint32(b, h)
	}
	return b, nil
}

// UnmarshalSketch decodes what MarshalBinary wrote. Bytes of another
// version, cut short, with trailing bytes, or whose parts disagree (a
// sample not strictly ascending, or not of the size the shingle count
// implies) give an error wrapping ErrBadSketch, never a Sketch that
// would compare wrongly.
func UnmarshalSketch(b []byte) (Sketch, error) {
	if len(b) == 0 {
		return Sketch{}, fmt.Errorf("%w: no bytes", ErrBadSketch)
	}
	if b[0] != version {
		return Sketch{}, fmt.Errorf("%w: version %d, want %d", ErrBadSketch, b[0], version)
	}
	p := defaults
	b = b[1:]
	n, b, err := uvarint(b, "shingle count", 1<<31)
	if err != nil {
		return Sketch{}, err
	}
	s := Sketch{shingles: int(n)}
	if s.shingles < p.minShingles {
		if len(b) != 0 {
			return Sketch{}, fmt.Errorf("%w: %d bytes after a short text's sketch", ErrBadSketch, len(b))
		}
		return s, nil
	}
	if len(b) < 8*p.bands {
		return Sketch{}, fmt.Errorf("%w: band keys cut short", ErrBadSketch)
	}
	s.bands = make([]int64, p.bands)
	for i := range s.bands {
		s.bands[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	b = b[8*p.bands:]
	m, b, err := uvarint(b, "sample size", uint64(p.keep))
	if err != nil {
		return Sketch{}, err
	}
	if want := min(s.shingles, p.keep); int(m) != want {
		return Sketch{}, fmt.Errorf("%w: sample of %d for %d shingles, want %d", ErrBadSketch, m, s.shingles, want)
	}
	if len(b) != 4*int(m) {
		return Sketch{}, fmt.Errorf("%w: sample of %d takes %d bytes, have %d", ErrBadSketch, m, 4*m, len(b))
	}
	s.sample = make([]uint32, m)
	for i := range s.sample {
		s.sample[i] = binary.LittleEndian.Uint32(b[4*i:])
		if i > 0 && s.sample[i] <= s.sample[i-1] {
			return Sketch{}, fmt.Errorf("%w: sample not ascending at %d", ErrBadSketch, i)
		}
	}
	return s, nil
}

func uvarint(b []byte, what string, limit uint64) (uint64, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) {
		return 0, nil, fmt.Errorf("%w: %s unreadable", ErrBadSketch, what)
	}
	if v > limit {
		return 0, nil, fmt.Errorf("%w: %s %d over %d", ErrBadSketch, what, v, limit)
	}
	return v, b[n:], nil
}
