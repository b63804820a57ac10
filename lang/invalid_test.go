package lang

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/invalid")

// TestInvalid loads each design of testdata/invalid and compares the printed
// diagnostics with NAME.golden. Each design holds one kind of mistake.
func TestInvalid(t *testing.T) {
	paths, _ := filepath.Glob("testdata/invalid/*.arch.*")
	if len(paths) < 40 {
		t.Fatalf("the invalid corpus has %d designs, want at least 40", len(paths))
	}
	for _, path := range paths {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".hcl"), ".json")
		name = strings.TrimSuffix(name, ".arch")
		t.Run(name, func(t *testing.T) {
			d, diags := Load(path, Options{})
			if !diags.HasErrors() {
				t.Fatalf("no error for %s", path)
			}
			checkSubjects(t, diags)
			var files map[string]*hcl.File
			if d != nil {
				files = d.Files
			}
			var buf bytes.Buffer
			if err := WriteDiagnostics(&buf, files, diags, false); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata/invalid", name+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./lang -run TestInvalid -update)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("diagnostics differ from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}
