package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/linttest"
	"github.com/archform/archform/internal/sharedfiles"
	"github.com/archform/archform/lintcmd/baseline"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// manyZones reports a multi-line range with a related location and figures
// that are not finite.
var manyZones = &analyze.Analyzer{
	ID: "many-zones", Summary: "at most three zones", Severity: analyze.Warning,
	Doc: "# many-zones\n\nA test rule: components should list at most three zones.\n\n```hcl\nzones = [\"a\"]\n```\n",
	Run: func(p *analyze.Pass) error {
		for _, c := range p.Design.Components {
			if c.Has("zones") {
				p.Report(analyze.Finding{
					Message: "4 zones > 3", Subject: c.Addr, Range: c.Range("zones"),
					Related: []analyze.Related{{Message: "the component", Range: c.NameRange}, {Message: "nowhere"}},
					Data:    map[string]any{"zones": 4, "ratio": math.NaN(), "limits": []float64{1, math.Inf(1)}, "nested": map[string]any{"x": math.Inf(-1), "y": []any{0.5}}},
				})
			}
		}
		return nil
	},
}

// escapes reports an info whose text needs escaping in workflow commands.
var escapes = &analyze.Analyzer{
	ID: "escapes", Summary: "text with 100%, commas: and newlines", Doc: "escapes", Severity: analyze.Info,
	Run: func(p *analyze.Pass) error {
		if c := p.Design.Component("database.orders"); c != nil {
			p.Report(analyze.Finding{Message: "100% sure, really: yes", Detail: "first line\r\nsecond line", Subject: c.Addr, Range: c.Range("description")})
		}
		return nil
	},
}

var outputSuite = []*analyze.Analyzer{linttest.SingleReplica, linttest.Describe, manyZones, escapes}

// outputReport lints testdata/engine/outputs.arch.hcl and other.arch.hcl
// with fixed, hand-made analysis results.
func outputReport(t *testing.T) *analyze.Report {
	t.Helper()
	files := map[string]string{}
	for _, n := range []string{"outputs.arch.hcl", "other.arch.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata", "engine", n))
		if err != nil {
			t.Fatal(err)
		}
		files["testdata/engine/"+n] = string(src)
	}
	d := linttest.Design(t, files)
	rep, err := analyze.RunWithResults(d, outputSuite, nil, handResults(d))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func handResults(d *lang.Design) *analyze.Results {
	api, orders := d.Component("service.api"), d.Component("database.orders")
	api.CapacityRPS = 1000
	flow := &lang.Flow{Name: "checkout", Entry: api, Op: lang.OpWrite, RPS: 800}
	flow.SLO.Availability = 0.9995
	flow.SLO.LatencyP99 = 250_000_000 // 250ms
	return &analyze.Results{
		Design: d,
		Components: map[string]*analyze.ComponentResult{
			"service.api":     {Component: api, Load: &analyze.Load{Read: 600, Write: 200, Up: 1, Utilization: 0.8}, Availability: 0.999, K: 1, N: 1, LatencyMean: 20.5, LatencyP99: 91.25, InFlight: 16.4},
			"database.orders": {Component: orders, Load: &analyze.Load{Write: 200, Up: 2}, Availability: 0.999999, K: 1, N: 2, LatencyMean: 5, LatencyP99: math.Inf(1)},
		},
		Flows: map[string]*analyze.FlowResult{
			"checkout": {Flow: flow, Name: "checkout", Entry: api, Op: lang.OpWrite, RPS: 800, WriteRPS: 800, Availability: 0.998999,
				Hops: []*analyze.Hop{{Component: api, Required: true}, {Component: orders, From: api, Required: true}}, LatencyMean: 25.5, LatencyP99: 120},
		},
		FlowOrder: []string{"checkout"},
	}
}

func TestWriteText(t *testing.T) {
	rep := outputReport(t)
	for _, tc := range []struct {
		name string
		opts TextOptions
	}{
		{"text.txt", TextOptions{}},
		{"text-all.txt", TextOptions{ShowSuppressed: true, Metrics: true}},
		{"text-color.txt", TextOptions{Color: true}},
	} {
		var buf bytes.Buffer
		if err := WriteText(&buf, rep, tc.opts); err != nil {
			t.Fatal(err)
		}
		linttest.Golden(t, tc.name, buf.Bytes())
	}
}

