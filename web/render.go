package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"
)

// page is what every template gets: the UI language and its texts, the
// request's URL, the page title and the page's own data.
type page struct {
	Lang  string
	Path  string
	Query url.Values
	Title string
	Data  any
	Atom  string // the page's Atom feed, linked from <head>; "" if none
	Admin string // the administrator logged in, shown with a logout button; "" if none
}

// atomer is data whose page has an Atom feed.
type atomer interface{ AtomURL() string }

// T returns the UI text of key.
func (p page) T(key string) string { return translate(p.Lang, key) }

// Tf formats the UI text of key with args.
// Integer arguments shown with %d are grouped as the language groups
// digits (numText).
func (p page) Tf(key string, args ...any) string {
	return fmt.Sprintf(translate(p.Lang, key), localArgs(p.Lang, args)...)
}

// Date shows a day in the UI language, "16 Dec 2011" or «16 декабря
// 2011» (dayText); it takes a time or a pointer, and gives "" for none.
func (p page) Date(v any) string {
	switch t := v.(type) {
	case *time.Time:
		if t != nil {
			return dayText(p.Lang, *t)
		}
	case time.Time:
		return dayText(p.Lang, t)
	}
	return ""
}

// Day shows an ISO day or month held as text (2011-12-16, 2011-12) in
// the UI language (isoDayText).
func (p page) Day(d string) string { return isoDayText(p.Lang, d) }

// Num shows a count in the UI language (numText); n is any integer type.
func (p page) Num(n any) string {
	switch v := n.(type) {
	case int:
		return numText(p.Lang, int64(v))
	case int64:
		return numText(p.Lang, v)
	case int32:
		return numText(p.Lang, int64(v))
	case uint:
		return numText(p.Lang, int64(v))
	case uint32:
		return numText(p.Lang, int64(v))
	case uint64:
		return numText(p.Lang, int64(v))
	}
	return fmt.Sprint(n)
}

// N returns the plural text of key in the form that fits n (see plural);
// n is any integer type.
func (p page) N(key string, n any) string {
	var i int
	switch v := n.(type) {
	case int:
		i = v
	case uint64:
		i = int(v)
	case int64:
		i = int(v)
	}
	return plural(p.Lang, key, i)
}

// Delay says how long after the earliest copy of a story another
// appeared, in the UI language.
func (p page) Delay(d time.Duration) string { return delayText(p.Lang, d) }

// LangURL is the current page in another UI language.
func (p page) LangURL(lang string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set(uiParam, lang)
	return p.Path + "?" + q.Encode()
}

// OtherLang is the UI language the switch offers.
func (p page) OtherLang() string {
	if p.Lang == "ru" {
		return "en"
	}
	return "ru"
}

// render writes the template name with data, as a whole page or not at
// all: a template error gives a plain 500, never half a page.
//
// A request whose client has left (its context is done) gets nothing:
// the page would be built for no one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	if r.Context().Err() != nil {
		return
	}
	lang := uiLang(r)
	if r.URL.Query().Get(uiParam) == lang {
		http.SetCookie(w, &http.Cookie{Name: uiParam, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	p := page{Lang: lang, Path: r.URL.Path, Query: withinCaps(r.URL.Query()), Title: title, Data: data}
	if a, ok := data.(atomer); ok {
		p.Atom = a.AtomURL()
	}
	if sess := s.sessionOf(r); sess != nil {
		p.Admin = sess.Admin
	}
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("rendering a page failed", "template", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage answers with a page saying what went wrong, in words.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error.html", translate(uiLang(r), "error.title"), errorData{Status: status, Message: msg})
}

type errorData struct {
	Status  int
	Message string
}

// notFound answers every path no handler claims: JSON under /api/, a page
// elsewhere.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
		return
	}
	s.errorPage(w, r, http.StatusNotFound, translate(uiLang(r), "error.notfound"))
}

var funcs = template.FuncMap{
	// utc shows a time presswatch recorded, in UTC.
	"utc": utc,
	// published shows a publisher's time with its offset.
	"published": published,
	// safe marks index snippets as HTML: the highlighter escapes the text
	// and adds only <mark>. Nothing else may use it.
	"safe": func(s string) template.HTML { return template.HTML(s) },
	// link is an article's URL if a browser may follow it (http or
	// https), else "": html/template would make another #ZgotmplZ.
	"link": safeLink,
}
