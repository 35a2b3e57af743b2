package koodrive_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDependencies holds the architecture: the domain and signing use only
// the standard library, and each adapter package imports only what its role
// allows (non-test files only).
func TestDependencies(t *testing.T) {
	const module = "github.com/koodrive/koodrive"
	for _, tc := range []struct {
		dir    string
		stdlib bool     // only the standard library
		banned []string // module packages it must not import
	}{
		{dir: ".", stdlib: true},
		{dir: "signing", stdlib: true},
		{dir: "i18n", banned: []string{"sqldb", "httpapi", "signing"}},
		{dir: "importer", banned: []string{"sqldb", "httpapi", "client", "i18n"}},
		{dir: "sqldb", banned: []string{"httpapi", "client", "i18n", "signing"}},
		{dir: "httpapi", banned: []string{"sqldb", "client"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			for _, imp := range imports(t, tc.dir) {
				isStd := !strings.Contains(strings.Split(imp, "/")[0], ".")
				if tc.stdlib && !isStd {
					t.Errorf("%s imports %s; it may use the standard library only", tc.dir, imp)
				}
				for _, b := range tc.banned {
					if imp == module+"/"+b {
						t.Errorf("%s imports %s", tc.dir, imp)
					}
				}
			}
		})
	}
}

func imports(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			out = append(out, strings.Trim(imp.Path.Value, `"`))
		}
	}
	if len(out) == 0 && dir != "." {
		t.Fatalf("no imports read from %s", dir)
	}
	return out
}
