package spof_test

import (
	"fmt"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules/spof"
)

// The spof rule on generated designs (the analysis computed once, outside
// the loop): it must grow linearly with the design.
//
//	go test ./rules/spof -run '^$' -bench Spof -benchtime 5x
func BenchmarkSpof(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 1)}, lang.Options{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		r := analyze.Compute(d)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				found := 0
				pass := analyze.NewPass(spof.Analyzer, d, func() *analyze.Results { return r }, nil, func(analyze.Finding) { found++ })
				if err := spof.Analyzer.Run(pass); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(found), "findings")
			}
		})
	}
}
