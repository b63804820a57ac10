package lsp

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/santhosh-tekuri/jsonschema/v6"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var update = flag.Bool("update", false, "rewrite the committed JSON Schema files from the catalogue")

// schemaCopies are the committed copies of JSONSchema(): the published one
// and the VS Code extension's.
var schemaCopies = []string{
	filepath.Join("..", "docs", "schema", "archform.schema.json"),
	filepath.Join("..", "editors", "vscode", "schemas", "archform.schema.json"),
}

// TestSchemaUpToDate: the committed schema files are what the catalogue
// gives (go test ./lsp -run SchemaUpToDate -update rewrites them).
func TestSchemaUpToDate(t *testing.T) {
	want := JSONSchema()
	for _, path := range schemaCopies {
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./lsp -run SchemaUpToDate -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go test ./lsp -run SchemaUpToDate -update", path)
		}
	}
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

func validate(s *jsonschema.Schema, src []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// TestSchemaPatterns: the schema's duration and size patterns accept what
// lang accepts and nothing else, on samples of both.
func TestSchemaPatterns(t *testing.T) {
	dur := regexp.MustCompile(durationPattern)
	for _, s := range []string{"250ms", "5s", "7d", "1h30m", "1.5s", "0s", "", "5", "5 s", "1.s", ".5s", "5sec", "-1s", "1y", "1h30"} {
		_, err := lang.ParseDuration(s)
		if got := dur.MatchString(s); got != (err == nil) {
			t.Errorf("duration %q: schema %v, lang %v", s, got, err == nil)
		}
	}
	size := regexp.MustCompile(sizePattern)
	for _, s := range []string{"256Mi", "20Gi", "500m", "1.5", "1e3", "1E-2", ".5", "1.", "", "Mi", "1MiB", "-1", "1 Gi", "1e", "2x", "3n"} {
		if got := size.MatchString(s); got != lang.ValidQuantity(s) {
			t.Errorf("size %q: schema %v, lang %v", s, got, lang.ValidQuantity(s))
		}
	}
}

// toJSON converts an HCL design file to HCL's JSON syntax: literal values
// as JSON, references as "KIND.NAME" strings, anything else as an
// interpolation of its source.
func toJSON(t testing.TB, src []byte, name string) ([]byte, bool) {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	out := bodyJSON(src, f.Body.(*hclsyntax.Body))
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b, true
}

func bodyJSON(src []byte, body *hclsyntax.Body) map[string]any {
	out := map[string]any{}
	for name, a := range body.Attributes {
		out[name] = exprJSON(src, a.Expr)
		if name == "type" { // a variable's type constraint: a keyword in a string
			out[name] = string(a.Expr.Range().SliceBytes(src))
		}
	}
	// Blocks of one type in source order: labelled ones keyed by label
	// (an array of {label: body} when a label repeats), others an array.
	byType := map[string][]*hclsyntax.Block{}
	var types []string
	for _, b := range body.Blocks {
		if byType[b.Type] == nil {
			types = append(types, b.Type)
		}
		byType[b.Type] = append(byType[b.Type], b)
	}
	for _, typ := range types {
		blocks := byType[typ]
		if len(blocks[0].Labels) == 0 {
			var bodies []any
			for _, b := range blocks {
				bodies = append(bodies, bodyJSON(src, b.Body))
			}
			if len(bodies) == 1 {
				out[typ] = bodies[0]
			} else {
				out[typ] = bodies
			}
			continue
		}
		byLabel := map[string]any{}
		var list []any
		for _, b := range blocks {
			var v any = bodyJSON(src, b.Body)
			for i := len(b.Labels) - 1; i >= 1; i-- {
				v = map[string]any{b.Labels[i]: v}
			}
			if _, dup := byLabel[b.Labels[0]]; dup || list != nil {
				list = append(list, map[string]any{b.Labels[0]: v})
				continue
			}
			byLabel[b.Labels[0]] = v
		}
		if list != nil {
			for l, v := range byLabel {
				list = append(list, map[string]any{l: v})
			}
			out[typ] = list
		} else {
			out[typ] = byLabel
		}
	}
	return out
}

func exprJSON(src []byte, e hclsyntax.Expression) any {
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if root := e.Traversal.RootName(); root != "var" && root != "local" {
			return string(e.Range().SliceBytes(src)) // a reference, even to an unknown kind
		}
	case *hclsyntax.TupleConsExpr:
		var out []any
		for _, item := range e.Exprs {
			out = append(out, exprJSON(src, item))
		}
		if out == nil {
			out = []any{}
		}
		return out
	case *hclsyntax.ObjectConsExpr:
		out := map[string]any{}
		for _, item := range e.Items {
			k, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() || !k.IsKnown() || k.Type().FriendlyName() != "string" {
				return "${" + string(e.Range().SliceBytes(src)) + "}"
			}
			out[k.AsString()] = exprJSON(src, item.ValueExpr)
		}
		return out
	case *hclsyntax.TemplateExpr:
		if _, diags := e.Value(nil); diags.HasErrors() {
			s := string(e.Range().SliceBytes(src))
			return strings.TrimSuffix(strings.TrimPrefix(s, `"`), `"`)
		}
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return "${" + string(e.Range().SliceBytes(src)) + "}"
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return "${" + string(e.Range().SliceBytes(src)) + "}"
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

// TestExamplesValidate converts every example design to JSON; the
// conversion decodes to the same components and flows, and validates
// against the schema.
func TestExamplesValidate(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "*.arch.*"))
	if len(files) < 10 {
		t.Fatalf("%d example files", len(files))
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		j := src
		if strings.HasSuffix(path, lang.SuffixHCL) {
			var ok bool
			if j, ok = toJSON(t, src, path); !ok {
				t.Fatalf("%s does not parse", path)
			}
			// The conversion is the same design: every example file
			// with the others of its directory.
			dir := filepath.Dir(path)
			whole, _ := lang.Load(dir, lang.Options{})
			files := map[string][]byte{}
			others, _ := lang.DesignFiles(dir)
			for _, o := range others {
				if o != path {
					files[o], _ = os.ReadFile(o)
				}
			}
			files[strings.TrimSuffix(path, lang.SuffixHCL)+lang.SuffixJSON] = j
			conv, diags := lang.LoadFiles(files, lang.Options{})
			if diags.HasErrors() || whole == nil {
				t.Errorf("%s converted to JSON: %v", path, diags)
				continue
			}
			if got, want := addrs(conv), addrs(whole); got != want {
				t.Errorf("%s converted to JSON decodes to\n%s\nwant\n%s", path, got, want)
			}
		}
		if err := validate(s, j); err != nil {
			t.Errorf("%s does not validate:\n%v\n%s", path, err, j)
		}
	}
}

