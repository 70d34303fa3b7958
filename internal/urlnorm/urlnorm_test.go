package urlnorm

import (
	"strconv"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"already canonical":          {"https://example.com/a/b", "https://example.com/a/b"},
		"scheme and host lower-case": {"HTTPS://WWW.Example.COM/News/Item", "https://www.example.com/News/Item"},
		"empty path becomes slash":   {"http://example.com", "http://example.com/"},
		"default http port dropped":  {"http://example.com:80/x", "http://example.com/x"},
		"default https port dropped": {"https://example.com:443/x", "https://example.com/x"},
		"empty port dropped":         {"http://example.com:/x", "http://example.com/x"},
		"other port kept":            {"http://example.com:8080/x", "http://example.com:8080/x"},
		"https on port 80 kept":      {"https://example.com:80/", "https://example.com:80/"},
		"fragment dropped":           {"https://example.com/a#comments", "https://example.com/a"},
		"hashbang fragment kept":     {"https://example.com/#!/news/1", "https://example.com/#!/news/1"},
		"utm params removed": {
			"https://tengrinews.kz/news/1?utm_source=fb&utm_medium=social&UTM_Campaign=x",
			"https://tengrinews.kz/news/1",
		},
		"tracking removed, others kept in order": {
			"https://example.com/a?b=2&fbclid=XYZ&a=1&gclid=1&yclid=2&mc_cid=3&mc_eid=4&_ga=5&igshid=6&ref_src=twsrc&spm=7&z=0",
			"https://example.com/a?b=2&a=1&z=0",
		},
		"empty query dropped":       {"https://example.com/a?", "https://example.com/a"},
		"empty params dropped":      {"https://example.com/a?x=1&&y=2&", "https://example.com/a?x=1&y=2"},
		"generic ref kept":          {"https://example.com/?ref=home&from=rss", "https://example.com/?ref=home&from=rss"},
		"openstat removed":          {"https://rus.azattyq.org/a/24417355.html?_openstat=abc", "https://rus.azattyq.org/a/24417355.html"},
		"dot segments":              {"http://example.com/a/./b/../c", "http://example.com/a/c"},
		"dot segments trailing":     {"http://example.com/a/b/..", "http://example.com/a/"},
		"dot segments above root":   {"http://example.com/../../a", "http://example.com/a"},
		"double slash kept":         {"http://example.com//a", "http://example.com//a"},
		"escapes upper-cased":       {"http://example.com/%d0%bd%2f", "http://example.com/%D0%BD%2F"},
		"unreserved escape decoded": {"http://example.com/%7Euser/%41", "http://example.com/~user/A"},
		"unicode path escaped":      {"https://ru.wikipedia.org/wiki/Жанаозен", "https://ru.wikipedia.org/wiki/%D0%96%D0%B0%D0%BD%D0%B0%D0%BE%D0%B7%D0%B5%D0%BD"},
		"unicode query escaped":     {"https://example.com/search?q=Жанаозен 2011", "https://example.com/search?q=%D0%96%D0%B0%D0%BD%D0%B0%D0%BE%D0%B7%D0%B5%D0%BD%202011"},
		"stray percent escaped":     {"https://example.com/a?p=100%", "https://example.com/a?p=100%25"},
		"punycode host to unicode":  {"http://xn--e1afmkfd.xn--p1ai/", "http://пример.рф/"},
		"unicode host lower-cased":  {"http://ПРИМЕР.рф/", "http://пример.рф/"},
		"trailing dot on host":      {"https://example.com./a", "https://example.com/a"},
		"ipv6 host":                 {"http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"},
		"surrounding space":         {"  https://example.com/a \n", "https://example.com/a"},
		"userinfo kept":             {"https://user@example.com/", "https://user@example.com/"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Canonical(tc.in)
			if err != nil {
				t.Fatalf("Canonical(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("Canonical(%q) = %q, want %q", tc.in, got, tc.want)
			}
			again, err := Canonical(got)
			if err != nil || again != got {
				t.Errorf("not idempotent: Canonical(%q) = %q, %v", got, again, err)
			}
		})
	}
}

func TestCanonicalErrors(t *testing.T) {
	tests := map[string]string{
		"relative path":     "/news/1",
		"no scheme":         "example.com/news",
		"mailto":            "mailto:editor@example.com",
		"ftp":               "ftp://example.com/file",
		"opaque http":       "http:example.com",
		"no host":           "http:///path",
		"empty":             "",
		"bad escape":        "http://example.com/%zz%",
		"control char":      "http://example.com/\x01",
		"protocol-relative": "//example.com/a",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Canonical(in)
			if err == nil {
				t.Fatalf("Canonical(%q) = %q, want an error", in, got)
			}
			if in != "" && !strings.Contains(err.Error(), strconv.Quote(in)) {
				t.Errorf("error %q does not name the URL %q", err, in)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	const base = "https://www.zakon.kz/news/2011/12/17/a.html?utm_source=x"
	tests := map[string]struct{ ref, want string }{
		"relative file":     {"b.html", "https://www.zakon.kz/news/2011/12/17/b.html"},
		"parent directory":  {"../18/c.html", "https://www.zakon.kz/news/2011/12/18/c.html"},
		"root relative":     {"/kz/news", "https://www.zakon.kz/kz/news"},
		"protocol relative": {"//Tengrinews.KZ/x?fbclid=1", "https://tengrinews.kz/x"},
		"absolute":          {"http://example.com:80", "http://example.com/"},
		"query only":        {"?page=2", "https://www.zakon.kz/news/2011/12/17/a.html?page=2"},
		"empty gives base":  {"", "https://www.zakon.kz/news/2011/12/17/a.html"},
		"fragment only":     {"#top", "https://www.zakon.kz/news/2011/12/17/a.html"},
		"space around":      {"\n  b.html ", "https://www.zakon.kz/news/2011/12/17/b.html"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Resolve(base, tc.ref)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tc.ref, err)
			}
			if got != tc.want {
				t.Errorf("Resolve(%q) = %q, want %q", tc.ref, got, tc.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := map[string]struct{ base, ref string }{
		"mailto link":     {"https://example.com/", "mailto:a@example.com"},
		"javascript link": {"https://example.com/", "javascript:void(0)"},
		"relative base":   {"/a/b", "c"},
		"bad ref":         {"https://example.com/", "http://a b.com/"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got, err := Resolve(tc.base, tc.ref); err == nil {
				t.Errorf("Resolve(%q, %q) = %q, want an error", tc.base, tc.ref, got)
			}
		})
	}
}

func TestIsTracking(t *testing.T) {
	for key, want := range map[string]bool{
		"utm_source": true, "UTM_TERM": true, "fbclid": true, "CMP": true, "pk_campaign": true,
		"id": false, "page": false, "ref": false, "q": false, "utm": false,
	} {
		if got := IsTracking(key); got != want {
			t.Errorf("IsTracking(%q) = %v, want %v", key, got, want)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a/../b?utm_source=x&id=1#frag",
		"HTTP://Пример.РФ:80/Новости?q=а б",
		"http://xn--e1afmkfd.xn--p1ai/%7e/./%2e%2E/",
		"http://[::1]:443/a?%zz",
		"https://example.com./#!/x y",
		"http://a.com?&&a=%41&fbclid",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c1, err := Canonical(raw)
		if err != nil {
			return
		}
		c2, err := Canonical(c1)
		if err != nil {
			t.Fatalf("Canonical(%q) = %q, which fails: %v", raw, c1, err)
		}
		if c1 != c2 {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, c1, c2)
		}
	})
}
