package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestFormatFixedPoint(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/*/*.arch.hcl")
	valid, _ := filepath.Glob("testdata/invalid/*.arch.hcl")
	paths = append(paths, valid...)
	if len(paths) < 2 {
		t.Fatal("no designs found")
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		once, diags := Format(src, path)
		if diags.HasErrors() {
			continue // invalid corpus: syntax errors are refused, see TestFormatRefuses
		}
		twice, _ := Format(once, path)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: formatting is not a fixed point", path)
		}
	}
}

func TestFormatCanonical(t *testing.T) {
	src := []byte("service \"api\" {\nreplicas=2\n    capacity_rps   =   100\n  call {\n  to=database.orders\n  }\n}\n")
	want := "service \"api\" {\n  replicas     = 2\n  capacity_rps = 100\n  call {\n    to = database.orders\n  }\n}\n"
	got, diags := Format(src, "x.arch.hcl")
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
		out, diags := Format([]byte(src), name+".arch.hcl")
		if !diags.HasErrors() || out != nil {
			t.Errorf("%s: Format accepted %q", name, src)
		}
	}
}
