package analysistest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
)

// oneInstance reports each service with one instance, at its replicas
// attribute (or its block header when replicas is not written).
var oneInstance = &analyze.Analyzer{
	ID: "one-instance", Summary: "services need two instances", Doc: "test rule", Severity: analyze.Error,
	Params: []analyze.Param{{Name: "min", Default: 2}},
	Run: func(p *analyze.Pass) error {
		for _, c := range p.Design.Components {
			if c.Kind == "service" && float64(c.Replicas) < p.Param("min") {
				p.Report(analyze.Finding{Message: fmt.Sprintf("%s has %d instance", c.Addr, c.Replicas), Subject: c.Addr, Range: c.Range("replicas")})
			}
		}
		return nil
	},
}

// replicasAttr reports the same places with another message, so that two
// findings share a line.
var replicasAttr = &analyze.Analyzer{
	ID: "replicas-attr", Summary: "replicas = 1", Doc: "test rule", Severity: analyze.Info,
	Run: func(p *analyze.Pass) error {
		for _, c := range p.Design.Components {
			if c.Kind == "service" && c.Replicas == 1 {
				p.Report(analyze.Finding{Message: "replicas = 1", Subject: c.Addr, Range: c.Range("replicas")})
			}
		}
		return nil
	},
}

func TestRunPasses(t *testing.T) {
	reports := Run(t, filepath.Join(TestData(), "pass"), oneInstance, replicasAttr)
	if len(reports) != 3 {
		t.Fatalf("%d designs, want 3 (two directories and a file)", len(reports))
	}
	suppressed := 0
	for _, r := range reports {
		for _, f := range r.Findings {
			if f.Suppressed != nil {
				suppressed++
			}
		}
	}
	if suppressed != 2 {
		t.Errorf("%d suppressed findings, want 2", suppressed)
	}
}

// fakeT records errors instead of failing the test.
type fakeT struct {
	testing.TB
	errors []string
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Failed() bool { return len(f.errors) > 0 }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestRunFails(t *testing.T) {
	dir := filepath.Join(TestData(), "fail")
	for _, tc := range []struct {
		file string
		want []string // fragments, one per error, in order
	}{
		{"missing.arch.hcl", []string{
			`missing.arch.hcl:5: no finding of one-instance matching "service.api"`,
		}},
		{"unexpected.arch.hcl", []string{
			`unexpected.arch.hcl:5:3: unexpected finding of replicas-attr: replicas = 1`,
		}},
		{"wrong.arch.hcl", []string{
			`wrong.arch.hcl:5:3: unexpected finding of one-instance: service.api has 1 instance`,
			`wrong.arch.hcl:5:3: unexpected finding of replicas-attr: replicas = 1`,
			`wrong.arch.hcl:9:3: unexpected finding of one-instance: service.web has 1 instance`,
			`wrong.arch.hcl:9:3: unexpected finding of replicas-attr: replicas = 1`,
			`wrong.arch.hcl:5: no finding of one-instanc matching "service.api"`,
			`wrong.arch.hcl:5: no finding of replicas-attr matching "replicas = 2"`,
			`wrong.arch.hcl:8: no finding of one-instance matching "service.web"`,
			`wrong.arch.hcl:8: no finding of replicas-attr matching "replicas = 1"`,
		}},
		{"malformed.arch.hcl", []string{
			`malformed.arch.hcl:5: a want comment needs "rule" "regexp" pairs, got 1 strings`,
			`malformed.arch.hcl:9: bad regexp in want comment: error parsing regexp: missing closing ): ` + "`(unclosed`",
			`malformed.arch.hcl:13: malformed want comment: expected a quoted string at "one-instance \"x\""`,
		}},
		{"invalid.arch.hcl", []string{
			"invalid.arch.hcl does not load:\nError: Unsupported argument",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ft := &fakeT{}
			RunDesign(ft, filepath.Join(dir, tc.file), oneInstance, replicasAttr)
			if len(ft.errors) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d", strings.Join(ft.errors, "\n"), len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(ft.errors[i], w) {
					t.Errorf("error %d:\n%s\nwant it to contain:\n%s", i, ft.errors[i], w)
				}
			}
		})
	}
}

func TestRunEmptyDir(t *testing.T) {
	ft := &fakeT{}
	Run(ft, t.TempDir(), oneInstance)
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "no designs") {
		t.Errorf("errors = %q", ft.errors)
	}
	ft = &fakeT{}
	Run(ft, filepath.Join(t.TempDir(), "missing"), oneInstance)
	if len(ft.errors) != 1 {
		t.Errorf("errors = %q", ft.errors)
	}
}

func TestCommentText(t *testing.T) {
	for in, want := range map[string]string{
		`# want "a" "b"` + "\n": `"a" "b"`,
		`// want "a" "b"`:       `"a" "b"`,
		`/* want "a" "b" */`:    `"a" "b"`,
		`#want "a" "b"`:         `"a" "b"`,
		`# wanted "a"`:          "",
		`# archform:ignore x`:   "",
	} {
		got, ok := commentText(in)
		if got != want || ok != (want != "") {
			t.Errorf("commentText(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestRunDesignConfig(t *testing.T) {
	rep := RunDesign(t, filepath.Join(TestData(), "pass", "withconfig"), oneInstance)
	if rep == nil || len(rep.Findings) != 1 || rep.Findings[0].Severity != analyze.Warning {
		t.Errorf("the design directory's .archform.hcl was not applied: %+v", rep)
	}
}
