package gencorpus

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"presswatch/internal/model"
)

// Version names what the generator makes. It changes whenever the same
// seed and index give a different article, so an index cached on disk
// can tell that it was built from another corpus.
const Version = "1"

// Shares of articles with something special in them.
const (
	// TopicShare of articles are about the Zhanaozen events and carry
	// the deployment's names in some spelling.
	TopicShare = 0.12
	// DistractorShare of articles name a look-alike place or person
	// (Zhanatas, a Sokolov) and nothing of the topic.
	DistractorShare = 0.02
)

// The span of published dates, and the day of the spike.
var (
	firstDay = time.Date(2011, 5, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // exclusive
	spikeDay = time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC)
)

// Span returns the first day and the day after the last on which
// generated articles are published, as their publishers print the date
// (in UTC a date may lie up to a day outside).
func Span() (first, end time.Time) { return firstDay, lastDay }

// Generator makes the articles of one corpus. It is safe for concurrent
// use: it only reads its sentences.
type Generator struct {
	seed      uint64
	sentences map[string][]string // per language, from lingua-sentences
	byLang    map[string][]source
}

// New reads the sentences of every generated language from dir, the
// shared corpus's lingua-sentences folder (one sentence a line in
// <lang>.txt), and returns a generator for the corpus of this seed.
func New(dir string, seed uint64) (*Generator, error) {
	g := &Generator{seed: seed, sentences: map[string][]string{}, byLang: map[string][]source{}}
	for _, w := range langWeights {
		path := filepath.Join(dir, w.lang+".txt")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("gencorpus: %w", err)
		}
		var ss []string
		for line := range strings.Lines(string(data)) {
			if s := strings.TrimSpace(line); s != "" {
				ss = append(ss, s)
			}
		}
		if len(ss) == 0 {
			return nil, fmt.Errorf("gencorpus: %s has no sentences", path)
		}
		g.sentences[w.lang] = ss
	}
	for _, s := range sources {
		g.byLang[s.lang] = append(g.byLang[s.lang], s)
	}
	return g, nil
}

// Articles yields articles 0 to n-1, made one at a time.
func (g *Generator) Articles(n int) iter.Seq[*model.Article] {
	return func(yield func(*model.Article) bool) {
		for i := range n {
			if !yield(g.Article(i)) {
				return
			}
		}
	}
}

// Batches yields articles 0 to n-1 in new slices of size articles (the
// last may be shorter), as Index.Put takes them.
func (g *Generator) Batches(n, size int) iter.Seq[[]*model.Article] {
	return func(yield func([]*model.Article) bool) {
		for start := 0; start < n; start += size {
			batch := make([]*model.Article, 0, min(size, n-start))
			for i := start; i < start+cap(batch); i++ {
				batch = append(batch, g.Article(i))
			}
			if !yield(batch) {
				return
			}
		}
	}
}

// Article returns article i (counting from 0), whose ID is i+1. The same
// seed and i always give the same article.
func (g *Generator) Article(i int) *model.Article {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	lang := pickLang(r)
	src := g.byLang[lang][r.IntN(len(g.byLang[lang]))]
	kind := r.Float64()
	topic := kind < TopicShare
	distractor := !topic && kind < TopicShare+DistractorShare

	title, text := g.text(r, lang, topic, distractor)
	published := publishedAt(r, src.offset)
	firstSeen := published.Add(time.Duration(5+r.IntN(180)) * time.Minute).UTC()
	dateSource := model.DateFromFeed
	if published.IsZero() {
		firstSeen = uniformTime(r, firstDay, lastDay).UTC()
		dateSource = model.DateUnknown
	}
	return &model.Article{
		ID:          int64(i + 1),
		URL:         fmt.Sprintf("https://%s.example/%s/%d", src.id, firstSeen.Format("2006/01"), i+1),
		SourceID:    src.id,
		Title:       title,
		Published:   published,
		DateSource:  dateSource,
		FirstSeen:   firstSeen,
		LastChecked: firstSeen,
		Lang:        lang,
		Text:        text,
		State:       model.StateLive,
		Provenance:  model.ProvenanceCrawl,
	}
}

