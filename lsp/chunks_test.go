package lsp

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
)

// dump is a decoded design in text: every component, call and flow with
// every source range the design keeps, and every diagnostic with its range.
// Two parses that give the same dump give the same design.
func dump(d *lang.Design, diags hcl.Diagnostics) string {
	var b strings.Builder
	ranges := func(r lang.Ranges) {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s %v\n", k, r[k])
		}
	}
	if d != nil {
		for _, c := range d.Components {
			fmt.Fprintf(&b, "%s %v %v\n", c.Addr, c.DeclRange, c.NameRange)
			ranges(c.Ranges)
			for _, call := range c.Calls {
				fmt.Fprintf(&b, " call %v\n", call.DeclRange)
				ranges(call.Ranges)
			}
		}
		for _, f := range d.Flows {
			fmt.Fprintf(&b, "flow %s %v\n", f.Name, f.DeclRange)
			ranges(f.Ranges)
		}
	}
	for _, dg := range diags {
		fmt.Fprintf(&b, "diag %v %s: %s %v\n", dg.Severity, dg.Summary, dg.Detail, dg.Subject)
	}
	return b.String()
}

// decodePieces decodes one file through a piece cache.
func decodePieces(pc *pieceCache, name, content string) string {
	f, diags := pc.parse(content, name)
	d, more := lang.DecodeFiles([]string{name}, []*hcl.File{f}, lang.Options{})
	return dump(d, append(append(hcl.Diagnostics{}, diags...), more...))
}

func decodeWhole(name, content string) string {
	f, diags := lang.ParseFile([]byte(content), name)
	d, more := lang.DecodeFiles([]string{name}, []*hcl.File{f}, lang.Options{})
	return dump(d, append(diags, more...))
}

func exampleFiles(t testing.TB) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*", "*.arch.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f] = readFile(t, f)
	}
	return out
}

// TestPiecesParseAsWhole: the examples, and the same files after random
// edits made one after another through one cache (so that pieces are reused
// and moved), decode exactly as when parsed whole, whenever the whole file
// parses without error; and the pieces have an error exactly when the whole
// has one.
func TestPiecesParseAsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inserts := []string{"\n", "x", "}", "{", "\"", "#", " ", "\n\n", "service \"n\" {\n}\n", "  replicas = 2\n", "${", "/*", "*/", "<<EOF\n", "EOF\n", "= ", "]"}
	edits := 40
	if testing.Short() {
		edits = 10
	}
	for name, content := range exampleFiles(t) {
		pc := &pieceCache{}
		if got, want := decodePieces(pc, name, content), decodeWhole(name, content); got != want {
			t.Fatalf("%s: pieces decode differently:\n%s", name, diffLines(got, want))
		}
		for i := range edits {
			off := rng.IntN(len(content) + 1)
			del := min(rng.IntN(4), len(content)-off)
			ins := inserts[rng.IntN(len(inserts))]
			if i%3 == 0 { // a new line: every later piece moves down
				ins, del = "\n", 0
			}
			content = content[:off] + ins + content[off+del:]
			pf, pd := pc.parse(content, name)
			_ = pf
			_, wd := lang.ParseFile([]byte(content), name)
			if pd.HasErrors() != wd.HasErrors() {
				t.Fatalf("%s after edit %d (%q at %d): pieces errors %v, whole %v\npieces: %v\nwhole: %v", name, i, ins, off, pd.HasErrors(), wd.HasErrors(), pd, wd)
			}
			if wd.HasErrors() {
				continue
			}
			if got, want := decodePieces(pc, name, content), decodeWhole(name, content); got != want {
				t.Fatalf("%s after edit %d (%q at %d): pieces decode differently:\n%s", name, i, ins, off, diffLines(got, want))
			}
		}
	}
}

// diffLines shows the first lines where two dumps differ.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n pieces: %s\n whole:  %s", i+1, a, b)
		}
	}
	return "(equal)"
}

// BenchmarkPieces measures a keystroke's parse of a 1,000-component file
// (one character typed at the middle) through the piece cache, against
// parsing the file whole.
//
//	go test ./lsp -run '^$' -bench Pieces
func BenchmarkPieces(b *testing.B) {
	content := string(designgen.Generate(1000, 1))
	mid := len(content) / 2
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			lang.ParseFile([]byte(content), "gen.arch.hcl")
		}
	})
	b.Run("keystroke", func(b *testing.B) {
		pc := &pieceCache{}
		pc.parse(content, "gen.arch.hcl")
		i := 0
		for b.Loop() {
			i++
			edited := content[:mid] + strings.Repeat("\n", i%2) + content[mid:]
			pc.parse(edited, "gen.arch.hcl")
		}
	})
}
