package index

import (
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	tests := map[string]struct {
		query string
		want  Request
	}{
		"nothing": {"", Request{}},
		"everything": {
			"q=%2BZhanaozen+-torture&from=2011-12-16&to=2011-12-17&source=dw&source=bbc,rferl&lang=ru,+kk&stance=state&sort=newest&limit=50",
			Request{Query: "+Zhanaozen -torture", From: day("2011-12-16T00:00:00Z"), To: day("2011-12-17T23:59:59.999999999Z"),
				Sources: []string{"dw", "bbc", "rferl"}, Langs: []string{"ru", "kk"}, Stances: []string{"state"}, Sort: "newest", Limit: 50},
		},
		"RFC 3339 dates are exact": {
			"from=2011-12-16T10:00:00%2B06:00&to=2011-12-17T12:00:00Z",
			Request{From: day("2011-12-16T04:00:00Z"), To: day("2011-12-17T12:00:00Z")},
		},
		"empty list items dropped":   {"source=,dw,,&lang=", Request{Sources: []string{"dw"}}},
		"unknown parameters ignored": {"page=3&q=oil", Request{Query: "oil"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseRequest(v)
			if err != nil {
				t.Fatal(err)
			}
			if !got.From.Equal(tt.want.From) || !got.To.Equal(tt.want.To) {
				t.Errorf("from, to = %v, %v; want %v, %v", got.From, got.To, tt.want.From, tt.want.To)
			}
			got.From, got.To, tt.want.From, tt.want.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRequestErrors(t *testing.T) {
	tests := map[string]struct {
		query string
		want  string
	}{
		"month 13":         {"from=2011-13-01", `index: parameter "from": "2011-13-01" is not a date (want YYYY-MM-DD)`},
		"to not a date":    {"to=yesterday", `index: parameter "to": "yesterday" is not a date (want YYYY-MM-DD)`},
		"to before from":   {"from=2012-01-02&to=2012-01-01", `index: parameter "to": "2012-01-01" is before "from"`},
		"to beyond Bleve":  {"to=9999-12-31", `index: parameter "to": "9999-12-31" is outside the years 1900 to 2200`},
		"from too early":   {"from=0001-01-01", `index: parameter "from": "0001-01-01" is outside the years 1900 to 2200`},
		"limit not number": {"limit=ten", `index: parameter "limit": "ten" is not a number from 1 to 1000`},
		"limit zero":       {"limit=0", `index: parameter "limit": "0" is not a number from 1 to 1000`},
		"limit too big":    {"limit=1001", `index: parameter "limit": "1001" is not a number from 1 to 1000`},
		"sort unknown":     {"sort=random", `index: parameter "sort": "random" is not a sort order (want relevance, newest or oldest)`},
		"stance unknown":   {"stance=state,neutral", `index: parameter "stance": "neutral" is not a stance (want one of state, independent, campaign, international, unknown)`},
		"cursor garbage":   {"after=%25%25", `index: parameter "after": "%%" is not a cursor from a previous page`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseRequest(v)
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want *ParamError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n %s\nwant\n %s", err, tt.want)
			}
		})
	}
}
