package web

import "net/http"

// helpItem is one line of the syntax table: an example and the message
// key of its explanation.
type helpItem struct {
	Example string
	Key     string
}

// helpSection is a heading of the help page and its lines.
type helpSection struct {
	ID    string // the section's anchor
	Query bool   // its examples are queries (a test parses each)
	Key   string // message key of the heading
	Intro string // message key of a paragraph under it, "" for none
	Items []helpItem
}

// helpSections is the help page. The examples are query syntax and read
// the same in every UI language; the explanations are UI text.
var helpSections = []helpSection{
	{ID: "query", Query: true, Key: "help.query", Intro: "help.query.intro", Items: []helpItem{
		{`Zhanaozen strike`, "help.words"},
		{`Zhanaozen AND police`, "help.and"},
		{`Zhanaozen OR Aktau`, "help.or"},
		{`Zhanaozen NOT football`, "help.notop"},
		{`(Zhanaozen OR Aktau) AND (trial OR суд)`, "help.groups"},
		{`Zhanaozen && !football || Shetpe`, "help.symbols"},
		{`"oil workers"`, "help.phrase"},
		{`"strike police"~5`, "help.near"},
		{`+Zhanaozen +police`, "help.must"},
		{`Zhanaozen -football`, "help.not"},
		{`Kazakhst*`, "help.wildcard"},
		{`Наз?рбаев`, "help.wildcard1"},
		{`Mangistau~1`, "help.fuzzy"},
		{`trial^3 Zhanaozen`, "help.boost"},
	}},
	{ID: "names", Query: true, Key: "help.names", Intro: "help.names.intro", Items: []helpItem{
		{`Жанаозен`, "help.spellings"},
		{`Zhanaozen`, "help.aliases"},
		{`Kuramshin`, "help.misspellings"},
		{`"Zhanaozen"`, "help.exactname"},
	}},
	{ID: "fields", Query: true, Key: "help.fields", Intro: "help.fields.intro", Items: []helpItem{
		{`title:Zhanaozen`, "help.field.title"},
		{`title:(Zhanaozen OR Aktau)`, "help.field.group"},
		{`text:"Новый Узень"`, "help.field.text"},
		{`author:Whitfield`, "help.field.author"},
		{`source:azattyq`, "help.field.source"},
		{`lang:ru`, "help.field.lang"},
		{`stance:state`, "help.field.stance"},
		{`topic:zhanaozen`, "help.field.topic"},
		{`state:edited`, "help.field.state"},
		{`url:"https://www.azattyq.org/a/24424138.html"`, "help.field.url"},
		{`published:>=2011-12-16 AND published:<2011-12-18`, "help.field.published"},
		{`published:[2011-12 TO 2012-03]`, "help.field.range"},
		{`first_seen:2026-12`, "help.field.firstseen"},
	}},
	{ID: "filters", Key: "help.filters", Intro: "help.filters.intro", Items: []helpItem{
		{`from=2011-12-16&to=2011-12-17`, "help.filter.dates"},
		{`date=first_seen`, "help.filter.firstseen"},
		{`source=azattyq&lang=ru,kk`, "help.filter.lists"},
		{`sort=newest`, "help.filter.sort"},
		{`op=and`, "help.filter.op"},
		{`interval=week`, "help.filter.interval"},
		{`/timeline?q=Zhanaozen&q2=Sokolova&q3=Kozlov`, "help.filter.queries"},
		{`share=1`, "help.filter.share"},
	}},
	{ID: "exports", Key: "help.exports", Intro: "help.exports.intro", Items: []helpItem{
		{`/api/search?q=Zhanaozen`, "help.export.json"},
		{`/search.atom?q=Zhanaozen`, "help.export.atom"},
		{`/api/timeline?q=Zhanaozen`, "help.export.timeline"},
		{`/api/timeline?q=Zhanaozen&format=csv&bom=1`, "help.export.csv"},
		{`/terms?q=Zhanaozen`, "help.export.terms"},
		{`/breakdown?q=Zhanaozen`, "help.export.breakdown"},
		{`/api/compare?q=Zhanaozen&format=csv`, "help.export.compare"},
	}},
}

// helpPage answers GET /help: the query syntax explained.
func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "help.html", translate(uiLang(r), "help.title"), helpSections)
}
