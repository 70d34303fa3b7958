package wdiff

import (
	"html/template"
	"regexp"
	"strings"
)

// HTML renders segs for a page: the text in <p> paragraphs (a blank line
// ends a paragraph, a single line break becomes <br>), deleted text in
// <del> and inserted text in <ins>. Every character of the text is
// escaped here, so the result is safe to put into an html/template as it
// is. A line or paragraph break that was itself deleted or inserted is
// still shown as a break; the words on either side carry the change.
func HTML(segs []Segment) template.HTML {
	var b strings.Builder
	b.WriteString("<p>")
	for _, s := range segs {
		tag := ""
		switch s.Op {
		case Delete:
			tag = "del"
		case Insert:
			tag = "ins"
		}
		text := s.Text
		for text != "" {
			loc := lineBreaks.FindStringIndex(text)
			chunk, brk := text, ""
			if loc != nil {
				chunk, brk, text = text[:loc[0]], text[loc[0]:loc[1]], text[loc[1]:]
			} else {
				text = ""
			}
			writeChunk(&b, tag, chunk)
			switch {
			case brk == "":
			case strings.Count(brk, "\n") > 1:
				b.WriteString("</p>\n<p>")
			default:
				b.WriteString("<br>\n")
			}
		}
	}
	b.WriteString("</p>")
	out := strings.ReplaceAll(b.String(), "<p></p>", "")
	return template.HTML(strings.TrimSpace(out))
}

// lineBreaks finds a line break with the blanks around it.
var lineBreaks = regexp.MustCompile(`[ \t]*(?:\r?\n[ \t]*)+`)

func writeChunk(b *strings.Builder, tag, text string) {
	if text == "" {
		return
	}
	if tag != "" {
		b.WriteString("<" + tag + ">")
	}
	template.HTMLEscape(b, []byte(text))
	if tag != "" {
		b.WriteString("</" + tag + ">")
	}
}
