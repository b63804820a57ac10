package lang

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to LoadFiles as a native-syntax or a JSON
// design file. Properties: no panic; every diagnostic has a subject with a
// filename and a line ≥ 1; printing the diagnostics works; a design that
// loads without error formats to a fixed point that still loads.
func FuzzLoad(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../testdata/*/*.arch.hcl", "../testdata/*.arch.hcl", "testdata/invalid/*.arch.*"} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed designs found")
	}
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, filepath.Ext(path) == ".json")
	}
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		name := "fuzz.arch.hcl"
		if isJSON {
			name = "fuzz.arch.json"
		}
		d, diags := LoadFiles(map[string][]byte{name: src}, Options{})
		checkSubjects(t, diags)
		var files = d.filesOrNil()
		if err := WriteDiagnostics(io.Discard, files, diags, true); err != nil {
			t.Fatal(err)
		}
		if diags.HasErrors() || isJSON {
			return
		}
		formatted, fdiags := Format(src, name)
		if fdiags.HasErrors() {
			t.Fatalf("a design that loads does not format: %v", fdiags)
		}
		again, _ := Format(formatted, name)
		if !bytes.Equal(again, formatted) {
			t.Fatalf("formatting is not a fixed point:\n%q\n%q", formatted, again)
		}
		if _, diags := LoadFiles(map[string][]byte{name: formatted}, Options{}); diags.HasErrors() {
			t.Fatalf("the formatted design no longer loads: %v\n%s", diags, formatted)
		}
	})
}
