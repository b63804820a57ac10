package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// suppressedDesign is designgen's design with a suppression comment above
// every tenth component block.
func suppressedDesign(n int) []byte {
	lines := strings.Split(string(designgen.Generate(n, 1)), "\n")
	var b strings.Builder
	blocks := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "service ") || strings.HasPrefix(l, "database ") || strings.HasPrefix(l, "cache ") {
			if blocks%10 == 0 {
				b.WriteString("# archform:ignore single-replica -- generated\n")
			}
			blocks++
		}
		b.WriteString(l + "\n")
	}
	return []byte(b.String())
}

// The engine's own cost (suppression scan, severities, sorting; two cheap
// rules that do not need Compute) next to BenchmarkDecode:
//
//	go test ./analyze -run '^$' -bench 'Decode|Engine' -benchtime 5x
func BenchmarkEngine(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, variant := range []string{"plain", "suppressions"} {
			src := designgen.Generate(n, 1)
			if variant == "suppressions" {
				src = suppressedDesign(n)
			}
			d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": src}, lang.Options{})
			if diags.HasErrors() {
				b.Fatal(diags)
			}
			b.Run(fmt.Sprintf("%s/%d", variant, n), func(b *testing.B) {
				for b.Loop() {
					rep, err := Run(d, []*Analyzer{singleReplica, describe}, nil)
					if err != nil || len(rep.Findings) == 0 {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
