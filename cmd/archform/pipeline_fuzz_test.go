package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"testing"
	"unicode"

	"github.com/archform/archform/internal/sharedfiles"
	lintformat "github.com/archform/archform/lintcmd/format"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/lang/format"
	"github.com/archform/archform/render"
	"github.com/archform/archform/rules"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// fuzzName is the file name every fuzz input is loaded as.
const fuzzName = "fuzz.arch.hcl"

// FuzzPipeline feeds arbitrary bytes through everything archform does with a
// design: load, format, lint (every rule, every output format), render (DOT,
// Mermaid) and emit (Compose, Kubernetes). Properties:
//
//   - loading never panics, and every error diagnostic has a subject with a
//     filename and a line ≥ 1; the lint writers report an invalid design;
//   - a valid design formats to a fixed point that loads to the same design
//     (source ranges aside);
//   - linting it raises no internal error (no rule panics or fails), every
//     finding has a rule, message, subject and a range in a file, and every
//     output writer succeeds, JSON being valid JSON with finite numbers only
//     and SARIF valid against the 2.1.0 schema;
//   - DOT, Mermaid, Compose and Kubernetes succeed (emit's own validation
//     included) and give the same bytes twice, as does lint's JSON and SARIF.
//
// Seed corpus: every example design (each file, and each multi-file design's
// native files joined into one), the invalid corpus, testdata/fuzz/FuzzPipeline,
// and, when fuzzing, the shop with each number set to an edge value
// (edgeVariants; go test runs those in TestPipelineEdgeValues).
func FuzzPipeline(f *testing.F) {
	for _, src := range pipelineSeeds(f) {
		f.Add(src)
	}
	shop, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		f.Fatal(err)
	}
	// TestPipelineEdgeValues runs these under go test; they seed the corpus
	// only when fuzzing, so that go test does not run each of them twice.
	if fuzzing() {
		for _, src := range edgeVariants(shop) {
			f.Add(src)
		}
	}
	for _, src := range hostileSeeds {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkPipeline(t, src)
	})
}

// hostileSeeds are designs whose strings are built to break out of where
// each output writes them (issue 15): quotes, shell, '$', HTML, XML, DOT and
// Mermaid syntax, control characters, names that collide once mapped.
var hostileSeeds = []string{
	`system "q\"<b>&amp;</b>]]>{}%{x}" {
  description = "line\nbreak \"quote\" '; touch /tmp/pwned; ' $HOME $${HOME} <script>alert(1)</script> -> |x| #35; \t"
}
client "c" {
  rps = 10
  call { to = service.api }
}
service "api" {
  image   = "img:$${TAG}"
  command = ["sh", "-c", "echo $HOME; touch /tmp/pwned", "--password=hunter4"]
  labels  = { "a.b" = "\"; rm -rf / #", note = "$(id)" }
  env     = { POSTGRES_PASSWORD = "hunter4", X = "$${HOME}" }
  health_check {
    path = "/h?x='y'&z=$HOME"
  }
}
flow "f" {
  entry = client.c
}
`,
	`system "s" {}
service "api" {
  image = "a:1"
}
service "API" {
  image = "b:1"
}
`,
	"system \"a\\u001b[31m\" {}\nregion \"r\" {\n  zones = [\"a-1\", \"a.1\", \"a\\u202eb\"]\n}\n",
}

func pipelineSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	dirs, _ := filepath.Glob("../../testdata/*")
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.arch.hcl"))
		var joined []byte
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, src)
			joined = append(append(joined, src...), '\n')
		}
		if len(files) > 1 {
			seeds = append(seeds, joined)
		}
	}
	invalid, _ := filepath.Glob("../../lang/testdata/invalid/*.arch.hcl")
	if len(dirs) == 0 || len(invalid) == 0 {
		f.Fatal("seed designs not found")
	}
	for _, path := range invalid {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, src)
	}
	return seeds
}

func checkPipeline(t *testing.T, src []byte) {
	d, diags := lang.LoadFiles(map[string][]byte{fuzzName: src}, lang.Options{})
	for _, diag := range diags {
		if diag.Severity != hcl.DiagError {
			continue
		}
		if diag.Subject == nil || diag.Subject.Filename == "" || diag.Subject.Start.Line < 1 {
			t.Fatalf("error diagnostic without a subject in a file: %q (subject %v)", diag.Summary, diag.Subject)
		}
	}
	var files map[string]*hcl.File
	if d != nil {
		files = d.Files
	}
	if err := lang.WriteDiagnostics(io.Discard, files, diags, false); err != nil {
		t.Fatalf("WriteDiagnostics: %v", err)
	}
	if diags.HasErrors() || d == nil {
		checkWriters(t, analyze.InvalidReport(rules.All, files, diags))
		return
	}
	checkFormat(t, src, d)

	rep := checkLint(t, d)
	res, err := rep.Results()
	if err != nil {
		t.Fatalf("Results: %v", err)
	}
	in := render.Input{Design: d, Results: res, Findings: rep.Findings}
	same(t, "render.DOT", func(w io.Writer) error { return render.DOT(w, in, render.Options{}) })
	same(t, "render.Mermaid", func(w io.Writer) error { return render.Mermaid(w, in, render.Options{}) })
	same(t, "render.DOT --no-analysis", func(w io.Writer) error {
		return render.DOT(w, render.Input{Design: d}, render.Options{NoAnalysis: true})
	})
	for _, fl := range d.Flows {
		same(t, "render.DOT --flow "+fl.Name, func(w io.Writer) error {
			return render.DOT(w, in, render.Options{Flow: fl.Name})
		})
	}
	same(t, "emit.Compose", func(w io.Writer) error {
		r, err := emit.Compose(d, emit.Options{Results: res})
		return writeResult(w, r, err)
	})
	same(t, "emit.Kubernetes", func(w io.Writer) error {
		r, err := emit.Kubernetes(d, emit.Options{Results: res})
		return writeResult(w, r, err)
	})
}

