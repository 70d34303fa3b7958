package textfold

import "testing"

// genders are the forms of one surname for a man and for a woman, in the
// languages and cases presswatch meets them. Within each list all forms
// must share a Key, and the two lists' keys must differ. The ambiguous
// forms are in the list the rule gives them (names.go): -ова and Polish
// -owa (the man's genitive too) with the woman, -ову (the woman's
// accusative too) with the man.
var genders = map[string]struct{ man, woman []string }{
	"Sokolov, -ov": {
		man: []string{"Sokolov", "Соколов", "Sokołow", "Sokolow", "Соколову", "Соколовым", "Соколове",
			"Соколовых", "Sokołowem", "Sokołowowi", "Sokołowie", "Sokolows", "Sokolov's", "Sokolov’s",
			"Соколовтың", "Соколовқа", "Соколовты", "Соколовпен"},
		woman: []string{"Sokolova", "Соколова", "Sokołowa", "Sokolowa", "Соколовой", "Соколовою", "Sokolovoy",
			"Sokolovoi", "Sokolovoj", "Sokołowej", "Sokołową", "Sokolova's", "Соколованың", "Соколоваға",
			"Соколовамен", "Соколовада", "Соколовадан"},
	},
	"Nazarbayev, -ev": {
		man:   []string{"Nazarbayev", "Назарбаев", "Nasarbajew", "Назарбаевым", "Nazarbajewem", "Назарбаевтың", "Nasarbajews"},
		woman: []string{"Nazarbayeva", "Назарбаева", "Nasarbajewa", "Nazarbaïeva", "Назарбаевой", "Nazarbajewej", "Назарбаеваның"},
	},
	"Kuramshin, -in": {
		man:   []string{"Kuramshin", "Курамшин", "Kuramszyn", "Курамшину", "Курамшиным", "Курамшиннің", "Kuramszynowi"},
		woman: []string{"Kuramshina", "Курамшина", "Kuramszyna", "Курамшиной", "Курамшинаға"},
	},
	"Zhukovsky, -sky": {
		man: []string{"Zhukovsky", "Жуковский", "Żukowski", "Schukowski", "Жуковского", "Жуковскому", "Жуковским",
			"Жуковском", "Żukowskiego", "Жуковскийдің"},
		woman: []string{"Zhukovskaya", "Жуковская", "Żukowska", "Schukowskaja", "Жуковской", "Zhukovskoy", "Жуковскую",
			"Żukowskiej", "Żukowską"},
	},
	"Kowalski, Polish -ski": {
		man:   []string{"Kowalski", "Ковальский", "Kowalskiego", "Kowalskiemu", "Kowalskim"},
		woman: []string{"Kowalska", "Ковальская", "Kowalskiej", "Kowalską", "Ковальской"},
	},
	"Sarsenuly, Kazakh -uly/-kyzy": {
		man:   []string{"Sarsenuly", "Сәрсенұлы", "Сарсенулы", "Sarsenouly", "Сәрсенұлының", "Сәрсенұлына", "Сәрсенұлын", "Сәрсенұлымен"},
		woman: []string{"Sarsenkyzy", "Сәрсенқызы", "Сарсенкызы", "Sarsenqyzy", "Сәрсенқызының", "Сәрсенқызына", "Сәрсенқызымен"},
	},
}

func TestSurnamesKeepGender(t *testing.T) {
	for desc, g := range genders {
		t.Run(desc, func(t *testing.T) {
			man, woman := Key(g.man[0]), Key(g.woman[0])
			if man == woman {
				t.Fatalf("Key(%q) = Key(%q) = %q", g.man[0], g.woman[0], man)
			}
			for _, s := range g.man[1:] {
				if k := Key(s); k != man {
					t.Errorf("Key(%q) = %q, want %q as for %q", s, k, man, g.man[0])
				}
			}
			for _, s := range g.woman[1:] {
				if k := Key(s); k != woman {
					t.Errorf("Key(%q) = %q, want %q as for %q", s, k, woman, g.woman[0])
				}
			}
		})
	}
}

// TestNameRuleKeepsOtherWords holds the words the name rule must leave to
// Stem: adjectives of places after a vowel or -stan, and the words that
// look like a gendered surname only once folded.
func TestNameRuleKeepsOtherWords(t *testing.T) {
	for desc, c := range map[string][2]string{
		"adjective of a place after a vowel": {"Мангистауская", "Мангистау"},
		"adjective of a place after -stan":   {"казахстанская", "Казахстан"},
		"adjective of a place after -ar":     {"Павлодарской", "Павлодар"},
		"Kazakh -ына is not Russian -ина":    {"жұмысына", "жұмысын"},
		"Russian -ней is not Polish -ej":     {"крайней", "крайнего"},
	} {
		if a, b := Key(c[0]), Key(c[1]); a != b {
			t.Errorf("%s: Key(%q) = %q, Key(%q) = %q", desc, c[0], a, c[1], b)
		}
	}
	// Verbs in -ули and English -fully are no Kazakh -ұлы.
	for _, w := range []string{"втянули", "обогнули", "successfully", "lawfully"} {
		if got, want := Key(w), Stem(Fold(w)); got != want {
			t.Errorf("Key(%q) = %q, want Stem's %q", w, got, want)
		}
	}
}

func TestPossessiveS(t *testing.T) {
	for in, want := range map[string]string{"Sokolova's": "Sokolova", "Ablyazov’s": "Ablyazov", "it's": "it's", "'s": "'s", "Bob's": "Bob"} {
		if got := possessiveS(in); got != want {
			t.Errorf("possessiveS(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGendered(t *testing.T) {
	for token, want := range map[string]bool{
		"Sokolova": true, "Соколовой": true, "Sokolov": true, "Соколову": true, "Kowalska": true, "Kowalski": true,
		"Nazarbayev": true, "Сәрсенұлы": true, "Zhanaozen": false, "police": false, "нефтяники": false, "Aktau": false,
	} {
		if got := Gendered(token); got != want {
			t.Errorf("Gendered(%q) = %v, want %v", token, got, want)
		}
	}
}
