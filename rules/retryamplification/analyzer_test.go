package retryamplification_test

import (
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/retryamplification"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retryamplification.Analyzer)
}

// ORACLES: 64× in the finding's data, with the path and the layers.
func TestOracleData(t *testing.T) {
	rep := analysistest.RunDesign(t, "testdata/oracle.arch.hcl", retryamplification.Analyzer)
	if rep == nil || len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %v", rep)
	}
	f := rep.Findings[0]
	if f.Data["amplification"] != 64.0 || f.Data["layers"] != 3 || len(f.Related) != 2 || f.Severity != analyze.Warning {
		t.Errorf("finding = %+v", f)
	}
}

// ORACLES: 3 layers with retries = 3 each → 64×; the product at every tier
// of the chain, and the reset at a circuit breaker.
func TestChains(t *testing.T) {
	for _, c := range []struct {
		path string
		want map[string]float64
	}{
		{"testdata/oracle.arch.hcl", map[string]float64{"client.web": 1, "service.a": 4, "service.b": 16, "database.c": 64}},
		{"testdata/breaker.arch.hcl", map[string]float64{"service.a": 4, "service.b": 1, "database.c": 2, "service.d": 1}},
		{"testdata/overload.arch.hcl", map[string]float64{"service.b": 9, "service.c": 9}},
	} {
		d, diags := lang.Load(c.path, lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.path, diags)
		}
		got := retryamplification.Chains(d)
		for addr, want := range c.want {
			if got[addr] != want {
				t.Errorf("%s: amplification at %s = %v, want %v", c.path, addr, got[addr], want)
			}
		}
	}
	if got := analyze.RetryAmplification(3, 3, 3); got != 64 {
		t.Errorf("RetryAmplification(3, 3, 3) = %v, want 64", got)
	}
}
