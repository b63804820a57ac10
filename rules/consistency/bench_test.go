package consistency_test

import (
	"fmt"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// The whole consistency family on generated designs (flows from every
// client), its traces shared as in a lint run.
//
//	go test ./rules/consistency -run '^$' -bench Family -benchtime 5x
func BenchmarkFamily(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 1)}, lang.Options{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				found := 0
				// The family reads only the shared traces of Results; a
				// fresh Results per run traces the flows afresh, once.
				r := &analyze.Results{Design: d}
				results := func() *analyze.Results { return r }
				for _, a := range family {
					pass := analyze.NewPass(a, d, results, nil, func(analyze.Finding) { found++ })
					if err := a.Run(pass); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(found), "findings")
			}
		})
	}
}