func TestSummaryLine(t *testing.T) {
	rep := outputReport(t)
	if got, want := summaryLine(rep, nil), "2 errors, 1 warning, 3 info (1 suppressed)"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got := summaryLine(rep, &baseline.Applied{Matched: rep.Findings[:3]}); !strings.HasSuffix(got, "(1 suppressed, 3 in baseline)") {
		t.Errorf("summary = %q", got)
	}
	if got := summaryLine(&analyze.Report{}, nil); got != "0 errors, 0 warnings, 0 info" {
		t.Errorf("empty summary = %q", got)
	}
}

func TestWriteJSON(t *testing.T) {
	rep := outputReport(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "report.json", buf.Bytes())
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "findings", "components", "flows"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no %q key", k)
		}
	}
}

func TestWriteJSONShop(t *testing.T) {
	// The shop through the real loader and analysis: the keys LANGUAGE.md
	// promises are there (their values are the analysis tests' business).
	d, diags := lang.Load(filepath.Join("..", "..", "testdata", "shop"), lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep, err := analyze.Run(d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Components map[string]map[string]any
		Flows      map[string]map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"load_rps", "utilization", "availability"} {
		if _, ok := v.Components["service.api"][k].(float64); !ok {
			t.Errorf(`components["service.api"][%q] missing`, k)
		}
	}
	for _, k := range []string{"availability", "latency_mean", "latency_p99"} {
		if _, ok := v.Flows["browse"][k].(float64); !ok {
			t.Errorf(`flows["browse"][%q] missing`, k)
		}
	}
	if got := v.Components["service.api"]["load_rps"]; got != 10000.0 {
		t.Errorf("service.api load_rps = %v, want 10000", got)
	}
}

func TestWriteGitHub(t *testing.T) {
	var buf bytes.Buffer
	if err := writeGitHub(&buf, outputReport(t), "."); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "github.txt", buf.Bytes())
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "::") || strings.Count(line, "::") != 2 {
			t.Errorf("not one workflow command: %q", line)
		}
	}
	if got := escapeProperty("a,b:c%d\ne"); got != "a%2Cb%3Ac%25d%0Ae" {
		t.Errorf("escapeProperty = %q", got)
	}
	if got := escapeData("a,b:c%d\r\n"); got != "a,b:c%25d%0D%0A" {
		t.Errorf("escapeData = %q", got)
	}
}

func TestWriteSARIF(t *testing.T) {
	rep := outputReport(t)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, rep, SARIFOptions{SrcRoot: "."}); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "report.sarif", buf.Bytes())
	validateSARIF(t, buf.Bytes())
}

