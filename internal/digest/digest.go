package digest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Store is what building a digest reads; store.Store satisfies it.
type Store interface {
	TopicArticles(ctx context.Context, topicID string, from, to time.Time) ([]store.DigestArticle, error)
	StoryCopies(ctx context.Context, clusters []int64) (map[int64][]store.DigestArticle, error)
	EarlierDigests(ctx context.Context, topicID, day string, clusters []int64) (map[int64]string, error)
	SourceRuns(ctx context.Context, from, to time.Time) ([]store.SourceRun, error)
}

// Digest is one topic's digest of one period: its stories, one per story
// however many sites carried it, and what the period may be missing.
type Digest struct {
	Topic  Topic     `json:"topic"`
	Period Period    `json:"period"`
	Built  time.Time `json:"built"`
	// Base is presswatch's address, for the links to its pages
	// ("http://127.0.0.1:8080"; no trailing slash).
	Base string `json:"base"`
	// Articles and Sources count what the period brought: every article
	// first seen in it, and the sources they came from.
	Articles int `json:"articles"`
	Sources  int `json:"sources"`
	// Failed are the sources that could not be read for some or all of
	// the period: the digest may be missing their articles.
	Failed  []Failure `json:"failed_sources"`
	Stories []Story   `json:"stories"`
	// Note is staff's note at the top (see Edits).
	Note string `json:"note,omitempty"`
	// Dropped counts the stories staff left out.
	Dropped int `json:"dropped,omitempty"`
}

// Topic names the digest's topic.
type Topic struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

