package analyze

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FuzzSuppressions: any source that parses lints without a panic, every
// suppression lies in its file, and the findings come out sorted.
//
//	go test ./analyze -run '^$' -fuzz FuzzSuppressions -fuzztime 30s
func FuzzSuppressions(f *testing.F) {
	for _, n := range []string{"suppress.arch.hcl", "suppress_file.arch.hcl", "outputs.arch.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata", "engine", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add("service \"a\" { # archform:ignore x --\n}\n# archform:ignore-file\n")
	f.Fuzz(func(t *testing.T, src string) {
		if _, diags := hclsyntax.ParseConfig([]byte(src), "f.arch.hcl", hcl.InitialPos); diags.HasErrors() {
			return
		}
		d := testDesign(t, map[string]string{"f.arch.hcl": src})
		rep, err := Run(d, []*Analyzer{singleReplica, describe}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range rep.Suppressions {
			if s.Range.Filename != "f.arch.hcl" || s.Range.Start.Byte < 0 || s.Range.End.Byte > len(src) {
				t.Fatalf("suppression range %v outside the file", s.Range)
			}
		}
		if !slices.IsSortedFunc(rep.Findings, compareFindings) {
			t.Fatal("findings not sorted")
		}
	})
}
