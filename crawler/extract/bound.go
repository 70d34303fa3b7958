package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"presswatch/internal/model"
)

// The caps on a page's markup that Check enforces. Extraction builds the
// whole DOM and walks it many times over (go-trafilatura, readability and
// the date search each do), so its time and memory grow with the number of
// elements and, worse than linearly, with how deep they nest: a 5 MiB page
// of blocks nested 500 deep took 41 s and hundreds of MiB. Real article
// pages stay far below both caps: Measure over the 1,864 pages of
// testdata and the shared corpus (December 2026) found 690 elements at
// the median, 3,108 at the 99th percentile and 10,106 at most, nested 17
// deep at the median, 30 at the 99th percentile and 42 at most.
const (
	// MaxElements bounds the start tags of a page: ten times the largest
	// real page measured.
	MaxElements = 100_000
	// MaxDepth bounds how deep elements nest: three times the deepest real
	// page measured, and well below golang.org/x/net/html's own limit of
	// 512, which refuses a page only after the work of parsing it.
	MaxDepth = 128
)

// Shape is what one pass of the tokenizer measured of a page.
type Shape struct {
	Elements int // start tags
	Depth    int // deepest nesting of open elements
}

// Measure reads page once with the tokenizer and returns its shape. It
// keeps a stack of open elements as a browser would, roughly: void and
// self-closed elements never open, an end tag closes up to the element it
// names (a stray one closes nothing), and an element whose end tag may be
// left out (p, li, td, option...) is closed by the next one of its kind
// (or, for p, by a block; for a cell, by a row).
// It stops as soon as a cap is passed, so a hostile page costs at most one
// pass over MaxElements tags.
func Measure(page []byte) Shape {
	var (
		sh    Shape
		stack []atom.Atom
		z     = html.NewTokenizer(bytes.NewReader(page))
	)
	for sh.Elements <= MaxElements && sh.Depth <= MaxDepth {
		switch z.Next() {
		case html.ErrorToken:
			return sh
		case html.SelfClosingTagToken:
			sh.Elements++
		case html.StartTagToken:
			sh.Elements++
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if void[a] {
				continue
			}
			for n := len(stack); n > 0 && closes(a, stack[n-1]); n-- {
				stack = stack[:n-1]
			}
			stack = append(stack, a)
			sh.Depth = max(sh.Depth, len(stack))
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == a {
					stack = stack[:i]
					break
				}
			}
		}
	}
	return sh
}

// Check refuses a page whose markup passes MaxElements or MaxDepth, with
// an error of kind model.ErrTooComplex that says which cap and by how much.
// Call it before extracting a page from outside.
func Check(page []byte, pageURL string) error {
	sh := Measure(page)
	switch {
	case sh.Elements > MaxElements:
		return model.Errorf(model.ErrTooComplex, "extract: %s: too complex to extract: more than %d elements", pageURL, MaxElements)
	case sh.Depth > MaxDepth:
		return model.Errorf(model.ErrTooComplex, "extract: %s: too complex to extract: elements nested more than %d deep", pageURL, MaxDepth)
	}
	return nil
}

// void elements have no content and no end tag.
var void = set(atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
	atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Keygen)

// closes reports whether the start of a closes an open element top whose
// end tag may be left out: a paragraph by the next paragraph or block, a
// list item by the next item, a cell by the next cell or row, and so on.
func closes(a, top atom.Atom) bool {
	switch top {
	case atom.P:
		return a == atom.P || closesP[a]
	case atom.Li:
		return a == atom.Li
	case atom.Dt, atom.Dd:
		return a == atom.Dt || a == atom.Dd
	case atom.Option:
		return a == atom.Option || a == atom.Optgroup
	case atom.Optgroup:
		return a == atom.Optgroup
	case atom.Td, atom.Th:
		return tablePart[a]
	case atom.Tr:
		return a == atom.Tr || a == atom.Tbody || a == atom.Thead || a == atom.Tfoot
	case atom.Tbody, atom.Thead, atom.Tfoot:
		return a == atom.Tbody || a == atom.Thead || a == atom.Tfoot
	case atom.Rb, atom.Rt, atom.Rp:
		return a == atom.Rb || a == atom.Rt || a == atom.Rp
	}
	return false
}

var tablePart = set(atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot)

// closesP are the blocks whose start closes an open p.
var closesP = set(atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Div, atom.Dl, atom.Fieldset,
	atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header,
	atom.Hr, atom.Main, atom.Nav, atom.Ol, atom.Pre, atom.Section, atom.Table, atom.Ul)

func set(atoms ...atom.Atom) map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(atoms))
	for _, a := range atoms {
		m[a] = true
	}
	return m
}
