package main

import (
	"slices"
	"testing"

	"presswatch/internal/model"
)

func TestInterleave(t *testing.T) {
	src := func(id, u string) model.Source { return model.Source{ID: id, URL: u} }
	in := []model.Source{
		src("a1", "https://a.example/rss"), src("a2", "https://A.example/atom"), src("a3", "https://a.example/x"),
		src("b1", "https://b.example/rss"), src("c1", "http://a.example:8080/rss"), src("b2", "https://b.example/atom"),
	}
	var got []string
	order, hosts := interleave(in)
	for _, s := range order {
		got = append(got, s.ID)
	}
	if want := []string{"a1", "b1", "c1", "a2", "b2", "a3"}; !slices.Equal(got, want) || hosts != 3 {
		t.Errorf("interleave: %v, %d hosts; want %v, 3", got, hosts, want)
	}
}
