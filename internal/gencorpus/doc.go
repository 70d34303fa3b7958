// Package gencorpus generates the synthetic press corpus the index
// benchmarks run on: news-length articles in the deployment's languages
// (ru, en, kk, de, fr, es, it, pl, pt, weighted as the Zhanaozen
// deployment sees them), built from the real sentences of the shared
// corpus's lingua-sentences folder, from 30 sources with stances, dated
// from May 2011 to 2026 with a spike after 16 December 2011, and with the
// deployment's names (Zhanaozen, Nazarbayev, Sokolova, Aktau, Mangystau,
// Kuramshin, Ozenmunaigas) written in many spellings in a small share of
// them.
//
// Article i depends only on the seed and i, so the first 10,000 articles
// of a 100,000-article corpus are the 10,000-article corpus, and articles
// are made one at a time: a caller streams them (Articles, Batches)
// instead of holding hundreds of megabytes. It is for benchmarks and
// tests only; the text is real sentences in random order, not news.
package gencorpus
