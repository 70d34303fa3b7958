package index

import "slices"

// The topics change while presswatch serves: the web UI creates, edits and
// deletes them. Searches read the topics' ids (to check topic:...) and
// their alias groups (to expand a name) while SetTopics replaces them, so
// both are read and written under Index.live.

// SetTopics replaces the topic ids and alias groups the index was opened
// with (WithTopics, WithAliases): queries parsed from then on check
// topic:... against ids and expand the names of aliases. Call it after
// the topics changed; it is safe while searches run, each look-up seeing
// either the old table or the new one. The index keeps no reference to
// the slices given.
func (ix *Index) SetTopics(ids []string, aliases [][]string) {
	groups := make([][]string, len(aliases))
	for i, g := range aliases {
		groups[i] = slices.Clone(g)
	}
	table := newAliasTable(groups)
	ids = slices.Clone(ids)
	ix.live.Lock()
	defer ix.live.Unlock()
	ix.topics, ix.aliases = ids, table
}

// topicIDs returns the known topics' ids; the caller must not change the
// slice.
func (ix *Index) topicIDs() []string {
	ix.live.RLock()
	defer ix.live.RUnlock()
	return ix.topics
}

// aliasTable returns the alias groups, nil when there are none.
func (ix *Index) aliasTable() *aliasTable {
	ix.live.RLock()
	defer ix.live.RUnlock()
	return ix.aliases
}
