package analyze

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Queueing: a component with capacity_rps and latency is an M/M/c queue
// (Poisson arrivals, exponential service, c servers). The formulas are the
// textbook ones (Kleinrock vol. 1 §3.5; Gunther, "Analyzing Computer System
// Performance with Perl::PDQ", ch. 2):
//
//	a    = λ/μ                    offered load (Erlangs)
//	ρ    = a/c                    utilization of one server
//	B(c) : B_0 = 1, B_m = a·B_{m−1} / (m + a·B_{m−1})   (Erlang B, stable recursion)
//	C    = B / (1 − ρ(1 − B))     Erlang C: P(an arrival waits)
//	Wq   = C / (cμ − λ)           mean wait
//	R    = 1/μ + Wq               mean sojourn (response time)
//
// The sojourn T = S + W, S ~ Exp(μ) the service, W = 0 with probability
// 1 − C and W ~ Exp(θ), θ = cμ − λ, with probability C, so
//
//	P(T > t) = (1 − C)·e^{−μt} + C·P(Exp(μ) + Exp(θ) > t)
//	P(Exp(μ) + Exp(θ) > t) = e^{−μt}·(1 + μ·(1 − e^{−δt})/δ),  δ = θ − μ
//
// (the last form is the hypoexponential survival written so that it stays
// exact as δ → 0, where it becomes the Erlang-2 survival e^{−μt}(1 + μt)).

// ErlangB is the Erlang B blocking probability of c servers offered a Erlangs,
// by the stable recursion B_m = a·B_{m−1}/(m + a·B_{m−1}). Past
// erlangRecursionMax servers (the recursion costs one step per server) it
// uses the same quantity's closed form B = P(N = c)/P(N ≤ c), N ~ Poisson(a),
// with the regularized incomplete gamma function: P(N ≤ c) = Q(c + 1, a).
func ErlangB(c int, a float64) float64 {
	if c <= 0 {
		return 1
	}
	if a <= 0 {
		return 0
	}
	if c > erlangRecursionMax {
		return erlangBClosed(c, a)
	}
	return erlangBRecursion(c, a)
}

func erlangBRecursion(c int, a float64) float64 {
	b := 1.0
	for m := 1; m <= c; m++ {
		b = a * b / (float64(m) + a*b)
		if b < 1e-300 {
			return 0
		}
	}
	return b
}

func erlangBClosed(c int, a float64) float64 {
	lg, _ := math.Lgamma(float64(c) + 1)
	pmf := math.Exp(float64(c)*math.Log(a) - a - lg)
	cdf := mathext.GammaIncRegComp(float64(c)+1, a)
	if cdf <= 0 || math.IsNaN(cdf) {
		return 1
	}
	return math.Min(1, pmf/cdf)
}

// erlangRecursionMax is the largest c for which ErlangB recurses.
const erlangRecursionMax = 1000

// ErlangC is the probability that an arrival waits in an M/M/c queue offered
// a = λ/μ Erlangs: C = B/(1 − ρ(1 − B)), ρ = a/c. It is 1 when a ≥ c (the
// queue is unstable: everyone waits).
func ErlangC(c int, a float64) float64 {
	if c <= 0 || a >= float64(c) {
		return 1
	}
	if a <= 0 {
		return 0
	}
	b := ErlangB(c, a)
	rho := a / float64(c)
	return b / (1 - rho*(1-b))
}

// MMc is an M/M/c queue: arrival rate Lambda, service rate Mu (per server),
// C servers. Rates are per second; times are in seconds.
type MMc struct {
	Lambda float64
	Mu     float64
	C      int
}

// Utilization is ρ = λ/(cμ).
func (q MMc) Utilization() float64 { return q.Lambda / (float64(q.C) * q.Mu) }

// Stable reports whether ρ < 1.
func (q MMc) Stable() bool { return q.C > 0 && q.Mu > 0 && q.Lambda < float64(q.C)*q.Mu }

// PWait is Erlang C.
func (q MMc) PWait() float64 { return ErlangC(q.C, q.Lambda/q.Mu) }

// sojournWith is sojourn with PWait already computed (Erlang C takes O(C)).
func (q MMc) sojournWith(pw float64) *Sojourn {
	if !q.Stable() {
		return &Sojourn{terms: []term{{w: 1, inf: true}}}
	}
	return &Sojourn{terms: []term{{w: 1, mu: q.Mu, pw: pw, theta: float64(q.C)*q.Mu - q.Lambda}}}
}

