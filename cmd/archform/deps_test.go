package main

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/archform/archform"

// allowed lists, for each package family, the families it may import
// (STYLE.md: cmd → {render, emit, rules} → analyze → lang; the lint driver,
// lintcmd, sits beside the engine; importer reads deployments back into
// designs beside lang). A package belongs to the longest family that is its
// path or a prefix of it ("analyze/analysistest" before "analyze"). The
// packages under internal/ each do one small job for the others and import
// none of them.
var allowed = map[string][]string{
	"internal/didyoumean":  {},
	"internal/credential":  {},
	"internal/confusable":  {},
	"internal/safewrite":   {},
	"internal/snippet":     {},
	"internal/hclpos":      {},
	"internal/linttest":    {"analyze", "lang"}, // imported by tests only
	"internal/sharedfiles": {},                  // imported by tests only
	"lang":                 {"lang", "internal/didyoumean", "internal/confusable", "internal/snippet", "internal/hclpos"},
	"analyze":              {"analyze", "lang", "internal/didyoumean"},
	"analyze/analysistest": {"analyze", "lang", "lintcmd"},
	"lintcmd":              {"lintcmd", "analyze", "lang", "internal/didyoumean", "internal/snippet"},
	"importer":             {"importer", "lang", "internal/credential"},
	"rules":                {"rules", "analyze", "lang", "internal/credential"},
	"render":               {"render", "analyze", "lang"},
	"emit":                 {"emit", "analyze", "lang", "internal/credential", "internal/safewrite"},
	"lsp":                  {"lsp", "rules", "lintcmd", "analyze", "lang", "internal/didyoumean", "internal/hclpos"},
	"diff":                 {"diff", "rules", "lintcmd", "analyze", "lang"},
	"drift":                {"drift", "emit", "importer", "analyze", "lang"},
	"simulate":             {"simulate", "analyze", "lang"},
	"cmd":                  {"cmd", "lsp", "diff", "drift", "simulate", "render", "emit", "rules", "lintcmd", "importer", "analyze", "lang", "internal/didyoumean", "internal/credential", "internal/safewrite"},
}

// oneHome names, for a library that does one of the jobs archform does in
// one place, the package that may import it.
var oneHome = map[string]string{
	"github.com/agext/levenshtein": "internal/didyoumean",
}

// family is the family of the package at rel (a slash-separated path inside
// the module), or "".
func family(rel string) string {
	best := ""
	for f := range allowed {
		if (rel == f || strings.HasPrefix(rel, f+"/")) && len(f) > len(best) {
			best = f
		}
	}
	return best
}

// TestImportDirection fails on an import edge that points the wrong way.
func TestImportDirection(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && (name == "testdata" || strings.HasPrefix(name, ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		ok, known := allowed[family(rel)]
		if !known {
			bad = append(bad, rel+": package outside the known families "+keys())
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			// One did-you-mean, one threshold: only internal/didyoumean
			// measures edit distances.
			if one, ok := oneHome[p]; ok && rel != one {
				bad = append(bad, rel+" imports "+p+": use "+one)
			}
			if !strings.HasPrefix(p, module+"/") {
				continue
			}
			target := family(strings.TrimPrefix(p, module+"/"))
			if !contains(ok, target) {
				bad = append(bad, rel+" imports "+p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("forbidden import edge: %s", b)
	}
}

// TestGraphvizNotLinked keeps go-graphviz out of the archform binary: its
// package initialisation compiles a WebAssembly Graphviz (tens of
// milliseconds) at every start, lint's included. archform-graphviz links it,
// and archform runs that helper to lay out SVG and PNG.
func TestGraphvizNotLinked(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, h := range []string{"github.com/goccy/go-graphviz", "github.com/tetratelabs/wazero", module + "/render/graphviz"} {
			if strings.HasPrefix(dep, h) {
				t.Errorf("cmd/archform links %s: its init runs at every start", dep)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func keys() string {
	var ks []string
	for k := range allowed {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return "(" + strings.Join(ks, ", ") + ")"
}
