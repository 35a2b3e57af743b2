package sqldb_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestEveryTestRunsOnEveryBackend checks that each testX in this package is
// run by eachBackend from a TestX, so that no test quietly runs on one
// engine only, or on none.
func TestEveryTestRunsOnEveryBackend(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	bodies := map[string]bool{} // testX functions
	run := map[string]string{}  // testX -> the TestX that runs it on every backend
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil {
				continue
			}
			if rest, ok := strings.CutPrefix(fn.Name.Name, "test"); ok && rest != "" && unicode.IsUpper(rune(rest[0])) {
				bodies[fn.Name.Name] = true
			}
			if !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 2 {
					return true
				}
				if f, ok := call.Fun.(*ast.Ident); ok && f.Name == "eachBackend" {
					if arg, ok := call.Args[1].(*ast.Ident); ok {
						run[arg.Name] = fn.Name.Name
					}
				}
				return true
			})
		}
	}
	if len(bodies) == 0 {
		t.Fatal("found no testX functions: the check reads the wrong files")
	}
	for name := range bodies {
		if run[name] == "" {
			t.Errorf("%s is not run by eachBackend from a Test function", name)
		}
	}
}
