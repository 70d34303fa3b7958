package copies

import (
	"cmp"
	"slices"
	"time"
)

// An Article is what Group needs to know of one article.
type Article struct {
	ID        int64
	Published time.Time // zero when the page gave no date
	FirstSeen time.Time // when presswatch first stored it
}

// A Pair is two articles that Verify called copies.
type Pair struct{ A, B int64 }

// A Cluster is one story and every copy of it found: Members[0] is the
// earliest (see Group), the others follow in the same order.
type Cluster struct {
	Members []Article
}

// First returns the member that published the story first.
func (c Cluster) First() Article { return c.Members[0] }

// Group puts the articles into clusters, two articles in one cluster when
// a chain of verified pairs joins them, and every article in exactly one
// cluster (alone if it has no copies). Members are ordered earliest
// first: by publication date, articles without one after those with one;
// then by when presswatch first saw them; then by ID. Clusters are ordered
// by their first members the same way. Pairs naming an ID that is not
// among articles are ignored; IDs must be distinct. Group is pure; it
// runs in about linear time.
func Group(articles []Article, pairs []Pair) []Cluster {
	index := make(map[int64]int, len(articles))
	for i, a := range articles {
		index[a.ID] = i
	}
	parent := make([]int, len(articles))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range pairs {
		a, okA := index[p.A]
		b, okB := index[p.B]
		if okA && okB {
			parent[find(a)] = find(b)
		}
	}
	byRoot := make(map[int][]Article)
	for i, a := range articles {
		r := find(i)
		byRoot[r] = append(byRoot[r], a)
	}
	out := make([]Cluster, 0, len(byRoot))
	for _, m := range byRoot {
		slices.SortFunc(m, earlier)
		out = append(out, Cluster{Members: m})
	}
	slices.SortFunc(out, func(a, b Cluster) int { return earlier(a.First(), b.First()) })
	return out
}

// earlier orders articles as Group does.
func earlier(a, b Article) int {
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
