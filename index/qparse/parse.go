package qparse

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is how words side by side are joined.
type Op int

const (
	OpOr  Op = iota // a b is a OR b (the default)
	OpAnd           // a b is a AND b
)

// ParseOp reads "or", "and" or "" (OR).
func ParseOp(s string) (Op, error) {
	switch strings.ToLower(s) {
	case "", "or":
		return OpOr, nil
	case "and":
		return OpAnd, nil
	}
	return OpOr, fmt.Errorf("%q is not an operator (want or or and)", s)
}

func (o Op) String() string {
	if o == OpAnd {
		return "and"
	}
	return "or"
}

// Kind is what a field holds, which decides what may follow its colon.
type Kind int

const (
	KindText    Kind = iota // words, phrases, patterns
	KindKeyword             // one value each (source:tengrinews, url:"..."); * patterns allowed
	KindDate                // dates, ranges and comparisons
)

// Options configure Parse.
type Options struct {
	Op Op
	// Fields are the field names a query may use and their kinds. A name
	// not in it is an *Error with the closest known name suggested.
	Fields map[string]Kind
}

// Limits, so that no query can cost much to read (the index bounds what
// it costs to run). MaxLen bounds both what is typed and its reading
// (Node.String), which spells out what typing leaves implicit and so may
// be longer ("a b" reads "a OR b"): a query whose reading passes MaxLen is
// refused, so that the reading of every query Parse accepts parses again.
const (
	MaxLen     = 4096 // bytes, as typed and as read
	MaxDepth   = 32   // nested groups
	MaxClauses = 256  // words, phrases and ranges
)

// Error is a query that cannot be read, with where and why.
type Error struct {
	Pos     int    // in characters from 1; 0 when it is about the whole query
	Reason  string // "unknown field \"titel\""
	Suggest string // "did you mean \"title\"?", or ""
}

func (e *Error) Error() string {
	s := e.Reason
	if e.Pos > 0 {
		s += " at " + strconv.Itoa(e.Pos)
	}
	if e.Suggest != "" {
		s += "; " + e.Suggest
	}
	return s
}

// Parse reads a query. The empty query, blanks and "*" are *All.
func Parse(s string, o Options) (Node, error) {
	if len(s) > MaxLen {
		return nil, &Error{Reason: fmt.Sprintf("the query is longer than %d bytes", MaxLen)}
	}
	if !utf8.ValidString(s) {
		return nil, &Error{Reason: "the query is not valid UTF-8"}
	}
	if strings.ContainsRune(s, 0) {
		return nil, &Error{Reason: "the query holds a NUL character"}
	}
	p := &parser{in: []rune(s), o: o}
	p.space()
	if p.eof() || strings.TrimSpace(string(p.in[p.i:])) == "*" {
		return &All{At: 1}, nil
	}
	n, err := p.seq(0, "")
	if err != nil {
		return nil, err
	}
	if !p.eof() { // only a ) can stop seq before the end
		return nil, p.errAt(p.i, "unbalanced parenthesis: this ) has no (", "")
	}
	if read := len(n.String()); read > MaxLen {
		return nil, &Error{Reason: fmt.Sprintf("the query is longer than %d bytes as read, with its operators written out (%d bytes)", MaxLen, read),
			Suggest: "shorten it"}
	}
	return n, nil
}

type parser struct {
	in      []rune
	i       int
	o       Options
	clauses int
}

func (p *parser) eof() bool { return p.i >= len(p.in) }

func (p *parser) peek() rune {
	if p.eof() {
		return 0
	}
	return p.in[p.i]
}

func (p *parser) space() {
	for !p.eof() && unicode.IsSpace(p.in[p.i]) {
		p.i++
	}
}

func (p *parser) errAt(i int, reason, suggest string) *Error {
	return &Error{Pos: i + 1, Reason: reason, Suggest: suggest}
}

// marked is a clause with its prefix: + required, - (or NOT, !) excluded.
type marked struct {
	n    Node
	mark rune // 0, '+' or '-'
}

