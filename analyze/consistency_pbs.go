package analyze

// PBS with time: t-visibility and k-staleness of a partial quorum, from
// Bailis et al.'s WARS model ("Probabilistically Bounded Staleness for
// Practical Partial Quorums", VLDB 2012), with the design's latency.
//
// The model: a write is sent to all n replicas and reaches replica i after
// W_i, independent and exponential with the store's latency as mean; it
// commits when w replicas have it. A read t after the commit goes to r
// replicas chosen uniformly at random (the PBS assumption: it does not hold
// for leader reads or datacenter-local quorums, where the calculus gives no
// probability). The ack (A), read-request (R) and response (S) delays are
// taken as negligible next to W. At the commit exactly w replicas have the
// write and, W being memoryless, each of the other n − w gets it within t
// with probability 1 − e^(−t/μ), independently. So the number K of
// replicas still without it is Binomial(n − w, e^(−t/μ)), and
//
//	P(stale at t) = E[C(K, r)] / C(n, r) = C(n−w, r)/C(n, r) · e^(−r·t/μ),
//
// using E[C(K, r)] = C(m, r)·q^r for K ~ Binomial(m, q). At t = 0 it is the
// static formula (the worst case, before the write reaches the other
// replicas and before anti-entropy). k-staleness (Bailis et al. §3.2): the
// probability that a read misses the last k committed writes is at most
// P(stale at 0)^k.

import (
	"fmt"
	"math"
	"time"

	"github.com/archform/archform/lang"
)

// Visibility is the t-visibility curve of one weak quorum.
type Visibility struct {
	N, R, W int
	// Mean is the mean time a write takes to reach one replica.
	Mean time.Duration
	// P0 is P(stale) right after the commit: C(n−w, r)/C(n, r).
	P0 float64
}

// NewVisibility returns the curve of n, r, w with writes reaching each
// replica after an exponential time of the given mean, or nil when the
// quorums intersect, the arguments are out of range or mean ≤ 0.
func NewVisibility(n, r, w int, mean time.Duration) *Visibility {
	p := StaleReadProbability(n, r, w)
	if p == nil || p.Sign() == 0 || mean <= 0 {
		return nil
	}
	p0, _ := p.Float64()
	return &Visibility{N: n, R: r, W: w, Mean: mean, P0: p0}
}

// Stale is P(a read t after the commit returns an older value).
func (v *Visibility) Stale(t time.Duration) float64 {
	if t <= 0 {
		return v.P0
	}
	return v.P0 * math.Exp(-float64(v.R)*t.Seconds()/v.Mean.Seconds())
}

// Within is the t-visibility: the time after the commit after which a read
// is stale with probability at most p (0 when it already is at the commit).
func (v *Visibility) Within(p float64) time.Duration {
	if p <= 0 || p >= v.P0 {
		return 0
	}
	s := v.Mean.Seconds() / float64(v.R) * math.Log(v.P0/p)
	return time.Duration(math.Ceil(s * float64(time.Second)))
}

// KStale is the probability that a read right after a commit misses the
// last k writes (k-staleness; at most P0^k, with independent writes).
func (v *Visibility) KStale(k int) float64 { return math.Pow(v.P0, float64(k)) }

// Describe says it in one clause, for a finding's reason.
func (v *Visibility) Describe() string {
	t999 := v.Within(0.001)
	return fmt.Sprintf("with writes reaching each replica after %s on average (the store's latency; Bailis et al.'s WARS model), P(stale) = %.4g at %s after the commit, %.4g at %s, and at most 0.001 from %s on (t-visibility); P(a read misses the last 2 writes) ≤ %.4g (k-staleness)",
		lang.FormatDuration(v.Mean), v.Stale(v.Mean), lang.FormatDuration(v.Mean), v.Stale(10*v.Mean), lang.FormatDuration(10*v.Mean), roundDuration(t999), v.KStale(2))
}

// roundDuration rounds a t-visibility to a readable precision: whole
// microseconds under a millisecond, hundredths of a millisecond above.
func roundDuration(d time.Duration) string {
	if d < time.Millisecond {
		return lang.FormatDuration(d.Round(time.Microsecond))
	}
	return lang.FormatDuration(d.Round(10 * time.Microsecond))
}
