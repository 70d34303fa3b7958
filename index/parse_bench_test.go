package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/index/qparse"
)

// benchQueries read the same in presswatch's language and in Bleve's query
// string (where AND, OR and NOT are words): a like-for-like parse.
var benchQueries = []string{
	"Zhanaozen", "Zhanaozen police", `"oil workers" Zhanaozen`, "+Zhanaozen -football", "title:Zhanaozen",
	"Kazakhst*", "Sokolova~1", "source:tengrinews Zhanaozen", `text:"Новый Узень"`, "Жанаозен полиция суд",
	"Zhanaozen AND police", "(Zhanaozen OR Aktau) AND strike", "trial^2 Aktau", "lang:ru Жанаозен",
	`published:>="2011-12-16" Zhanaozen`, "Mangystau Shetpe Aktau Zhanaozen Uzen",
}

// BenchmarkParseQuery: reading a query (qparse.Parse) against Bleve's own
// query-string parse of the same text, and the whole compile (parse,
// expansion to every language field and alias, patterns against the
// dictionary) for scale.
func BenchmarkParseQuery(b *testing.B) {
	fields := qparse.Options{Fields: queryFields}
	b.Run("qparse", func(b *testing.B) {
		for b.Loop() {
			for _, q := range benchQueries {
				if _, err := qparse.Parse(q, fields); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("bleve-query-string", func(b *testing.B) {
		for b.Loop() {
			for _, q := range benchQueries {
				if _, err := query.NewQueryStringQuery(q).Parse(); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("compile", func(b *testing.B) {
		ix := newTestIndexes(b)["disk"]
		for b.Loop() {
			for _, q := range benchQueries {
				if _, err := ix.parseQuery(q, qparse.OpOr); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