// checkFormat: a valid design formats to a fixed point, and the formatted
// source loads to the same design.
func checkFormat(t *testing.T, src []byte, d *lang.Design) {
	formatted, fdiags := format.Source(src, fuzzName)
	if fdiags.HasErrors() {
		t.Fatalf("a design that loads does not format: %v", fdiags)
	}
	again, fdiags := format.Source(formatted, fuzzName)
	if fdiags.HasErrors() || !bytes.Equal(again, formatted) {
		t.Fatalf("formatting is not a fixed point (%v):\n%s\n-- again --\n%s", fdiags, formatted, again)
	}
	d2, diags := lang.LoadFiles(map[string][]byte{fuzzName: formatted}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("the formatted design no longer loads: %v\n%s", diags, formatted)
	}
	if diff := cmp.Diff(d, d2, designCmp...); diff != "" {
		t.Fatalf("the formatted design differs (-before +after):\n%s\n-- formatted --\n%s", diff, formatted)
	}
}

// designCmp compares two designs apart from where things are written: source
// ranges, parsed files and the unexported indexes. A component, zone or
// region held in a struct field (a call's target, an instance's zone) is a
// reference: compared by name, not walked again (walking it would compare a
// component of 99,999 instances once per call that reaches it).
var designCmp = []cmp.Option{
	byName(func(c *lang.Component) string { return c.Addr }),
	byName(func(z *lang.Zone) string { return z.Name }),
	byName(func(r *lang.Region) string { return r.Name }),
	cmpopts.IgnoreTypes(hcl.Range{}, hcl.Pos{}),
	cmpopts.IgnoreFields(lang.Design{}, "Files"),
	cmpopts.EquateNaNs(),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		if !ok {
			return false
		}
		name := []rune(sf.Name())
		return len(name) > 0 && !unicode.IsUpper(name[0])
	}, cmp.Ignore()),
}

// byName compares references of type *T reached through a struct field by
// the name key gives them.
func byName[T any](key func(*T) string) cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		_, field := p.Last().(cmp.StructField)
		return field && p.Last().Type() == reflect.TypeFor[*T]()
	}, cmp.Comparer(func(a, b *T) bool {
		if a == nil || b == nil {
			return a == b
		}
		return key(a) == key(b)
	}))
}

// checkLint runs the whole suite twice and checks the findings, the writers
// and that JSON and SARIF come out the same both times.
func checkLint(t *testing.T, d *lang.Design) *analyze.Report {
	var rep *analyze.Report
	var outs [2][2][]byte
	for i := range 2 {
		r, err := analyze.Run(d, rules.All, nil)
		if err != nil {
			t.Fatalf("internal error: %v", err)
		}
		for _, f := range r.Findings {
			if f.Rule == "" || f.Message == "" || f.Subject == "" || f.Range.Filename == "" {
				t.Fatalf("incomplete finding: rule %q subject %q range %v message %q", f.Rule, f.Subject, f.Range, f.Message)
			}
		}
		outs[i][0], outs[i][1] = checkWriters(t, r)
		rep = r
	}
	for k, name := range []string{"json", "sarif"} {
		if !bytes.Equal(outs[0][k], outs[1][k]) {
			t.Fatalf("lint %s output differs between two runs:\n%s\n-- second --\n%s", name, outs[0][k], outs[1][k])
		}
	}
	return rep
}

// checkWriters runs every output writer on the report and returns the JSON
// and SARIF it wrote, both checked to be valid JSON with finite numbers.
func checkWriters(t *testing.T, rep *analyze.Report) (jsonOut, sarifOut []byte) {
	var buf bytes.Buffer
	if err := lintformat.WriteText(&buf, rep, lintformat.TextOptions{Metrics: true, ShowSuppressed: true}); err != nil {
		t.Fatalf("text output: %v", err)
	}
	if err := lintformat.WriteGitHub(io.Discard, rep); err != nil {
		t.Fatalf("github output: %v", err)
	}
	var j, s bytes.Buffer
	if err := lintformat.WriteJSON(&j, rep, nil); err != nil {
		t.Fatalf("json output: %v", err)
	}
	if err := lintformat.WriteSARIF(&s, rep, lintformat.SARIFOptions{SrcRoot: ".", ToolVersion: "fuzz"}); err != nil {
		t.Fatalf("sarif output: %v", err)
	}
	for name, b := range map[string][]byte{"json": j.Bytes(), "sarif": s.Bytes()} {
		if err := finiteJSON(b); err != nil {
			t.Fatalf("%s output: %v\n%s", name, err, b)
		}
	}
	if sch := sarifSchema(); sch != nil {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.Bytes()))
		if err == nil {
			err = sch.Validate(inst)
		}
		if err != nil {
			t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, s.Bytes())
		}
	}
	return j.Bytes(), s.Bytes()
}

