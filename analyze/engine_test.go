package analyze

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The engine's tests build designs by hand from HCL source: each top-level
// block with one label becomes a component (KIND.NAME) whose attributes are
// recorded in Ranges, and a numeric `replicas` is read. That is all the fake
// rules below look at, and it keeps these tests independent of lang's decoder.

// testDesign parses files (name -> source) into a minimal design.
func testDesign(t testing.TB, files map[string]string) *lang.Design {
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

// loadTestDesign reads testdata/engine/NAME (a file) into a design.
func loadTestDesign(t testing.TB, name string) *lang.Design {
	t.Helper()
	path := filepath.Join("testdata", "engine", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return testDesign(t, map[string]string{filepath.ToSlash(path): string(src)})
}

// singleReplica reports each component with fewer replicas than its
// min_replicas parameter, at the replicas attribute (or the block header).
var singleReplica = &Analyzer{
	ID:       "single-replica",
	Summary:  "components need at least min_replicas instances",
	Doc:      "# single-replica\n\nA test rule: components need at least `min_replicas` instances.\n\nMore text.\n",
	Severity: Error,
	Params:   []Param{{Name: "min_replicas", Doc: "instances needed", Default: 2, Min: 1, Max: 1000}},
	Run: func(p *Pass) error {
		min := p.Param("min_replicas")
		for _, c := range p.Design.Components {
			if float64(c.Replicas) >= min {
				continue
			}
			p.Report(Finding{
				Message: fmt.Sprintf("replicas = %d < min_replicas = %g", c.Replicas, min),
				Detail:  "Set replicas to at least " + strconv.FormatFloat(min, 'g', -1, 64) + ".",
				Subject: c.Addr,
				Range:   c.Range("replicas"),
				Related: []Related{{Message: "the component", Range: c.NameRange}},
				Data:    map[string]any{"replicas": c.Replicas, "min_replicas": min},
			})
		}
		return nil
	},
}

// describe reports an info for each component without a description.
var describe = &Analyzer{
	ID:       "describe",
	Summary:  "components should have a description",
	Doc:      "# describe\n\nComponents should say what they are for.\n",
	Severity: Info,
	Run: func(p *Pass) error {
		for _, c := range p.Design.Components {
			if !c.Has("description") {
				p.Report(Finding{Message: c.Addr + " has no description", Subject: c.Addr, Range: c.DeclRange})
			}
		}
		return nil
	},
}

// configOf is the default configuration with these rule blocks (what
// lintcmd/config parses from a file).
func configOf(rules ...*RuleConfig) *Config {
	cfg := DefaultConfig()
	cfg.Rules = map[string]*RuleConfig{}
	for _, rc := range rules {
		cfg.Rules[rc.ID] = rc
	}
	return cfg
}

func findingLines(fs []Finding) []string {
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

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const twoFiles = `service "api" {
  replicas = 1
}

service "worker" {
  replicas    = 3
  description = "background jobs"
}
`

const otherFile = `database "orders" {
}
`

func TestRunSortsAndDefaults(t *testing.T) {
	d := testDesign(t, map[string]string{"b.arch.hcl": twoFiles, "a.arch.hcl": otherFile})
	rep, err := Run(d, []*Analyzer{singleReplica, describe}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, findingLines(rep.Findings), []string{
		"a.arch.hcl:1:1 info describe database.orders has no description",
		"a.arch.hcl:1:1 error single-replica replicas = 1 < min_replicas = 2",
		"b.arch.hcl:1:1 info describe service.api has no description",
		"b.arch.hcl:2:3 error single-replica replicas = 1 < min_replicas = 2",
	})
	if e, w, i, s := rep.Counts(); e != 2 || w != 0 || i != 2 || s != 0 {
		t.Errorf("counts = %d %d %d %d", e, w, i, s)
	}
	if !rep.Fails(Error) || !rep.Fails(Info) || rep.Fails(SeverityNone) {
		t.Error("Fails thresholds wrong")
	}
	if rep.Suite[0] != SuppressionAnalyzer || len(rep.Suite) != 3 {
		t.Errorf("suite = %v", rep.Suite)
	}
}

func TestRunConfig(t *testing.T) {
	d := testDesign(t, map[string]string{"b.arch.hcl": twoFiles})
	warning, off := Warning, false
	cfg := &Config{FailOn: Error, Rules: map[string]*RuleConfig{
		"single-replica": {ID: "single-replica", Severity: &warning, Params: map[string]float64{"min_replicas": 4}},
		"describe":       {ID: "describe", Enabled: &off},
	}}
	rep, err := Run(d, []*Analyzer{singleReplica, describe}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, findingLines(rep.Findings), []string{
		"b.arch.hcl:2:3 warning single-replica replicas = 1 < min_replicas = 4",
		"b.arch.hcl:6:3 warning single-replica replicas = 3 < min_replicas = 4",
	})
	if rep.Fails(Error) || !rep.Fails(Warning) {
		t.Error("a severity override to warning must not fail on error")
	}
}

// explicitSeverity reports one error and one info explicitly.
var explicitSeverity = &Analyzer{
	ID: "explicit", Summary: "s", Doc: "d", Severity: Warning,
	Run: func(p *Pass) error {
		p.Report(Finding{Message: "hard", Severity: Error, Subject: "a"})
		p.Report(Finding{Message: "default", Subject: "b"})
		return nil
	},
}

func TestSeverityOverrideOnlyWhenConfigured(t *testing.T) {
	d := testDesign(t, nil)
	rep, _ := Run(d, []*Analyzer{explicitSeverity}, nil)
	checkLines(t, findingLines(rep.Findings), []string{":0:0 error explicit hard", ":0:0 warning explicit default"})
	info := Info
	cfg := configOf(&RuleConfig{ID: "explicit", Severity: &info})
	rep, _ = Run(d, []*Analyzer{explicitSeverity}, cfg)
	checkLines(t, findingLines(rep.Findings), []string{":0:0 info explicit hard", ":0:0 info explicit default"})
}

func TestRunRecoversPanics(t *testing.T) {
	boom := &Analyzer{ID: "boom", Summary: "s", Doc: "d", Severity: Error, Run: func(p *Pass) error {
		p.Report(Finding{Message: "lost", Subject: "x"})
		var m map[string]int
		//lint:ignore SA5000 the rule panics on purpose: the engine must recover
		m["x"] = 1
		return nil
	}}
	failing := &Analyzer{ID: "failing", Summary: "s", Doc: "d", Severity: Error, Run: func(*Pass) error {
		return errors.New("cannot")
	}}
	d := testDesign(t, map[string]string{"b.arch.hcl": twoFiles})
	rep, err := Run(d, []*Analyzer{boom, singleReplica, failing}, nil)
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Rule != "boom" || len(ie.Stack) == 0 {
		t.Fatalf("err = %v, want an InternalError naming boom with a stack", err)
	}
	if !strings.Contains(err.Error(), "internal error in rule boom: panic: assignment to entry in nil map") ||
		!strings.Contains(err.Error(), "internal error in rule failing: cannot") {
		t.Errorf("err = %v", err)
	}
	if rep == nil || len(rep.Errors) != 2 {
		t.Fatalf("report errors = %v", rep)
	}
	// The panicking rule's findings are dropped; the others' kept.
	checkLines(t, findingLines(rep.Findings), []string{"b.arch.hcl:2:3 error single-replica replicas = 1 < min_replicas = 2"})

	// A suppression of a rule that failed is not reported as silencing nothing.
	d = testDesign(t, map[string]string{"c.arch.hcl": "# archform:ignore boom -- known\nservice \"x\" {\n  replicas = 2\n}\n"})
	rep, _ = Run(d, []*Analyzer{boom}, nil)
	if len(rep.Findings) != 0 {
		t.Errorf("findings = %v", findingLines(rep.Findings))
	}
}

func TestResultsComputedOnceAndPanicNamesRule(t *testing.T) {
	calls := 0
	saved := computeResults
	defer func() { computeResults = saved }()
	computeResults = func(d *lang.Design) *Results {
		calls++
		return &Results{Design: d}
	}
	reader := func(id string) *Analyzer {
		return &Analyzer{ID: id, Summary: "s", Doc: "d", Severity: Info, Run: func(p *Pass) error {
			if p.Results().Design != p.Design {
				return errors.New("results of another design")
			}
			return nil
		}}
	}
	d := testDesign(t, nil)
	rep, err := Run(d, []*Analyzer{reader("r1"), reader("r2")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rep.Results(); err != nil || calls != 1 {
		t.Errorf("Compute called %d times (err %v), want once", calls, err)
	}
	computeResults = func(*lang.Design) *Results { panic("division by zero") }
	_, err = Run(d, []*Analyzer{reader("r1")}, nil)
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Rule != "r1" || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("err = %v, want an internal error in r1 caused by the computation", err)
	}
}

func TestRunNilDesignFiles(t *testing.T) {
	// A design built without files (tests, JSON designs) has no suppressions.
	d := &lang.Design{}
	d.Index()
	rep, err := Run(d, []*Analyzer{describe}, nil)
	if err != nil || len(rep.Findings) != 0 || len(rep.Suppressions) != 0 {
		t.Errorf("rep = %+v, err = %v", rep, err)
	}
}
