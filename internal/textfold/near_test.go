package textfold

import "testing"

// TestNear holds what Near takes for a spelling of a name and what it
// must not: the other place, the namesake of the other gender, the other
// person with a name one letter away.
func TestNear(t *testing.T) {
	for desc, c := range map[string]struct {
		query, written string
		near           bool
	}{
		"one letter off in a long name":    {"Zhanaozen", "Zhenaozen", true},
		"a letter off and two swapped":     {"Zhanaozen", "Zhenazoen", true},
		"a letter left out":                {"Zhanaozen", "Zhanozen", true},
		"French ch for ш":                  {"Kuramshin", "Kouramchine", true},
		"French ch for ш, the woman":       {"Kuramshina", "Kouramchina", true},
		"French j for ж inside a word":     {"Nurzhan", "Nourjan", true},
		"French j for ж at the start":      {"Zheltoqsan", "Jeltoqsan", true},
		"j for ж and a letter off":         {"Karazhanbas", "Karajanbass", true},
		"a typo in a Cyrillic query":       {"Назарбаев", "Nazerbayev", true},
		"two letters swapped":              {"Ablyazov", "Ablayzov", true},
		"the same key is no misspelling":   {"Zhanaozen", "Жанаозен", false},
		"another town":                     {"Zhanaozen", "Zhanatas", false},
		"another town, the other way":      {"Zhanatas", "Zhanaozen", false},
		"another district":                 {"Kuramshin", "Kurmangazy", false},
		"the namesake of the other gender": {"Sokolova", "Sokolov", false},
		"the other gender, the other way":  {"Sokolov", "Sokolova", false},
		"the other gender, -in":            {"Kuramshin", "Kuramshina", false},
		"the other gender, -ski":           {"Kowalski", "Kowalska", false},
		"another person, one letter off":   {"Nurzhan", "Nurlan", false},
		"a typo in a short key":            {"Kozlov", "Kozlev", false},
		"another surname":                  {"Nazarbayev", "Nazarov", false},
		"a common word":                    {"Mangystau", "magistrate", false},
		"the first letter differs":         {"Zhanaozen", "Khanaozen", false},
		"three typos":                      {"Karazhanbas", "Karaganda", false},
		"short words are never compared":   {"Aktau", "Aqtai", false},
	} {
		if got := Near(Key(c.query), Key(c.written)); got != c.near {
			t.Errorf("%s: Near(%q, %q) (keys %q, %q) = %v, want %v", desc, c.query, c.written, Key(c.query), Key(c.written), got, c.near)
		}
	}
}

// TestNearLong: keys longer than Near's stack buffers are compared too.
func TestNearLong(t *testing.T) {
	long := "Ozenmunaigasozenmunaigasozenmunaigas"
	if k := Key(long); len([]rune(k)) <= 32 {
		t.Fatalf("%s: key %q is not longer than 32 letters", long, k)
	}
	if !Near(Key(long), Key("Ozenmunaigasozenmunaikasozenmunaigas")) {
		t.Errorf("%s: one letter off is not near", long)
	}
	if Near(Key(long), Key("Ozenmunaigasozenmunaikasozenmunaikasozenmunaikas")) {
		t.Errorf("%s: twelve letters more are near", long)
	}
}
