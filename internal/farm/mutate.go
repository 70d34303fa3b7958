package farm

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
)

// change is what Mutate did to an item's page.
type change int8

const (
	unchanged change = iota
	edited           // served with its first number changed
	removed          // answered 404 Not Found
)

// A Mutation is what Mutate changed: the items now served edited and the
// items now answered 404, each host by host, feed by feed, newest first.
type Mutation struct {
	Edited, Removed []Item
}

// Mutate changes the article pages of the items announced so far, as
// publishers do once a story is out: editShare of them are edited, in the
// text a reader reads (see editBody: the first number of the article
// raised by two, "14 killed" becoming "16 killed"), and removeShare of
// them answer 404 Not Found. Every other page is served byte for byte as
// before. Exactly round(share × items) of each are picked, the items
// ranked by a hash of seed, their host's number and their URL's path, so
// that one seed picks the same items of the same farm whatever ports it
// listens on. A later call replaces the earlier one; Mutate(0, 0, 0)
// serves every page as it was. Items announced afterwards (Advance) are
// not changed, and neither are feeds, so a feed reader sees nothing. It
// may be called while clients fetch; a request in progress gets the page
// of before or after. Edits of real pages (Options.Pages) are refused.
func (fm *Farm) Mutate(editShare, removeShare float64, seed uint64) (Mutation, error) {
	if editShare < 0 || removeShare < 0 || editShare+removeShare > 1 {
		return Mutation{}, errors.New("farm: Mutate: editShare and removeShare must be shares adding up to at most 1")
	}
	if editShare > 0 && len(fm.opts.Pages) > 0 {
		return Mutation{}, errors.New("farm: Mutate: real pages (Options.Pages) cannot be edited, only removed")
	}
	type ranked struct {
		k    key
		rank float64
	}
	var all []ranked
	count := fm.count()
	for _, h := range fm.hosts {
		for f := range fm.opts.FeedsPerHost {
			for n := range count {
				k := key{h.i, f, n}
				all = append(all, ranked{k, mutationRank(seed, k, itemPath(k, fm.metaOf(k)))})
			}
		}
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.k.id(), b.k.id()))
	})
	nEdit := int(math.Round(editShare * float64(len(all))))
	nRemove := int(math.Round(removeShare * float64(len(all))))
	changes := make(map[key]change, nEdit+nRemove)
	for i, r := range all[:min(nEdit+nRemove, len(all))] {
		changes[r.k] = removed
		if i < nEdit {
			changes[r.k] = edited
		}
	}
	fm.mu.Lock()
	fm.changes, fm.edits = changes, map[key][]byte{}
	fm.mu.Unlock()

	var m Mutation
	for _, h := range fm.hosts {
		for f := range fm.opts.FeedsPerHost {
			for n := count - 1; n >= 0; n-- {
				switch k := (key{h.i, f, n}); changes[k] {
				case edited:
					m.Edited = append(m.Edited, fm.item(h, k))
				case removed:
					m.Removed = append(m.Removed, fm.item(h, k))
				}
			}
		}
	}
	return m, nil
}

// mutationRank is item k's place in Mutate's draw for seed: a number in
// [0, 1) fixed by the seed, the host's number and the item's URL path.
func mutationRank(seed uint64, k key, path string) float64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	return draw(seed^0x6d757461746521, uint64(k.h), h.Sum64())
}

// changeOf is what the last Mutate did to item k.
func (fm *Farm) changeOf(k key) change {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	return fm.changes[k]
}

// served is item k's article as its page shows it now: edited if Mutate
// picked it for an edit.
func (fm *Farm) served(k key) (*article, change) {
	a, c := fm.article(k), fm.changeOf(k)
	if c == edited {
		a.body = editBody(a.body)
	}
	return a, c
}

// editedPage returns item k's edited page, rendering it once per Mutate.
func (fm *Farm) editedPage(k key, base string) []byte {
	fm.mu.Lock()
	body, ok := fm.edits[k]
	fm.mu.Unlock()
	if ok {
		return body
	}
	a, _ := fm.served(k)
	body = fm.page(a, k, base)
	fm.mu.Lock()
	if fm.edits != nil {
		fm.edits[k] = body
	}
	fm.mu.Unlock()
	return body
}

// editBody returns the paragraphs of an article with the correction a
// publisher makes to a toll or a figure: the last digit of the article's
// first number raised by two (14 becomes 16, 19 becomes 11, "16-сы"
// becomes "18-сы"). Digits of a character reference the text holds
// ("&#8217;", as some corpus sentences carry) are no number a reader reads
// and are passed over. A text without a number gets " (16)" at the end of
// its first paragraph. The paragraphs given are not changed.
func editBody(body []string) []string {
	out := slices.Clone(body)
	for i, p := range out {
		refs := charRef.FindAllStringIndex(p, -1)
		for _, run := range digitRun.FindAllStringIndex(p, -1) {
			if slices.ContainsFunc(refs, func(r []int) bool { return run[0] < r[1] && r[0] < run[1] }) {
				continue
			}
			last := p[run[1]-1] - '0'
			out[i] = p[:run[1]-1] + fmt.Sprint((last+2)%10) + p[run[1]:]
			return out
		}
	}
	if len(out) > 0 {
		out[0] += " (16)"
	}
	return out
}

var (
	digitRun = regexp.MustCompile(`[0-9]+`)
	charRef  = regexp.MustCompile(`&#(?:[0-9]+|[xX][0-9a-fA-F]+);?`)
)
