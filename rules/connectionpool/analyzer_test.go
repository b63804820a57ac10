package connectionpool_test

import (
	"math"
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/connectionpool"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), connectionpool.Analyzer)
}

// Little's law, spread over the instances that share a queue.
func TestInFlight(t *testing.T) {
	for _, c := range []struct {
		lambda, mean float64
		n            int
		want         float64
	}{
		{1000, 0.0050361, 1, 5.0361},
		{1800, 0.005, 2, 4.5},
		{3000, 0.05, 1, 150},
		{100, 0.01, 0, 1}, // no instances counts as one
	} {
		if got := connectionpool.InFlight(c.lambda, c.mean, c.n); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("InFlight(%v, %v, %d) = %v, want %v", c.lambda, c.mean, c.n, got, c.want)
		}
	}
}
