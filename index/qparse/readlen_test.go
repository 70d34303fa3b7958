package qparse

import (
	"errors"
	"strings"
	"testing"
)

// TestReadingWithinLimit: the reading of every query Parse accepts parses
// again to itself, also at MaxLen, where spelling out operators makes it
// longer than what was typed (the fuzzer's "a…a b", 4095 bytes, reads
// "a…a OR b", 4098). A query whose reading would pass MaxLen is refused
// saying so; one whose reading fits is accepted up to the last byte.
func TestReadingWithinLimit(t *testing.T) {
	tests := map[string]struct {
		in     string
		op     Op
		refuse bool
	}{
		"implicit OR at the limit":    {in: strings.Repeat("a", MaxLen-3) + " b", refuse: true},
		"implicit AND at the limit":   {in: strings.Repeat("a", MaxLen-3) + " b", op: OpAnd, refuse: true},
		"minus at the limit":          {in: strings.Repeat("a", MaxLen-3) + " -b", refuse: true},
		"field group at the limit":    {in: "title:(" + strings.Repeat("a", MaxLen-11) + " b)", refuse: true},
		"quoted keyword":              {in: `url:x` + strings.Repeat(`"`, MaxLen-5), refuse: true},
		"explicit OR, exactly MaxLen": {in: strings.Repeat("a", MaxLen-5) + " OR b"},
		"reading exactly MaxLen":      {in: strings.Repeat("a", MaxLen-6) + " b"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o := Options{Op: tc.op, Fields: testFields}
			n, err := Parse(tc.in, o)
			if err == nil {
				read := n.String()
				n2, err := Parse(read, o)
				if err != nil {
					t.Fatalf("Parse(%d bytes) reads %d bytes, which do not parse: %v", len(tc.in), len(read), err)
				}
				if n2.String() != read {
					t.Fatalf("the reading of %d bytes reads differently", len(read))
				}
			}
			var pe *Error
			switch {
			case tc.refuse && (!errors.As(err, &pe) || !strings.Contains(pe.Reason, "longer than 4096 bytes as read")):
				t.Errorf("Parse(%d bytes) = %v, want an *Error saying its reading is too long", len(tc.in), err)
			case !tc.refuse && err != nil:
				t.Errorf("Parse(%d bytes): %v", len(tc.in), err)
			}
		})
	}
}
