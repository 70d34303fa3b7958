package dates

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Languages are the languages whose month names the package reads, as
// go-dateparser names them.
var Languages = []string{"en", "ru", "kk", "uk", "de", "fr", "es", "it", "pl", "pt"}

// monthOf returns the month a word names in one of Languages: a name or
// an abbreviation go-dateparser knows (a trailing dot allowed; case and
// accents do not matter, as for go-dateparser: "Déc.", "Jänner"), or a
// Cyrillic word of six letters or more starting with one of five letters
// or more (Kazakh and Russian add case endings: "желтоқсанда",
// "желтоқсанның", "қаңтардағы"). Latin words must be known whole:
// "Junior" is not "junio", nor "Augustiner" "august".
//
// The words are those of monthWords, which TestMonthWords takes from
// go-dateparser's data; go-dateparser is not called at run time (it
// costs about half a millisecond a word, and its parser shares state
// between goroutines without a lock).
func monthOf(word string) (time.Month, bool) {
	w := fold(strings.TrimSuffix(word, "."))
	n := utf8.RuneCountInString(w)
	if n < 3 || n > 20 {
		return 0, false
	}
	if m, ok := monthWords[w]; ok {
		return m, true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.Is(unicode.Cyrillic, r) {
		return 0, false
	}
	rs := []rune(w)
	for k := len(rs) - 1; k >= 5; k-- {
		if m, ok := monthWords[string(rs[:k])]; ok {
			return m, true
		}
	}
	return 0, false
}

// fold lowers w and takes its accents off as go-dateparser does before
// it looks a word up (NFKD, nonspacing marks removed, NFKC): "Déc" is
// "dec", "Jänner" "janner", "қыркүйек" "қыркүиек".
func fold(w string) string {
	w = strings.ToLower(w)
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	// A chain keeps state: one per call, never shared.
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFKC)
	folded, _, err := transform.String(t, w)
	if err != nil {
		return w
	}
	return folded
}
