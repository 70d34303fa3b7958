package lang

import "testing"

func TestNormalize(t *testing.T) {
	tests := map[string]struct{ tag, want string }{
		"region with hyphen":      {"ru-RU", "ru"},
		"region with underscore":  {"kk_KZ", "kk"},
		"upper case":              {"EN", "en"},
		"iso 639-2 kazakh":        {"kaz", "kk"},
		"iso 639-2 russian":       {"rus", "ru"},
		"iso 639-2/B german":      {"ger", "de"},
		"script and region":       {"kk-Cyrl-KZ", "kk"},
		"posix locale":            {"en_US.UTF-8", "en"},
		"og:locale":               {"uk_UA", "uk"},
		"country code for kazakh": {"kz", "kk"},
		"country code for uk":     {"ua", "uk"},
		"content-language list":   {"de, en", "de"},
		"with quality":            {"fr;q=0.8", "fr"},
		"english name":            {"Russian", "ru"},
		"native name":             {"Қазақ тілі", "kk"},
		"other valid code":        {"TR", "tr"},
		"other code with region":  {"be-BY", "be"},
		"withdrawn code":          {"iw", "he"},
		"spaces":                  {"  pl  ", "pl"},
		"unknown two letters":     {"xx", ""},
		"unknown three letters":   {"xyz", ""},
		"private use":             {"x-default", ""},
		"empty":                   {"", ""},
		"garbage":                 {"{{lang}}", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Normalize(tc.tag); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.tag, got, tc.want)
			}
		})
	}
}