// seq reads clauses side by side up to a ) or the end, joining them by
// the default operator; field is the field of an enclosing field:( ).
func (p *parser) seq(depth int, field string) (Node, error) {
	if depth > MaxDepth {
		return nil, p.errAt(p.i, fmt.Sprintf("more than %d groups inside each other", MaxDepth), "")
	}
	start := p.i
	var items []marked
	for {
		p.space()
		if p.eof() || p.peek() == ')' {
			break
		}
		m, err := p.or(depth, field)
		if err != nil {
			return nil, err
		}
		items = append(items, m)
	}
	if len(items) == 0 && depth == 0 && p.peek() == ')' {
		return nil, p.errAt(p.i, "unbalanced parenthesis: this ) has no (", "")
	}
	if len(items) == 0 && p.eof() {
		return nil, p.errAt(start-1, "unbalanced parenthesis: this ( is never closed", "")
	}
	if len(items) == 0 {
		return nil, p.errAt(start-1, "empty group: ( ) holds nothing to search for", "")
	}
	if len(items) == 1 && items[0].mark != '-' {
		return items[0].n, nil
	}
	b := &Bool{At: start + 1}
	for _, it := range items {
		switch {
		case it.mark == '+':
			b.Must = append(b.Must, it.n)
		case it.mark == '-':
			b.MustNot = append(b.MustNot, it.n)
		case p.o.Op == OpAnd:
			b.Must = append(b.Must, it.n)
		default:
			b.Should = append(b.Should, it.n)
		}
	}
	return b, nil
}

// or reads and-chains joined by OR or ||.
func (p *parser) or(depth int, field string) (marked, error) {
	first, err := p.and(depth, field)
	if err != nil {
		return marked{}, err
	}
	var alts []Node
	for {
		save := p.i
		p.space()
		at := p.i
		if !p.keyword("OR") && !p.symbol("||") {
			p.i = save
			break
		}
		p.space()
		if p.eof() || p.peek() == ')' {
			return marked{}, p.errAt(at, string(p.in[at:at+2])+" has nothing after it", "")
		}
		next, err := p.and(depth, field)
		if err != nil {
			return marked{}, err
		}
		if alts == nil {
			alts = []Node{unmark(first)}
		}
		alts = append(alts, unmark(next))
	}
	if alts == nil {
		return first, nil
	}
	return marked{n: &Bool{Should: alts, At: first.n.Pos()}}, nil
}

// and reads unary clauses joined by AND or &&.
func (p *parser) and(depth int, field string) (marked, error) {
	first, err := p.unary(depth, field)
	if err != nil {
		return marked{}, err
	}
	var b *Bool
	for {
		save := p.i
		p.space()
		at := p.i
		op := "AND"
		if !p.keyword("AND") {
			if op = "&&"; !p.symbol("&&") {
				p.i = save
				break
			}
		}
		p.space()
		if p.eof() || p.peek() == ')' {
			return marked{}, p.errAt(at, op+" has nothing after it", "")
		}
		next, err := p.unary(depth, field)
		if err != nil {
			return marked{}, err
		}
		if b == nil {
			b = &Bool{At: first.n.Pos()}
			b.add(first)
		}
		b.add(next)
	}
	if b == nil {
		return first, nil
	}
	return marked{n: b}, nil
}

func (b *Bool) add(m marked) {
	if m.mark == '-' {
		b.MustNot = append(b.MustNot, m.n)
	} else {
		b.Must = append(b.Must, m.n)
	}
}

// unmark turns an excluded clause into a node of its own (everything but
// it), for places where a mark has no meaning of its own: a OR NOT b.
func unmark(m marked) Node {
	if m.mark == '-' {
		return &Bool{MustNot: []Node{m.n}, At: m.n.Pos()}
	}
	return m.n
}

