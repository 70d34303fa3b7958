// Package lang names the language of a page or a text with a two-letter
// ISO 639-1 code.
//
// Normalize reads what a page or a feed declares (<html lang>, og:locale,
// Content-Language, <language>); Detect guesses from the text itself when
// nothing is declared. The crawler prefers a declaration and falls back on
// Detect. Both are safe for concurrent use.
//
// Detect knows the languages presswatch follows and their look-alikes: en,
// ru, kk, de, fr, es, it, pl, pt, uk, ky and uz. The first ten come from
// lingua-go's statistical models; lingua-go has no Kyrgyz or Uzbek model,
// so those two are recognised by their letters (see script.go).
//
// The binary embeds lingua-go's models of the ten languages and of no
// others: go.mod replaces lingua-go with a pruned copy in
// third_party/lingua-go (see its README.md). The package panics when it
// is initialised in a binary that lacks one of the models Detect needs,
// naming the file, as lingua-go would silently score that language zero.
package lang
