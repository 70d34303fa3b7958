package copies

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zeebo/xxh3"

	"presswatch/internal/corpus"
)

// The evaluation set: real texts as originals, each with six made-up
// republications (the transformations below), and distractors that must
// stay apart. Every original and everything made from it goes to one half,
// dev or test, by a hash of the original's file name (see half).

// minOriginalWords is the least text an original needs: its shortest
// copy (40 % of it) must still be a text Sketch does not call Empty.
const minOriginalWords = 150

// A doc is one text of the evaluation set.
type doc struct {
	name  string // original's file, then "+" and the transformation
	group int    // same group: copies of one another
	kind  string // "original", a transformation, "distractor"
	text  string
}

// half is 0 (dev) or 1 (test) for an original's file name: the one split.
func half(name string) int { return int(xxh3.HashString("copies-split:"+name) & 1) }

// evalSet builds the set of one half from the corpus in dir.
type evalSet struct {
	docs   []doc
	groups int
	// translations are the campaign appeal in seven languages, kept out of
	// docs: the stretch measurement.
	translations []doc

	byText, byName map[string]int // the group of an original's text, of its name
}

func (s *evalSet) group() int { s.groups++; return s.groups - 1 }

// sameStory are the pages of trafilatura-eval that are one story on two
// sites, found by reading the pairs that the first runs joined across
// groups: the Deutscher Jagdverband's press release and the Deutsche
// Jagdzeitung's rewrite of it in reported speech. Pages with the same
// text (heavenlynnhealthy.de, womencantalksports.com) are joined by
// their text.
var sameStory = map[string]string{"jagdverband.de-erschuettert.html": "djz.de-amoklauf.html"}

// original adds an original and its copies: a new group, unless the
// original is the same story as one already added.
func (s *evalSet) original(name, text string, fixture bool) {
	if s.byText == nil {
		s.byText, s.byName = map[string]int{}, map[string]int{}
	}
	norm := strings.Join(strings.Fields(text), " ")
	g, ok := s.byText[norm]
	if other, same := sameStory[name]; same && !ok {
		g, ok = s.byName[other]
	}
	if !ok {
		g = s.group()
	}
	s.byText[norm], s.byName[name] = g, g
	rng := rand.New(rand.NewPCG(xxh3.HashString(name), 1))
	s.docs = append(s.docs, doc{name, g, "original", text})
	for _, tr := range transformations {
		if tr.fixtureOnly && !fixture {
			continue
		}
		s.docs = append(s.docs, doc{name + "+" + tr.name, g, tr.name, tr.apply(rng, text)})
	}
}

// loadEvalSet reads half h of the set: the trafilatura-eval pages whose
// text holds every ground-truth segment and is long enough, the fixture
// site's stories, and the distractors made from lingua-sentences.
func loadEvalSet(t testing.TB, h int) *evalSet {
	t.Helper()
	dir := corpus.Dir(t)
	s := &evalSet{}
	pages, err := newsTexts(filepath.Join(dir, "trafilatura-eval"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if half(p.file) == h {
			s.original(p.file, p.text, false)
		}
	}
	for _, name := range siteArticles {
		if half(name) != h {
			continue
		}
		// Stories too short to copy in part are distractors only.
		if text := siteText(t, name); len(strings.Fields(text)) >= minOriginalWords {
			s.original(name, text, true)
		} else {
			s.docs = append(s.docs, doc{name, s.group(), "distractor", text})
		}
	}
	ds, err := distractors(filepath.Join(dir, "lingua-sentences"), h)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		d.group = s.group()
		s.docs = append(s.docs, d)
	}
	for _, l := range []string{"en", "de", "es", "fr", "it", "pl", "pt"} {
		name := "appeal/" + l + ".html"
		s.translations = append(s.translations, doc{name, s.group(), "translation", siteText(t, name)})
	}
	return s
}

type newsText struct{ file, text string }

var (
	newsOnce  sync.Once
	newsCache []newsText
	newsErr   error
)

// newsTexts returns the usable originals of trafilatura-eval, read once
// per test binary: the text htmlText finds, kept when it holds every
// "with" segment of the ground truth (so it is the page's article, not
// its template) and has minOriginalWords words. Under the race detector,
// only a fixed eighth of the pages.
func newsTexts(dir string) ([]newsText, error) {
	newsOnce.Do(func() { newsCache, newsErr = readNewsTexts(dir) })
	return newsCache, newsErr
}