// unary reads NOT, !, + or - and what they apply to.
func (p *parser) unary(depth int, field string) (marked, error) {
	p.space()
	at := p.i
	var mark rune
	op := "NOT"
	switch {
	case p.keyword("NOT"):
		mark = '-'
	case p.peek() == '!':
		p.i++
		mark, op = '-', "!"
	case p.peek() == '+' || p.peek() == '-':
		mark = p.peek()
		op = string(mark)
		p.i++
		if p.eof() || unicode.IsSpace(p.peek()) {
			return marked{}, p.errAt(at, fmt.Sprintf("%c has nothing after it", mark), fmt.Sprintf("write it against its word: %cword", mark))
		}
	}
	if mark != 0 {
		if depth > MaxDepth {
			return marked{}, p.errAt(at, fmt.Sprintf("more than %d operators or groups inside each other", MaxDepth), "")
		}
		p.space()
		if p.eof() || p.peek() == ')' {
			return marked{}, p.errAt(at, op+" has nothing after it", "")
		}
		inner, err := p.unary(depth+1, field)
		if err != nil {
			return marked{}, err
		}
		if mark == '-' && inner.mark == '-' { // NOT NOT a
			return marked{n: inner.n}, nil
		}
		if inner.mark == '-' {
			return inner, nil
		}
		return marked{n: inner.n, mark: mark}, nil
	}
	n, err := p.primary(depth, field)
	return marked{n: n}, err
}

// keyword consumes an upper-case operator word standing alone.
func (p *parser) keyword(w string) bool {
	end := p.i + len(w)
	if end > len(p.in) || string(p.in[p.i:end]) != w {
		return false
	}
	if end < len(p.in) && !unicode.IsSpace(p.in[end]) && p.in[end] != '(' && p.in[end] != '"' {
		return false
	}
	p.i = end
	return true
}

func (p *parser) symbol(s string) bool {
	end := p.i + len(s)
	if end > len(p.in) || string(p.in[p.i:end]) != s {
		return false
	}
	p.i = end
	return true
}

func isOperator(s string) bool { return s == "AND" || s == "OR" || s == "NOT" }

// primary reads a group, a phrase, a field:value or a word.
func (p *parser) primary(depth int, field string) (Node, error) {
	at := p.i
	switch c := p.peek(); {
	case c == '(':
		p.i++
		n, err := p.seq(depth+1, field)
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.errAt(at, "unbalanced parenthesis: this ( is never closed", "")
		}
		p.i++
		return p.modifiers(n)
	case c == ')':
		return nil, p.errAt(at, "unbalanced parenthesis: this ) has no (", "")
	case c == '"':
		return p.phrase(field)
	}
	for _, op := range []string{"AND", "OR", "&&", "||"} {
		save := p.i
		if p.keyword(op) || (op[0] == '&' || op[0] == '|') && p.symbol(op) {
			p.i = save
			return nil, p.errAt(at, fmt.Sprintf("%q is an operator with nothing before it", op), "to search for the word, write it in lower case or in quotes")
		}
	}
	if name, ok := p.fieldName(); ok {
		if field != "" {
			return nil, p.errAt(at, fmt.Sprintf("field %s: inside %s:( )", name, field), "a group takes one field")
		}
		kind, known := p.o.Fields[name]
		if !known {
			return nil, p.unknownField(at, name)
		}
		p.i += len([]rune(name)) + 1
		return p.value(depth, name, kind, at)
	}
	return p.word(field)
}

// fieldName reports a field prefix (letters and _ before a colon).
func (p *parser) fieldName() (string, bool) {
	j := p.i
	for j < len(p.in) && (unicode.IsLetter(p.in[j]) || p.in[j] == '_') {
		j++
	}
	if j == p.i || j >= len(p.in) || p.in[j] != ':' {
		return "", false
	}
	return string(p.in[p.i:j]), true
}

func (p *parser) unknownField(at int, name string) error {
	lower := strings.ToLower(name)
	if _, ok := p.o.Fields[lower]; ok {
		return p.errAt(at, fmt.Sprintf("unknown field %q", name), fmt.Sprintf("field names are lower case: %s:", lower))
	}
	if lower == "http" || lower == "https" {
		return p.errAt(at, fmt.Sprintf("unknown field %q", name), `to find a web address, write url:"`+name+`:..."`)
	}
	names := make([]string, 0, len(p.o.Fields))
	for f := range p.o.Fields {
		names = append(names, f)
	}
	if best := Closest(lower, names); best != "" {
		return p.errAt(at, fmt.Sprintf("unknown field %q", name), fmt.Sprintf("did you mean %q?", best))
	}
	return p.errAt(at, fmt.Sprintf("unknown field %q", name), "the fields are "+fieldList(p.o.Fields))
}

