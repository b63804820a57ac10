package hotshard_test

import (
	"math"
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/hotshard"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), hotshard.Analyzer)
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
