package qparse

import (
	"errors"
	"strings"
	"testing"
)

var testFields = map[string]Kind{
	"title": KindText, "text": KindText, "author": KindText,
	"source": KindKeyword, "stance": KindKeyword, "lang": KindKeyword, "topic": KindKeyword,
	"url": KindKeyword, "state": KindKeyword, "published": KindDate, "first_seen": KindDate,
}

func TestParseReads(t *testing.T) {
	tests := map[string]struct {
		in   string
		op   Op
		want string
	}{
		"words side by side are OR":      {in: "Zhanaozen police", want: "Zhanaozen OR police"},
		"words side by side with op=and": {in: "Zhanaozen police", op: OpAnd, want: "Zhanaozen AND police"},
		"AND":                            {in: "Zhanaozen AND police", want: "Zhanaozen AND police"},
		"NOT":                            {in: "Zhanaozen NOT police", want: "Zhanaozen AND NOT police"},
		"AND NOT":                        {in: "Zhanaozen AND NOT police", want: "Zhanaozen AND NOT police"},
		"symbols":                        {in: "a && !b || c", want: "(a AND NOT b) OR c"},
		"NOT binds tighter than AND, AND than OR": {in: "a OR b AND NOT c", want: "a OR (b AND NOT c)"},
		"parentheses":                    {in: "(a OR b) AND c", want: "(a OR b) AND c"},
		"nested parentheses":             {in: "((a))", want: "a"},
		"implicit AND is below OR":       {in: "a b OR c", op: OpAnd, want: "a AND (b OR c)"},
		"implicit OR is OR":              {in: "a AND b c", want: "(a AND b) OR c"},
		"plus and minus":                 {in: "+Zhanaozen police -football", want: "+Zhanaozen police -football"},
		"minus alone":                    {in: "-football", want: "* AND NOT football"},
		"NOT NOT":                        {in: "NOT NOT a", want: "a"},
		"phrase":                         {in: `"strike police"`, want: `"strike police"`},
		"proximity":                      {in: `"strike police"~5`, want: `"strike police"~5`},
		"prefix":                         {in: "Kazakhst*", want: "Kazakhst*"},
		"wildcard":                       {in: "Наз?рбаев", want: "Наз?рбаев"},
		"fuzzy and boost":                {in: "Sokolova~1 trial^2", want: "Sokolova~1 OR trial^2"},
		"small boost without exponent":   {in: "trial^.00005", want: "trial^0.00005"},
		"field":                          {in: "title:Zhanaozen", want: "title:Zhanaozen"},
		"field group":                    {in: "title:(Zhanaozen OR Aktau)", want: "title:Zhanaozen OR title:Aktau"},
		"field phrase":                   {in: `text:"oil workers"`, want: `text:"oil workers"`},
		"keyword with colon":             {in: `url:https://example.org/a*`, want: "url:https://example.org/a*"},
		"quoted keyword":                 {in: `url:"https://example.org/a"`, want: `url:https://example.org/a`},
		"date comparison":                {in: "published:>2012-01-01", want: "published:>2012-01-01"},
		"date comparison inclusive":      {in: "published:<=2012-01", want: "published:<=2012-01"},
		"date range":                     {in: "published:[2011-12-01 TO 2011-12-31]", want: "published:[2011-12-01 TO 2011-12-31]"},
		"date half-open range":           {in: "published:{2011-12-01 TO *]", want: "published:>2011-12-01"},
		"one day":                        {in: "published:2011-12-16", want: "published:[2011-12-16 TO 2011-12-16]"},
		"lower-case operators are words": {in: "oil and gas", want: "oil OR and OR gas"},
		"hyphenated word":                {in: "Ak-Orda", want: "Ak-Orda"},
		"escaped colon":                  {in: `10\:30`, want: `"10:30"`},
		"all":                            {in: "  * ", want: "*"},
		"empty":                          {in: "", want: "*"},
		"OR of NOT":                      {in: "a OR NOT b", want: "a OR (* AND NOT b)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			n, err := Parse(tc.in, Options{Op: tc.op, Fields: testFields})
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := n.String(); got != tc.want {
				t.Errorf("Parse(%q) reads %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string // the whole message
	}{
		"unknown field":       {in: "titel:Zhanaozen", want: `unknown field "titel" at 1; did you mean "title"?`},
		"unknown field later": {in: "Zhanaozen AND autor:Whitfield", want: `unknown field "autor" at 15; did you mean "author"?`},
		"upper-case field":    {in: "Title:x", want: `unknown field "Title" at 1; field names are lower case: title:`},
		"a web address":       {in: "https://example.org", want: `unknown field "https" at 1; to find a web address, write url:"https:..."`},
		"unclosed group":      {in: "(((", want: "unbalanced parenthesis: this ( is never closed at 3"},
		"unopened group":      {in: "a)", want: "unbalanced parenthesis: this ) has no ( at 2"},
		"unclosed quote":      {in: `say "strike`, want: `unbalanced quote: this " is never closed at 5`},
		"empty group":         {in: "a AND ()", want: "empty group: ( ) holds nothing to search for at 7"},
		"dangling AND":        {in: "a AND", want: "AND has nothing after it at 3"},
		"dangling OR":         {in: "a || ", want: "|| has nothing after it at 3"},
		"leading AND":         {in: "AND a", want: `"AND" is an operator with nothing before it at 1; to search for the word, write it in lower case or in quotes`},
		"dangling NOT":        {in: "a NOT", want: "NOT has nothing after it at 3"},
		"lone minus":          {in: "a - b", want: "- has nothing after it at 3; write it against its word: -word"},
		"no value":            {in: "title: x", want: "title: has no value at 1; write it against the colon: title:value"},
		"date group":          {in: "published:(2011)", want: "published: takes a date or a range, not a group at 11; e.g. published:[2011-12-01 TO 2011-12-31]"},
		"comparison on text":  {in: "title:>x", want: "title:>: only dates compare at 7"},
		"bad range":           {in: "published:[2011 2012]", want: "a range needs two dates with TO between them at 11; e.g. published:[2011-12-01 TO 2012-01-31], * for an open end"},
		"empty phrase":        {in: `""`, want: `empty phrase: "" holds nothing to search for at 1`},
		"fuzzy too far":       {in: "a~3", want: "~3 is more than 2 at 2"},
		"bad boost":           {in: "a^x", want: "^ is not a weight at 2; write a number above 0 and up to 100, e.g. trial^2"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tc.in, Options{Fields: testFields})
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) = %v, want an *Error", tc.in, err)
			}
			if err.Error() != tc.want {
				t.Errorf("Parse(%q):\n got %s\nwant %s", tc.in, err, tc.want)
			}
		})
	}
}

