package quality

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"presswatch/internal/lang"
)

// LangSet is the corpus folder of test sentences, one file a language
// (kk.txt, ...), one sentence a line.
const LangSet = "lingua-sentences"

// DeployedLanguages are the languages presswatch's deployment follows, in
// the order Languages reports them.
var DeployedLanguages = []string{"ru", "kk", "en", "de", "fr", "es", "it", "pl", "pt"}

// ShortWords are the lengths, in words, of the short texts Languages cuts
// from the sentences to stand for headlines: the i-th sentence of a
// language gives its first ShortWords[i%len(ShortWords)] words.
var ShortWords = []int{3, 4, 5, 6}

// LangReport is the outcome of Languages: the same sentences judged whole
// and cut short.
type LangReport struct {
	Sentences LangRow // whole sentences
	Short     LangRow // each sentence's first 3 to 6 words (see ShortWords)
}

// LangRow is lang.Detect's score on one kind of text.
type LangRow struct {
	Kind     string  // "sentences" or "short"
	Texts    int     // texts judged, over DeployedLanguages
	Right    int     // texts labelled with their own language
	Accuracy float64 // Right / Texts
	// PerLang is the score of each language of DeployedLanguages.
	PerLang map[string]Count
	// Confusion counts, for each language, the labels its texts got other
	// than its own ("" when Detect gave no answer: under ten letters, or
	// undecided).
	Confusion map[string]map[string]int
	// KazakhAsRuMn is how many Kazakh texts were labelled Russian or
	// Mongolian, and KazakhAsRuMnShare its share of the Kazakh texts.
	// (lang.Detect has no Mongolian model: Cyrillic it cannot place
	// between Kyrgyz and Mongolian gets no answer, counted in Confusion.)
	KazakhAsRuMn      int
	KazakhAsRuMnShare float64
	// Elapsed is the time spent in lang.Detect, on one goroutine;
	// TextsPerSec is Texts divided by it.
	Elapsed     time.Duration
	TextsPerSec float64
	Misses      []LangMiss
}

// LangMiss is a text labelled with another language than its own.
type LangMiss struct {
	Kind string `json:"kind"` // "sentences" or "short"
	Want string `json:"want"`
	Got  string `json:"got"` // "" when Detect gave no answer
	Text string `json:"text"`
}

// Languages measures lang.Detect on corpusDir/lingua-sentences: for each
// language of DeployedLanguages, its sentences whole and cut to their
// first few words (headline length). Detect runs on one goroutine, as its
// calls into lingua are serialised anyway. It returns an error when a
// language's file cannot be read or is empty, or ctx is done.
func Languages(ctx context.Context, corpusDir string) (*LangReport, error) {
	rep := &LangReport{Sentences: newLangRow("sentences"), Short: newLangRow("short")}
	for _, code := range DeployedLanguages {
		lines, err := readSentences(filepath.Join(corpusDir, LangSet, code+".txt"))
		if err != nil {
			return nil, err
		}
		for i, s := range lines {
			if i%100 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			rep.Sentences.judge(code, s)
			rep.Short.judge(code, firstWords(s, ShortWords[i%len(ShortWords)]))
		}
	}
	rep.Sentences.compute()
	rep.Short.compute()
	return rep, nil
}

func newLangRow(kind string) LangRow {
	return LangRow{Kind: kind, PerLang: map[string]Count{}, Confusion: map[string]map[string]int{}}
}

func (r *LangRow) judge(want, text string) {
	start := time.Now()
	got := lang.Detect(text)
	r.Elapsed += time.Since(start)
	c := r.PerLang[want]
	c.Total++
	r.Texts++
	if got == want {
		c.Right++
		r.Right++
	} else {
		if r.Confusion[want] == nil {
			r.Confusion[want] = map[string]int{}
		}
		r.Confusion[want][got]++
		r.Misses = append(r.Misses, LangMiss{Kind: r.Kind, Want: want, Got: got, Text: text})
		if want == "kk" && (got == "ru" || got == "mn") {
			r.KazakhAsRuMn++
		}
	}
	r.PerLang[want] = c
}

func (r *LangRow) compute() {
	if r.Texts > 0 {
		r.Accuracy = float64(r.Right) / float64(r.Texts)
	}
	if kk := r.PerLang["kk"].Total; kk > 0 {
		r.KazakhAsRuMnShare = float64(r.KazakhAsRuMn) / float64(kk)
	}
	r.TextsPerSec = perSecond(r.Texts, r.Elapsed)
}

// LangAccuracy returns a language's accuracy in the row, 0 when it has no
// texts.
func (r *LangRow) LangAccuracy(code string) float64 {
	c := r.PerLang[code]
	if c.Total == 0 {
		return 0
	}
	return float64(c.Right) / float64(c.Total)
}

// WriteMisses writes the misses of both rows, sentences first, to path as
// JSON lines.
func (r *LangReport) WriteMisses(path string) error {
	return writeLines(path, append(append([]LangMiss(nil), r.Sentences.Misses...), r.Short.Misses...))
}

// readSentences reads the non-blank lines of a sentence file.
func readSentences(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			lines = append(lines, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("quality: %s: %w", path, err)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("quality: %s: no sentences", path)
	}
	return lines, nil
}

// firstWords returns the first n words of s, separated by single spaces.
func firstWords(s string, n int) string {
	words := strings.Fields(s)
	return strings.Join(words[:min(n, len(words))], " ")
}