// sarifSchema is the SARIF 2.1.0 schema from the workspace's shared/schemas
// (sharedfiles.Find), compiled once; nil where it is not there (the lint
// format package's tests require it under CI).
var sarifSchema = sync.OnceValue(func() *jsonschema.Schema {
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	path := sharedfiles.Find("schemas", "sarif-schema-2.1.0.json")
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	c := jsonschema.NewCompiler()
	if err != nil || c.AddResource(url, doc) != nil {
		return nil
	}
	sch, _ := c.Compile(url)
	return sch
})

// finiteJSON checks that b is one JSON value whose numbers are all finite.
func finiteJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("invalid JSON: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return walkNumbers(v)
}

func walkNumbers(v any) error {
	switch v := v.(type) {
	case json.Number:
		x, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("number %s is not finite", v)
		}
	case []any:
		for _, e := range v {
			if err := walkNumbers(e); err != nil {
				return err
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := walkNumbers(v[k]); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	}
	return nil
}

// writeResult writes an emit result's files and findings, so that two runs
// can be compared byte for byte.
func writeResult(w io.Writer, r *emit.Result, err error) error {
	if err != nil {
		return err
	}
	for _, f := range r.Files {
		fmt.Fprintf(w, "== %s\n%s\n", f.Name, f.Data)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%s %s %s %v\n", f.Rule, f.Subject, f.Message, f.Range)
	}
	return nil
}

// same runs produce twice: it must succeed both times with the same bytes.
func same(t *testing.T, what string, produce func(io.Writer) error) {
	var a, b bytes.Buffer
	if err := produce(&a); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := produce(&b); err != nil {
		t.Fatalf("%s (second run): %v", what, err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s is not deterministic:\n%s\n-- second run --\n%s", what, a.Bytes(), b.Bytes())
	}
}

// edgeNumbers are values that break arithmetic: zero, tiny, huge, one.
var edgeNumbers = []string{"0", "1", "0.000001", "1e300", "99999"}

// numberLit finds the numeric literals of a design: `= 12`, `0.8`, `[8080]`.
var numberLit = regexp.MustCompile(`[=\[,] *(-?[0-9][0-9.e+-]*)`)

// edgeVariants returns src with each numeric literal, in turn, replaced by
// each edge number (and each duration by "0s" and "1000d").
func edgeVariants(src []byte) [][]byte {
	var out [][]byte
	for _, m := range numberLit.FindAllSubmatchIndex(src, -1) {
		for _, v := range edgeNumbers {
			out = append(out, splice(src, m[2], m[3], v))
		}
	}
	for _, m := range durationLit.FindAllSubmatchIndex(src, -1) {
		for _, v := range []string{"0s", "1000d"} {
			out = append(out, splice(src, m[2], m[3], v))
		}
	}
	return out
}

var durationLit = regexp.MustCompile(`= *"([0-9]+(?:ms|s|m|h|d))"`)

func splice(src []byte, from, to int, v string) []byte {
	out := append([]byte{}, src[:from]...)
	out = append(out, v...)
	return append(out, src[to:]...)
}

// TestPipelineEdgeValues runs the fuzz properties over the shop with each of
// its numbers and durations set, in turn, to an edge value: every variant in
// long mode (CI, ARCHFORM_LONG=1), every eighth otherwise.
func TestPipelineEdgeValues(t *testing.T) {
	src, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	variants := edgeVariants(src)
	if len(variants) < 50 {
		t.Fatalf("only %d variants: the patterns no longer match the shop", len(variants))
	}
	step := 8
	if long() {
		step = 1
	}
	for i := 0; i < len(variants); i += step {
		t.Run(strconv.Itoa(i), func(t *testing.T) { checkPipeline(t, variants[i]) })
	}
}

// FuzzGeneratedPipeline checks FuzzPipeline's properties on valid designs of
// up to 80 components written by designgen for any seed: every kind, calls,
// consumers, zones and flows in shapes the examples do not have.
func FuzzGeneratedPipeline(f *testing.F) {
	for seed := range int64(4) {
		f.Add(seed, uint8(10+20*seed))
	}
	f.Fuzz(func(t *testing.T, seed int64, n uint8) {
		src := designgen.Generate(1+int(n)%80, seed)
		if _, diags := lang.LoadFiles(map[string][]byte{fuzzName: src}, lang.Options{}); diags.HasErrors() {
			t.Fatalf("designgen wrote an invalid design: %v\n%s", diags, src)
		}
		checkPipeline(t, src)
	})
}
