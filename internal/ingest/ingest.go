package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/urlnorm"
	"presswatch/internal/wdiff"
)

// TopicMatcher tells which topics an article belongs to.
type TopicMatcher interface {
	Match(a *model.Article) ([]string, error)
}

// Ingester turns documents into stored articles. It is safe for concurrent
// use.
type Ingester struct {
	store   *store.Store
	topics  TopicMatcher
	indexer *Indexer // may be nil: articles then wait for the next Drain
	now     func() time.Time

	schedule  Schedule    // when articles are read again
	reextract Reextractor // may be nil: see SetReextract

	mu sync.Mutex // serialises look-up-then-write per article
}

// New returns an Ingester writing to st. topics may be nil when no topics
// are configured; indexer, when given, is woken after each stored change.
func New(st *store.Store, topics TopicMatcher, indexer *Indexer) *Ingester {
	return &Ingester{store: st, topics: topics, indexer: indexer, now: time.Now, schedule: DefaultSchedule.filled()}
}

// Known reports which canonical item URLs need no fetching for src.
func (in *Ingester) Known(ctx context.Context, src model.Source, urls []string) (map[string]bool, error) {
	return in.store.Known(ctx, src.ID, urls)
}

// Failed records that an item could not be read, so it is retried a few
// times and then left alone.
func (in *Ingester) Failed(ctx context.Context, src model.Source, itemURL string, kind model.ErrorKind) error {
	return in.storeFault(in.store.MarkItem(ctx, itemURL, src.ID, "failed", kind))
}

// Put ingests one document from src. A failure of the store itself (see
// store.Fault) comes back as a model.ErrStore error naming the database:
// the document is not to blame, and nothing was recorded against it.
func (in *Ingester) Put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error) {
	o, a, err := in.put(ctx, src, doc)
	return o, a, in.storeFault(err)
}

// storeFault marks a failure of the store as model.ErrStore, naming the
// database file and, when the disk is full, saying so.
func (in *Ingester) storeFault(err error) error {
	var me *model.Error
	if err == nil || !store.Fault(err) || (errors.As(err, &me) && me.Kind != "") {
		return err
	}
	if store.NoSpace(err, in.store.Path()) {
		return model.Errorf(model.ErrStore, "ingest: store %s: no space left: %w", in.store.Path(), err)
	}
	return model.Errorf(model.ErrStore, "ingest: store %s: %w", in.store.Path(), err)
}

