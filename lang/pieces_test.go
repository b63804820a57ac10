package lang

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestSplitTopLevel checks the split on the constructs that hide braces and
// line starts: strings, templates, heredocs and comments.
func TestSplitTopLevel(t *testing.T) {
	src := "a {\n}\n# c {\nb \"x\" {\n  d = \"}\\\"${ {e = \"}\"} }\"\n  h = <<EOF\n}\nnot_a_start {\nEOF\n}\n/* {\nz */\nc {\n  l = [\n    1,\n  ]\n}\n"
	var got []string
	starts := SplitTopLevel(src)
	for i, s := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		got = append(got, strings.SplitN(src[s:end], "\n", 2)[0])
	}
	if want := []string{"a {", "b \"x\" {", "c {"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pieces start with %q, want %q", got, want)
	}
}

// TestParseInPieces: a file parsed in pieces has the syntax tree and the
// diagnostics of its parse whole (positions, navigation and bytes
// included), for every design file under the repository's testdata (the
// invalid ones too: their pieces fall back to the whole parse) and
// generated designs, cut as finely as the pieces go and coarser.
func TestParseInPieces(t *testing.T) {
	files := map[string][]byte{
		"groups.arch.hcl": designgen.Groups(12),
		"gen.arch.hcl":    designgen.Generate(200, 1),
		// Top-level attributes: the same one in two pieces is an error of
		// the whole file's; different ones join.
		"dup.arch.hcl":   []byte("a = 1\n\nb {\n}\n\na = 2\n"),
		"attrs.arch.hcl": []byte("a = 1\n\nb {\n}\n\nc = 2\n"),
		// A piece that would parse alone but not in its place.
		"heredoc.arch.hcl": []byte("a {\n  x = <<EOT\n}\nb {\nEOT\n}\n\nc {\n}\n"),
	}
	err := filepath.WalkDir("..", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, SuffixHCL) || !strings.Contains(path, "testdata") {
			return err
		}
		src, err := os.ReadFile(path)
		files[path] = src
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("%d design files found under ..: run from the lang directory", len(files))
	}
	pieced := 0
	for name, src := range files {
		whole, wdiags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		for _, size := range []int{1, 2048} {
			f, diags := parseNative(src, name, size)
			if !reflect.DeepEqual(f, whole) || !reflect.DeepEqual(diags, wdiags) {
				t.Errorf("%s in pieces of %d bytes: not the parse of the whole file (diagnostics: %v, whole: %v)", name, size, diags, wdiags)
			}
			if size == 1 && !wdiags.HasErrors() && len(SplitTopLevel(string(src))) > 1 {
				pieced++
			}
		}
	}
	// ParseFile cuts a large file.
	large := designgen.Groups(40)
	if len(large) < piecesFrom {
		t.Fatalf("%d bytes: not a large file", len(large))
	}
	whole, _ := hclsyntax.ParseConfig(large, "large.arch.hcl", hcl.InitialPos)
	if f, diags := ParseFile(large, "large.arch.hcl"); !reflect.DeepEqual(f, whole) || len(diags) > 0 {
		t.Errorf("ParseFile of a %d KB file: not the parse of the whole file (%v)", len(large)>>10, diags)
	}
	if pieced < 50 {
		t.Errorf("only %d files parsed in more than one piece", pieced)
	}
}

// TestPieceCuts: a large file is parsed in pieces of about pieceSize bytes
// (HCL's parser holds some 100 bytes of tokens per byte of what it parses,
// the peak of parsing a file whole), each starting at a top-level block.
func TestPieceCuts(t *testing.T) {
	src := designgen.Groups(100)
	cuts, starts := pieceCuts(src, pieceSize), SplitTopLevel(string(src))
	if len(cuts) < len(src)/(2*pieceSize) {
		t.Fatalf("%d pieces of a %d KB file", len(cuts), len(src)>>10)
	}
	for i, c := range cuts {
		end := len(src)
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		if end-c > pieceSize+4096 {
			t.Errorf("piece %d is %d bytes", i, end-c)
		}
		if !slices.Contains(starts, c) {
			t.Errorf("piece %d starts with %.20q, not at a top-level item", i, src[c:])
		}
	}
}
