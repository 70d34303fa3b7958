// Package textfold brings a name or word, whatever its script and
// transliteration, to one spelling-independent form, so that coverage
// written Zhanaozen, Janaozen, Жанаозен, Жаңаөзен, Schanaosen and
// Żanaozeniu meets in the index.
//
// It is the folding stage of analysis: the index's tokenizer splits text
// into tokens and the index stores Key(token) in a field that every
// document gets and every query also searches. Fold is the form without
// stemming (for exact-but-folded matching and for highlighting); Stem
// removes inflection endings from a folded form; Key is both, after the
// name rule (names.go), which keeps a surname's gender: Sokolova,
// Соколовой and Sokołowej give "sokolova", Sokolov, Соколову and
// Sokołowem "sokolov"; Kowalska and Kowalski, Сәрсенқызы and Сәрсенұлы
// stay apart too.
//
// Folding works in three table-driven stages (letters.go, rules.go,
// fold.go): transliterate Cyrillic (Russian, Kazakh, Ukrainian, Kyrgyz,
// Uzbek) and resolve Latin diacritics; rewrite the transliteration
// variants (zh j ż sch → one ж/ш symbol at the start of a word, sh sz sch
// ş š → ш, kh h x ch → х, ts tz c → ц, y j ï → i, w → v, q → k); then
// the rules that look at neighbours: collapse doubled letters, drop the
// glide i between a vowel and e, s between vowels → z, z at the end → s.
// The folded forms are keys, not spellings to show: they merge some
// words that differ (ж and ш at the start of a word, the Kazakh letters
// ә ө ұ ү і ң with а о у и н), which the tests measure on real text (see
// corpus_test.go).
//
// All functions are pure, safe for concurrent use and never panic.
package textfold
