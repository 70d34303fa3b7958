package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every route is registered in Server.routes, one list to grep: no other
// function of the package touches the mux, and no init function exists to
// add routes from elsewhere.
func TestRoutesInOneList(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	registered := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
					return true
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "mux" {
					if fn.Name.Name != "routes" {
						t.Errorf("%s: %s registers a route; list it in Server.routes", fset.Position(sel.Pos()), fn.Name.Name)
					}
					registered++
				}
				return true
			})
		}
	}
	if registered != 1 {
		t.Errorf("%d calls register routes, want the one loop of Server.routes", registered)
	}
}

// Every page and endpoint of the list answers with its own handler, not
// the catch-all 404.
func TestRoutesAnswer(t *testing.T) {
	f := newPagesFixture(t, true)
	for _, path := range []string{
		"/", "/search?q=Zhanaozen", "/timeline?q=Zhanaozen", "/compare?q=Zhanaozen", "/sources", "/help",
		"/articles/1", "/search.atom?q=x", "/search.csv?q=x", "/search.jsonl?q=x",
		"/api/search?q=x", "/api/sources", "/api/articles/1", "/api/topics", "/api/timeline?q=x",
		"/healthz", "/static/style.css", "/static/archived.css",
		"/changes", "/changes.atom", "/api/changes", "/articles/1/cite.bib", "/articles/1/cite.json",
	} {
		res, body := f.get(t, path, "")
		if res.StatusCode != 200 {
			t.Errorf("%s: %d %.200s", path, res.StatusCode, body)
		}
	}
}
