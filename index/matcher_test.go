package index

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"presswatch/internal/model"
)

var testTopics = []model.Topic{
	{ID: "zhanaozen", Query: "Zhanaozen Жанаозене Жанаозена Schanaosen"},
	{ID: "trial", Query: "суд Prozess trial"},
	{ID: "torture", Query: "+torture -lang:ru"},
	{ID: "state-ru", Query: "+lang:ru +stance:state"},
	{ID: "early", Query: `published:<"2011-12-18T00:00:00Z"`},
}

func TestMatcher(t *testing.T) {
	m, err := NewMatcher(testTopics, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := map[int64][]string{
		1:  {"zhanaozen", "state-ru", "early"},
		2:  {"zhanaozen", "early"},
		3:  {"zhanaozen", "early"},
		5:  {"zhanaozen", "trial"},
		6:  {"zhanaozen", "torture"},
		7:  {"trial"},
		8:  {"zhanaozen", "state-ru"},
		10: {"zhanaozen"},
		11: {},
	}
	for _, a := range testArticles() {
		w, ok := want[a.ID]
		if !ok {
			continue
		}
		t.Run(fmt.Sprint(a.ID, " ", a.Title), func(t *testing.T) {
			got, err := m.Match(a)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, w) {
				t.Errorf("topics = %q, want %q", got, w)
			}
		})
	}
	if n, _ := m.ix.Count(); n != 0 {
		t.Errorf("matcher index keeps %d articles, want 0", n)
	}
	if len(m.free) == 0 {
		t.Error("no in-memory index on the free list after Match returned")
	}
	for i, mi := range m.free {
		if n, _ := mi.idx.DocCount(); n != 0 {
			t.Errorf("free in-memory index %d keeps %d articles, want 0", i, n)
		}
	}
}

func TestMatcherConcurrent(t *testing.T) {
	m, err := NewMatcher(testTopics)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := map[int64][]string{}
	for _, a := range testArticles() {
		if want[a.ID], err = m.Match(a); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, a := range testArticles() {
		wg.Go(func() {
			for range 5 {
				got, err := m.Match(a)
				if err != nil {
					t.Error(err)
					return
				}
				if !slices.Equal(got, want[a.ID]) {
					t.Errorf("article %d: topics %q, alone %q", a.ID, got, want[a.ID])
				}
			}
		})
	}
	wg.Wait()
}

func TestNewMatcherErrors(t *testing.T) {
	tests := map[string]struct {
		topics    []model.Topic
		want      string
		wantQuery bool
	}{
		"bad query":  {[]model.Topic{{ID: "ok", Query: "oil"}, {ID: "broken", Query: `"oil`}}, `index: topic "broken": index: query "\"oil"`, true},
		"empty":      {[]model.Topic{{ID: "blank"}}, `index: topic "blank": empty query`, false},
		"no id":      {[]model.Topic{{Name: "Oil", Query: "oil"}}, `index: topic "Oil" has no id`, false},
		"duplicated": {[]model.Topic{{ID: "a", Query: "oil"}, {ID: "a", Query: "gas"}}, `index: topic "a": defined twice`, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := NewMatcher(tt.topics)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
			var qe *QueryError
			if errors.As(err, &qe) != tt.wantQuery {
				t.Errorf("errors.As(*QueryError) = %v, want %v", !tt.wantQuery, tt.wantQuery)
			}
		})
	}
}

// TestMatcherClosed checks that Match after Close says the matcher is
// closed, and that Close may run twice.
func TestMatcherClosed(t *testing.T) {
	m, err := NewMatcher(testTopics)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := m.Match(testArticles()[0]); !errors.Is(err, errMatcherClosed) {
		t.Fatalf("Match after Close: error %v, want %v", err, errMatcherClosed)
	}
}
