package wayback

import (
	"strings"
	"testing"
)

// FuzzParseCDX: whatever a CDX server answers, ParseCDX returns a page or
// an error, never panics, and a page's captures all have a timestamp it
// reads and the resume key is never empty when given.
func FuzzParseCDX(f *testing.F) {
	for _, s := range []string{
		`[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],["kz,x)/a","20111216100000","http://x.kz/a","text/html","200","AAA","100"],[],["next"]]`,
		`[]`, `[[]]`, `[["timestamp","original","digest"],[]]`, `<html>`, `[["timestamp","original","digest"],["2011","u","d"]`,
		`[["timestamp","original","digest"],[],["k"],["x"]]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ParseCDX(body)
		if err != nil {
			if p.ResumeKey != "" || len(p.Captures) != 0 {
				t.Fatalf("an error with a page: %+v", p)
			}
			return
		}
		for _, c := range p.Captures {
			if _, err := Timestamp(c.Timestamp); err != nil {
				t.Fatalf("capture %+v: %v", c, err)
			}
		}
		if strings.TrimSpace(string(body)) == "" {
			t.Fatal("an empty answer read as a page")
		}
	})
}