func (in *Ingester) put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error) {
	canon := doc.CanonicalURL
	if canon == "" {
		canon = doc.URL
	}
	canon, err := canonical(canon, doc.Provenance)
	if err != nil {
		return 0, nil, fmt.Errorf("ingest: %w", err)
	}
	text := normalizeText(doc.Text)
	title := strings.TrimSpace(doc.Title)
	if text == "" && title == "" {
		return 0, nil, model.Errorf(model.ErrExtract, "ingest: %s: no title and no text", canon)
	}
	if doc.Fetch != nil && doc.Fetch.ID == 0 {
		if _, err := in.store.RecordFetch(ctx, doc.Fetch); err != nil {
			return 0, nil, err
		}
	}
	now := in.now().UTC()
	a := &model.Article{
		URL: canon, SourceID: src.ID, Title: title, Author: strings.TrimSpace(doc.Author),
		Published: doc.Published, DateSource: doc.DateSource, FirstSeen: now, LastChecked: now,
		Lang: doc.Lang, Text: text, ContentHash: ContentHash(title, text), State: model.StateLive,
		Provenance: doc.Provenance,
	}
	if a.Provenance == "" {
		a.Provenance = model.ProvenanceCrawl
	}
	if doc.Fetch != nil {
		a.FetchID = doc.Fetch.ID
	}

	in.mu.Lock()
	defer in.mu.Unlock()
	old, err := in.store.ArticleByURL(ctx, canon)
	if err == nil && old.ContentHash != a.ContentHash && doc.ItemURL != "" && doc.ItemURL != canon {
		// Another page names this one as its canonical, with another text.
		// An edit arrives under the item URL that led to the article
		// before; a page never seen before claiming the canonical of a
		// different text is a template's mistake, so it keeps its own URL.
		if linked, lerr := in.store.ItemArticle(ctx, doc.ItemURL); lerr != nil {
			return 0, nil, lerr
		} else if linked != old.ID {
			a.URL = doc.ItemURL
			old, err = in.store.ArticleByURL(ctx, a.URL)
		}
	}
	switch {
	case err == nil:
		return in.update(ctx, src, doc, old, a)
	case !errors.Is(err, store.ErrNotFound):
		return 0, nil, err
	}
	topics, err := in.match(a)
	if err != nil {
		return 0, nil, err
	}
	if src.Keep == model.KeepTopic && len(topics) == 0 {
		return model.OutcomeSkipped, nil, in.store.MarkItem(ctx, itemURL(doc, canon), src.ID, "skipped", "")
	}
	keys, stories, same, err := in.copiesOf(ctx, a)
	if err != nil {
		return 0, nil, err
	}
	if same != 0 && doc.Provenance == model.ProvenanceCrawl {
		return in.moved(ctx, src, doc, same, now)
	}
	if len(stories) > 0 {
		a.ClusterID = slices.Min(stories)
	}
	n := store.NewArticle{Article: a, Topics: topics, ItemURL: itemURL(doc, canon), Revisit: in.firstRevisit(src, doc, now), Copy: keys,
		Seen: capturedAt(doc)}
	if err := in.store.Create(ctx, n); err != nil {
		return 0, nil, err
	}
	if len(stories) > 1 {
		// The new article is a copy of two stories thought apart: they
		// are one.
		if _, err := in.store.MergeClusters(ctx, a.ClusterID, stories); err != nil {
			return 0, nil, err
		}
	}
	in.indexer.Wake()
	return model.OutcomeNew, a, nil
}

// update handles a document whose canonical URL is already stored.
func (in *Ingester) update(ctx context.Context, src model.Source, doc *model.Document, old, a *model.Article) (model.Outcome, *model.Article, error) {
	if u := itemURL(doc, old.URL); u != old.URL {
		if err := in.store.LinkItem(ctx, u, src.ID, old.ID); err != nil {
			return 0, nil, err
		}
	}
	seen := capturedAt(doc)
	if old.ContentHash == a.ContentHash && seen.IsZero() {
		return model.OutcomeUnchanged, old, in.store.TouchArticle(ctx, old.ID, a.LastChecked)
	}
	// A new text: keep what the old record knew that the new one lacks.
	a.ID, a.ClusterID, a.FirstSeen, a.SourceID = old.ID, old.ClusterID, old.FirstSeen, old.SourceID
	a.State = model.StateEdited
	if a.Published.IsZero() {
		a.Published, a.DateSource = old.Published, old.DateSource
	}
	if a.Author == "" {
		a.Author = old.Author
	}
	if a.Lang == "" {
		a.Lang = old.Lang
	}
	topics, err := in.match(a)
	if err != nil {
		return 0, nil, err
	}
	if a.Provenance == model.ProvenanceImport || a.Provenance == model.ProvenanceArchive {
		return in.imported(ctx, doc, old, a, topics, seen)
	}
	// A crawl read the article's page again (another item led to it) and
	// found another text: the publisher's edit, recorded as a revisit's is.
	now := a.LastChecked
	a.EditedAt, a.RemovedSince = now, time.Time{}
	var events []*model.Event
	if old.State == model.StateRemoved {
		events = append(events, &model.Event{ArticleID: a.ID, At: now, Kind: model.EventBack})
	}
	e := &model.Event{ArticleID: a.ID, At: now, Kind: model.EventEdited, TitleChanged: !wdiff.Same(old.Title, a.Title)}
	e.WordsRemoved, e.WordsAdded = wdiff.Count(wdiff.Diff(old.Text, a.Text))
	change := store.Change{Article: a, Version: model.VersionEdit, Topics: topics, Copy: sketchKeys(a), Events: append(events, e)}
	if doc.Fetch != nil {
		change.VersionFetch, e.FetchID = doc.Fetch.ID, doc.Fetch.ID
	}
	if earlier, err := in.store.VersionByHash(ctx, a.ID, a.ContentHash); err != nil {
		return 0, nil, err
	} else if earlier != 0 {
		change.Version, change.ReturnTo = "", earlier
	}
	if err := in.store.ApplyChange(ctx, change); err != nil {
		return 0, nil, err
	}
	in.indexer.Wake()
	return model.OutcomeUpdated, a, nil
}

