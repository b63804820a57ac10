package hotshard_test

import (
	"math"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/hotshard"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), hotshard.Analyzer)
}

// The ORACLES figures are in the finding's data.
func TestOracleData(t *testing.T) {
	rep := analysistest.RunDesign(t, "testdata/oracle.arch.hcl", hotshard.Analyzer)
	if rep == nil || len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %v", rep)
	}
	data := rep.Findings[0].Data
	for k, want := range map[string]float64{"hottest_rps": 7500, "mean_rps": 5000, "utilization": 1.5, "even_utilization": 1} {
		if got, _ := data[k].(float64); math.Abs(got-want) > 1e-9*want {
			t.Errorf("data[%q] = %v, want %v", k, data[k], want)
		}
	}
	if data["shard_key"] != "tenant_id" || data["shards"] != 8 {
		t.Errorf("data = %v", data)
	}
}

// ORACLES: 40000 rps, 8 shards, shard_skew = 1.5 → hottest shard 7500 rps.
func TestHottest(t *testing.T) {
	for _, c := range []struct {
		total  float64
		shards int
		skew   float64
		want   float64
	}{
		{40000, 8, 1.5, 7500},
		{40000, 8, 1, 5000},
		{1000, 1, 1, 1000},
		{1000, 0, 2, 2000}, // no shards counts as one
	} {
		if got := hotshard.Hottest(c.total, c.shards, c.skew); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("Hottest(%v, %d, %v) = %v, want %v", c.total, c.shards, c.skew, got, c.want)
		}
	}
}

// The formula in the message agrees with the analysis's shard loads.
func TestHottestMatchesAnalysis(t *testing.T) {
	d, diags := lang.Load("testdata/oracle.arch.hcl", lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	l := analyze.Compute(d).Nominal.Load["database.events"]
	if len(l.Shards) != 8 {
		t.Fatalf("shards = %v, want 8 loads", l.Shards)
	}
	if want := hotshard.Hottest(l.Total(), 8, 1.5); math.Abs(l.Shards[0]-want) > 1e-9*want {
		t.Errorf("analysis hottest shard = %v, formula %v", l.Shards[0], want)
	}
}