// value reads what follows field: for its kind.
func (p *parser) value(depth int, field string, kind Kind, at int) (Node, error) {
	if p.eof() || unicode.IsSpace(p.peek()) {
		return nil, p.errAt(at, fmt.Sprintf("%s: has no value", field), "write it against the colon: "+field+":value")
	}
	switch c := p.peek(); {
	case c == '(':
		if kind == KindDate {
			return nil, p.errAt(p.i, fmt.Sprintf("%s: takes a date or a range, not a group", field), "e.g. "+field+":[2011-12-01 TO 2011-12-31]")
		}
		return p.primary(depth, field)
	case c == '"':
		n, err := p.phrase(field)
		if err != nil || kind == KindText {
			return n, err
		}
		ph := n.(*Phrase)
		if kind == KindDate {
			return p.date(field, ph.Text, ph.At)
		}
		return p.count(&Term{Field: field, Text: ph.Text, Keyword: true, Boost: ph.Boost, At: ph.At})
	case c == '[' || c == '{':
		return p.rangeValue(field, kind)
	case c == '>' || c == '<':
		return p.compare(field, kind)
	case kind == KindKeyword:
		v := p.bare()
		return p.count(&Term{Field: field, Text: v, Keyword: true, Wildcard: strings.ContainsAny(v, "*?"), At: at + len([]rune(field)) + 2})
	}
	n, err := p.word(field)
	if err != nil {
		return nil, err
	}
	t := n.(*Term)
	if kind == KindDate {
		if t.Wildcard {
			return nil, p.errAt(t.At-1, fmt.Sprintf("%s:%s: a date takes no wildcard", field, t.Text), "write the period: "+field+":2011-12 is December 2011")
		}
		return p.date(field, t.Text, t.At)
	}
	return t, nil
}

// date is field:2011-12-16 (a day, a month 2011-12 or a year 2011): the
// whole period, as a range the index reads.
func (p *parser) date(field, v string, at int) (Node, error) {
	if !looksLikeDate(v) {
		return nil, p.errAt(at-1, fmt.Sprintf("%s:%s: %q is not a date", field, v, v), "write YYYY-MM-DD, YYYY-MM or YYYY")
	}
	return p.count(&Range{Field: field, Lo: v, Hi: v, IncLo: true, IncHi: true, At: at})
}

func (p *parser) compare(field string, kind Kind) (Node, error) {
	at := p.i
	op := string(p.peek())
	p.i++
	if p.peek() == '=' {
		op += "="
		p.i++
	}
	if kind != KindDate {
		return nil, p.errAt(at, fmt.Sprintf("%s:%s: only dates compare", field, op), "")
	}
	var v string
	if p.peek() == '"' {
		n, err := p.phrase(field)
		if err != nil {
			return nil, err
		}
		p.clauses--
		v = n.(*Phrase).Text
	} else {
		v = p.bare()
	}
	if v == "" {
		return nil, p.errAt(at, fmt.Sprintf("%s:%s has no date after it", field, op), "e.g. "+field+":>=2011-12-16")
	}
	if !looksLikeDate(v) {
		return nil, p.errAt(at, fmt.Sprintf("%s:%s%s: %q is not a date", field, op, v, v), "write YYYY-MM-DD, YYYY-MM or YYYY")
	}
	if err := p.ended(); err != nil {
		return nil, err
	}
	r := &Range{Field: field, At: at + 1}
	switch op {
	case ">":
		r.Lo = v
	case ">=":
		r.Lo, r.IncLo = v, true
	case "<":
		r.Hi = v
	case "<=":
		r.Hi, r.IncHi = v, true
	}
	return p.count(r)
}

