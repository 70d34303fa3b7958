package main

import (
	"strings"
	"testing"

	"presswatch/internal/farm"
)

func TestCheckRevisit(t *testing.T) {
	items := []farm.Item{{URL: "http://a/1"}, {URL: "http://a/2"}, {URL: "http://a/3"}, {URL: "http://a/4"}}
	m := farm.Mutation{Edited: items[:1], Removed: items[1:2]}
	exact := map[string]string{"http://a/1": "edited", "http://a/2": "removed", "http://a/3": "unchanged", "http://a/4": "unchanged"}
	with := func(u, outcome string) map[string]string {
		out := map[string]string{}
		for k, v := range exact {
			out[k] = v
		}
		if outcome == "" {
			delete(out, u)
		} else {
			out[u] = outcome
		}
		return out
	}
	tests := map[string]struct {
		got  map[string]string
		fail string // in the error; "" for none
	}{
		"exactly what the farm changed": {exact, ""},
		"an edit missed":                {with("http://a/1", "unchanged"), `http://a/1: "unchanged", want "edited"`},
		"a removal taken for an edit":   {with("http://a/2", "edited"), `http://a/2: "edited", want "removed"`},
		"an unchanged page edited":      {with("http://a/3", "edited"), `http://a/3: "edited", want "unchanged"`},
		"a failure":                     {with("http://a/4", "failed"), `http://a/4: "failed"`},
		"an article not revisited":      {with("http://a/4", ""), `http://a/4: "", want "unchanged"`},
		"an article the farm never had": {with("http://b/9", "unchanged"), "does not announce"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := checkRevisit(tt.got, items, m)
			switch {
			case tt.fail == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.fail != "" && (err == nil || !strings.Contains(err.Error(), tt.fail)):
				t.Errorf("error %v, want one saying %s", err, tt.fail)
			}
		})
	}
}
