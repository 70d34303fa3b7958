package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// monthNames maps the month names and abbreviations of the deployment's
// languages (en, de, fr, es, it, pt, pl, ru, uk, kk), lower-cased, to
// their month. Inflected forms that are not listed are found by their
// stem (see monthOf): Kazakh "желтоқсанда", Russian "декабрь".
var monthNames = map[string]time.Month{}

func init() {
	for i, names := range [12]string{
		"january jan januar jänner janvier janv enero ene gennaio gen janeiro stycznia styczeń styczen января январь янв січня січень қаңтар",
		"february feb februar feber février fevrier févr fevr febrero febbraio fevereiro fev lutego luty февраля февраль фев лютого лютий ақпан",
		"march mar märz maerz mär mars marzo março marco marca marzec марта март березня березень наурыз",
		"april apr avril avr abril aprile abr kwietnia kwiecień kwiecien апреля апрель апр квітня квітень сәуір",
		"may mai mayo maggio maio maja maj мая май травня травень мамыр",
		"june jun juni juin junio giugno junho czerwca czerwiec июня июнь червня червень маусым",
		"july jul juli juillet juil julio luglio julho lipca lipiec июля июль липня липень шілде",
		"august aug août aout agosto ago sierpnia sierpień sierpien августа август авг серпня серпень тамыз",
		"september sep sept septembre septiembre setiembre settembre setembro set września wrzesień wrzesien сентября сентябрь сен сент вересня вересень қыркүйек",
		"october oct oktober okt octobre octubre ottobre outubro out października październik pazdziernika октября октябрь окт жовтня жовтень қазан",
		"november nov novembre noviembre novembro listopada listopad ноября ноябрь нояб ноя листопада листопад қараша",
		"december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro grudnia grudzień grudzien декабря декабрь дек грудня грудень желтоқсан",
	} {
		for _, n := range strings.Fields(names) {
			monthNames[n] = time.Month(i + 1)
		}
	}
}

// monthOf returns the month a word names: a listed name or abbreviation,
// or a Cyrillic word starting with a listed name of five letters or more
// (Kazakh and Russian add case endings: "желтоқсанның", "декабрём"). Latin
// words must be listed whole: "Junior" is not "junio", nor "Augustiner"
// "august".
func monthOf(word string) (time.Month, bool) {
	w := strings.ToLower(strings.TrimSuffix(word, "."))
	if m, ok := monthNames[w]; ok {
		return m, true
	}
	r := []rune(w)
	if len(r) == 0 || !unicode.Is(unicode.Cyrillic, r[0]) {
		return 0, false
	}
	for n := len(r) - 1; n >= 5; n-- {
		if m, ok := monthNames[string(r[:n])]; ok {
			return m, true
		}
	}
	return 0, false
}

// The forms of a date written for readers. A clock may follow.
var (
	// 16.12.2011, 16. 12. 2011
	rxDotted = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?:[^\d]|$)`)
	// 2011-12-16, 2011/12/16
	rxISO = regexp.MustCompile(`(?:^|[^\d])((?:19|20)\d{2})([-/])(\d{2})[-/](\d{2})(?:[^\d]|$)`)
	// 16 December 2011, 16. Dezember 2011, 16 de diciembre de 2011,
	// 1er juillet 2019, 16 декабря 2011, 16 желтоқсан 2011
	rxDayMonth = regexp.MustCompile(`(?:^|[^\p{L}\d])(\d{1,2})(?:\.|er|st|nd|rd|th|-?го)?\s+(?:de\s+)?(\p{L}+)\.?,?\s+(?:de\s+|del\s+)?((?:19|20)\d{2})(?:[^\d]|$)`)
	// December 16, 2011, Dec. 16th 2011
	rxMonthDay = regexp.MustCompile(`(?:^|[^\p{L}])(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})(?:[^\d]|$)`)
	// 2011 жылғы 16 желтоқсан, 2011 ж. 16 желтоқсан
	rxYearFirst = regexp.MustCompile(`((?:19|20)\d{2})\s*(?:ж\.|жылы|жылғы)\s*(\d{1,2})\s+(\p{L}+)`)
	// 16/12/2011 or 12/16/2011, when the order shows
	rxSlashed = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?:[^\d/]|$)`)
	// a clock after the date: ", 12:35", " um 05:00 Uhr", " à 16h55",
	// " | 15:33", ", 11:15 PM"
	rxClock = regexp.MustCompile(`^[\s,|\-–—@]*(?:um|à|a las|alle|às|o|в|at|kl\.)?\s*([01]?\d|2[0-3])[:h.]([0-5]\d)(?::[0-5]\d)?(?:\s*([AaPp])\.?\s?[Mm]\.?(?:[^\p{L}]|$)|[^\d]|$)`)
)

