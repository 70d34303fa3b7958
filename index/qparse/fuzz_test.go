package qparse

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input gives a tree or an *Error whose position lies in
// the query, and a tree's reading parses again to the same reading.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Zhanaozen AND (police OR полиция) NOT title:football", `"strike police"~5 Kazakhst* Наз?рбаев`,
		"published:[2011-12-01 TO 2012-01-31] +a -b", "a && !b || c", "(((", `"`, "url:https://x/*", "a~2^3",
		"published:>=2011-12", "titel:x", "-", "()", "NOT", `\"a\:b`,
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, and bool) {
		o := Options{Fields: testFields}
		if and {
			o.Op = OpAnd
		}
		n, err := Parse(s, o)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q): %T %v, want *Error", s, err, err)
			}
			if pe.Pos < 0 || pe.Pos > utf8.RuneCountInString(s)+1 {
				t.Fatalf("Parse(%q): position %d outside the query", s, pe.Pos)
			}
			return
		}
		read := n.String()
		n2, err := Parse(read, o)
		if err != nil {
			t.Fatalf("Parse(%q) reads %q, which does not parse: %v", s, read, err)
		}
		if n2.String() != read {
			t.Fatalf("Parse(%q) reads %q, which reads %q", s, read, n2.String())
		}
	})
}
