package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"presswatch/index"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/web"
)

// Topics change while presswatch runs: the web UI saves and deletes them.
// liveTopics is what ingest matches new articles with, and what the web
// UI checks and applies a change through (web.TopicEditor). After a
// change it swaps in a matcher of the new topics, tells the index their
// ids and alias groups, and in the background matches the stored
// articles to a new or changed topic (and takes a deleted one from the
// index's topic field), so past coverage shows without a restart.

// Bounds on the background work one change makes, per topic.
const (
	// maxRematch is how many of a topic's matches an index search may
	// find; beyond it matches are only added, and the log says so.
	maxRematch = 100_000
	// maxSweep is how many stored articles the index lacks (or holds in
	// an older revision) are matched one by one.
	maxSweep = 10_000
)

// liveTopics matches articles to the current topics. Create it with
// newLiveTopics; Close it.
type liveTopics struct {
	store   *store.Store
	index   *index.Index
	indexer *ingest.Indexer
	log     *slog.Logger

	// mu is held for reading by Match and for writing by a swap, so the
	// old matcher is closed only once the Match calls using it are done.
	mu      sync.RWMutex
	matcher *index.Matcher // nil: there are no topics
	topics  []model.Topic  // those of matcher

	change sync.Mutex     // one TopicsChanged at a time
	work   sync.Mutex     // one background rematch at a time
	jobs   sync.WaitGroup // the background rematches
	ctx    context.Context
	stop   context.CancelFunc
}

// newLiveTopics returns the stored topics, ready to match.
func newLiveTopics(ctx context.Context, st *store.Store, ix *index.Index, indexer *ingest.Indexer, log *slog.Logger) (*liveTopics, error) {
	lt := &liveTopics{store: st, index: ix, indexer: indexer, log: log}
	topics, m, err := lt.load(ctx)
	if err != nil {
		return nil, err
	}
	lt.matcher, lt.topics = m, topics
	lt.ctx, lt.stop = context.WithCancel(context.Background())
	return lt, nil
}

