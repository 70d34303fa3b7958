package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// Caps on what Parse reads.
const (
	// MaxBytes is the largest file Parse reads: 8 MiB holds about 40,000
	// outlines of a typical export, four times MaxOutlines.
	MaxBytes = 8 << 20
	// MaxOutlines is the most <outline> elements, categories included.
	MaxOutlines = 10_000
	// MaxDepth is the deepest nesting of outlines.
	MaxDepth = 50
)

// Errors Parse wraps; test for them with errors.Is.
var (
	ErrNotOPML  = errors.New("opml: not an OPML file")
	ErrTooLarge = errors.New("opml: file too large")
)

// Feed is one subscription of a list.
type Feed struct {
	Title    string // never empty after Parse: the title, text, htmlUrl or xmlUrl
	FeedURL  string // the outline's xmlUrl: an absolute http(s) URL
	SiteURL  string // the outline's htmlUrl, an absolute http(s) URL; "" if none
	Category string // the text of the nearest enclosing outline; "" at the top level
}

// List is what Parse read from a file.
type List struct {
	Title   string    // the <head>'s <title>; "" if none
	Feeds   []Feed    // in the file's order
	Skipped []Skipped // outlines left out, in the file's order
}

// Skipped is one outline Parse left out and why.
type Skipped struct {
	Line    int    // line of the <outline> in the file
	Outline string // its title, text or xmlUrl, whichever it has; "" if none
	Reason  string // "no xmlUrl", "xmlUrl \"feed://x\" is not an absolute http(s) URL", ...
}

func (s Skipped) String() string {
	if s.Outline == "" {
		return fmt.Sprintf("line %d: outline: %s", s.Line, s.Reason)
	}
	return fmt.Sprintf("line %d: outline %q: %s", s.Line, s.Outline, s.Reason)
}

// Parse reads an OPML file from r; see the package comment for what it
// accepts. It reads at most MaxBytes+1 bytes of r and does not close it.
//
// A file that is not XML, whose root is not <opml> or that has no <body>
// is an error wrapping ErrNotOPML; one over MaxBytes, MaxOutlines or
// MaxDepth wraps ErrTooLarge. An empty <body> is no error: the List has no
// feeds. Outlines left out are in List.Skipped, not errors.
func Parse(r io.Reader) (*List, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("opml: reading the file: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: larger than the %d MiB cap", ErrTooLarge, MaxBytes>>20)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	p := &parser{d: d, list: &List{}, seen: map[string]int{}}
	d.CharsetReader = p.charsetReader
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.list, nil
}

// parser walks the tokens of one file.
type parser struct {
	d     *xml.Decoder
	list  *List
	count int            // outlines read so far
	seen  map[string]int // feed URL → line of its first outline
	// charset is an encoding the XML declaration names that is unknown.
	charset string
}

func (p *parser) charsetReader(label string, r io.Reader) (io.Reader, error) {
	cr, err := charset.NewReaderLabel(label, r)
	if err != nil {
		p.charset = label
	}
	return cr, err
}

// next returns the next token, or an error naming why the file is no XML.
func (p *parser) next() (xml.Token, error) {
	tok, err := p.d.Token()
	if err == io.EOF {
		return nil, err
	}
	if err != nil && p.charset != "" {
		return nil, fmt.Errorf("%w: the XML declaration names an unknown encoding %q", ErrNotOPML, p.charset)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: not XML: %v", ErrNotOPML, err)
	}
	return tok, nil
}

// document reads up to the root element and through it.
func (p *parser) document() error {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return fmt.Errorf("%w: no root element, so not XML", ErrNotOPML)
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if !strings.EqualFold(se.Name.Local, "opml") {
				return fmt.Errorf("%w: the root element is <%s>, not <opml>", ErrNotOPML, se.Name.Local)
			}
			return p.root()
		}
	}
}

// root reads the children of <opml>: <head> for the title, <body>.
func (p *parser) root() error {
	body := false
	for {
		tok, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case strings.EqualFold(se.Name.Local, "head"):
			err = p.head()
		case strings.EqualFold(se.Name.Local, "body") && !body:
			body = true
			err = p.outlines("", 0)
		default:
			err = p.d.Skip()
		}
		if err != nil {
			return p.wrap(err)
		}
	}
	if !body {
		return fmt.Errorf("%w: <opml> has no <body>", ErrNotOPML)
	}
	return nil
}

