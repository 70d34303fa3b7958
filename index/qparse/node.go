package qparse

import (
	"strconv"
	"strings"
	"unicode"
)

// Node is a parsed query: *Term, *Phrase, *Range, *Bool or *All.
type Node interface {
	// String writes the node as the query language reads it, with every
	// operator and group explicit: how presswatch read what was typed.
	String() string
	// Pos is where the node starts in the query, in characters from 1.
	Pos() int
}

// All matches every article: the empty query, "*", and the base a query
// of only excluded words starts from.
type All struct{ At int }

// Term is one word, or a pattern with * and ? (Wildcard), in Field ("" is
// the title and the text).
type Term struct {
	Field    string
	Text     string  // as typed, escapes removed
	Wildcard bool    // Text holds an unescaped * or ?
	Fuzzy    int     // word~N: within N edits (0: exact)
	Keyword  bool    // the value of a keyword field, read as typed up to a blank or parenthesis
	Boost    float64 // word^B; 0 means 1
	At       int
}

// Phrase is words in order ("exact phrase"), or within Slop positions of
// each other in any order ("strike police"~5).
type Phrase struct {
	Field string
	Text  string
	Slop  int
	Boost float64
	At    int
}

// Range bounds a field (published:>2012-01-01, published:[a TO b]).
// An empty bound is open.
type Range struct {
	Field        string
	Lo, Hi       string
	IncLo, IncHi bool
	At           int
}

// Bool combines clauses as Lucene does: every Must clause matches, no
// MustNot clause does, and of Should at least one when there is no Must
// (with a Must, Should clauses only rank hits higher). AND is a Bool of
// Musts, OR of Shoulds, NOT of one MustNot.
type Bool struct {
	Must, Should, MustNot []Node
	At                    int
}

func (n *All) Pos() int    { return n.At }
func (n *Term) Pos() int   { return n.At }
func (n *Phrase) Pos() int { return n.At }
func (n *Range) Pos() int  { return n.At }
func (n *Bool) Pos() int   { return n.At }

func (n *All) String() string { return "*" }

func (n *Term) String() string {
	var b strings.Builder
	field(&b, n.Field)
	switch {
	case n.Keyword && (n.Text == "" || strings.ContainsAny(n.Text, " \t\n\r\f\v()\"\\") || strings.IndexFunc(n.Text, unicode.IsSpace) >= 0 || strings.ContainsAny(n.Text[:1], "[{<>") || !n.Wildcard && strings.ContainsAny(n.Text, "*?")):
		b.WriteString(quote(n.Text))
	case n.Keyword:
		b.WriteString(n.Text)
	case n.Wildcard:
		b.WriteString(escapePattern(n.Text))
	default:
		b.WriteString(quoteIfNeeded(n.Text))
	}
	if n.Fuzzy > 0 {
		b.WriteString("~" + strconv.Itoa(n.Fuzzy))
	}
	boost(&b, n.Boost)
	return b.String()
}

func (n *Phrase) String() string {
	var b strings.Builder
	field(&b, n.Field)
	b.WriteString(quote(n.Text))
	if n.Slop > 0 {
		b.WriteString("~" + strconv.Itoa(n.Slop))
	}
	boost(&b, n.Boost)
	return b.String()
}

func (n *Range) String() string {
	var b strings.Builder
	field(&b, n.Field)
	switch {
	case n.Lo != "" && n.Hi != "":
		b.WriteString(map[bool]string{true: "[", false: "{"}[n.IncLo])
		b.WriteString(n.Lo + " TO " + n.Hi)
		b.WriteString(map[bool]string{true: "]", false: "}"}[n.IncHi])
	case n.Lo != "":
		b.WriteString(map[bool]string{true: ">=", false: ">"}[n.IncLo] + n.Lo)
	default:
		b.WriteString(map[bool]string{true: "<=", false: "<"}[n.IncHi] + n.Hi)
	}
	return b.String()
}

// String reads Must AND Must AND NOT MustNot, with the Shoulds ORed.
// Shoulds beside Musts select nothing, only rank: that Bool reads as
// Lucene writes it, +must should -mustnot.
func (n *Bool) String() string {
	if len(n.Must) > 0 && len(n.Should) > 0 {
		var parts []string
		for _, m := range n.Must {
			parts = append(parts, "+"+group(m))
		}
		for _, s := range n.Should {
			parts = append(parts, group(s))
		}
		for _, m := range n.MustNot {
			parts = append(parts, "-"+group(m))
		}
		return strings.Join(parts, " ")
	}
	var parts []string
	for _, m := range n.Must {
		parts = append(parts, group(m))
	}
	if len(n.Should) > 0 {
		if len(n.Should) == 1 && len(n.MustNot) == 0 && len(n.Must) == 0 {
			return n.Should[0].String()
		}
		var alts []string
		for _, s := range n.Should {
			alts = append(alts, group(s))
		}
		or := strings.Join(alts, " OR ")
		if len(alts) > 1 && len(n.MustNot) > 0 {
			or = "(" + or + ")"
		}
		parts = append(parts, or)
	}
	for _, m := range n.MustNot {
		parts = append(parts, "NOT "+group(m))
	}
	if len(n.Must) == 0 && len(n.Should) == 0 {
		parts = append([]string{"*"}, parts...)
	}
	return strings.Join(parts, " AND ")
}

// group writes a clause inside a Bool, in parentheses when it has
// operators of its own.
func group(n Node) string {
	if b, ok := n.(*Bool); ok {
		if len(b.Must)+len(b.Should)+len(b.MustNot) > 1 || len(b.MustNot) == 1 {
			return "(" + b.String() + ")"
		}
	}
	return n.String()
}

func field(b *strings.Builder, f string) {
	if f != "" {
		b.WriteString(f + ":")
	}
}

// boost writes ^v in digits and a point, as the parser reads it: never
// with an exponent (0.00005, not 5e-05).
func boost(b *strings.Builder, v float64) {
	if v != 0 && v != 1 {
		b.WriteString("^" + strconv.FormatFloat(v, 'f', -1, 64))
	}
}

// quoteIfNeeded quotes a word that would not read back as itself.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, "()\":*?\\^~") || strings.IndexFunc(s, unicode.IsSpace) >= 0 ||
		strings.ContainsAny(s[:1], "!+-") || isOperator(s) || strings.HasPrefix(s, "&&") || strings.HasPrefix(s, "||") {
		return quote(s)
	}
	return s
}

// quote writes s in double quotes as the parser reads them: \ and \"
// escaped, everything else as it is.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// escapePattern writes a pattern's characters that end a word with a
// backslash (the pattern keeps its own \*, \? and \\).
func escapePattern(s string) string {
	var b strings.Builder
	for i, c := range s {
		// A leading !, + or - (and so && or ||'s first &, |) would read as
		// an operator.
		if unicode.IsSpace(c) || strings.ContainsRune("()\":^~", c) || i == 0 && strings.ContainsRune("!+-&|", c) {
			b.WriteRune('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
