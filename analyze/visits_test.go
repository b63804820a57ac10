package analyze

import (
	"math"
	"testing"
)

func TestVisitDistributions(t *testing.T) {
	near := func(what string, got countDist, want []float64, lo int) {
		t.Helper()
		if got.lo != lo || len(got.p) != len(want) {
			t.Fatalf("%s: got lo %d %v, want lo %d %v", what, got.lo, got.p, lo, want)
		}
		for i := range want {
			if math.Abs(got.p[i]-want[i]) > 1e-12 {
				t.Fatalf("%s: got %v, want %v", what, got.p, want)
			}
		}
	}
	// ORACLES.md, "Model v2": a call made twice per request, each a cache
	// miss with p = 0.25: the origin is visited Binomial(2, 0.25) times.
	near("2 visits of a cache, each a miss with 0.25", compound(delta(2), perVisit(1, 0.25)), []float64{0.5625, 0.375, 0.0625}, 0)
	near("per_request 2, each a miss with 0.25", compound(delta(1), perVisit(2, 0.25)), []float64{0.5625, 0.375, 0.0625}, 0)
	// A fraction of per_request: 0.2 calls per visit is Bernoulli(0.2).
	near("per_request 0.2", perVisit(0.2, 1), []float64{0.8, 0.2}, 0)
	// 1.5 calls per visit, each arriving: 1 or 2 with 0.5 each.
	near("per_request 1.5", perVisit(1.5, 1), []float64{0.5, 0.5}, 1)
	// Two independent calls of Bernoulli(0.5) each: 0, 1, 2 at 1/4, 1/2, 1/4.
	near("two calls", conv(perVisit(1, 0.5), perVisit(1, 0.5)), []float64{0.25, 0.5, 0.25}, 0)
	// A caller visited 0 or 1 times (0.5 each) that calls 3 times, each
	// arriving: 0 or 3 visits.
	near("compound of a point", compound(countDist{p: []float64{0.5, 0.5}}, delta(3)), []float64{0.5, 0, 0, 0.5}, 0)
	// A read_write request is a read (0.75) or a write: one visit either way.
	near("mixed classes", mixDist([]countDist{delta(1), delta(1)}, []float64{0.75, 0.25}), []float64{1}, 1)
	m, v := binomialDist(40, 0.3).moments()
	if math.Abs(m-12) > 1e-9 || math.Abs(v-8.4) > 1e-9 {
		t.Fatalf("Binomial(40, 0.3): mean %g variance %g, want 12 and 8.4", m, v)
	}
	// Beyond maxCounts the distribution is given up (the mean-based form).
	if perVisit(maxCounts+10, 1).ok() {
		t.Fatal("a distribution beyond maxCounts was kept")
	}
}