func (p *parser) rangeValue(field string, kind Kind) (Node, error) {
	at := p.i
	open := p.peek()
	p.i++
	end := p.i
	for end < len(p.in) && p.in[end] != ']' && p.in[end] != '}' {
		end++
	}
	if end == len(p.in) {
		return nil, p.errAt(at, fmt.Sprintf("this %c is never closed", open), "a range reads [2011-12-01 TO 2012-01-31]")
	}
	if kind != KindDate {
		return nil, p.errAt(at, fmt.Sprintf("%s: takes no range", field), "")
	}
	parts := strings.Fields(string(p.in[p.i:end]))
	if len(parts) != 3 || parts[1] != "TO" {
		return nil, p.errAt(at, "a range needs two dates with TO between them", "e.g. "+field+":[2011-12-01 TO 2012-01-31], * for an open end")
	}
	r := &Range{Field: field, IncLo: open == '[', IncHi: p.in[end] == ']', At: at + 1}
	if parts[0] != "*" {
		r.Lo = parts[0]
	}
	if parts[2] != "*" {
		r.Hi = parts[2]
	}
	for _, v := range []string{r.Lo, r.Hi} {
		if v != "" && !looksLikeDate(v) {
			return nil, p.errAt(at, fmt.Sprintf("%s: %q is not a date", field, v), "write YYYY-MM-DD, YYYY-MM or YYYY, or * for an open end")
		}
	}
	if r.Lo == "" && r.Hi == "" {
		return nil, p.errAt(at, "a range open at both ends bounds nothing", "")
	}
	p.i = end + 1
	if err := p.ended(); err != nil {
		return nil, err
	}
	return p.count(r)
}

// phrase reads "..." and its ~slop and ^boost.
func (p *parser) phrase(field string) (Node, error) {
	at := p.i
	p.i++
	var b strings.Builder
	for {
		if p.eof() {
			return nil, p.errAt(at, "unbalanced quote: this \" is never closed", "")
		}
		c := p.in[p.i]
		p.i++
		if c == '\\' && !p.eof() {
			b.WriteRune(p.in[p.i])
			p.i++
			continue
		}
		if c == '"' {
			break
		}
		b.WriteRune(c)
	}
	text := strings.TrimSpace(b.String())
	if text == "" {
		return nil, p.errAt(at, "empty phrase: \"\" holds nothing to search for", "")
	}
	ph := &Phrase{Field: field, Text: text, At: at + 1}
	if p.peek() == '~' {
		n, err := p.number('~', 1, 100)
		if err != nil {
			return nil, err
		}
		ph.Slop = n
	}
	var err error
	if ph.Boost, err = p.boost(); err != nil {
		return nil, err
	}
	if err := p.ended(); err != nil {
		return nil, err
	}
	return p.count(ph)
}

// word reads a word or pattern and its ~fuzziness and ^boost.
func (p *parser) word(field string) (Node, error) {
	at := p.i
	var b strings.Builder
	wild := false
	for !p.eof() {
		c := p.in[p.i]
		if unicode.IsSpace(c) || strings.ContainsRune("()\"^~", c) {
			break
		}
		if c == ':' {
			return nil, p.errAt(p.i, fmt.Sprintf("a colon inside %q", string(p.in[at:p.i+1])), `put the word in quotes ("10:30") or write field:value`)
		}
		p.i++
		if c == '\\' && !p.eof() {
			if e := p.in[p.i]; e == '*' || e == '?' || e == '\\' {
				b.WriteRune('\\') // kept: a pattern tells a literal * from a wildcard
			}
			b.WriteRune(p.in[p.i])
			p.i++
			continue
		}
		if c == '*' || c == '?' {
			wild = true
		}
		b.WriteRune(c)
	}
	text := b.String()
	if !wild {
		text = strings.TrimSpace(Unescape(text))
	}
	if text == "" {
		return nil, p.errAt(at, fmt.Sprintf("%q where a word belongs", string(p.peek())), "")
	}
	if wild && text == "*" && field == "" && p.peek() != '~' && p.peek() != '^' {
		if err := p.ended(); err != nil {
			return nil, err
		}
		return &All{At: at + 1}, nil // * alone is every article, as in "* AND NOT police"
	}
	t := &Term{Field: field, Text: text, Wildcard: wild, At: at + 1}
	if p.peek() == '~' {
		if wild {
			return nil, p.errAt(p.i, "a pattern cannot be fuzzy too", "")
		}
		n, err := p.number('~', 1, 2)
		if err != nil {
			return nil, err
		}
		t.Fuzzy = n
	}
	var err error
	if t.Boost, err = p.boost(); err != nil {
		return nil, err
	}
	if err := p.ended(); err != nil {
		return nil, err
	}
	return p.count(t)
}

