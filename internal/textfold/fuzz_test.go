package textfold

import (
	"testing"
	"unicode/utf8"
)

func FuzzFold(f *testing.F) {
	for _, spellings := range families {
		for _, s := range spellings {
			f.Add(s)
		}
	}
	for _, s := range []string{"", "ab\xffc", "Straße", "щзж", "ʻʼ’", "ǅ", "İı", "sz\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if !utf8.ValidString(a) {
			t.Fatalf("Fold(%q) = %q, not valid UTF-8", s, a)
		}
		if b := Fold(a); b != a {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold of that = %q", s, a, b)
		}
		if k := Stem(a); len(k) > len(a) || !utf8.ValidString(k) {
			t.Fatalf("Stem(%q) = %q", a, k)
		}
		// Key folds the token without an English possessive, which can
		// change a letter's context: Key("Ivanovich's") is Key("Ivanovich"),
		// "ivanovič", where Fold("Ivanovich's") reads ch before s as х.
		if k, f := Key(s), Fold(possessiveS(s)); len(k) > len(f) || !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q, longer than Fold's %q or not valid UTF-8", s, k, f)
		}
	})
}

// benchWords mix Russian, Kazakh, German, Polish and English words as news
// text has them, names and ordinary words.
var benchWords = []string{
	"Жанаозене", "забастовка", "нефтяников", "расстреляли", "Назарбаевым",
	"Жаңаөзендегі", "мұнайшылар", "ереуіл", "Ақтаудағы", "қаласында",
	"Schanaosen", "Ölarbeiter", "streikten", "Kasachstans", "Polizei",
	"Żanaozeniu", "strajkujących", "naftowców", "Sokołowej", "więzienia",
	"Zhanaozen", "oil", "workers", "were", "killed", "Nazarbayev",
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Fold(benchWords[i%len(benchWords)])
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Key(benchWords[i%len(benchWords)])
	}
}
