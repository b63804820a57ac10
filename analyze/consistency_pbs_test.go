package analyze

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// warsStale is a Monte Carlo of Bailis et al.'s WARS model, written apart
// from Visibility: each of n replicas receives the write after W ~
// Exp(mean), acknowledges after A, and a read issued t after the commit
// (the w-th acknowledgement) reaches each replica after R; the read goes to
// r replicas chosen uniformly and is stale when none of them had the write
// when the read reached it. a and rd give A's and R's means (0: none).
func warsStale(rng *rand.Rand, n, r, w int, mean, a, rd, t float64, trials int) float64 {
	exp := func(m float64) float64 {
		if m == 0 {
			return 0
		}
		return rng.ExpFloat64() * m
	}
	arrive := make([]float64, n)
	acks := make([]float64, n)
	stale := 0
	for range trials {
		for i := range n {
			arrive[i] = exp(mean)
			acks[i] = arrive[i] + exp(a)
		}
		sorted := append([]float64(nil), acks...)
		sort.Float64s(sorted)
		commit := sorted[w-1]
		perm := rng.Perm(n)[:r]
		missed := true
		for _, i := range perm {
			if arrive[i] <= commit+t+exp(rd) {
				missed = false
				break
			}
		}
		if missed {
			stale++
		}
	}
	return float64(stale) / float64(trials)
}

// TestVisibilityAgainstWARS checks the closed form P(stale at t) =
// C(n−w, r)/C(n, r)·e^(−r·t/μ) against the Monte Carlo, with negligible A and
// R as the closed form assumes, over several quorums and times; and that
// the figure holds: with 1 ms writes, n = 4, r = 1, w = 3, P(stale)
// is 0.25 right after the commit and about 0 by 10 ms.
func TestVisibilityAgainstWARS(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 2012))
	const trials = 40000
	for _, tc := range []struct {
		n, r, w int
		t       time.Duration
	}{
		{3, 1, 1, 0}, {3, 1, 1, time.Millisecond}, {3, 1, 1, 3 * time.Millisecond},
		{5, 2, 2, 0}, {5, 2, 2, 500 * time.Microsecond}, {5, 1, 3, 2 * time.Millisecond},
		{4, 1, 3, 0}, {4, 1, 3, 10 * time.Millisecond},
	} {
		v := NewVisibility(tc.n, tc.r, tc.w, time.Millisecond)
		want := warsStale(rng, tc.n, tc.r, tc.w, 1, 0, 0, float64(tc.t)/float64(time.Millisecond), trials)
		got := v.Stale(tc.t)
		// Four standard errors of the sample mean.
		tol := 4*math.Sqrt(want*(1-want)/trials) + 1e-4
		if math.Abs(got-want) > tol {
			t.Errorf("n=%d r=%d w=%d t=%v: Stale = %.5f, WARS Monte Carlo %.5f (tolerance %.5f)", tc.n, tc.r, tc.w, tc.t, got, want, tol)
		}
	}
	v := NewVisibility(4, 1, 3, time.Millisecond)
	if v.Stale(0) != 0.25 || v.Stale(10*time.Millisecond) > 1e-4 {
		t.Errorf("n=4 r=1 w=3 at 1 ms: P(stale) = %v at commit, %v at 10 ms; want 0.25 and ~0", v.Stale(0), v.Stale(10*time.Millisecond))
	}
	// Within inverts Stale.
	d := v.Within(0.001)
	if p := v.Stale(d); p > 0.001 || p < 0.00099 {
		t.Errorf("Stale(Within(0.001) = %v) = %v", d, p)
	}
	// The ack and read delays the closed form neglects make reads fresher,
	// never staler: it is an upper bound of the fuller model.
	fuller := warsStale(rng, 3, 1, 1, 1, 0.5, 0.5, 0, trials)
	if fuller > NewVisibility(3, 1, 1, time.Millisecond).Stale(0)+0.01 {
		t.Errorf("with A and R the WARS Monte Carlo gives %v, above the closed form's %v", fuller, NewVisibility(3, 1, 1, time.Millisecond).Stale(0))
	}
	if NewVisibility(3, 2, 2, time.Millisecond) != nil {
		t.Error("a strict quorum has a visibility curve")
	}
}
