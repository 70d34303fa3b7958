package index

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// userFault reports whether err is one the web answers with 400.
func userFault(err error) bool {
	var qe *QueryError
	var pe *ParamError
	return errors.As(err, &qe) || errors.As(err, &pe)
}

func TestHostileQueries(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	for name, q := range map[string]string{
		"huge":             strings.Repeat("Zhanaozen ", 1000),
		"many words":       strings.Repeat("a b c d e f g h i j ", 10),
		"deep brackets":    strings.Repeat("(", 500) + "x" + strings.Repeat(")", 500),
		"runaway regexp":   "/(a+)+(b+)+(c+)+.*.*.*z/",
		"bare wildcard":    "*a*",
		"fuzzy beyond max": "Zhanaozen~9",
		"unclosed quote":   `"Natalia Sokolova`,
		"lone operators":   "+ - : ^",
		"field only":       "title:",
		"binary":           "\x00\xff\xfe",
		"boost garbage":    "Zhanaozen^abc",
		"date range":       `published:>"2011-12-01"`,
		"bad date range":   `published:>"yesterday"`,
		"wildcards galore": "a* b* c* d* e* f* g* h*",
	} {
		t.Run(name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: q})
			if err != nil && !userFault(err) {
				t.Fatalf("%q: %v is neither a query nor a parameter error", q, err)
			}
			if err == nil && res == nil {
				t.Fatal("no result and no error")
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
