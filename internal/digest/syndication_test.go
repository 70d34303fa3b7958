package digest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/corpus"
	"presswatch/internal/gencorpus"
	"presswatch/internal/model"
)

// One generated day of syndicated coverage: 200 sources publishing, across
// one Almaty day, stories in known syndication groups (the truth a
// digest's stories are scored against). Texts are gencorpus articles, the
// real sentences of the shared corpus's lingua-sentences; a copy is what
// republishing does to them; stories of one event share a quote and a
// background paragraph and must stay apart. The copy transformations
// follow those of internal/copies' evaluation (transform_test.go, not
// importable from here), with a site's own boilerplate, edits and
// dropped paragraphs added.

// synDate is the day the generated articles are published: 17 December
// 2011, the day after the shooting, in Almaty.
var synDate = time.Date(2011, 12, 17, 0, 0, 0, 0, almaty)

// A synSource is a generated site and its boilerplate, which it puts
// around every article it publishes, its own and the copies.
type synSource struct {
	model.Source
	dateline  bool   // starts the first paragraph with "ALMATY, Dec 17 (site) -"
	related   bool   // ends with "Read also:" and three of its other headlines
	signature string // a fixed last line ("Follow site on Telegram"), or ""
}

// A synArticle is one generated article and its truth.
type synArticle struct {
	src   *synSource
	from  string      // the site it took the story from, for its credit; "" for an original
	exact *synArticle // the page it republished as it is, or nil
	group int         // its syndication group: the same story
	event int         // the event whose stories share a quote and background; -1 for none
	kind  string
	how   []string // what republishing did to it, for the report of errors
	title string
	body  []string // paragraphs, without the site's boilerplate
	// background says the last paragraph is the event's background,
	// which a copy keeps when it drops a paragraph.
	background bool
	text       string // as published: the body inside the site's boilerplate
	pub        time.Time
}

// A synDay is a generated day: its sources, its articles in order of
// publication, and the number of groups.
type synDay struct {
	sources []*synSource
	arts    []*synArticle
	groups  int
	// fixtureGroup is the group of the fixture story's copies, which the
	// fixture site's own article belongs to; -1 when there is none.
	fixtureGroup int
}

// summary says what the day holds: groups by size, events, copies.
func (d *synDay) summary() string {
	size := map[int]int{}
	events := map[int]bool{}
	copies, langs := 0, map[string]int{}
	for _, a := range d.arts {
		size[a.group]++
		if a.event >= 0 {
			events[a.event] = true
		}
		if a.kind != "original" {
			copies++
		}
		langs[a.src.Lang]++
	}
	var bySize [4]int // 1, 2-5, 6-9, 10 and more
	for _, n := range size {
		switch {
		case n == 1:
			bySize[0]++
		case n <= 5:
			bySize[1]++
		case n <= 9:
			bySize[2]++
		default:
			bySize[3]++
		}
	}
	return fmt.Sprintf("%d articles (%d copies) in %d groups: %d of one article, %d of 2-5, %d of 6-9, %d of 10-30; "+
		"%d events covered by two or three stories; by language %v", len(d.arts), copies, len(size),
		bySize[0], bySize[1], bySize[2], bySize[3], len(events), langs)
}

// synSources makes n sources from gencorpus's 30 in turn (their stances,
// languages and proportions: a third Russian, a fifth English, a tenth
// Kazakh), each with boilerplate of its own.
func synSources(r *rand.Rand, n int) []*synSource {
	base := gencorpus.Sources()
	out := make([]*synSource, n)
	for i := range out {
		s := base[i%len(base)]
		s.ID = fmt.Sprintf("%s-%d", s.ID, i/len(base)+1)
		s.Name = s.ID
		s.URL = "https://" + s.ID + ".example/rss"
		ss := &synSource{Source: s, dateline: r.IntN(2) == 0, related: r.IntN(5) < 2}
		if r.IntN(10) < 3 {
			ss.signature = fmt.Sprintf(boilerplate[s.Lang].follow, s.Name)
		}
		out[i] = ss
	}
	return out
}

// textPool hands out gencorpus articles as paragraphs, by language, each
// once, in the generator's order.
type textPool struct {
	g      *gencorpus.Generator
	next   int
	unused map[string][]*model.Article
}

// take returns the next unused article of lang.
func (p *textPool) take(lang string) *model.Article {
	for len(p.unused[lang]) == 0 {
		a := p.g.Article(p.next)
		p.next++
		p.unused[a.Lang] = append(p.unused[a.Lang], a)
	}
	a := p.unused[lang][0]
	p.unused[lang] = p.unused[lang][1:]
	return a
}

// any returns the next article whatever its language: languages come as
// gencorpus weights them.
func (p *textPool) any() *model.Article {
	a := p.g.Article(p.next)
	p.next++
	return a
}

func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var sentenceEndRE = regexp.MustCompile(`[.!?…]["»”]?\s`)

// sentences returns the first sentences of text, as many as make n words
// (one sentence for n = 1).
func sentences(text string, n int) string {
	end := 0
	for end < len(text) && len(strings.Fields(text[:end])) < n {
		loc := sentenceEndRE.FindStringIndex(text[end:])
		if loc == nil {
			return text
		}
		end += loc[1]
	}
	return strings.TrimSpace(text[:end])
}

func countWords(ps []string) int {
	n := 0
	for _, p := range ps {
		n += len(strings.Fields(p))
	}
	return n
}