// ended checks that a word or phrase, with its modifiers, is followed by
// a blank, a parenthesis or the end.
func (p *parser) ended() error {
	if p.eof() || unicode.IsSpace(p.peek()) || p.peek() == ')' || p.peek() == '(' {
		return nil
	}
	return p.errAt(p.i, fmt.Sprintf("%q right after a word or phrase", string(p.peek())), "put a blank between them, or the whole in quotes")
}

// bare reads a value up to a blank or a parenthesis.
func (p *parser) bare() string {
	start := p.i
	for !p.eof() && !unicode.IsSpace(p.peek()) && p.peek() != ')' && p.peek() != '(' {
		p.i++
	}
	return string(p.in[start:p.i])
}

// number reads sign followed by digits; sign alone means def.
func (p *parser) number(sign rune, def, max int) (int, error) {
	at := p.i
	p.i++
	start := p.i
	for !p.eof() && unicode.IsDigit(p.peek()) {
		p.i++
	}
	if start == p.i {
		return def, nil
	}
	n, err := strconv.Atoi(string(p.in[start:p.i]))
	if err != nil || n > max {
		return 0, p.errAt(at, fmt.Sprintf("%c%s is more than %d", sign, string(p.in[start:p.i]), max), "")
	}
	return n, nil
}

func (p *parser) boost() (float64, error) {
	if p.peek() != '^' {
		return 0, nil
	}
	at := p.i
	p.i++
	start := p.i
	for !p.eof() && (unicode.IsDigit(p.peek()) || p.peek() == '.') {
		p.i++
	}
	v, err := strconv.ParseFloat(string(p.in[start:p.i]), 64)
	if err != nil || v <= 0 || v > 100 {
		return 0, p.errAt(at, fmt.Sprintf("^%s is not a weight", string(p.in[start:p.i])), "write a number above 0 and up to 100, e.g. trial^2")
	}
	return v, nil
}

// modifiers reads a ^boost after a group.
func (p *parser) modifiers(n Node) (Node, error) {
	if p.peek() == '~' {
		return nil, p.errAt(p.i, "~ after a group", "write it after a word (fuzzy) or a phrase (proximity)")
	}
	if p.peek() == '^' {
		return nil, p.errAt(p.i, "^ after a group", "weigh its words one by one")
	}
	return n, nil
}

func (p *parser) count(n Node) (Node, error) {
	p.clauses++
	if p.clauses > MaxClauses {
		return nil, p.errAt(n.Pos()-1, fmt.Sprintf("more than %d words, phrases and ranges", MaxClauses), "narrow the query")
	}
	return n, nil
}

func fieldList(fields map[string]Kind) string {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// Closest returns the value of values nearest to v (case aside), within
// two edits, for a "did you mean"; "" when none is that near.
func Closest(v string, values []string) string {
	best, dist := "", 3
	for _, c := range values {
		if d := EditDistance(strings.ToLower(v), strings.ToLower(c)); d < dist || d == dist && c < best {
			best, dist = c, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance of two short names, for
// suggestions.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// looksLikeDate checks the shape of a date (four digits first, then only
// what dates and times are written with); the index reads the value.
func looksLikeDate(v string) bool {
	if len(v) < 4 {
		return false
	}
	for i, c := range v {
		if i < 4 && (c < '0' || c > '9') || !strings.ContainsRune("0123456789-:TZ+.", c) {
			return false
		}
	}
	return true
}

// Unescape removes the backslashes a pattern keeps before a literal *, ?
// or \.
func Unescape(pattern string) string {
	if !strings.ContainsRune(pattern, '\\') {
		return pattern
	}
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '\\' && i+1 < len(pattern) {
			i++
		}
		b.WriteByte(pattern[i])
	}
	return b.String()
}
