package index

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// userFault reports whether err is one the web answers with 400.
func userFault(err error) bool {
	var qe *QueryError
	var pe *ParamError
	return errors.As(err, &qe) || errors.As(err, &pe)
}

// TestHostileQueries sends queries built to cost or to confuse: each is
// answered within a bound (generous, for a loaded 2-core machine: the
// costly ones are refused before any search, in microseconds), either with
// a result or with a user's error whose words are the ones given; "" means
// the query must be answered.
func TestHostileQueries(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	const bound = 5 * time.Second
	for name, tc := range map[string]struct{ q, want string }{
		"huge":             {strings.Repeat("Zhanaozen ", 1000), "the query is longer than 4096 bytes"},
		"many words":       {strings.Repeat("a b c d e f g h i j ", 10), ""},
		"deep brackets":    {strings.Repeat("(", 500) + "x" + strings.Repeat(")", 500), "more than 32 groups inside each other at 34"},
		"runaway regexp":   {"/(a+)+(b+)+(c+)+.*.*.*z/", "a pattern is one word, and this one has a separator"},
		"bare wildcard":    {"*a*", "a pattern needs at least 2 letters before its first * or ?"},
		"fuzzy beyond max": {"Zhanaozen~9", "~9 is more than 2 at 10"},
		"unclosed quote":   {`"Natalia Sokolova`, `unbalanced quote: this " is never closed at 1`},
		"lone operators":   {"+ - : ^", "+ has nothing after it at 1"},
		"field only":       {"title:", "title: has no value at 1"},
		"binary":           {"\x00\xff\xfe", "the query is not valid UTF-8"},
		"boost garbage":    {"Zhanaozen^abc", "^ is not a weight at 10"},
		"date range":       {`published:>"2011-12-01"`, ""},
		"bad date range":   {`published:>"yesterday"`, `"yesterday" is not a date at 11`},
		"wildcards galore": {"a* b* c* d* e* f* g* h*", "a pattern needs at least 2 letters before its first * or ?"},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			res, err := ix.Search(context.Background(), Request{Query: tc.q})
			if took := time.Since(start); took > bound {
				t.Errorf("answered in %s, want within %s", took, bound)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v, want an answer", err)
			case tc.want == "" && res == nil:
				t.Fatal("no result and no error")
			case tc.want == "":
			case err == nil:
				t.Fatalf("answered (%d hits), want the error %q", res.Total, tc.want)
			case !userFault(err):
				t.Fatalf("%v is neither a query nor a parameter error", err)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"Zhanaozen", `"oil workers"`, "+a -b", "title:x", "/[a-z]+/", "Жанаозен~1", "lang:ru stance:state", "(", "*"} {
		f.Add(s)
	}
	ix, err := OpenMem(WithAliases([][]string{{"Zhanaozen", "Жанаозен", "Новый Узень"}}))
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), testArticles()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := ix.Search(context.Background(), Request{Query: q, Limit: 5}); err != nil && !userFault(err) {
			t.Fatalf("%q: %v", q, err)
		}
	})
}
