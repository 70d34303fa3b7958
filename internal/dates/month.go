package dates

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"
)

// Languages are the languages whose month names the package reads, as
// go-dateparser names them.
var Languages = []string{"en", "ru", "kk", "uk", "de", "fr", "es", "it", "pl", "pt"}

// monthProbe is the day and year a word is asked about in (see askMonth):
// a day no month lacks and a year go-dateparser cannot take from its
// current time, which is set in another month and year.
const (
	probeDay  = 15
	probeYear = 2001
)

var (
	// probe is go-dateparser's parser of written dates alone (no
	// timestamps, relative dates or custom formats), asked about one word
	// at a time.
	probe    = &dps.Parser{ParserTypes: []dps.ParserType{dps.AbsoluteTime}}
	probeCfg = &dps.Configuration{
		Languages:       Languages,
		StrictParsing:   true,
		DateOrder:       dps.DMY,
		DefaultTimezone: time.UTC,
		CurrentTime:     time.Date(1995, time.July, 10, 0, 0, 0, 0, time.UTC),
	}

	// known remembers go-dateparser's answers, word (lower case) to
	// month (0: not a month). It holds at most maxKnown words; after that
	// answers are not remembered.
	known      sync.Map
	knownCount atomic.Int64
)

const maxKnown = 1 << 14

// monthOf returns the month a word names in one of Languages: a name or
// an abbreviation go-dateparser knows (a trailing dot allowed), or a
// Cyrillic word of six letters or more starting with one of five letters
// or more (Kazakh and Russian add case endings: "желтоқсанда",
// "желтоқсанның", "қаңтардағы"). Latin words must be known whole:
// "Junior" is not "junio", nor "Augustiner" "august".
//
// Each word go-dateparser is asked about costs about half a millisecond
// the first time; budget is how many more words this call may ask about
// (it is decremented), after which unknown words are not months.
func monthOf(word string, budget *int) (time.Month, bool) {
	w := strings.ToLower(strings.TrimSuffix(word, "."))
	n := utf8.RuneCountInString(w)
	if n < 3 || n > 20 {
		return 0, false
	}
	if m := lookup(w, budget); m != 0 {
		return m, true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.Is(unicode.Cyrillic, r) {
		return 0, false
	}
	runes := []rune(w)
	for k := len(runes) - 1; k >= 5; k-- {
		if m := lookup(string(runes[:k]), budget); m != 0 {
			return m, true
		}
	}
	return 0, false
}

// lookup answers from known, else asks go-dateparser within budget.
func lookup(w string, budget *int) time.Month {
	if m, ok := known.Load(w); ok {
		return m.(time.Month)
	}
	if *budget <= 0 {
		return 0
	}
	*budget--
	m := askMonth(w)
	if knownCount.Load() < maxKnown {
		if _, loaded := known.LoadOrStore(w, m); !loaded {
			knownCount.Add(1)
		}
	}
	return m
}

// askMonth asks go-dateparser which month "15 w 2001" falls in; 0 when it
// reads no complete date there or one on another day or year (a weekday
// or "today" would take them from its current time).
func askMonth(w string) (m time.Month) {
	if strings.ContainsAny(w, "0123456789") {
		return 0
	}
	defer func() { // third-party code: a panic is not a month
		if recover() != nil {
			m = 0
		}
	}()
	d, err := probe.Parse(probeCfg, "15 "+w+" 2001")
	if err != nil || d.IsZero() {
		return 0
	}
	if t := d.Time; t.Day() != probeDay || t.Year() != probeYear {
		return 0
	}
	return d.Time.Month()
}
