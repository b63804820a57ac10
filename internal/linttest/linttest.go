// Package linttest holds what the tests of the lint engine and of its driver
// (formats, configuration, baselines) share: designs built by hand from HCL
// source, two small fake rules, golden files. It is imported only by tests.
//
// Designs are built without lang's decoder: each top-level block with one
// label becomes a component (KIND.NAME) whose attributes are recorded in
// Ranges, and a numeric `replicas` is read. That is all the fake rules look
// at, and it keeps these tests independent of the language.
package linttest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/engine")

// Golden compares got with testdata/engine/NAME, rewriting it with -update.
func Golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "engine", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Design parses files (name -> source) into a minimal design.
func Design(t testing.TB, files map[string]string) *lang.Design {
	t.Helper()
	d := &lang.Design{Dir: "testdata", Files: map[string]*hcl.File{}}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f, diags := hclsyntax.ParseConfig([]byte(files[name]), name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", name, diags.Error())
		}
		d.Files[name] = f
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if len(b.Labels) != 1 {
				continue
			}
			c := &lang.Component{
				Kind: lang.Kind(b.Type), Name: b.Labels[0], Addr: b.Type + "." + b.Labels[0],
				Replicas: 1, DeclRange: b.DefRange(), NameRange: b.LabelRanges[0], Ranges: lang.Ranges{},
			}
			for name, a := range b.Body.Attributes {
				c.Ranges[name] = a.SrcRange
				if name == "replicas" {
					v, _ := a.Expr.Value(nil)
					if v.Type() == cty.Number {
						n, _ := v.AsBigFloat().Int64()
						c.Replicas = int(n)
					}
				}
			}
			d.Components = append(d.Components, c)
		}
	}
	d.Index()
	return d
}

// LoadDesign reads testdata/engine/NAME (a file) into a design.
func LoadDesign(t testing.TB, name string) *lang.Design {
	t.Helper()
	path := filepath.Join("testdata", "engine", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Design(t, map[string]string{filepath.ToSlash(path): string(src)})
}

// SingleReplica reports each component with fewer replicas than its
// min_replicas parameter, at the replicas attribute (or the block header).
var SingleReplica = &analyze.Analyzer{
	ID:       "single-replica",
	Summary:  "components need at least min_replicas instances",
	Problem:  analyze.Noun{One: "component short of replicas", Many: "components short of replicas"},
	Doc:      "# single-replica\n\nA test rule: components need at least `min_replicas` instances.\n\nMore text.\n",
	Severity: analyze.Error,
	Params:   []analyze.Param{{Name: "min_replicas", Doc: "instances needed", Default: 2, Min: 1, Max: 1000}},
	Run: func(p *analyze.Pass) error {
		min := p.Param("min_replicas")
		for _, c := range p.Design.Components {
			if float64(c.Replicas) >= min {
				continue
			}
			p.Report(analyze.Finding{
				Message: fmt.Sprintf("replicas = %d < min_replicas = %g", c.Replicas, min),
				Detail:  "Set replicas to at least " + strconv.FormatFloat(min, 'g', -1, 64) + ".",
				Subject: c.Addr,
				Range:   c.Range("replicas"),
				Related: []analyze.Related{{Message: "the component", Range: c.NameRange}},
				Data:    map[string]any{"replicas": c.Replicas, "min_replicas": min},
			})
		}
		return nil
	},
}

// Describe reports an info for each component without a description.
var Describe = &analyze.Analyzer{
	ID:       "describe",
	Summary:  "components should have a description",
	Doc:      "# describe\n\nComponents should say what they are for.\n",
	Severity: analyze.Info,
	Run: func(p *analyze.Pass) error {
		for _, c := range p.Design.Components {
			if !c.Has("description") {
				p.Report(analyze.Finding{Message: c.Addr + " has no description", Subject: c.Addr, Range: c.DeclRange})
			}
		}
		return nil
	},
}

// FindingLines prints findings one a line: FILE:LINE:COL SEVERITY RULE
// MESSAGE, with the reason of a suppressed one.
func FindingLines(fs []analyze.Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s:%d:%d %s %s %s", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Severity, f.Rule, f.Message)
		if f.Suppressed != nil {
			s += " [suppressed: " + f.Suppressed.Reason + "]"
		}
		out = append(out, s)
	}
	return out
}

// CheckLines fails the test when got and want differ.
func CheckLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
