package lang

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// FuzzLoad feeds arbitrary bytes to LoadFiles as a native-syntax or a JSON
// design file. Properties: no panic; every diagnostic has a subject with a
// filename and a line ≥ 1; printing the diagnostics works. (lang/format's
// FuzzSource checks that a design that loads formats to a fixed point.)
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
	})
}

// filesOrNil returns d.Files, or nil for a nil design.
func (d *Design) filesOrNil() map[string]*hcl.File {
	if d == nil {
		return nil
	}
	return d.Files
}