func TestSARIFFingerprintsSurviveLineMoves(t *testing.T) {
	fingerprints := func(prefix string) map[string]string {
		src, err := os.ReadFile(filepath.Join("testdata", "engine", "outputs.arch.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		d := linttest.Design(t, map[string]string{"x.arch.hcl": prefix + string(src)})
		rep, err := analyze.Run(d, outputSuite, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, rep, SARIFOptions{SrcRoot: "."}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID              string
					Message             struct{ Text string }
					PartialFingerprints map[string]string
					Locations           []struct {
						PhysicalLocation struct{ Region struct{ StartLine int } }
					}
				}
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range log.Runs[0].Results {
			out[r.RuleID+" "+r.Message.Text] = r.PartialFingerprints[sarifFingerprintKey]
			if prefix != "" && r.Locations[0].PhysicalLocation.Region.StartLine < 4 {
				t.Errorf("moved finding still at line %d", r.Locations[0].PhysicalLocation.Region.StartLine)
			}
		}
		return out
	}
	before, after := fingerprints(""), fingerprints("# moved\n\n\n")
	if len(before) < 3 {
		t.Fatalf("only %d results", len(before))
	}
	for k, fp := range before {
		if after[k] != fp {
			t.Errorf("%s: fingerprint %s became %s when lines moved", k, fp, after[k])
		}
	}
	seen := map[string]bool{}
	for _, fp := range before {
		if seen[fp] {
			t.Errorf("fingerprint %s is not unique", fp)
		}
		seen[fp] = true
	}
}

func TestWriteSARIFInvalidDesign(t *testing.T) {
	src := []byte("service \"api\" {\n  replicass = 1\n}\n")
	rng := hcl.Range{Filename: "testdata/engine/bad.arch.hcl", Start: hcl.Pos{Line: 2, Column: 3, Byte: 18}, End: hcl.Pos{Line: 2, Column: 12, Byte: 27}}
	files := map[string]*hcl.File{"testdata/engine/bad.arch.hcl": {Bytes: src}}
	diags := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported argument", Detail: `An argument named "replicass" is not expected here.`, Subject: &rng}}
	rep := analyze.InvalidReport(outputSuite, files, diags)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, rep, SARIFOptions{SrcRoot: "."}); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "invalid.sarif", buf.Bytes())
	validateSARIF(t, buf.Bytes())
	if !strings.Contains(buf.String(), `"executionSuccessful": false`) {
		t.Error("an invalid design is not executionSuccessful false")
	}
	// The other formats print the diagnostics too.
	buf.Reset()
	if err := WriteText(&buf, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "invalid.txt", buf.Bytes())
	buf.Reset()
	if err := WriteJSON(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "invalid.json", buf.Bytes())
	buf.Reset()
	if err := writeGitHub(&buf, rep, "."); err != nil {
		t.Fatal(err)
	}
	if want := "::error file=testdata/engine/bad.arch.hcl,line=2,col=3,endLine=2,endColumn=12,title=invalid design::Unsupported argument: An argument named \"replicass\" is not expected here.\n"; buf.String() != want {
		t.Errorf("github:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestWriteSARIFInternalError(t *testing.T) {
	rep := outputReport(t)
	rep.Errors = []error{&analyze.InternalError{Rule: "boom", Err: errors.New("panic: oops")}}
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, rep, SARIFOptions{SrcRoot: "."}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	if !strings.Contains(buf.String(), `"executionSuccessful": false`) || !strings.Contains(buf.String(), "internal error in rule boom: panic: oops") {
		t.Error("the internal error is not a failed execution's notification")
	}
}

func TestSARIFFindingWithoutRange(t *testing.T) {
	whole := &analyze.Analyzer{ID: "whole", Run: func(p *analyze.Pass) error {
		p.Report(analyze.Finding{Message: "the design has no flows", Subject: "system"})
		return nil
	}}
	d := linttest.Design(t, map[string]string{"b.arch.hcl": "database \"orders\" {\n}\n", "a.arch.hcl": "database \"orders\" {\n}\n"})
	rep, err := analyze.Run(d, []*analyze.Analyzer{whole}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, rep, SARIFOptions{SrcRoot: "."}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	if !strings.Contains(buf.String(), `"uri": "a.arch.hcl",`) || !strings.Contains(buf.String(), `"text": "whole"`) {
		t.Errorf("no fallback location or rule texts:\n%s", buf.String())
	}
}

func TestSARIFURIs(t *testing.T) {
	u := &uriMaker{root: filepath.FromSlash("/repo")}
	if got, base := u.uri(filepath.FromSlash("/repo/designs/my shop/a.arch.hcl")); got != "designs/my%20shop/a.arch.hcl" || base != sarifSrcRoot {
		t.Errorf("uri = %q %q", got, base)
	}
	if got, base := u.uri(filepath.FromSlash("/elsewhere/a.arch.hcl")); got != "file:///elsewhere/a.arch.hcl" || base != "" {
		t.Errorf("outside the root: uri = %q %q", got, base)
	}
	if pascalCase("zone-failure-capacity") != "ZoneFailureCapacity" {
		t.Error(pascalCase("zone-failure-capacity"))
	}
	if got := docParagraph("# spof\n\nFinds single\npoints.\n\nMore.", "x"); got != "Finds single points." {
		t.Errorf("docParagraph = %q", got)
	}
}

// validateSARIF checks a log against the SARIF 2.1.0 schema in
// the shared files (sharedfiles).
//
// It runs as a subtest, so that when the schema is absent (a fresh clone
// without the shared files) the skip drops this check only, never the calling
// test's other assertions (its golden files). Under CI it fails instead.
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	t.Run("schema", func(t *testing.T) { validateSARIFSchema(t, doc) })
}

func validateSARIFSchema(t *testing.T, doc []byte) {
	schemaPath := sharedfiles.Path(t, "schemas", "sarif-schema-2.1.0.json")
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestPathsRelativeToRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, "designs", "shop", "a.arch.hcl")
	d := linttest.Design(t, map[string]string{name: "service \"api\" {\n  replicas = 1\n}\n"})
	rep, err := analyze.Run(d, []*analyze.Analyzer{linttest.SingleReplica}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "::error file=designs/shop/a.arch.hcl,line=2,") {
		t.Errorf("github: %s", buf.String())
	}
	buf.Reset()
	if err := WriteSARIF(&buf, rep, SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"uri": "designs/shop/a.arch.hcl",`) {
		t.Errorf("sarif URI is not relative to the repository root:\n%s", buf.String())
	}
}

// The compact form is one line per unsuppressed finding, each as problem
// matchers read it, and nothing else.
func TestWriteCompact(t *testing.T) {
	rep := outputReport(t)
	var buf bytes.Buffer
	if err := WriteCompact(&buf, rep, false); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "compact.txt", buf.Bytes())
	line := regexp.MustCompile(`^(\S+):(\d+):(\d+): (error|warning|info) ([a-z-]+): (.+)$`)
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	unsuppressed := 0
	for _, f := range rep.Findings {
		if f.Suppressed == nil {
			unsuppressed++
		}
	}
	if len(lines) != unsuppressed {
		t.Errorf("%d lines for %d unsuppressed findings:\n%s", len(lines), unsuppressed, buf.String())
	}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("line %q is not FILE:LINE:COL: SEVERITY RULE: MESSAGE", l)
		}
	}
	buf.Reset()
	if err := WriteCompact(&buf, rep, true); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != len(rep.Findings) {
		t.Errorf("with suppressed findings: %d lines for %d findings", n, len(rep.Findings))
	}
	if !strings.Contains(buf.String(), "(suppressed: ") {
		t.Errorf("no suppressed finding marked:\n%s", buf.String())
	}
}

// A message over several lines is one line in the compact form, and a
// finding's grouped findings are counted by rule.
func TestCompactOneLine(t *testing.T) {
	f := analyze.Finding{Rule: "zone-failure-capacity", Severity: analyze.Error, Message: "two\nlines",
		Range:   hcl.Range{Filename: "d/a.arch.hcl", Start: hcl.Pos{Line: 3, Column: 5}},
		Grouped: []analyze.Finding{{Rule: "spof"}, {Rule: "spof"}, {Rule: "no-capacity"}}}
	var buf bytes.Buffer
	if err := WriteCompact(&buf, &analyze.Report{Findings: []analyze.Finding{f}}, false); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "d/a.arch.hcl:3:5: error zone-failure-capacity: two lines (grouped: spof ×2, no-capacity)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A finding shows its first five related locations and counts the rest;
// six are shown in full (the count would take a line as well).
func TestTextRelatedCut(t *testing.T) {
	for _, tc := range []struct{ related, shown int }{{5, 5}, {6, 6}, {13, 5}} {
		f := analyze.Finding{Rule: "spof", Severity: analyze.Error, Message: "m", Subject: "service.api"}
		for i := range tc.related {
			f.Related = append(f.Related, analyze.Related{Message: fmt.Sprintf("flow f%d needs it", i)})
		}
		var buf bytes.Buffer
		if err := WriteText(&buf, &analyze.Report{Findings: []analyze.Finding{f}}, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if got := strings.Count(out, " needs it\n"); got != tc.shown {
			t.Errorf("%d related: %d shown, want %d:\n%s", tc.related, got, tc.shown, out)
		}
		more := fmt.Sprintf("Related: and %d more", tc.related-tc.shown)
		if tc.related > tc.shown && !strings.Contains(out, more) {
			t.Errorf("%d related: no %q:\n%s", tc.related, more, out)
		}
	}
}