// Story is one story and its copies. Copies[0] is the lead: the earliest
// known copy (by publication date, then first seen; see copies.Group),
// even when presswatch saw it before the period; the others follow in the
// same order.
type Story struct {
	ID      int64    `json:"id"` // the story's cluster id
	Copies  []Copy   `json:"copies"`
	Sources int      `json:"sources"` // how many sites carried it
	Langs   []string `json:"languages"`
	// New counts the copies first seen in the period.
	New int `json:"new_copies"`
	// UpdateOf is the day of the latest earlier digest of the topic that
	// held this story ("" when none did): the story continues it.
	UpdateOf string `json:"update_of,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Lead returns the story's earliest known copy.
func (s Story) Lead() Copy { return s.Copies[0] }

// Update tells whether the story continues one from an earlier digest.
func (s Story) Update() bool { return s.UpdateOf != "" }

// Copy is one article of a story.
type Copy struct {
	ArticleID  int64              `json:"article_id"`
	URL        string             `json:"url"`
	Page       string             `json:"presswatch_url"` // presswatch's page of the article
	Title      string             `json:"title"`
	Source     string             `json:"source"`
	SourceName string             `json:"source_name"`
	Stance     model.Stance       `json:"stance"`
	Lang       string             `json:"language"`
	Published  *time.Time         `json:"published,omitempty"`
	FirstSeen  time.Time          `json:"first_seen"`
	State      model.ArticleState `json:"state"`
	// InPeriod says presswatch first saw this copy in the digest's period.
	InPeriod bool   `json:"in_period"`
	Extract  string `json:"extract,omitempty"` // two sentences; the lead's only
}

// When is the copy's date: published when the page gave one, else first
// seen.
func (c Copy) When() time.Time {
	if c.Published != nil {
		return *c.Published
	}
	return c.FirstSeen
}

// Name is how the copy's source is called.
func (c Copy) Name() string { return cmp.Or(c.SourceName, c.Source) }

// Failure is a source that failed during the period.
type Failure struct {
	Source string `json:"source"`
	Name   string `json:"name"`
	// Down says it was still failing at the end of the period, since Since
	// (which may be before the period); otherwise it failed Count times
	// between Since and Until and then was read again.
	Down   bool      `json:"down"`
	Since  time.Time `json:"since"`
	Until  time.Time `json:"until,omitzero"`
	Count  int       `json:"failures"`
	Reads  int       `json:"reads"`
	Reason string    `json:"reason"`
}

// Options are what Build needs besides the store.
type Options struct {
	Base string    // presswatch's address for links
	Now  time.Time // when the digest is built; default time.Now()
	// MaxCopies bounds the copies listed per story (the count stays
	// whole); default 50.
	MaxCopies int
}

// Build makes the digest of topic for period from what the store holds.
// A period with nothing new gives a digest without stories.
func Build(ctx context.Context, st Store, topic model.Topic, period Period, opts Options) (*Digest, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.MaxCopies <= 0 {
		opts.MaxCopies = 50
	}
	d := &Digest{
		Topic:  Topic{ID: topic.ID, Name: topic.Name, Query: topic.Query},
		Period: period, Built: opts.Now.UTC(), Base: opts.Base,
	}
	arts, err := st.TopicArticles(ctx, topic.ID, period.From, period.To)
	if err != nil {
		return nil, fmt.Errorf("digest %s %s: %w", topic.ID, period.Day, err)
	}
	d.Articles = len(arts)
	sources := map[string]bool{}
	var clusters []int64
	seen := map[int64]bool{}
	for _, a := range arts {
		sources[a.SourceID] = true
		if !seen[a.ClusterID] {
			seen[a.ClusterID] = true
			clusters = append(clusters, a.ClusterID)
		}
	}
	d.Sources = len(sources)
	if err := d.failures(ctx, st); err != nil {
		return nil, fmt.Errorf("digest %s %s: %w", topic.ID, period.Day, err)
	}
	if len(arts) == 0 {
		return d, nil
	}
	copies, err := st.StoryCopies(ctx, clusters)
	if err != nil {
		return nil, fmt.Errorf("digest %s %s: %w", topic.ID, period.Day, err)
	}
	earlier, err := st.EarlierDigests(ctx, topic.ID, period.Day, clusters)
	if err != nil {
		return nil, fmt.Errorf("digest %s %s: %w", topic.ID, period.Day, err)
	}
	// The period's articles are the topic's; their copies elsewhere may
	// not match it (a short reprint), and are listed all the same: they
	// carried the story.
	for _, c := range clusters {
		members := copies[c]
		if len(members) == 0 { // merged into another story since the first query
			continue
		}
		d.Stories = append(d.Stories, d.story(c, members, period, earlier[c], opts.MaxCopies))
	}
	// The most widely carried first, then the earliest.
	slices.SortStableFunc(d.Stories, func(a, b Story) int {
		if c := cmp.Compare(b.Sources, a.Sources); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Copies), len(a.Copies)); c != 0 {
			return c
		}
		if c := a.Lead().When().Compare(b.Lead().When()); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return d, nil
}

func (d *Digest) story(id int64, members []store.DigestArticle, p Period, updateOf string, maxCopies int) Story {
	slices.SortFunc(members, func(a, b store.DigestArticle) int {
		return earliest(a.Summary, b.Summary)
	})
	s := Story{ID: id, UpdateOf: updateOf}
	srcs, langs := map[string]bool{}, map[string]bool{}
	for i, m := range members {
		srcs[m.SourceID] = true
		if m.Lang != "" && !langs[m.Lang] {
			langs[m.Lang] = true
			s.Langs = append(s.Langs, m.Lang)
		}
		in := p.Contains(m.FirstSeen)
		if in {
			s.New++
		}
		if i >= maxCopies {
			continue
		}
		c := Copy{
			ArticleID: m.ID, URL: m.URL, Page: fmt.Sprintf("%s/articles/%d", d.Base, m.ID),
			Title: m.Title, Source: m.SourceID, SourceName: m.SourceName, Stance: m.Stance, Lang: m.Lang,
			FirstSeen: m.FirstSeen, State: m.State, InPeriod: in,
		}
		if !m.Published.IsZero() {
			pub := m.Published
			c.Published = &pub
		}
		if i == 0 {
			c.Extract = Extract(m.Title, m.Text, 2)
		}
		s.Copies = append(s.Copies, c)
	}
	s.Sources = len(srcs)
	return s
}

// earliest orders copies as copies.Group does: dated before undated, then
// by date, first seen and id.
func earliest(a, b store.Summary) int {
	if az, bz := a.Published.IsZero(), b.Published.IsZero(); az != bz {
		if az {
			return 1
		}
		return -1
	}
	if c := a.Published.Compare(b.Published); c != 0 {
		return c
	}
	if c := a.FirstSeen.Compare(b.FirstSeen); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func (d *Digest) failures(ctx context.Context, st Store) error {
	runs, err := st.SourceRuns(ctx, d.Period.From, d.Period.To)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.Failed == 0 {
			continue
		}
		f := Failure{Source: r.SourceID, Name: cmp.Or(r.Name, r.SourceID), Count: r.Failed, Reads: r.Reads, Reason: r.LastError}
		if r.LastFailed {
			f.Down, f.Since = true, r.FailingSince
		} else {
			f.Since, f.Until = r.FirstFailure, r.LastFailure
		}
		d.Failed = append(d.Failed, f)
	}
	return nil
}

// ArticleIDs are the ids of every article the digest lists.
func (d *Digest) ArticleIDs() []int64 {
	var out []int64
	for _, s := range d.Stories {
		for _, c := range s.Copies {
			out = append(out, c.ArticleID)
		}
	}
	return out
}
