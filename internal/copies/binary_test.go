package copies

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMarshalRoundTrip(t *testing.T) {
	long := siteText(t, "articles/2011/10/04/stop-state-brutality.html")
	tests := map[string]struct {
		text     string
		maxBytes int
	}{
		"empty text":                          {"", 2},
		"a teaser":                            {"Police opened fire in Zhanaozen on 16 December.", 2},
		"a short article, every shingle kept": {siteText(t, "articles/2012/01/09/curfew-extended.html"), 1 + 2 + 8*32 + 2 + 4*153},
		"a long article, bottom 256 kept":     {long, 1 + 2 + 8*32 + 2 + 4*256},
		"a long article twice":                {long + "\n" + strings.ToUpper(long), 1 + 2 + 8*32 + 2 + 4*256},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := NewSketch(tt.text)
			b, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > tt.maxBytes {
				t.Errorf("%d bytes, want at most %d", len(b), tt.maxBytes)
			}
			got, err := UnmarshalSketch(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, s) {
				t.Errorf("round trip changed the sketch: %+v, want %+v", got, s)
			}
			t.Logf("%d shingles, %d bytes", s.shingles, len(b))
		})
	}
}

func TestUnmarshalSketchErrors(t *testing.T) {
	good, _ := NewSketch(siteText(t, "articles/2011/10/04/stop-state-brutality.html")).MarshalBinary()
	short, _ := NewSketch(siteText(t, "articles/2012/01/09/curfew-extended.html")).MarshalBinary()
	with := func(b []byte, f func([]byte) []byte) []byte { return f(bytes.Clone(b)) }
	tests := map[string][]byte{
		"no bytes":             nil,
		"version 0":            with(good, func(b []byte) []byte { b[0] = 0; return b }),
		"version 2":            with(good, func(b []byte) []byte { b[0] = 2; return b }),
		"cut in the band keys": good[:100],
		"cut in the sample":    good[:len(good)-3],
		"a byte too many":      append(bytes.Clone(good), 0),
		"bytes after a teaser": {version, 3, 0},
		"shingle count cut":    {version, 0x80},
		"shingle count padded": {version, 0x83, 0x00},
		"sample not ascending": with(good, func(b []byte) []byte { copy(b[len(b)-4:], []byte{0, 0, 0, 0}); return b }),
		"sample of wrong size": with(short, func(b []byte) []byte {
			// 152 hashes said and given, for 153 shingles
			sample := b[len(b)-4*153 : len(b)-4]
			return append(append(b[:len(b)-2-4*153], 0x98, 0x01), sample...)
		}),
		"sample larger than 256": with(good, func(b []byte) []byte { return append(b[:len(b)-2-4*256], 0x81, 0x02) }),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := UnmarshalSketch(b)
			if !errors.Is(err, ErrBadSketch) {
				t.Fatalf("error %v, want ErrBadSketch (sketch %+v)", err, s)
			}
			if !strings.HasPrefix(err.Error(), "copies: bad sketch") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func FuzzUnmarshalSketch(f *testing.F) {
	for _, name := range siteArticles {
		b, _ := NewSketch(siteText(f, name)).MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{version, 0})
	f.Add([]byte{version, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := UnmarshalSketch(b)
		if err != nil {
			if !errors.Is(err, ErrBadSketch) {
				t.Fatalf("error %v does not wrap ErrBadSketch", err)
			}
			return
		}
		// What it accepts it writes back byte for byte, and it compares.
		again, _ := s.MarshalBinary()
		if !bytes.Equal(again, b) {
			t.Fatalf("accepted %x but writes %x", b, again)
		}
		Verify(s, s)
	})
}