// textDate is a date found in text written for readers.
type textDate struct {
	day        time.Time // midnight UTC of the day written
	start, end int       // byte offsets of the match in the text
	clock      bool      // a time of day follows the date
	hour, min  int
}

// textDates finds the dates written in s, in the order they appear.
func textDates(s string) []textDate {
	var out []textDate
	add := func(y, m, d int, start, end int) {
		if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
			return
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			return
		}
		td := textDate{day: t, start: start, end: end}
		if c := rxClock.FindStringSubmatch(s[end:]); c != nil {
			td.clock = true
			td.hour, _ = strconv.Atoi(c[1])
			td.min, _ = strconv.Atoi(c[2])
			switch {
			case (c[3] == "p" || c[3] == "P") && td.hour < 12:
				td.hour += 12
			case (c[3] == "a" || c[3] == "A") && td.hour == 12:
				td.hour = 0
			}
		}
		out = append(out, td)
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, m := range rxDotted.FindAllStringSubmatchIndex(s, -1) {
		add(atoi(s[m[6]:m[7]]), atoi(s[m[4]:m[5]]), atoi(s[m[2]:m[3]]), m[2], m[7])
	}
	for _, m := range rxISO.FindAllStringSubmatchIndex(s, -1) {
		add(atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]]), atoi(s[m[8]:m[9]]), m[2], m[9])
	}
	for _, m := range rxDayMonth.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := monthOf(s[m[4]:m[5]]); ok {
			add(atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[2]:m[3]]), m[2], m[7])
		}
	}
	for _, m := range rxMonthDay.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := monthOf(s[m[2]:m[3]]); ok {
			add(atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[4]:m[5]]), m[2], m[7])
		}
	}
	for _, m := range rxYearFirst.FindAllStringSubmatchIndex(s, -1) {
		if mo, ok := monthOf(s[m[6]:m[7]]); ok {
			add(atoi(s[m[2]:m[3]]), int(mo), atoi(s[m[4]:m[5]]), m[2], m[7])
		}
	}
	for _, m := range rxSlashed.FindAllStringSubmatchIndex(s, -1) {
		a, b := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])
		switch {
		case a > 12 && b <= 12:
			add(atoi(s[m[6]:m[7]]), b, a, m[2], m[7])
		case b > 12 && a <= 12:
			add(atoi(s[m[6]:m[7]]), a, b, m[2], m[7])
		case a == b:
			add(atoi(s[m[6]:m[7]]), a, a, m[2], m[7])
		}
	}
	sortDates(out)
	return out
}

func sortDates(ds []textDate) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].start < ds[j-1].start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// pageText is the text of a page in document order, without scripts,
// styles and forms, with where its headline (<h1>) starts and ends.
type pageText struct {
	text               string
	headStart, headEnd int      // -1 when the page has no <h1>
	blocks             [][2]int // the spans of block elements' text
}

