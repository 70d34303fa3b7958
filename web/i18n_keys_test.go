package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"presswatch/internal/model"
)

// usedKey is a message key a template or Go file asks for; a key ending
// in "." is a prefix the rest of which is data (a stance, a kind).
type usedKey struct {
	key, where string
}

// templateKeys are the keys the templates pass to T, Tf and N: literal
// keys, and the literal first part of (print "prefix" .Value).
func templateKeys(t *testing.T) []usedKey {
	t.Helper()
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var out []usedKey
	for _, tpl := range pages.Templates() {
		if tpl.Tree == nil {
			continue
		}
		name := tpl.Name()
		walkTemplate(tpl.Tree.Root, func(cmd *parse.CommandNode) {
			if len(cmd.Args) < 2 || !isTranslation(cmd.Args[0]) {
				return
			}
			where := name + ":" + strconv.Itoa(lineOf(tpl.Tree, cmd))
			switch a := cmd.Args[1].(type) {
			case *parse.StringNode:
				out = append(out, usedKey{a.Text, where})
			case *parse.PipeNode:
				if len(a.Cmds) == 1 && len(a.Cmds[0].Args) >= 2 {
					c := a.Cmds[0]
					if id, ok := c.Args[0].(*parse.IdentifierNode); ok && id.Ident == "print" {
						if s, ok := c.Args[1].(*parse.StringNode); ok {
							out = append(out, usedKey{s.Text, where})
						}
					}
				}
			}
		})
	}
	if len(out) < 300 {
		t.Fatalf("found only %d translation calls in the templates: the walk misses some", len(out))
	}
	return out
}

// lineOf is the line of n in its template file.
func lineOf(tree *parse.Tree, n parse.Node) int {
	loc, _ := tree.ErrorContext(n)
	parts := strings.Split(loc, ":")
	if len(parts) >= 2 {
		l, _ := strconv.Atoi(parts[1])
		return l
	}
	return 0
}

// isTranslation says whether a command calls .T, .Tf or .N (of the page,
// $, or a chart).
func isTranslation(n parse.Node) bool {
	var last string
	switch f := n.(type) {
	case *parse.FieldNode:
		last = f.Ident[len(f.Ident)-1]
	case *parse.VariableNode:
		if len(f.Ident) < 2 {
			return false
		}
		last = f.Ident[len(f.Ident)-1]
	case *parse.ChainNode:
		last = f.Field[len(f.Field)-1]
	default:
		return false
	}
	return last == "T" || last == "Tf" || last == "N"
}

// walkTemplate calls fn on every command under n.
func walkTemplate(n parse.Node, fn func(*parse.CommandNode)) {
	var pipe func(p *parse.PipeNode)
	pipe = func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			fn(c)
			for _, a := range c.Args {
				if sub, ok := a.(*parse.PipeNode); ok {
					pipe(sub)
				}
			}
		}
	}
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			walkTemplate(c, fn)
		}
	case *parse.ActionNode:
		pipe(x.Pipe)
	case *parse.TemplateNode:
		pipe(x.Pipe)
	case *parse.IfNode:
		pipe(x.Pipe)
		walkTemplate(x.List, fn)
		walkTemplate(x.ElseList, fn)
	case *parse.RangeNode:
		pipe(x.Pipe)
		walkTemplate(x.List, fn)
		walkTemplate(x.ElseList, fn)
	case *parse.WithNode:
		pipe(x.Pipe)
		walkTemplate(x.List, fn)
		walkTemplate(x.ElseList, fn)
	}
}

// keyLike is a string that reads as a message key or a key's prefix.
var keyLike = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9_]+)*\.[a-z0-9_]*$`)

// goKeys are the string literals of web's Go files (not the catalogue,
// not tests) that read as message keys of a namespace the catalogue has:
// "sp.filter.source", "sources.kind." + kind. File names are left out.
func goKeys(t *testing.T) []usedKey {
	t.Helper()
	spaces := map[string]bool{}
	for k := range messages["en"] {
		first, _, _ := strings.Cut(k, ".")
		spaces[first] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []usedKey
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "i18n") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !keyLike.MatchString(s) {
				return true
			}
			first, rest, _ := strings.Cut(s, ".")
			if !spaces[first] || fileName.MatchString(rest) {
				return true
			}
			out = append(out, usedKey{s, fset.Position(lit.Pos()).String()})
			return true
		})
	}
	if len(out) < 100 {
		t.Fatalf("found only %d keys in the Go files: the scan misses some", len(out))
	}
	return out
}

// fileName is the rest of a literal that names a file, not a key.
var fileName = regexp.MustCompile(`^(html|atom|css|json|csv|opml|xml|md|bib|txt|db)$`)

// dataKeys are the values a key prefix is completed with, where the data
// decides: every stance and every source type must have its text.
var dataKeys = map[string][]string{
	"sp.stance.":        stanceNames(),
	"badge.":            stanceNames(),
	"sources.typename.": {string(model.SourceFeed), string(model.SourcePage), string(model.SourceSitemap), string(model.SourceImport), string(model.SourceWayback)},
}

func stanceNames() []string {
	return []string{string(model.StanceState), string(model.StanceIndependent), string(model.StanceCampaign),
		string(model.StanceInternational), string(model.StanceUnknown)}
}

// Every key a template or Go file asks for exists in English and in
// Russian: a missing key shows as itself, or as English on a Russian page.
// A prefix ("sp.stance." + the stance) needs a key under it in both, and
// every value the data can give it.
func TestI18nKeysUsedExist(t *testing.T) {
	used := append(templateKeys(t), goKeys(t)...)
	checked := map[string]bool{}
	for _, u := range used {
		if checked[u.key+"\x00"+u.where] {
			continue
		}
		checked[u.key+"\x00"+u.where] = true
		for _, lang := range uiLangs {
			if !strings.HasSuffix(u.key, ".") {
				if _, ok := messages[lang][u.key]; !ok {
					t.Errorf("%s: %q is not in the %s messages", u.where, u.key, lang)
				}
				continue
			}
			if vals, ok := dataKeys[u.key]; ok {
				for _, v := range vals {
					if _, ok := messages[lang][u.key+v]; !ok {
						t.Errorf("%s: %q is not in the %s messages", u.where, u.key+v, lang)
					}
				}
				continue
			}
			if !slices.ContainsFunc(keysOf(lang), func(k string) bool { return strings.HasPrefix(k, u.key) }) {
				t.Errorf("%s: no %s message starts with %q", u.where, lang, u.key)
			}
		}
	}
}

func keysOf(lang string) []string {
	var out []string
	for k := range messages[lang] {
		out = append(out, k)
	}
	return out
}