// Sojourn is the distribution of the time one request spends in a tier: a
// mixture of terms, each either a fixed delay or an M/M/c sojourn. Times are
// in seconds.
type Sojourn struct {
	terms []term
	// quantile memoizes the last Quantile asked (the p99 of a tier is asked
	// by its queue, its component and every flow through it).
	quantile struct {
		p, q float64
		ok   bool
	}
}

// term is one part of a Sojourn mixture, of weight w: a fixed delay (mu = 0),
// an M/M/c sojourn (service rate mu, wait probability pw, wait rate theta),
// or an unstable queue (inf).
type term struct {
	w     float64
	delay float64
	mu    float64
	pw    float64
	theta float64
	inf   bool
	// ord, when set, makes the term a distribution known by its survival
	// function only: an order statistic of independent sojourns (a
	// leaderless quorum's w-th fastest ack), or a call's tries with a
	// timeout (retry.go).
	ord numeric
}

// numeric is a distribution known by its survival function.
type numeric interface {
	survival(t float64) float64
	upper(eps float64) float64
	moments() (m1, m2 float64)
	// mean is moments' m1, which may cost less alone.
	mean() float64
}

// simpsonMoments integrates E[T] = ∫S(t)dt and E[T²] = ∫2t·S(t)dt by
// Simpson's rule over [0, hi] in n (even) intervals.
func simpsonMoments(surv func(float64) float64, hi float64, n int) (m1, m2 float64) {
	h := hi / float64(n)
	for i := 0; i <= n; i++ {
		t := float64(i) * h
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		s := surv(t)
		m1 += w * s
		m2 += w * 2 * t * s
	}
	return m1 * h / 3, m2 * h / 3
}

// orderStat is the k-th fastest of n independent sojourns distributed as
// base: P(T > t) = P(fewer than k of n done by t) = Σ_{j<k} C(n,j)·F^j·S^(n−j).
// A leaderless write sent to n members that completes at the w-th ack is
// k = w; a read that waits for all r members it asked is k = n = r.
type orderStat struct {
	base   *Sojourn
	n, k   int
	m1, m2 float64 // memoized moments (seconds, seconds²)
	done   bool
}

// orderSojourn is the k-th fastest of n independent sojourns like base.
func orderSojourn(base *Sojourn, k, n int) *Sojourn {
	if base.Infinite() {
		return &Sojourn{terms: []term{{w: 1, inf: true}}}
	}
	if n <= 1 {
		return base
	}
	return &Sojourn{terms: []term{{w: 1, ord: &orderStat{base: base, n: n, k: min(max(k, 1), n)}}}}
}

func (o *orderStat) survival(t float64) float64 {
	if t <= 0 {
		return 1
	}
	s := o.base.Survival(t)
	f := 1 - s
	// Σ_{j<k} C(n,j)·f^j·s^(n−j), term by term: each is the last times
	// (n−j)/(j+1)·f/s (from s^n; where s = 0 every term but j = n is 0).
	if s <= 1e-300 { // every one done, as far as floating point goes
		return 0
	}
	term := math.Pow(s, float64(o.n))
	p := 0.0
	for j := range o.k {
		p += term
		term *= float64(o.n-j) / float64(j+1) * f / s
	}
	return math.Min(1, math.Max(0, p))
}

// upper bounds the time past which P(T > t) < eps: the k-th fastest is past
// t only if one of the n is, so n·S(t) < eps suffices.
func (o *orderStat) upper(eps float64) float64 { return o.base.upper(eps / float64(o.n)) }

// moments integrates E[T] = ∫S(t)dt and E[T²] = ∫2t·S(t)dt by Simpson's
// rule over [0, upper(10⁻¹²)] (4096 intervals: the survival is smooth).
func (o *orderStat) moments() (m1, m2 float64) {
	if !o.done {
		// The survival is smooth: 512 intervals of about a tenth of a
		// mean sojourn leave an error near 10⁻⁶ of the mean.
		o.m1, o.m2 = simpsonMoments(o.survival, o.upper(1e-12), 512)
		o.done = true
	}
	return o.m1, o.m2
}

func (o *orderStat) mean() float64 {
	m1, _ := o.moments()
	return m1
}

// delaySojourn is a pure delay of d seconds.
func delaySojourn(d float64) *Sojourn { return &Sojourn{terms: []term{{w: 1, delay: d}}} }

