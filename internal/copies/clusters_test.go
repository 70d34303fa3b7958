package copies

import (
	"reflect"
	"testing"
	"time"
)

func TestGroup(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2011, 12, d, 9, 0, 0, 0, time.UTC) }
	art := func(id int64, published, seen int) Article {
		a := Article{ID: id, FirstSeen: day(seen)}
		if published > 0 {
			a.Published = day(published)
		}
		return a
	}
	tests := map[string]struct {
		articles []Article
		pairs    []Pair
		want     [][]int64 // clusters by ID, earliest first
	}{
		"no pairs: every article alone, by date": {
			articles: []Article{art(1, 18, 18), art(2, 16, 20), art(3, 17, 17)},
			want:     [][]int64{{2}, {3}, {1}},
		},
		"the earliest publication date comes first, not the earliest seen": {
			articles: []Article{art(1, 18, 16), art(2, 16, 20)},
			pairs:    []Pair{{1, 2}},
			want:     [][]int64{{2, 1}},
		},
		"a copy without a date comes after the dated ones": {
			articles: []Article{art(1, 0, 10), art(2, 17, 18), art(3, 16, 19)},
			pairs:    []Pair{{1, 2}, {2, 3}},
			want:     [][]int64{{3, 2, 1}},
		},
		"the same date: first seen decides, then the ID": {
			articles: []Article{art(5, 16, 19), art(4, 16, 18), art(3, 16, 18)},
			pairs:    []Pair{{5, 4}, {3, 5}},
			want:     [][]int64{{3, 4, 5}},
		},
		"chains join": {
			articles: []Article{art(1, 16, 16), art(2, 17, 17), art(3, 18, 18), art(4, 19, 19), art(5, 20, 20)},
			pairs:    []Pair{{1, 2}, {3, 4}, {4, 2}},
			want:     [][]int64{{1, 2, 3, 4}, {5}},
		},
		"pairs naming unknown articles are ignored": {
			articles: []Article{art(1, 16, 16), art(2, 17, 17)},
			pairs:    []Pair{{1, 99}, {98, 2}, {1, 1}},
			want:     [][]int64{{1}, {2}},
		},
		"nothing": {},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var got [][]int64
			for _, c := range Group(tt.articles, tt.pairs) {
				var ids []int64
				for _, m := range c.Members {
					ids = append(ids, m.ID)
				}
				if c.First() != c.Members[0] {
					t.Error("First is not the first member")
				}
				got = append(got, ids)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
