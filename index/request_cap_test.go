package index

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// values returns n distinct values v0, v1, ... joined by commas.
func values(n int) string {
	vs := make([]string, n)
	for i := range vs {
		vs[i] = "v" + strconv.Itoa(i)
	}
	return strings.Join(vs, ",")
}

// Each list filter takes at most MaxValues values, counted after the
// commas are split, and values of at most MaxValueBytes; more is a
// *ParamError naming the parameter, the count and the cap.
func TestParseRequestCapsListFilters(t *testing.T) {
	for name, tc := range map[string]struct {
		v     url.Values
		param string // "" for accepted
		words []string
	}{
		"3000 sources":              {url.Values{"source": {values(3000)}}, "source", []string{"3000 values", "at most 50"}},
		"51 langs, repeated":        {url.Values{"lang": strings.Split(values(51), ",")}, "lang", []string{"51 values", "at most 50"}},
		"51 topics":                 {url.Values{"topic": {values(51)}}, "topic", []string{"51 values"}},
		"60 stances, all valid":     {url.Values{"stance": {strings.Repeat("state,", 60)}}, "stance", []string{"60 values"}},
		"60 states":                 {url.Values{"state": {strings.Repeat("live,", 60)}}, "state", []string{"60 values"}},
		"a source of 101 bytes":     {url.Values{"source": {strings.Repeat("s", MaxValueBytes+1)}}, "source", []string{"101 bytes", "at most 100"}},
		"50 of each at the cap":     {url.Values{"source": {values(50)}, "lang": {values(50)}, "topic": {values(50)}}, "", nil},
		"a source of 100 bytes":     {url.Values{"source": {strings.Repeat("s", MaxValueBytes)}}, "", nil},
		"50 across repeated params": {url.Values{"source": {values(25), values(25)}}, "", nil},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseRequest(tc.v)
			if tc.param == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tc.param {
				t.Fatalf("got %v, want a *ParamError of %q", err, tc.param)
			}
			for _, w := range tc.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
	// A Request built in code is held to the same caps by Search's check.
	if _, _, err := (Request{Sources: strings.Split(values(51), ",")}).check(); err == nil {
		t.Error("check takes 51 sources")
	}
}
