package index

// The timeline by stance (Request.ByStance) is counted from the facet
// key, in the same facet as the timeline (facetkey.go).

// undatedStories counts the stories none of whose matching articles has
// a day on the timeline.
func undatedStories(order []*story) uint64 {
	var n uint64
	for _, s := range order {
		if s.day.IsZero() {
			n++
		}
	}
	return n
}
