package ratelimit_test

import (
	"math"
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/ratelimit"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ratelimit.Analyzer)
}

// ORACLES: a 12000 rps limit in front of a 10000 rps tier; the figures are
// in the finding's data.
func TestOracleData(t *testing.T) {
	rep := analysistest.RunDesign(t, "testdata/oracle.arch.hcl", ratelimit.Analyzer)
	if rep == nil || len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %v", rep)
	}
	d := rep.Findings[0].Data
	if d["limit_rps"] != 12000.0 || d["carry_rps"] != 10000.0 || d["tier"] != "service.api" || d["traffic_rps"] != 8000.0 {
		t.Errorf("data = %v", d)
	}
}

func TestFormulas(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	// ORACLES: 8000 rps at utilization 0.8 → the tier carries 10000 rps, under the 12000 limit.
	if got := ratelimit.Carry(8000, 0.8); !near(got, 10000) {
		t.Errorf("Carry(8000, 0.8) = %v, want 10000", got)
	}
	for _, c := range []struct{ limit, traffic, want float64 }{
		{8000, 10000, 0.2},
		{400, 600, 1.0 / 3},
		{12000, 10000, 0},
		{10000, 10000, 0},
		{100, 0, 0},
	} {
		if got := ratelimit.Shed(c.limit, c.traffic); !near(got, c.want) {
			t.Errorf("Shed(%v, %v) = %v, want %v", c.limit, c.traffic, got, c.want)
		}
	}
}
