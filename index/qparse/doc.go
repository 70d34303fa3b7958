// Package qparse reads presswatch's query language: the Boolean queries
// researchers write in Media Cloud, Lucene and Elasticsearch.
//
//	Zhanaozen AND (police OR полиция) NOT title:football
//	"strike police"~5  Kazakhst*  Наз?рбаев  Sokolova~1  trial^2
//	source:tengrinews  lang:ru  published:>=2011-12-16  published:[2011-12-01 TO 2012-01-31]
//	+Zhanaozen -football   Zhanaozen && !football   a || b
//
// Precedence: NOT (and !, -), then AND (&&), then OR (||); words side by
// side are joined by the default operator (Options.Op): OR, as Media Cloud
// and Elasticsearch's query_string read them, at OR's level; or AND, as
// Google reads them, below OR, so "a b OR c" is a AND (b OR c). A + word
// is required and a - word excluded whatever the operator; with OR, the
// other words of a group with a required one only rank its hits higher,
// as in Lucene. AND, OR and NOT count only in upper case: "and" is a word.
//
// The package knows nothing of Bleve or of what a field holds beyond its
// kind: Parse returns a tree (Node), and index compiles it to Bleve's
// queries, checking the values of enumerated fields. Errors are *Error,
// with the position (in characters, from 1) and, where it can, a
// suggestion.
package qparse