// storyLength is how many words an original has: a fifth are agency
// briefs of 70-180 words, half 180-450, the rest 450-700.
func storyLength(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.22:
		return 70 + r.IntN(111)
	case x < 0.70:
		return 180 + r.IntN(271)
	default:
		return 450 + r.IntN(251)
	}
}

// groupSize is how many sites carry a story: four in ten one site, most
// of the rest two to five, one in thirty (a wire story) ten to thirty.
func groupSize(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.40:
		return 1
	case x < 0.965:
		return 2 + r.IntN(4)
	default:
		return 10 + r.IntN(21)
	}
}

// An event is covered by two or three stories written independently
// (two reports of one court session): each has text of its own, and they
// share the event's quote (a sentence, always) and background paragraph
// (40 words or more in whole sentences, seven times in ten), as reports
// of one event do.
type event struct {
	quote, background string
}

// generateDay makes n articles from sources sources. fixture, when given,
// is a fixture-site story as presswatch stored it (its title, then its
// paragraphs), which fixtureCopies of the day's Russian sites republish
// among the n.
func generateDay(t testing.TB, n, sources int, seed uint64, fixture []string) *synDay {
	t.Helper()
	g, err := gencorpus.New(filepath.Join(corpus.Dir(t), "lingua-sentences"), seed)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 2011))
	day := &synDay{sources: synSources(r, sources), fixtureGroup: -1}
	byLang := map[string][]*synSource{}
	for _, s := range day.sources {
		byLang[s.Lang] = append(byLang[s.Lang], s)
	}
	pool := &textPool{g: g, unused: map[string][]*model.Article{}}
	var events []event

	if fixture != nil {
		orig := &synArticle{group: day.groups, event: -1, kind: "fixture", title: fixture[0], body: fixture[1:],
			pub: synDate.Add(3*time.Hour + 30*time.Minute)}
		day.fixtureGroup = day.groups
		day.groups++
		day.copies(r, pool, orig, fixtureCopies, byLang["ru"], "fixture copy")
	}
	for len(day.arts) < n {
		a := pool.any()
		size := min(groupSize(r), len(byLang[a.Lang]), n-len(day.arts))
		stories := 1
		if size > 0 && r.IntN(100) < 12 && n-len(day.arts) > 3*size {
			stories = 2 + r.IntN(2)
			events = append(events, event{quote: sentences(pool.take(a.Lang).Text, 1), background: sentences(pool.take(a.Lang).Text, 40)})
		}
		for k := range stories {
			if k > 0 {
				a = pool.take(a.Lang)
				size = min(groupSize(r), len(byLang[a.Lang]), n-len(day.arts))
			}
			if size == 0 {
				break
			}
			ev, e := -1, (*event)(nil)
			if stories > 1 {
				ev, e = len(events)-1, &events[len(events)-1]
			}
			day.story(r, pool, a, size, byLang[a.Lang], ev, e)
		}
	}
	slices.SortStableFunc(day.arts, func(a, b *synArticle) int { return a.pub.Compare(b.pub) })
	day.decorate(r)
	return day
}

// fixtureCopies is how many sites republish the fixture story, and
// fixtureName is how they credit it.
const (
	fixtureCopies = 6
	fixtureName   = "Вестник Степи"
)

// story adds one story of size articles: an original from a gencorpus
// article cut to its length, and its copies. e, when not nil, is the
// event (number ev) the story is one report of.
func (d *synDay) story(r *rand.Rand, pool *textPool, a *model.Article, size int, carriers []*synSource, ev int, e *event) {
	ps := paragraphs(a.Text)
	want := storyLength(r)
	keep := 1
	for keep < len(ps) && countWords(ps[:keep]) < want {
		keep++
	}
	body := slices.Clone(ps[:keep])
	how := []string{fmt.Sprintf("%d words", countWords(body))}
	background := false
	if e != nil {
		at := min(1, len(body)-1)
		body[at] = e.quote + " " + body[at]
		how = append(how, "event quote")
		if r.IntN(10) < 7 {
			body = append(body, e.background)
			how = append(how, "event background")
			background = true
		}
	}
	order := r.Perm(len(carriers))
	src := carriers[order[0]]
	if size >= 10 { // a wire: a state or international agency first
		for _, i := range order {
			if s := carriers[i].Stance; s == model.StanceState || s == model.StanceInternational {
				src = carriers[i]
				break
			}
		}
	}
	orig := &synArticle{src: src, group: d.groups, event: ev, kind: "original", how: how, title: a.Title, body: body,
		background: background, pub: synDate.Add(time.Duration(r.IntN(20*60)) * time.Minute)}
	d.groups++
	d.arts = append(d.arts, orig)
	var others []*synSource
	for _, i := range order {
		if carriers[i] != src {
			others = append(others, carriers[i])
		}
	}
	d.copies(r, pool, orig, size-1, others, "copy")
}

// copies adds k copies of orig by the first k sites of carriers: each
// republishes the original or, one in four, an earlier copy.
func (d *synDay) copies(r *rand.Rand, pool *textPool, orig *synArticle, k int, carriers []*synSource, kind string) {
	made := []*synArticle{orig}
	for i := range min(k, len(carriers)) {
		parent := orig
		if len(made) > 1 && r.IntN(4) == 0 {
			parent = made[1+r.IntN(len(made)-1)]
		}
		c := republish(r, pool, parent, carriers[i])
		c.kind = kind
		made = append(made, c)
		d.arts = append(d.arts, c)
	}
}