// wrap makes a Skip error name the reason as next does.
func (p *parser) wrap(err error) error {
	if errors.Is(err, ErrNotOPML) || errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: not XML: %v", ErrNotOPML, err)
}

func (p *parser) head() error {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if strings.EqualFold(t.Name.Local, "title") {
				var s string
				if err := p.d.DecodeElement(&s, &t); err != nil {
					return p.wrap(err)
				}
				p.list.Title = strings.TrimSpace(s)
			} else if err := p.d.Skip(); err != nil {
				return p.wrap(err)
			}
		}
	}
}

// outlines reads the children of <body> or of a category outline, up to
// its end tag; category names them, depth counts the enclosing outlines.
func (p *parser) outlines(category string, depth int) error {
	for {
		// Before a token, InputPos is where it starts: the white space
		// before a tag is a token of its own.
		line, _ := p.d.InputPos()
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if !strings.EqualFold(t.Name.Local, "outline") {
				if err := p.d.Skip(); err != nil {
					return p.wrap(err)
				}
				continue
			}
			if err := p.outline(t, line, category, depth+1); err != nil {
				return err
			}
		}
	}
}

// outline reads one outline element and what it holds.
func (p *parser) outline(se xml.StartElement, line int, category string, depth int) error {
	p.count++
	if p.count > MaxOutlines {
		return fmt.Errorf("%w: more than %d outlines", ErrTooLarge, MaxOutlines)
	}
	if depth > MaxDepth {
		return fmt.Errorf("%w: outlines nested more than %d deep (line %d)", ErrTooLarge, MaxDepth, line)
	}
	a := readAttrs(se.Attr)
	if a.xmlURL == "" {
		return p.category(a, line, category, depth)
	}
	name := firstOf(a.title, a.text, a.xmlURL)
	if !absHTTP(a.xmlURL) {
		p.skip(line, name, fmt.Sprintf("xmlUrl %q is not an absolute http(s) URL", a.xmlURL))
	} else if first, ok := p.seen[a.xmlURL]; ok {
		p.skip(line, name, fmt.Sprintf("repeats the xmlUrl of line %d", first))
	} else {
		f := Feed{FeedURL: a.xmlURL, Category: category}
		if absHTTP(a.htmlURL) {
			f.SiteURL = a.htmlURL
		}
		f.Title = firstOf(a.title, a.text, f.SiteURL, f.FeedURL)
		p.seen[f.FeedURL] = line
		p.list.Feeds = append(p.list.Feeds, f)
	}
	// A feed's own children, which some readers write for notes, are
	// read as feeds of the same category.
	return p.outlines(category, depth)
}

// category reads an outline without xmlUrl: a category when it holds
// outlines (one without a name passes on its parent's), else skipped.
func (p *parser) category(a attrs, line int, parent string, depth int) error {
	name := firstOf(a.text, a.title)
	before := p.count
	if err := p.outlines(firstOf(name, parent), depth); err != nil {
		return err
	}
	if p.count == before {
		p.skip(line, name, "no xmlUrl")
	}
	return nil
}

func (p *parser) skip(line int, name, reason string) {
	p.list.Skipped = append(p.list.Skipped, Skipped{Line: line, Outline: name, Reason: reason})
}

// attrs are the attributes of an outline that matter, trimmed.
type attrs struct {
	title, text, xmlURL, htmlURL string
}

// readAttrs reads an outline's attributes, in no namespace and in any
// case (some exporters write xmlurl or xmlURL).
func readAttrs(list []xml.Attr) attrs {
	var a attrs
	for _, at := range list {
		if at.Name.Space != "" {
			continue
		}
		v := strings.TrimSpace(at.Value)
		switch strings.ToLower(at.Name.Local) {
		case "title":
			a.title = v
		case "text":
			a.text = v
		case "xmlurl":
			a.xmlURL = v
		case "htmlurl":
			a.htmlURL = v
		}
	}
	return a
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// absHTTP reports whether s is an absolute http or https URL with a host.
func absHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
