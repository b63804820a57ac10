package lang

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// declarationsLast is a design whose variables, locals and region come
// after the components that read them, whose components call functions and
// iterate in for expressions, with a comment before its first block,
// problems found by the top-level schema (an unknown block type, a
// component without its name) and by the decoder (duplicates, an undefined
// reference), and flows between components.
func declarationsLast(n int) string {
	var b strings.Builder
	b.WriteString("# A design written backwards.\n\nservice \"first\" {\n  replicas = var.replicas\n}\n\nsystem \"backwards\" {\n}\n\n")
	for i := range n {
		fmt.Fprintf(&b, "service \"s%d\" {\n  replicas = max(var.replicas, %d)\n  zones    = [for z in local.zones : z]\n  labels   = { team = upper(\"t%d\") }\n  call {\n    to = service.s%d\n  }\n}\n\n", i, i%3, i, (i+1)%n)
		switch i {
		case n / 3:
			b.WriteString("servce \"typo\" {\n}\n\n")
		case n / 2:
			b.WriteString("service {\n}\n\n")
		case 2 * n / 3:
			fmt.Fprintf(&b, "service \"s%d\" {\n}\n\nflow \"f0\" {\n  entry = client.nowhere\n}\n\n", n/4)
		}
		if i%100 == 0 {
			fmt.Fprintf(&b, "client \"c%d\" {\n  rps = 10\n  call {\n    to = service.s%d\n  }\n}\n\nflow \"f%d\" {\n  entry = client.c%d\n}\n\n", i, i, i, i)
		}
	}
	b.WriteString("variable \"replicas\" {\n  default = 2\n}\n\nlocals {\n  zones = [\"a\", \"b\"]\n}\n\nregion \"r1\" {\n  zones = local.zones\n}\n")
	return b.String()
}

// TestLoadWithoutSyntax loads designs with their syntax dropped (in
// pieces as small as they go, in small batches, and as Load does) and
// without: the designs, the diagnostics (and their printing, which names
// the block of each) must be the same, and each native-syntax file must
// keep only its bytes and its outline. The examples, the invalid corpus
// and generated designs load in pieces; files that do not parse cleanly
// load the ordinary way.
func TestLoadWithoutSyntax(t *testing.T) {
	type testCase struct {
		files map[string][]byte
		// pieces: every size loads the design in pieces (no file sends it
		// back to the ordinary path); fallback: none does.
		pieces, fallback bool
	}
	cases := map[string]testCase{}
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "*"))
	for _, dir := range dirs {
		names, diags := DesignFiles(dir)
		if diags.HasErrors() {
			continue
		}
		files := map[string][]byte{}
		for _, n := range names {
			src, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			files[n] = src
		}
		cases[filepath.Base(dir)] = testCase{files: files, pieces: true}
	}
	invalid, _ := filepath.Glob("testdata/invalid/*.arch.*")
	for _, n := range invalid {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		cases["invalid/"+filepath.Base(n)] = testCase{files: map[string][]byte{n: src}}
	}
	backwards := declarationsLast(600)
	cases["generated"] = testCase{files: map[string][]byte{"gen.arch.hcl": designgen.Generate(700, 4)}, pieces: true}
	cases["groups"] = testCase{files: map[string][]byte{"groups.arch.hcl": designgen.Groups(60)}, pieces: true}
	cases["backwards"] = testCase{files: map[string][]byte{"backwards.arch.hcl": []byte(backwards)}, pieces: true}
	gen := designgen.Generate(400, 9)
	gen = gen[SplitTopLevel(string(gen))[1]:] // without its system block
	cases["several files"] = testCase{files: map[string][]byte{
		"a.arch.hcl":  []byte("service \"a0\" {\n  call {\n    to = service.s1\n  }\n}\n"),
		"b.arch.hcl":  []byte(backwards),
		"c.arch.json": []byte(`{"service": {"j1": {"replicas": 2}, "s1": {}}}`),
		"d.arch.hcl":  gen,
	}, pieces: true}
	cases["syntax error last"] = testCase{files: map[string][]byte{"e.arch.hcl": []byte(backwards + "\nservice \"open\" {\n")}, fallback: true}
	cases["top-level attribute"] = testCase{files: map[string][]byte{"e.arch.hcl": []byte(backwards + "\nreplicas = 3\n")}, fallback: true}
	cases["attribute named like a component"] = testCase{files: map[string][]byte{"e.arch.hcl": []byte(backwards + "\nservice = 3\n")}, fallback: true}

	sizes := []streamSizes{{from: 0, piece: 1, batch: 1}, {from: 0, piece: 4096, batch: 64 << 10}, defaultSizes}
	streamed := 0
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want, wantDiags := LoadFiles(tc.files, Options{})
			names := sortedKeys(tc.files)
			for _, sz := range sizes {
				got, gotDiags, ok := loadWithoutSyntax(names, tc.files, Options{}, sz)
				switch {
				case ok && tc.fallback:
					t.Fatalf("sizes %+v: loaded in pieces, want the ordinary load", sz)
				case !ok && tc.pieces:
					t.Fatalf("sizes %+v: sent back to the ordinary load", sz)
				case !ok:
					continue
				}
				if sz.piece == 1 {
					streamed++
				}
				sortDiagnostics(gotDiags, names)
				compareLoads(t, fmt.Sprintf("sizes %+v", sz), got, gotDiags, want, wantDiags)
			}
			got, gotDiags := LoadFiles(tc.files, Options{DropSyntax: true})
			compareLoads(t, "LoadFiles", got, gotDiags, want, wantDiags)
		})
	}
	if streamed < len(cases)/2 {
		t.Errorf("%d of %d designs loaded in pieces", streamed, len(cases))
	}
}

