package wdiff

import (
	"strings"
	"testing"
)

func TestSubstantive(t *testing.T) {
	ru := readFixture(t, "zhanaozen_ru.txt")
	en := readFixture(t, "zhanaozen_en.txt")
	paras := strings.Split(strings.TrimSpace(ru), "\n\n")
	if len(paras) != 6 {
		t.Fatalf("fixture has %d paragraphs, want 6", len(paras))
	}
	withoutMiddle := strings.Join(append(append([]string{}, paras[:2]...), paras[3:]...), "\n\n")

	tests := map[string]struct {
		old, new string
		want     bool
	}{
		// Edits.
		"death toll revised, Russian":              {ru, replace(t, ru, "погибли 10 человек", "погибли 16 человек"), true},
		"death toll revised, English":              {en, replace(t, en, "At least 10 people", "At least 16 people"), true},
		"wording softened":                         {en, replace(t, en, `The office said "hooligans" had attacked`, `The office said protesters had attacked`), true},
		"paragraph removed in the middle":          {ru, withoutMiddle, true},
		"long paragraph of prose added at the end": {ru, ru + "\nПо уточнённым данным Генеральной прокуратуры, число погибших возросло до 16 человек, ещё более 100 получили ранения различной степени тяжести.\n", true},
		"short sentence added at the end":          {en, en + "\nSixteen people died.\n", true},
		"headline changed above the share bar": {
			"В Жанаозене погибли 10 человек\nПоделиться\n" + ru,
			"В Жанаозене погибли 16 человек\nПоделиться\n" + ru, true,
		},
		"headline changed below the share bar": {
			"Share\nTweet\n10 killed in Zhanaozen clashes\n" + en,
			"Share\nTweet\n16 killed in Zhanaozen clashes\n" + en, true,
		},
		"byline changed at the end, no marker": {ru + "\nИван Петров", ru + "\nПётр Иванов", true},
		"edit and boilerplate together": {
			ru,
			replace(t, ru, "ещё 70 получили", "ещё 86 получили") + "\nЧитайте также\nСуд над нефтяниками начался в Актау\n", true,
		},
		"everything replaced":       {ru, en, true},
		"text removed":              {ru, "", true},
		"a short line from nothing": {"", "16 killed", true},

		// Not edits.
		"identical": {ru, ru, false},
		"typography only": {
			ru,
			strings.NewReplacer("«", `"`, "»", `"`, " — ", " - ", "…", "...", "\n\n", "<br>\n").Replace(ru), false,
		},
		"paragraph split in two": {
			ru,
			replace(t, ru, "забастовки. Представители", "забастовки.\n\nПредставители"),
			false,
		},
		"related block added at the end, Russian": {
			ru,
			ru + "\nЧитайте также:\nВ Жанаозене продлён режим ЧП\nСуд над нефтяниками начнётся в Актау\nНазарбаев посетил Жанаозен\n", false,
		},
		"most read replaced at the end, English": {
			en + "\nMost read\nOil strike enters seventh month\nKazakh court jails activist\n",
			en + "\nMost read\n16 killed in Zhanaozen, officials now say\nNazarbayev fires oil company chiefs\nCurfew lifted in Aktau\n", false,
		},
		"share and subscribe lines at the end": {
			en, en + "\nShare this article\nShare on Facebook\nSubscribe to our newsletter\nComments (12)\n", false,
		},
		"share bar added at the start": {ru, "Поделиться\nПодписывайтесь на нас в Telegram\n" + ru, false},
		"breadcrumbs at the start":     {"Главная » Новости » Казахстан\n" + ru, "Главная » Новости » Регионы » Мангистау\n" + ru, false},
		"read more link removed at the end": {
			en + "\nRead more: Zhanaozen strikers face trial\n", en, false,
		},
		"only boilerplate, from nothing": {"", "Share\nSubscribe", false},
		"boilerplate at both ends": {
			"Share\n" + en + "\nRelated\nOil strike enters seventh month\n",
			"Subscribe\n" + en + "\nRelated\nKazakh court jails activist\nTags: Kazakhstan, oil\n", false,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Substantive(tc.old, tc.new); got != tc.want {
				t.Errorf("Substantive = %v, want %v", got, tc.want)
			}
			if got := Substantive(tc.new, tc.old); got != tc.want {
				t.Errorf("Substantive with the texts swapped = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMarkers(t *testing.T) {
	tests := map[string]bool{
		"Читайте также":                      true,
		"Читайте также: суд над нефтяниками": true,
		"Comments (12)": true,
		"Share 0":       true,
		"Далее →":       true,
		"Подписывайтесь на наш канал в Telegram": true,
		"Share prices fell after the shooting":   false,
		"Поделиться опытом решили и в Актау":     false,
		"Related": true,
		"Relatedness was not established by police.":                                          false,
		"Most read stories of the week were all about Zhanaozen, the editors said on Friday.": false,
	}
	for p, want := range tests {
		if got := isMarker(Normalize(p)); got != want {
			t.Errorf("isMarker(%q) = %v, want %v", p, got, want)
		}
	}
}
