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
	Key   string // message key of the heading
	Intro string // message key of a paragraph under it, "" for none
	Items []helpItem
}

// helpSections is the help page. The examples are query syntax and read
// the same in every UI language; the explanations are UI text.
var helpSections = []helpSection{
	{Key: "help.query", Intro: "help.query.intro", Items: []helpItem{
		{`Zhanaozen strike`, "help.words"},
		{`"oil workers"`, "help.phrase"},
		{`+Zhanaozen +police`, "help.must"},
		{`Zhanaozen -football`, "help.not"},
		{`Жанаоз*`, "help.wildcard"},
	}},
	{Key: "help.names", Intro: "help.names.intro", Items: []helpItem{
		{`Жанаозен`, "help.spellings"},
		{`Zhanaozen`, "help.aliases"},
	}},
	{Key: "help.fields", Intro: "help.fields.intro", Items: []helpItem{
		{`title:Zhanaozen`, "help.field.title"},
		{`text:"Новый Узень"`, "help.field.text"},
		{`source:azattyq`, "help.field.source"},
		{`lang:ru`, "help.field.lang"},
		{`stance:state`, "help.field.stance"},
		{`topic:zhanaozen`, "help.field.topic"},
		{`published:>="2011-12-16" published:<"2011-12-18"`, "help.field.published"},
	}},
	{Key: "help.filters", Intro: "help.filters.intro", Items: []helpItem{
		{`from=2011-12-16&to=2011-12-17`, "help.filter.dates"},
		{`date=first_seen`, "help.filter.firstseen"},
		{`source=azattyq&lang=ru,kk`, "help.filter.lists"},
		{`sort=newest`, "help.filter.sort"},
	}},
	{Key: "help.exports", Intro: "help.exports.intro", Items: []helpItem{
		{`/api/search?q=Zhanaozen`, "help.export.json"},
		{`/search.atom?q=Zhanaozen`, "help.export.atom"},
		{`/api/timeline?q=Zhanaozen`, "help.export.timeline"},
	}},
}

// helpPage answers GET /help: the query syntax explained.
func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "help.html", translate(uiLang(r), "help.title"), helpSections)
}
