package format

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/archform/archform/lang"
)

func TestFormatFixedPoint(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/*/*.arch.hcl")
	valid, _ := filepath.Glob("../testdata/invalid/*.arch.hcl")
	paths = append(paths, valid...)
	if len(paths) < 2 {
		t.Fatal("no designs found")
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		once, diags := Source(src, path)
		if diags.HasErrors() {
			continue // invalid corpus: syntax errors are refused, see TestFormatRefuses
		}
		twice, _ := Source(once, path)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: formatting is not a fixed point", path)
		}
	}
}

func TestFormatCanonical(t *testing.T) {
	src := []byte("service \"api\" {\nreplicas=2\n    capacity_rps   =   100\n  call {\n  to=database.orders\n  }\n}\n")
	want := "service \"api\" {\n  replicas     = 2\n  capacity_rps = 100\n  call {\n    to = database.orders\n  }\n}\n"
	got, diags := Source(src, "x.arch.hcl")
	if diags.HasErrors() || string(got) != want {
		t.Errorf("got %q, %v\nwant %q", got, diags, want)
	}
}

func TestFormatRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":   "service \"api\" {\n  replicas 3\n}\n",
		"unclosed": "service \"api\" {\n",
		"binary":   "system \"s\" {}\x00",
	} {
		out, diags := Source([]byte(src), name+".arch.hcl")
		if !diags.HasErrors() || out != nil {
			t.Errorf("%s: Format accepted %q", name, src)
		}
	}
}

// FuzzSource: a design that loads formats to a fixed point that still loads.
func FuzzSource(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/*/*.arch.hcl")
	invalid, _ := filepath.Glob("../testdata/invalid/*.arch.hcl")
	for _, path := range append(paths, invalid...) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "fuzz.arch.hcl"
		if _, diags := lang.LoadFiles(map[string][]byte{name: src}, lang.Options{}); diags.HasErrors() {
			return
		}
		formatted, diags := Source(src, name)
		if diags.HasErrors() {
			t.Fatalf("a design that loads does not format: %v", diags)
		}
		if again, _ := Source(formatted, name); !bytes.Equal(again, formatted) {
			t.Fatalf("formatting is not a fixed point:\n%q\n%q", formatted, again)
		}
		if _, diags := lang.LoadFiles(map[string][]byte{name: formatted}, lang.Options{}); diags.HasErrors() {
			t.Fatalf("the formatted design no longer loads: %v\n%s", diags, formatted)
		}
	})
}