// mix is the mixture of ss with weights ws (normalized; zero weights are
// dropped). With no positive weight it mixes them equally.
func mix(ss []*Sojourn, ws []float64) *Sojourn {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	out := &Sojourn{}
	for i, s := range ss {
		w := 1 / float64(len(ss))
		if total > 0 {
			w = ws[i] / total
		}
		if w <= 0 {
			continue
		}
		for _, t := range s.terms {
			t.w *= w
			out.terms = append(out.terms, t)
		}
	}
	return out
}

// Infinite reports whether part of the distribution is an unstable queue.
func (s *Sojourn) Infinite() bool {
	for _, t := range s.terms {
		if t.inf && t.w > 0 {
			return true
		}
	}
	return false
}

// deterministic reports whether the distribution is one fixed delay, and which.
func (s *Sojourn) deterministic() (float64, bool) {
	if len(s.terms) == 1 && s.terms[0].mu == 0 && !s.terms[0].inf && s.terms[0].ord == nil {
		return s.terms[0].delay, true
	}
	return 0, false
}

// Mean in seconds (+Inf when part of it is unstable).
func (s *Sojourn) Mean() float64 {
	m := 0.0
	for _, t := range s.terms {
		switch {
		case t.inf:
			return math.Inf(1)
		case t.ord != nil:
			m += t.w * t.ord.mean()
		case t.mu == 0:
			m += t.w * t.delay
		default:
			m += t.w * (1/t.mu + t.pw/t.theta)
		}
	}
	return m
}

// Survival is P(T > t).
func (s *Sojourn) Survival(t float64) float64 {
	p := 0.0
	for _, x := range s.terms {
		p += x.w * x.survival(t)
	}
	return p
}

// CDF is P(T ≤ t).
func (s *Sojourn) CDF(t float64) float64 { return 1 - s.Survival(t) }

func (x term) survival(t float64) float64 {
	switch {
	case x.inf:
		return 1
	case x.ord != nil:
		return x.ord.survival(t)
	case x.mu == 0:
		if t < x.delay {
			return 1
		}
		return 0
	case t <= 0:
		return 1
	}
	e := math.Exp(-x.mu * t)
	if x.pw == 0 {
		return e
	}
	d := x.theta - x.mu
	var g float64 // (1 − e^{−δt})/δ, → t as δ → 0
	if math.Abs(d*t) < 1e-8 {
		g = t
	} else {
		g = -math.Expm1(-d*t) / d
	}
	return (1-x.pw)*e + x.pw*e*(1+x.mu*g)
}

// upper returns a time beyond which the survival is below eps.
func (s *Sojourn) upper(eps float64) float64 {
	hi := 0.0
	for _, x := range s.terms {
		var t float64
		switch {
		case x.inf:
			return math.Inf(1)
		case x.ord != nil:
			t = x.ord.upper(eps)
		case x.mu == 0:
			t = x.delay
		default:
			// Both phases: ln(1/eps) mean lifetimes of the slower one, twice.
			slow := x.mu
			if x.pw > 0 && x.theta < slow {
				slow = x.theta
			}
			t = 2 * math.Log(1/eps) / slow
		}
		hi = math.Max(hi, t)
	}
	return hi
}

// Quantile is the p-quantile in seconds, found by bisection on the CDF.
func (s *Sojourn) Quantile(p float64) float64 {
	if s.quantile.ok && s.quantile.p == p {
		return s.quantile.q
	}
	q := s.bisect(p)
	s.quantile.p, s.quantile.q, s.quantile.ok = p, q, true
	return q
}

func (s *Sojourn) bisect(p float64) float64 {
	if s.Infinite() {
		return math.Inf(1)
	}
	if d, ok := s.deterministic(); ok {
		return d
	}
	lo, hi := 0.0, s.upper(1-p)
	for hi > 0 && s.CDF(hi) < p {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if s.CDF(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// Backlog is what piles up in a queue while its consumers are stopped for
// outage seconds with messages arriving at in per second, and how long the
// consumers, processing out per second, take to drain it afterwards while
// messages keep arriving: backlog = in × outage, drain = backlog/(out − in)
// (+Inf when out ≤ in: the backlog never drains).
func Backlog(in, out, outage float64) (messages, drain float64) {
	messages = in * outage
	if out <= in {
		return messages, math.Inf(1)
	}
	return messages, messages / (out - in)
}

// LittleInFlight is Little's law: the mean number of requests in a system
// that receives lambda per second and keeps each for mean seconds.
func LittleInFlight(lambda, mean float64) float64 { return lambda * mean }

// hasOrder reports whether part of the distribution is an order statistic.
func (s *Sojourn) hasOrder() bool {
	for _, t := range s.terms {
		if t.ord != nil {
			return true
		}
	}
	return false
}