func readPageText(root *html.Node) pageText {
	var b strings.Builder
	pt := pageText{headStart: -1, headEnd: -1}
	space := true // the last byte written is a space, or nothing is
	write := func(s string) {
		for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString(f)
			space = false
		}
		if s != "" && unicode.IsSpace(rune(s[len(s)-1])) && !space {
			b.WriteByte(' ')
			space = true
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if s := n.Data; s != "" && unicode.IsSpace(rune(s[0])) && !space {
				b.WriteByte(' ')
				space = true
			}
			write(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Select, atom.Textarea, atom.Svg:
				return
			}
		}
		isHead := n.Type == html.ElementNode && n.DataAtom == atom.H1 && pt.headStart < 0
		block := n.Type == html.ElementNode && blockElements[n.DataAtom]
		blockStart := b.Len()
		if isHead {
			pt.headStart = b.Len()
		}
		if n.Type == html.ElementNode && !space {
			b.WriteByte(' ')
			space = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && !space {
			b.WriteByte(' ')
			space = true
		}
		if block && b.Len() > blockStart {
			pt.blocks = append(pt.blocks, [2]int{blockStart, b.Len()})
		}
		if isHead {
			pt.headEnd = b.Len()
			if strings.TrimSpace(b.String()[pt.headStart:]) == "" {
				pt.headStart, pt.headEnd = -1, -1
			}
		}
	}
	walk(root)
	pt.text = b.String()
	return pt
}

// blockElements are the elements whose text stands apart from its
// neighbours': a date in a short one is a dateline or a byline, one in a
// long one is part of a sentence.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Td: true, atom.Th: true,
	atom.Dd: true, atom.Dt: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Main: true,
	atom.Blockquote: true, atom.Figure: true, atom.Figcaption: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Tr: true,
	atom.Address: true, atom.Time: true, atom.Body: true, atom.Html: true,
}

// blockLen returns the length of the text of the smallest block holding
// the span [start, end).
func (pt *pageText) blockLen(start, end int) int {
	best := len(pt.text)
	for _, bl := range pt.blocks {
		if bl[0] <= start && end <= bl[1] && bl[1]-bl[0] < best {
			best = bl[1] - bl[0]
		}
	}
	return best
}

// How near the headline a shown date must be, in bytes of text after its
// end or before its start, and how long the block holding it may be:
// a dateline or byline ("Von Moritz Wichmann 29.04.2020, 12:01 Uhr") is
// short, a date inside a sentence ("ab dem 1. Januar 2024 ...") is not.
const (
	shownAfter    = 300
	shownBefore   = 50
	shownMaxBlock = 80
)

// rxUpdateLabel matches the end of a text that labels the date after it
// as a revision ("Updated", "Aktualisiert am", "Stand:", "mis à jour le",
// "Обновлено"), not the publication.
var rxUpdateLabel = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:updat|aktualisier|stand|mis à jour|modifi|actualiza|aggiorna|atualiza|aktualizac|обновл|изменен|жаңарт|өзгерт|last)\p{L}*[^\p{L}\d]*(?:\p{L}+[^\p{L}\d]*)?(?:\p{L}+[^\p{L}\d]*)?$`)

// shownDate finds the date a page shows its readers with the article: the
// date nearest after the end of the first <h1> (else the nearest before
// it), in a short block of its own, not labelled as an update.
func shownDate(root *html.Node) (textDate, bool) {
	pt := readPageText(root)
	if pt.headStart < 0 {
		return textDate{}, false
	}
	lo, hi := max(0, pt.headStart-shownBefore), min(len(pt.text), pt.headEnd+shownAfter)
	var best textDate
	bestDist, found := 0, false
	for _, td := range textDates(pt.text[lo:hi]) {
		start, end := td.start+lo, td.end+lo
		dist := start - pt.headEnd // after the headline: >= 0
		if start < pt.headEnd {
			dist = end - pt.headStart // before it or inside it: < 0
			if dist >= 0 {
				dist = -1
			}
		}
		if dist < -shownBefore || dist > shownAfter || pt.blockLen(start, end) > shownMaxBlock {
			continue
		}
		if rxUpdateLabel.MatchString(pt.text[max(0, start-40):start]) {
			continue
		}
		better := !found ||
			(dist >= 0 && (bestDist < 0 || dist < bestDist)) ||
			(dist < 0 && bestDist < 0 && dist > bestDist)
		if better {
			best, bestDist, found = td, dist, true
		}
	}
	return best, found
}

// at returns the date and clock written, as a time in UTC.
func (td textDate) at() time.Time {
	if !td.clock {
		return td.day
	}
	return td.day.Add(time.Duration(td.hour)*time.Hour + time.Duration(td.min)*time.Minute)
}