// compareLoads compares a design loaded without its syntax with the same
// loaded with it.
func compareLoads(t *testing.T, how string, got *Design, gotDiags hcl.Diagnostics, want *Design, wantDiags hcl.Diagnostics) {
	t.Helper()
	if g, w := diagLines(gotDiags), diagLines(wantDiags); g != w {
		t.Fatalf("%s: diagnostics\n%s\nwant\n%s", how, g, w)
	}
	if (got == nil) != (want == nil) {
		t.Fatalf("%s: design %v, want %v", how, got != nil, want != nil)
	}
	if want == nil {
		return
	}
	var g, w bytes.Buffer
	if err := WriteDiagnostics(&g, got.Files, gotDiags, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiagnostics(&w, want.Files, wantDiags, false); err != nil {
		t.Fatal(err)
	}
	if g.String() != w.String() {
		t.Fatalf("%s: printed diagnostics\n%s\nwant\n%s", how, g.String(), w.String())
	}
	x, y := *got, *want
	x.Files, y.Files = nil, nil
	if !sameDesign(&x, &y) {
		t.Fatalf("%s: the design differs", how)
	}
	if len(got.Files) != len(want.Files) {
		t.Fatalf("%s: %d files, want %d", how, len(got.Files), len(want.Files))
	}
	for name, wf := range want.Files {
		gf := got.Files[name]
		if gf == nil || !bytes.Equal(gf.Bytes, wf.Bytes) {
			t.Fatalf("%s: %s missing or not its bytes", how, name)
		}
		body, native := wf.Body.(*hclsyntax.Body)
		if !native {
			if gf.Body == nil {
				t.Errorf("%s: %s (JSON) lost its syntax", how, name)
			}
			continue
		}
		o, ok := gf.Nav.(*Outline)
		if gf.Body != nil || !ok {
			t.Fatalf("%s: %s keeps its syntax (body %T, nav %T)", how, name, gf.Body, gf.Nav)
		}
		if wo := outlineOf(body); !reflect.DeepEqual(o, wo) {
			t.Fatalf("%s: %s: outline\n%+v\nwant\n%+v", how, name, o, wo)
		}
		nav := wf.Nav.(interface{ ContextString(int) string })
		for _, b := range body.Blocks {
			r := b.Range()
			for _, off := range []int{r.Start.Byte - 1, r.Start.Byte, (r.Start.Byte + r.End.Byte) / 2, r.End.Byte - 1, r.End.Byte} {
				if g, w := o.ContextString(off), nav.ContextString(off); g != w {
					t.Fatalf("%s: %s: context at %d = %q, want %q", how, name, off, g, w)
				}
			}
		}
	}
}

// The budget of values is shared by the goroutines that decode components
// in parallel (go test -race checks that it is safely), and the call that
// spends it is the same every run: the one that spends it when the blocks
// are decoded in order.
func TestBudgetSpentInParallelDecode(t *testing.T) {
	const n = 2 * parallelThreshold
	var b strings.Builder
	b.WriteString("system \"s\" {\n}\n\nlocals {\n  big = range(1000)\n}\n\n")
	for i := range n {
		fmt.Fprintf(&b, "service \"s%d\" {\n  replicas = length(concat(local.big)) - 998\n}\n\n", i)
	}
	// The local spends 1,000 values and each component as many: the
	// first whose concat passes MaxValues is the k-th (from 0), whose
	// replicas are on line 9+4k.
	k := (MaxValues-2000)/1000 + 1
	want := 9 + 4*k
	for _, drop := range []bool{false, true} {
		_, diags := LoadFiles(map[string][]byte{"b.arch.hcl": []byte(b.String())}, Options{DropSyntax: drop})
		var spent []string
		for _, d := range diags {
			if strings.Contains(d.Detail, "values") {
				spent = append(spent, fmt.Sprintf("%s: %s", d.Subject, d.Detail))
			}
		}
		if len(spent) != 1 || !strings.HasPrefix(spent[0], fmt.Sprintf("b.arch.hcl:%d,", want)) {
			t.Fatalf("DropSyntax %v: the budget's diagnostics are %q, want one at line %d", drop, spent, want)
		}
	}
}
