package digest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Edits are what staff changed in a digest before sending it. They are
// stored beside the digest as built, so a rebuild (articles that arrived
// late) keeps them: stories are named by their ids.
type Edits struct {
	Note string `json:"note,omitempty"` // at the top
	// Order is the stories in the order chosen; stories it does not name
	// (new since the edit) follow in the built order.
	Order   []int64          `json:"order,omitempty"`
	Dropped []int64          `json:"dropped,omitempty"` // stories left out
	Notes   map[int64]string `json:"notes,omitempty"`   // per story
}

// MaxNote bounds a note, in bytes.
const MaxNote = 4000

// Check refuses edits no digest should carry.
func (e Edits) Check() error {
	if len(e.Note) > MaxNote {
		return fmt.Errorf("digest: the note is %d bytes; at most %d", len(e.Note), MaxNote)
	}
	for id, n := range e.Notes {
		if len(n) > MaxNote {
			return fmt.Errorf("digest: the note of story %d is %d bytes; at most %d", id, len(n), MaxNote)
		}
	}
	return nil
}

// ParseEdits reads stored edits; nil or empty is none.
func ParseEdits(b []byte) (Edits, error) {
	var e Edits
	if len(b) == 0 {
		return e, nil
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("digest: stored edits: %w", err)
	}
	return e, nil
}

// Apply returns the digest with the edits made: its stories reordered,
// dropped and annotated, and the note on top. d is not changed.
func (d *Digest) Apply(e Edits) *Digest {
	out := *d
	out.Note = strings.TrimSpace(e.Note)
	pos := make(map[int64]int, len(e.Order))
	for i, id := range e.Order {
		if _, dup := pos[id]; !dup {
			pos[id] = i
		}
	}
	out.Stories = nil
	for _, s := range d.Stories {
		if slices.Contains(e.Dropped, s.ID) {
			out.Dropped++
			continue
		}
		s.Note = strings.TrimSpace(e.Notes[s.ID])
		out.Stories = append(out.Stories, s)
	}
	slices.SortStableFunc(out.Stories, func(a, b Story) int {
		pa, oka := pos[a.ID]
		pb, okb := pos[b.ID]
		switch {
		case oka && okb:
			return pa - pb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return &out
}

// Parse reads a digest stored as JSON.
func Parse(b []byte) (*Digest, error) {
	var d Digest
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("digest: stored digest: %w", err)
	}
	return &d, nil
}