// load reads the stored topics and makes their matcher (nil for none).
func (lt *liveTopics) load(ctx context.Context) ([]model.Topic, *index.Matcher, error) {
	topics, err := lt.store.Topics(ctx)
	if err != nil || len(topics) == 0 {
		return nil, nil, err
	}
	srcs, err := lt.store.Sources(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := index.NewMatcher(topics, topicOptions(srcs, topics)...)
	if err != nil {
		return nil, nil, err
	}
	return topics, m, nil
}

// Match returns the ids of the current topics a matches (ingest's
// TopicMatcher).
func (lt *liveTopics) Match(a *model.Article) ([]string, error) {
	lt.mu.RLock()
	defer lt.mu.RUnlock()
	if lt.matcher == nil {
		return nil, nil
	}
	return lt.matcher.Match(a)
}

// CheckTopic returns why t cannot be saved: its query as a topic reads it
// (among the other stored topics, with t's alias groups) and as a search
// of the index runs it. A *index.QueryError is the query's fault.
func (lt *liveTopics) CheckTopic(ctx context.Context, t model.Topic) error {
	topics, err := lt.store.Topics(ctx)
	if err != nil {
		return err
	}
	srcs, err := lt.store.Sources(ctx)
	if err != nil {
		return err
	}
	topics = slices.DeleteFunc(topics, func(o model.Topic) bool { return o.ID == t.ID })
	m, err := index.NewMatcher([]model.Topic{t}, topicOptions(srcs, append(topics, t))...)
	if err != nil {
		return err
	}
	m.Close()
	// A pattern compiles to the words the index holds: one that matches
	// too many fails only there.
	_, err = lt.index.Search(ctx, index.Request{Query: t.Query, Limit: 1})
	return err
}

// TopicsChanged puts the stored topics to use: new articles are matched
// to them from now on, the index checks topic: and expands names with
// them, and the stored articles are matched again in the background for
// each topic that is new or whose query or alias groups changed (every
// topic when any alias group changed), and taken from the index's topic
// field of a deleted one. On error the topics in use stay as they were.
func (lt *liveTopics) TopicsChanged(ctx context.Context) error {
	lt.change.Lock()
	defer lt.change.Unlock()
	topics, m, err := lt.load(ctx)
	if err != nil {
		return fmt.Errorf("presswatch: applying the changed topics: %w", err)
	}
	lt.mu.Lock()
	old, oldMatcher := lt.topics, lt.matcher
	lt.topics, lt.matcher = topics, m
	lt.mu.Unlock()
	if oldMatcher != nil {
		oldMatcher.Close()
	}
	ids, aliases := topicTables(topics)
	lt.index.SetTopics(ids, aliases)

	changed, deleted := topicChanges(old, topics)
	if len(changed)+len(deleted) == 0 {
		return nil
	}
	if lt.ctx.Err() != nil {
		return nil // closed: presswatch is stopping
	}
	lt.log.Info("topics changed; matching the stored articles again in the background", "changed", changed, "deleted", deleted)
	lt.jobs.Add(1)
	go func() {
		defer lt.jobs.Done()
		lt.work.Lock()
		defer lt.work.Unlock()
		lt.rematchAll(lt.ctx, changed, deleted)
	}()
	return nil
}

// Close stops the background work, waits for it, and releases the
// matcher. It is safe to call twice.
func (lt *liveTopics) Close() {
	lt.stop()
	lt.jobs.Wait()
	lt.mu.Lock()
	defer lt.mu.Unlock()
	if lt.matcher != nil {
		lt.matcher.Close()
		lt.matcher = nil
	}
}

// wait returns when the background work started so far is done.
func (lt *liveTopics) wait() { lt.jobs.Wait() }

func (lt *liveTopics) rematchAll(ctx context.Context, changed, deleted []string) {
	for _, id := range deleted {
		start := time.Now()
		n, err := lt.unmark(ctx, id)
		if err != nil && ctx.Err() != nil {
			return
		} else if err != nil {
			lt.log.Error("taking a deleted topic from the index failed; the articles keep it in the index until they are indexed again", "topic", id, "error", err)
			continue
		}
		lt.log.Info("a deleted topic's articles are indexed again without it", "topic", id, "articles", n, "duration", time.Since(start).Round(time.Millisecond))
	}
	for _, id := range changed {
		lt.mu.RLock()
		i := slices.IndexFunc(lt.topics, func(t model.Topic) bool { return t.ID == id })
		var t model.Topic
		if i >= 0 {
			t = lt.topics[i]
		}
		lt.mu.RUnlock()
		if i < 0 {
			continue // deleted meanwhile
		}
		start := time.Now()
		r, err := lt.rematch(ctx, t)
		if err != nil && ctx.Err() != nil {
			lt.log.Warn("matching the stored articles to a topic was cut short by the stop; saving the topic again starts it again", "topic", id)
			return
		} else if err != nil {
			lt.log.Error("matching the stored articles to a topic failed; saving the topic again starts it again", "topic", id, "error", err)
			continue
		}
		log := lt.log.Info
		if !r.complete {
			log = lt.log.Warn
		}
		log("stored articles matched to a topic", "topic", id, "matches", r.matches, "added", r.added, "removed", r.removed,
			"complete", r.complete, "duration", time.Since(start).Round(time.Millisecond))
	}
	lt.indexer.Wake()
}

type rematchResult struct {
	matches, added, removed int
	complete                bool // every stored article was looked at
}

// rematch records t's matches among the stored articles: those the index
// lacks (or holds in an older revision) matched one by one, the others
// found by running t's query over the index. Only a complete run removes
// matches the query no longer has.
func (lt *liveTopics) rematch(ctx context.Context, t model.Topic) (rematchResult, error) {
	var r rematchResult
	through, err := lt.store.LastArticleID(ctx)
	if err != nil {
		return r, err
	}
	swept, found, sweptAll, err := lt.sweep(ctx, t)
	if err != nil {
		return r, err
	}
	ids := found
	req := index.Request{Query: t.Query, Sort: index.SortOldest, ByFirstSeen: true, Limit: index.MaxLimit}
	searchedAll, err := lt.searchIDs(ctx, req, func(id int64) {
		if !swept[id] {
			ids = append(ids, id)
		}
	})
	if err != nil {
		return r, err
	}
	r.complete = sweptAll && searchedAll
	r.matches = len(ids)
	r.added, r.removed, err = lt.store.SetTopicMatches(ctx, store.TopicMatches{Topic: t.ID, IDs: ids, Through: through, Complete: r.complete})
	return r, err
}

// sweep matches the stored articles the index does not hold as they are
// now to t, at most maxSweep: it returns the ids it looked at, those that
// match, and whether it looked at every one.
func (lt *liveTopics) sweep(ctx context.Context, t model.Topic) (seen map[int64]bool, matched []int64, all bool, err error) {
	topics, err := lt.store.Topics(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	srcs, err := lt.store.Sources(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	m, err := index.NewMatcher([]model.Topic{t}, topicOptions(srcs, topics)...)
	if err != nil {
		return nil, nil, false, err
	}
	defer m.Close()
	seen = map[int64]bool{}
	var after int64
	for len(seen) < maxSweep {
		page, err := lt.store.Unindexed(ctx, after, min(ingest.BatchSize, maxSweep-len(seen)))
		if err != nil {
			return nil, nil, false, err
		}
		if len(page) == 0 {
			return seen, matched, true, nil
		}
		for _, p := range page {
			seen[p.ID] = true
			ids, err := m.Match(p.Article)
			if err != nil {
				return nil, nil, false, err
			}
			if len(ids) > 0 {
				matched = append(matched, p.ID)
			}
		}
		after = page[len(page)-1].ID
	}
	more, err := lt.store.Unindexed(ctx, after, 1)
	return seen, matched, err == nil && len(more) == 0, err
}

// searchIDs calls fn with the id of every article req finds, at most
// maxRematch, a page at a time; all says it saw every one.
func (lt *liveTopics) searchIDs(ctx context.Context, req index.Request, fn func(int64)) (all bool, err error) {
	n := 0
	for {
		res, err := lt.index.Search(ctx, req)
		if err != nil {
			return false, err
		}
		for _, h := range res.Hits {
			if n == maxRematch {
				return false, nil
			}
			fn(h.ID)
			n++
		}
		if res.Next == "" {
			return true, nil
		}
		req.After = res.Next
	}
}

// unmark marks for indexing the articles the index holds with the topic
// id in their topic field, which the store no longer matches to it.
func (lt *liveTopics) unmark(ctx context.Context, id string) (int, error) {
	var ids []int64
	req := index.Request{Topics: []string{id}, Sort: index.SortOldest, ByFirstSeen: true, Limit: index.MaxLimit}
	all, err := lt.searchIDs(ctx, req, func(id int64) { ids = append(ids, id) })
	if err != nil {
		return 0, err
	}
	if !all {
		lt.log.Warn("a deleted topic had more articles in the index than are indexed again now; the rest keep it until a rebuild", "topic", id, "limit", maxRematch)
	}
	return lt.store.MarkForIndexing(ctx, ids)
}

// topicChanges returns the ids of the topics of now that are new or whose
// query or alias groups differ from before (all of them when the alias
// groups taken together changed, since every query expands with them),
// and of those deleted.
func topicChanges(before, now []model.Topic) (changed, deleted []string) {
	_, a := topicTables(before)
	_, b := topicTables(now)
	aliasesChanged := !slices.EqualFunc(a, b, slices.Equal)
	for _, t := range now {
		i := slices.IndexFunc(before, func(o model.Topic) bool { return o.ID == t.ID })
		if aliasesChanged || i < 0 || before[i].Query != t.Query {
			changed = append(changed, t.ID)
		}
	}
	for _, t := range before {
		if !slices.ContainsFunc(now, func(o model.Topic) bool { return o.ID == t.ID }) {
			deleted = append(deleted, t.ID)
		}
	}
	return changed, deleted
}

// topicTables are the topics' ids and all their alias groups.
func topicTables(topics []model.Topic) (ids []string, aliases [][]string) {
	for _, t := range topics {
		ids = append(ids, t.ID)
		aliases = append(aliases, t.Aliases...)
	}
	return ids, aliases
}

// topicOptions are what the index and a topic matcher need to know of the
// sources (their stances) and the topics (their ids and alias groups).
func topicOptions(srcs []*store.SourceInfo, topics []model.Topic) []index.Option {
	ids, aliases := topicTables(topics)
	return []index.Option{index.WithSources(sourceList(srcs)), index.WithAliases(aliases), index.WithTopics(ids)}
}

var (
	_ ingest.TopicMatcher = (*liveTopics)(nil)
	_ web.TopicEditor     = (*liveTopics)(nil)
)
