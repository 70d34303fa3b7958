package wdiff

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"guillemets and dash": {
			in:   "«Сотрудники полиции действовали в рамках закона», — сказал представитель МВД",
			want: `"Сотрудники полиции действовали в рамках закона", - сказал представитель МВД`,
		},
		"German quotes and apostrophes": {
			in:   "„Озенмунайгаз“ и ‘Аружан’, Prosecutor General’s office, ‹так›, ‚так‘",
			want: `"Озенмунайгаз" и 'Аружан', Prosecutor General's office, 'так', 'так'`,
		},
		"dashes and minus": {
			in:   "10–14 человек ‒ 20‑летие — итог −5",
			want: "10-14 человек - 20-летие - итог -5",
		},
		"ellipsis":            {in: "расследование…", want: "расследование..."},
		"nbsp, thin, narrow":  {in: "16\u00a0декабря\u2009 2011\u202fгода", want: "16 декабря 2011 года"},
		"zero-width and shy":  {in: "Жана\u00adозен\u200b погиб\u200dли\ufeff", want: "Жанаозен погибли"},
		"entities":            {in: "AT&amp;T&nbsp;и&#160;Shell &mdash; партнёры, &amp;nbsp;", want: "AT&T и Shell - партнёры,"},
		"br and p":            {in: "Первый<br>второй<BR />третий</p><p class=x>четвёртый", want: "Первый\nвторой\nтретий\nчетвёртый"},
		"inline tags removed": {in: `<b>16</b> <a href="/x">человек</a>`, want: "16 человек"},
		"angle brackets kept": {in: "если a < b и c > d", want: "если a < b и c > d"},
		"NFC":                 {in: "и\u0306 ё\u0308", want: "й ё\u0308"},
		"NFC composes": {
			in:   "Жаңаөзен caf\u0065\u0301",
			want: "Жаңаөзен caf\u00e9",
		},
		"paragraphs": {
			in:   "  Первый абзац.  \r\n\r\n\n   Второй\tабзац.\n \n",
			want: "Первый абзац.\nВторой абзац.",
		},
		"case and ё kept": {in: "Ёлка ЖАНАОЗЕН", want: "Ёлка ЖАНАОЗЕН"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSame(t *testing.T) {
	ru := readFixture(t, "zhanaozen_ru.txt")
	// The same article as another extraction gives it: straight quotes,
	// hyphens, NBSP, entities and <br> for the paragraph breaks.
	retyped := strings.NewReplacer("«", `"`, "»", `"`, "—", "-", "\u2011", "-", "…", "...",
		"16 декабря", "16&nbsp;декабря", "\n\n", "<br><br>").Replace(ru)
	if retyped == ru {
		t.Fatal("the replacer changed nothing")
	}
	if !Same(ru, retyped) {
		t.Errorf("Same = false for a retyped copy:\n%q\n%q", Normalize(ru), Normalize(retyped))
	}
	edited := replace(t, ru, "погибли 10 человек", "погибли 14 человек")
	if Same(ru, edited) {
		t.Error("Same = true after the death toll changed from 10 to 14")
	}
	if Same("Жанаозен", "жанаозен") {
		t.Error("Same = true for a change of case")
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("«Жанаозен» — 16\u00a0декабря…<br>&amp;")
	f.Add("\u0306\u00ad\n \n")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n && !strings.Contains(s, "&") && !strings.Contains(s, "<") {
			t.Errorf("Normalize is not idempotent on %q: %q then %q", s, n, Normalize(n))
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") || strings.Contains(n, "\n\n") {
			t.Errorf("Normalize(%q) = %q leaves whitespace runs", s, n)
		}
	})
}
