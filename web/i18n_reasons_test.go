package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"presswatch/index"
)

// The index's reasons read in Russian on a Russian page, numbers and
// names kept; English pages and unlisted reasons keep the index's words.
func TestI18nReasons(t *testing.T) {
	for name, tc := range map[string]struct{ lang, reason, want string }{
		"numbers kept":       {"ru", "is outside the years 1900 to 2200", "— вне лет с 1900 по 2200"},
		"text kept":          {"ru", "is not a stance (want one of state, independent)", "— не позиция (нужно одно из: state, independent)"},
		"the longer pattern": {"ru", "is not a cursor from a previous page of stories", "— не курсор предыдущей страницы сюжетов"},
		"English stays":      {"en", "is outside the years 1900 to 2200", "is outside the years 1900 to 2200"},
		"unlisted stays":     {"ru", "is a new kind of fault", "is a new kind of fault"},
	} {
		if got := reasonText(tc.lang, tc.reason); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
	// The index's own errors, as a page gets them.
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, want := range map[string]string{
		"q=x&from=2011-13-01": "— не дата (нужно ГГГГ-ММ-ДД)",
		"q=x&interval=hour":   "— не интервал (нужно «auto», «day», «week», «month» или «year»)",
		"q=%22unclosed":       "непарная кавычка: эта \" не закрыта (знак 1)",
		"q=Title:x":           "неизвестное поле \"Title\" (знак 1); имена полей пишутся строчными буквами: title:",
	} {
		v, _ := url.ParseQuery(q)
		req, err := index.ParseRequest(v)
		if err == nil {
			_, err = ix.Search(context.Background(), req)
		}
		if err == nil {
			t.Fatalf("%s: no error", q)
		}
		if got := userMessage("ru", err); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", q, got, want)
		}
	}
}