func readNewsTexts(dir string) ([]newsText, error) {
	b, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		return nil, err
	}
	var m map[string]struct {
		File string   `json:"file"`
		With []string `json:"with"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	type entry struct {
		file string
		with []string
	}
	var entries []entry
	for _, p := range m {
		if raceEnabled && xxh3.HashString("copies-race:"+p.File)%8 != 0 {
			continue
		}
		entries = append(entries, entry{p.File, p.With})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.file, b.file) })
	out := make([]newsText, len(entries))
	errs := make([]error, len(entries))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				raw, err := readGz(dir, entries[i].file)
				if err != nil {
					errs[i] = err
					continue
				}
				text := htmlText(raw, "")
				if len(strings.Fields(text)) >= minOriginalWords && holdsAll(text, entries[i].with) {
					out[i] = newsText{entries[i].file, text}
				}
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := firstErr(errs); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(out, func(n newsText) bool { return n.text == "" }), nil
}

func firstErr(errs []error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func readGz(dir, name string) ([]byte, error) {
	for _, sub := range []string{"cache", "eval"} {
		f, err := os.Open(filepath.Join(dir, sub, name+".gz"))
		if err != nil {
			continue
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return io.ReadAll(z)
	}
	return nil, fmt.Errorf("%s: not under cache/ or eval/", name)
}

func holdsAll(text string, segments []string) bool {
	squashed := strings.Join(strings.Fields(text), " ")
	for _, s := range segments {
		if !strings.Contains(squashed, strings.Join(strings.Fields(s), " ")) {
			return false
		}
	}
	return true
}

// distractors are different stories about the same events and people:
// real sentences of one language (lingua-sentences, each used once)
// interleaved with the names, dates and stock phrases of Zhanaozen
// coverage, which every distractor of the language shares. 40 per
// language and half.
func distractors(dir string, h int) ([]doc, error) {
	var out []doc
	for _, lang := range slices.Sorted(maps.Keys(stock)) {
		f, err := os.Open(filepath.Join(dir, lang+".txt"))
		if err != nil {
			return nil, err
		}
		var lines []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
		lines = lines[h*len(lines)/2 : (h+1)*len(lines)/2]
		rng := rand.New(rand.NewPCG(uint64(h), xxh3.HashString(lang)))
		for i := range 40 {
			var b strings.Builder
			for j, l := range lines[i*12 : i*12+12] {
				b.WriteString(l)
				if j%3 == 1 {
					b.WriteString(" " + stock[lang][rng.IntN(len(stock[lang]))])
				}
				b.WriteString("\n")
			}
			out = append(out, doc{fmt.Sprintf("%s-distractor-%d", lang, i), 0, "distractor", b.String()})
		}
	}
	return out, nil
}

// stock are the phrases that coverage of Zhanaozen repeats.
var stock = map[string][]string{
	"en": {
		"On 16 December 2011 police opened fire on striking oil workers in Zhanaozen.",
		"Natalia Sokolova, the lawyer of the Ozenmunaigas strikers, was sentenced to six years.",
		"At least 16 people were killed in Zhanaozen, according to official figures.",
		"The strike at Ozenmunaigas had lasted since May 2011.",
	},
	"ru": {
		"16 декабря 2011 года в Жанаозене полиция открыла огонь по бастующим нефтяникам.",
		"Юрист бастующих «Озенмунайгаза» Наталья Соколова была приговорена к шести годам.",
		"По официальным данным, в Жанаозене погибли не менее 16 человек.",
		"Забастовка на «Озенмунайгазе» продолжалась с мая 2011 года.",
	},
	"kk": {
		"2011 жылғы 16 желтоқсанда Жаңаөзенде полиция ереуілші мұнайшыларға оқ атты.",
		"«Өзенмұнайгаз» ереуілшілерінің заңгері Наталья Соколова алты жылға сотталды.",
	},
	"de": {
		"Am 16. Dezember 2011 schoss die Polizei in Schanaosen auf streikende Ölarbeiter.",
		"Die Anwältin der Streikenden von Ozenmunaigas, Natalja Sokolowa, wurde zu sechs Jahren verurteilt.",
		"Nach offiziellen Angaben starben in Schanaosen mindestens 16 Menschen.",
	},
	"fr": {"Le 16 décembre 2011, la police a tiré sur des ouvriers du pétrole en grève à Janaozen."},
	"pl": {"16 grudnia 2011 roku policja otworzyła ogień do strajkujących naftowców w Żanaozeniu."},
}