func addrs(d *lang.Design) string {
	var out []string
	for _, c := range d.Components {
		out = append(out, fmt.Sprintf("%s:%d calls,%d instances", c.Addr, len(c.Calls), len(c.Instances)))
	}
	for _, f := range d.Flows {
		out = append(out, "flow."+f.Name)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// schemaLevel classifies lang's invalid designs (lang/testdata/invalid):
// true for a mistake the schema can see (an unknown attribute or block, a
// wrong type, a number out of range, a value not in an enumeration, a
// malformed duration or size, a missing required attribute, an invalid
// name), false for one that needs the whole design (references, duplicates,
// cross-attribute rules) or is not a JSON document once converted (syntax
// errors, bad bytes).
var schemaLevel = map[string]bool{
	"attribute_of_another_kind": true, "availability_as_percent": true, "binary_garbage": false,
	"call_to_client": false, "call_to_itself": false, "consume_from_non_queue": false,
	"control_character": false, "dead_letter_not_queue": false, "deep_nesting": false, "deploy_settings": true,
	"duplicate_component": false, "duplicate_flow": false, "duplicate_nested_block": false,
	"duplicate_region": false, "duplicate_zone": false, "duration_bad_unit": true,
	"duration_without_unit": true, "empty_file": false, "entry_not_client": false,
	"fallback_undefined": false, "function_error": false, "invalid_name": true,
	"invalid_utf8": false, "json_syntax_error": false, "json_wrong_type": true,
	"layer_invalid": true, "locals_cycle": false, "many_mistakes": true,
	"max_staleness_without_bounded": false, "missing_call_target": true, "missing_label": false,
	"missing_system": false, "mode_quorum_with_replicas": false, "operator_chain": false,
	"port_out_of_range": true, "ports_and_mounts": true, "quorum_r_exceeds_n": false, "quoted_reference": false,
	"rate_too_large": true, "ratio_out_of_range": true, "reference_to_wrong_kind": false,
	"reference_unknown_kind": true, "replicas_fraction": true, "replicas_on_database": false,
	"replicas_without_replication": false, "replicas_zero": true, "second_system": false,
	"secret_value": false, "shard_skew_below_one": true, "size_invalid": true,
	"syntax_missing_equals": false, "syntax_unclosed_block": false, "syntax_unterminated_string": false,
	"through_not_queue": false, "through_unreached": false,
	"undefined_local": false, "undefined_reference": false, "undefined_region": false,
	"undefined_variable": false, "undefined_zone": false, "unknown_algorithm": true,
	"unknown_attribute": true, "unknown_block": true, "unknown_call_op": true,
	"unknown_consistency": true, "unknown_function": false, "unknown_queue_engine": false,
	"unknown_top_level_block": true, "variable_without_value": false, "wrong_type_bool": true,
	"wrong_type_list": true, "wrong_type_number": true, "zone_without_regions": false,
}

// TestInvalidCasesFailSchema: every invalid design of lang's tests whose
// mistake the schema can see fails it once converted to JSON. Every case
// must be classified, so that a new one is looked at.
func TestInvalidCasesFailSchema(t *testing.T) {
	s := compileSchema(t)
	paths, _ := filepath.Glob(filepath.Join("..", "lang", "testdata", "invalid", "*.arch.*"))
	if len(paths) < 40 {
		t.Fatalf("%d invalid designs", len(paths))
	}
	for _, path := range paths {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), lang.SuffixHCL), lang.SuffixJSON)
		level, known := schemaLevel[name]
		if !known {
			t.Errorf("%s: not classified in schemaLevel", name)
			continue
		}
		if !level {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		j := src
		if strings.HasSuffix(path, lang.SuffixHCL) {
			var ok bool
			if j, ok = toJSON(t, src, path); !ok {
				t.Errorf("%s: classified schema-level but does not parse", name)
				continue
			}
		}
		if err := validate(s, j); err == nil {
			t.Errorf("%s passes the schema:\n%s", name, j)
		}
	}
}