// TestParseBounds feeds the parser the inputs that cost other parsers
// dearly; each must be refused quickly with an *Error.
func TestParseBounds(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"2,000 nested parentheses": {strings.Repeat("(", 2000) + "a" + strings.Repeat(")", 2000), "more than 32 groups inside each other at 34"},
		"1,000 NOTs":               {strings.Repeat("NOT ", 1000) + "a", "more than 32 operators or groups inside each other"},
		"4,000 minus signs":        {strings.Repeat("-", 4000) + "a", "more than 32 operators or groups inside each other"},
		"1,000 terms":              {strings.Repeat("w ", 1000), "more than 256 words, phrases and ranges at 513"},
		"600 ANDs":                 {strings.Repeat("a AND ", 600) + "a", "more than 256 words, phrases and ranges"},
		"a 10 MB query":            {strings.Repeat("a", 10<<20), "the query is longer than 4096 bytes"},
		"an empty group":           {"()", "empty group: ( ) holds nothing to search for at 1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tc.in, Options{Fields: testFields})
			var pe *Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse = %v, want an *Error saying %q", err, tc.want)
			}
		})
	}
}

// BenchmarkParseBounds: the hostile inputs above cost microseconds.
func BenchmarkParseHostile(b *testing.B) {
	in := strings.Repeat("(", 2000) + "a" + strings.Repeat(")", 2000)
	for b.Loop() {
		Parse(in, Options{Fields: testFields})
	}
}