// imported stores a new text of a known article that an import or an
// archive's capture brought. A capture takes its place in the history by
// its capture time, so captures read in any order (a WARC file holding the
// later capture first, a web archive's listing after an import of newer
// captures) never let an older one replace a newer text. Material without
// a capture time is read as of now: it replaces the text.
func (in *Ingester) imported(ctx context.Context, doc *model.Document, old, a *model.Article, topics []string, seen time.Time) (model.Outcome, *model.Article, error) {
	if seen.IsZero() {
		if err := in.store.UpdateArticle(ctx, a, topics); err != nil {
			return 0, nil, err
		}
		in.indexer.Wake()
		return model.OutcomeUpdated, a, nil
	}
	// A capture is not presswatch checking the page: what it last read
	// itself stays as it was, and a page presswatch reads keeps the text
	// it read unless a capture is newer.
	a.LastChecked = old.LastChecked
	c := store.Capture{Article: a, Topics: topics, Seen: seen, Address: doc.Fetch.Capture}
	if old.Provenance == model.ProvenanceCrawl {
		c.OwnRead = old.LastChecked
	}
	got, err := in.store.AddCapture(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	switch got {
	case store.CaptureCurrent:
		in.indexer.Wake()
		return model.OutcomeUpdated, a, nil
	case store.CaptureEarlier:
		return model.OutcomeUpdated, old, nil
	}
	// The capture shows a text the history has: the article is unchanged.
	return model.OutcomeUnchanged, old, nil
}

// capturedAt is when the capture doc was read from was made, for material
// someone else captured (an imported WARC record, a web archive's
// capture); zero otherwise.
func capturedAt(doc *model.Document) time.Time {
	if doc.Fetch == nil || (doc.Provenance != model.ProvenanceImport && doc.Provenance != model.ProvenanceArchive) {
		return time.Time{}
	}
	return doc.Fetch.CapturedAt
}

func (in *Ingester) match(a *model.Article) ([]string, error) {
	if in.topics == nil {
		return nil, nil
	}
	ids, err := in.topics.Match(a)
	if err != nil {
		return nil, fmt.Errorf("ingest: match topics for %s: %w", a.URL, err)
	}
	return ids, nil
}

// canonical normalises an article's URL. Imported material without a web
// address is named by the importer with a mid: (RFC 2392, e-mail
// Message-ID) or urn:sha256: URI, which is kept as it is.
func canonical(u string, p model.Provenance) (string, error) {
	if p == model.ProvenanceImport && (strings.HasPrefix(u, "mid:") || strings.HasPrefix(u, "urn:sha256:")) {
		return u, nil
	}
	return urlnorm.Canonical(u)
}

func itemURL(doc *model.Document, canon string) string {
	if doc.ItemURL != "" {
		return doc.ItemURL
	}
	return canon
}

// ContentHash is the SHA-256 (hex) of an article's title and normalised
// text: two copies with the same words hash alike whatever their markup.
func ContentHash(title, text string) string {
	h := sha256.New()
	h.Write([]byte(strings.Join(strings.Fields(title), " ")))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(strings.Fields(text), " ")))
	return hex.EncodeToString(h.Sum(nil))
}

// normalizeText trims each line, collapses runs of blank lines into one and
// drops control characters, keeping paragraphs apart.
func normalizeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	blank := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.FieldsFunc(line, isSpaceOrControl), " ")
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank {
				b.WriteString("\n")
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

func isSpaceOrControl(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u00a0' || r == '\v' || r == '\f' || (r < 0x20) || r == 0x7f
}