func pickLang(r *rand.Rand) string {
	n := r.IntN(100)
	for _, w := range langWeights {
		if n < w.weight {
			return w.lang
		}
		n -= w.weight
	}
	return langWeights[0].lang
}

// text returns a title and a text of 400 to 700 words of corpus sentences
// in paragraphs, with topic or distractor sentences put in among them.
func (g *Generator) text(r *rand.Rand, lang string, topic, distractor bool) (string, string) {
	ss := g.sentences[lang]
	target := 400 + r.IntN(301)
	var sents []string
	for words := 0; words < target; {
		s := ss[r.IntN(len(ss))]
		words += len(strings.Fields(s))
		sents = append(sents, s)
	}
	title := shorten(ss[r.IntN(len(ss))], 14)
	var extra []string
	switch {
	case topic:
		for range 1 + r.IntN(6) {
			extra = append(extra, fill(r, lang, pick(r, topicFrames[lang])))
		}
		title = shorten(extra[0], 14)
	case distractor:
		extra = append(extra, fill(r, lang, pick(r, distractorFrames[lang])))
	}
	for _, e := range extra {
		sents = slices.Insert(sents, r.IntN(len(sents)+1), e)
	}

	var b strings.Builder
	b.Grow(len(sents) * 100)
	para := 3 + r.IntN(4)
	for j, s := range sents {
		switch {
		case j == 0:
		case j%para == 0:
			b.WriteString("\n\n")
		default:
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return title, b.String()
}

// fill replaces each placeholder in frame by a spelling: one of lang's
// four times in five, else one of any language.
func fill(r *rand.Rand, lang, frame string) string {
	for _, p := range placeholders {
		if !strings.Contains(frame, p) {
			continue
		}
		forms := spellings[p][lang]
		if len(forms) == 0 || r.IntN(5) == 0 {
			forms = allSpellings(p)
		}
		frame = strings.ReplaceAll(frame, p, pick(r, forms))
	}
	return frame
}

// allSpellings returns every spelling of placeholder p, in a fixed order.
func allSpellings(p string) []string {
	var out []string
	for _, w := range langWeights {
		out = append(out, spellings[p][w.lang]...)
	}
	return out
}

func pick(r *rand.Rand, ss []string) string { return ss[r.IntN(len(ss))] }

// shorten keeps at most n words of s and drops a final full stop.
func shorten(s string, n int) string {
	if f := strings.Fields(s); len(f) > n {
		s = strings.Join(f[:n], " ")
	}
	return strings.TrimSuffix(s, ".")
}

// publishedAt returns a publication time in the source's offset: one in a
// hundred unknown (zero), a fifth in the weeks after 16 December 2011,
// a tenth around its anniversaries, a tenth during the strike of 2011 and
// the rest spread evenly over the whole span.
func publishedAt(r *rand.Rand, offsetHours int) time.Time {
	zone := time.FixedZone(fmt.Sprintf("UTC%+d", offsetHours), offsetHours*3600)
	var day time.Time
	switch p := r.Float64(); {
	case p < 0.01:
		return time.Time{}
	case p < 0.21:
		days := math.Min(r.ExpFloat64()*6, 365)
		day = spikeDay.AddDate(0, 0, int(days))
	case p < 0.31:
		year := 2012 + r.IntN(lastDay.Year()-2012)
		shift := int(math.Round(r.NormFloat64() * 2))
		day = time.Date(year, 12, 16+shift, 0, 0, 0, 0, time.UTC)
	case p < 0.41:
		day = uniformTime(r, firstDay, spikeDay)
	default:
		day = uniformTime(r, firstDay, lastDay)
	}
	y, m, d := day.Date()
	sec := r.IntN(24 * 3600)
	return time.Date(y, m, d, 0, 0, sec, 0, zone)
}

// uniformTime returns a time in [from, to), to the second.
func uniformTime(r *rand.Rand, from, to time.Time) time.Time {
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from)/time.Second))) * time.Second)
}
