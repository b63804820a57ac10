package analyze

import (
	"encoding/binary"
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/dsp/fourier"
)

// A flow's latency is the sum of the sojourns of its hops, each hop visited
// as many times as calls per request reach it: a distribution of visits
// (visits.go; without one, ⌊m⌋ visits plus one more with probability
// m − ⌊m⌋ for calls m per request); the visits and the hops are
// independent. The mean is exact: Σ m × mean sojourn.
//
// The p99 composes the distributions, it does not add p99s (two exponential
// hops of mean 10 ms have p99 66.38 ms, not 2 × 46.05 = 92.10). The method is
// deterministic, and exact or within a few microseconds:
//
//  1. Fixed delays visited a whole number of times shift the sum exactly.
//  2. With one random hop visited once and nothing else random, the p99 is
//     that hop's exact quantile (bisection on its CDF) plus the shift.
//  3. Past 8 random visits, Fourier inversion (inversionQuantile): the sum's
//     characteristic function is the product of the hops' closed forms, and
//     the Gil-Pelaez integral gives its CDF exactly to about 10⁻¹².
//  4. Otherwise (or when the inversion would need too many points) the
//     random parts are discretized on one grid of L = gridPoints points
//     (a quarter of it past 32 random visits, an eighth past 64: the sum of
//     many parts is smooth on the grid's scale) of step h = T/(L − 1), where T bounds the sum: its mean + 12 standard
//     deviations + the largest part's (1 − 10⁻⁷)-quantile, at most the sum
//     of every visit's (1 − 10⁻⁷)-quantile (so that the mass beyond the grid,
//     which would wrap around, is negligible). Point k holds the probability
//     of [(k − ½)h, (k + ½)h) under the part's exact CDF (a fixed delay
//     visited with a probability splits its mass over the two grid points
//     around it, keeping its mean). The distribution of the sum is the
//     product of the parts' discrete Fourier transforms (a hop visited n
//     times raises its transform to the power n; a visit with probability q
//     is (1 − q) + q × its transform), transformed back once. The p99 is
//     read off the cumulative sum, each grid point's mass spread evenly over
//     its cell. The grid's error is mostly h² (each rounded part gains a
//     variance of h²/12), so the sum is computed on two grids, of L and L/2
//     points, and the error extrapolated away (Richardson). Two exponential
//     hops of mean 10 ms give 66.3836 ms (exact 66.38347).
const gridPoints = 4096

// visit is one hop of a flow: its sojourn and the visits per request.
type visit struct {
	s     *Sojourn
	calls float64
	// counts is the distribution of the visits (visits.go); without it a
	// hop is visited ⌊calls⌋ times and once more with probability
	// calls − ⌊calls⌋.
	counts countDist
}

// composeMean is Σ calls × mean sojourn, in seconds.
func composeMean(vs []visit) float64 {
	m := 0.0
	for _, v := range vs {
		if v.calls > 0 {
			m += v.calls * v.s.Mean()
		}
	}
	return m
}

// composer holds the FFTs of the grids and the grids' scratch space, reused
// across flows: a flow composed on the grid would otherwise allocate four
// slices of up to gridPoints values per grid, two grids per flow.
type composer struct {
	fft map[int]*fourier.FFT
	// total, coef and mass are sized for the largest grid used so far and
	// sliced to each grid's length.
	total, coef []complex128
	mass        []float64
	// stats counts the flows by method and the random parts composed, and
	// the quantiles answered from memo, for the benchmarks.
	stats struct{ exact, inversion, grid, parts, gridParts, memo int }
	// memo holds every quantile composed, keyed by its visits' values
	// (memoKey): the same distributions visited the same way have the same
	// quantile, however many flows and scenarios ask for it (a flow that a
	// scenario reaches without changing any of its tiers' distributions, a
	// flow through tiers declared alike).
	memo map[string]float64
	key  []byte
	// ords numbers the numeric terms (order statistics, retried calls),
	// which the key names by identity.
	ords map[numeric]uint64
}

func newComposer() *composer {
	return &composer{fft: map[int]*fourier.FFT{}, memo: map[string]float64{}, ords: map[numeric]uint64{}}
}

// quantile returns the p-quantile (seconds) of the sum of the visits: from
// the memo when the same visits were composed before (the result is then
// the same to the bit), else composed.
func (cm *composer) quantile(vs []visit, p float64) float64 {
	key := cm.memoKey(vs, p)
	if q, ok := cm.memo[string(key)]; ok {
		cm.stats.memo++
		return q
	}
	q := cm.compose(vs, p)
	cm.memo[string(key)] = q
	return q
}

// memoKey writes into cm.key every value compose reads: p, and of each
// visit its calls, its count distribution and its distribution's terms (a
// numeric term by identity).
func (cm *composer) memoKey(vs []visit, p float64) []byte {
	k := binary.LittleEndian.AppendUint64(cm.key[:0], math.Float64bits(p))
	u := func(x uint64) { k = binary.LittleEndian.AppendUint64(k, x) }
	f := func(x float64) { u(math.Float64bits(x)) }
	for _, v := range vs {
		f(v.calls)
		u(uint64(v.counts.lo))
		u(uint64(len(v.counts.p)))
		if v.counts.p == nil {
			u(0)
		} else {
			u(1)
		}
		for _, x := range v.counts.p {
			f(x)
		}
		u(uint64(len(v.s.terms)))
		for _, t := range v.s.terms {
			f(t.w)
			f(t.delay)
			f(t.mu)
			f(t.pw)
			f(t.theta)
			var flags, ord uint64
			if t.inf {
				flags = 1
			}
			if t.ord != nil {
				id, ok := cm.ords[t.ord]
				if !ok {
					id = uint64(len(cm.ords)) + 1
					cm.ords[t.ord] = id
				}
				ord = id
			}
			u(flags)
			u(ord)
		}
	}
	cm.key = k
	return k
}

// part is a random part of a flow's latency: a sojourn visited whole times
// and once more with probability frac, or a fixed delay (atom) visited with
// probability frac.
type part struct {
	s     *Sojourn
	whole int
	frac  float64
	atom  float64
	fixed bool
	// counts, when set, replaces whole and frac: the part is visited N
	// times with N of that distribution.
	counts countDist
}

// pow is the transform of the part's visits given c, one visit's: c^whole ×
// ((1 − frac) + frac·c), or Σ P(N = k)·c^k.
func (pt *part) pow(c complex128) complex128 {
	if pt.counts.ok() {
		var t complex128
		for i := len(pt.counts.p) - 1; i >= 0; i-- { // Horner
			t = t*c + complex(pt.counts.p[i], 0)
		}
		return t * cpow(c, pt.counts.lo)
	}
	t := cpow(c, pt.whole)
	if pt.frac > 0 {
		t *= complex(1-pt.frac, 0) + complex(pt.frac, 0)*c
	}
	return t
}

// visitMoments returns E[N] and Var(N) of the part's visits.
func (pt *part) visitMoments() (mean, variance float64) {
	if pt.counts.ok() {
		return pt.counts.moments()
	}
	return float64(pt.whole) + pt.frac, pt.frac * (1 - pt.frac)
}

// maxVisits is the largest number of visits the part makes.
func (pt *part) maxVisits() int {
	if pt.counts.ok() {
		return pt.counts.max()
	}
	if pt.frac > 0 {
		return pt.whole + 1
	}
	return pt.whole
}

// compose returns the p-quantile (seconds) of the sum of the visits.
func (cm *composer) compose(vs []visit, p float64) float64 {
	shift := 0.0
	var parts []part
	for _, v := range vs {
		if v.calls <= 0 {
			continue
		}
		if v.s.Infinite() {
			return math.Inf(1)
		}
		whole := math.Floor(v.calls + 1e-9)
		frac := v.calls - whole
		if frac < 1e-9 {
			frac = 0
		}
		counts := v.counts
		if counts.ok() {
			// A distribution ⌊m⌋ or ⌊m⌋ + 1 is the mean-based form.
			switch len(counts.p) {
			case 1:
				whole, frac, counts = float64(counts.lo), 0, countDist{}
			case 2:
				whole, frac, counts = float64(counts.lo), counts.p[1], countDist{}
			}
		}
		if d, ok := v.s.deterministic(); ok {
			switch {
			case counts.ok():
				// The visits always made shift the sum; the rest vary.
				shift += float64(counts.lo) * d
				if d > 0 {
					parts = append(parts, part{atom: d, fixed: true, counts: countDist{p: counts.p}})
				}
			default:
				shift += whole * d
				if frac > 0 && d > 0 {
					parts = append(parts, part{atom: d, frac: frac, fixed: true})
				}
			}
			continue
		}
		parts = append(parts, part{s: v.s, whole: int(whole), frac: frac, counts: counts})
	}
	// Parts whose variance is negligible next to the sum's (together below
	// 10⁻⁶ of it) count by their mean: leaving out a variance v moves a
	// quantile z standard deviations out by about z·σ·v/2V, here ~10⁻⁶ σ.
	type moment struct{ mean, variance float64 }
	ms := make([]moment, len(parts))
	total := 0.0
	for i, pt := range parts {
		m1, m2 := pt.atom, pt.atom*pt.atom
		if !pt.fixed {
			m1, m2 = pt.s.moments()
		}
		en, vn := pt.visitMoments()
		ms[i] = moment{en * m1, math.Max(0, en*(m2-m1*m1)+vn*m1*m1)}
		total += ms[i].variance
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ms[order[a]].variance < ms[order[b]].variance })
	drop := make([]bool, len(parts))
	dropped := 0.0
	for _, i := range order {
		if dropped+ms[i].variance > 1e-6*total {
			break
		}
		dropped += ms[i].variance
		drop[i] = true
		shift += ms[i].mean
	}
	kept := parts[:0:0]
	for i, pt := range parts {
		if !drop[i] {
			kept = append(kept, pt)
		}
	}
	parts = kept
	switch {
	case len(parts) == 0:
		cm.stats.exact++
		return shift
	case len(parts) == 1 && !parts[0].fixed && !parts[0].counts.ok() && parts[0].whole == 1 && parts[0].frac == 0:
		cm.stats.exact++
		return shift + parts[0].s.Quantile(p)
	}
	cm.stats.parts += len(parts)
	// The grid spans T: the sum's mean + 12 standard deviations + the
	// largest single part's (1 − 10⁻⁷)-quantile, and never more than the sum
	// of every visit's (1 − 10⁻⁷)-quantile (a bound the sum exceeds with
	// probability at most 10⁻⁷ per visit).
	mean, variance, sumQ, maxQ, visits := 0.0, 0.0, 0.0, 0.0, 0
	for _, pt := range parts {
		var m1, m2, q float64
		if pt.fixed {
			m1, m2, q = pt.atom, pt.atom*pt.atom, pt.atom
		} else {
			m1, m2 = pt.s.moments()
			q = pt.s.Quantile(1 - 1e-7)
		}
		visits += pt.maxVisits()
		en, vn := pt.visitMoments()
		mean += en * m1
		variance += en*(m2-m1*m1) + vn*m1*m1
		n := float64(pt.maxVisits())
		sumQ += n * q
		maxQ = math.Max(maxQ, q)
	}
	T := math.Min(sumQ, mean+12*math.Sqrt(math.Max(variance, 0))+maxQ)
	if T <= 0 || math.IsInf(T, 0) || math.IsNaN(T) {
		return shift
	}
	if visits > 8 {
		if q, ok := inversionQuantile(parts, T, p); ok {
			cm.stats.inversion++
			return shift + q
		}
	}
	cm.stats.grid++
	cm.stats.gridParts += len(parts)
	// The grid's error is a smooth function of h, mostly h² (each rounded
	// part gains a variance of h²/12): two grids, of L and L/2 points,
	// extrapolate it away (Richardson).
	L := gridPoints
	switch { // the sum of many parts is smooth on the grid's scale
	case visits > 64:
		L = gridPoints / 8
	case visits > 32:
		L = gridPoints / 4
	}
	h1, h2 := T/float64(L-1), T/float64(L/2-1)
	q1, q2 := cm.gridQuantile(parts, L, h1, p), cm.gridQuantile(parts, L/2, h2, p)
	q := (q1*h2*h2 - q2*h1*h1) / (h2*h2 - h1*h1)
	if math.IsNaN(q) || math.Abs(q-q1) > 0.05*q1 { // not in the asymptotic regime
		q = q1
	}
	return shift + math.Max(q, 0)
}

// inversionQuantile is the p-quantile of the sum of many parts by Fourier
// inversion (Gil-Pelaez): with φ the sum's characteristic function, the
// product of the parts' closed forms,
//
//	F(x) = ½ − (1/π) ∫_0^∞ Im(e^{−iωx}·φ(ω))/ω dω,
//
// integrated by the midpoint rule with step π/T (so that the aliased mass
// lies beyond T either side) up to where |φ|/ω of the random parts is below
// 10⁻¹¹. The sum of many parts has a φ that falls fast: a few hundred
// points suffice, and the result is exact to about 10⁻¹² (forty exponential
// hops of 10 ms: 561.643963 ms, the Erlang-40 quantile). It reports false
// when more than 2¹⁶ points would be needed (few parts, parts of very
// different scales, or parts visited only sometimes, whose φ does not fall
// to 0); the grid method takes over then.
func inversionQuantile(parts []part, T, p float64) (float64, bool) {
	dw := math.Pi / T
	const maxN = 1 << 16
	// |φ| of a sojourn is at most Σ w·min(1, μ/ω) over its queue terms
	// (+ w for a delay term): check that the bound falls below 10⁻¹¹·ω
	// within reach before computing anything.
	bound := func(w float64) float64 {
		b := 1 / w
		for _, pt := range parts {
			if pt.fixed {
				continue
			}
			m := 0.0
			for _, x := range pt.s.terms {
				if x.mu == 0 {
					m += x.w
				} else {
					m += x.w * math.Min(1, x.mu/w)
				}
			}
			b *= real(pt.pow(complex(m, 0)))
		}
		return b
	}
	for _, pt := range parts {
		if !pt.fixed && pt.s.hasOrder() {
			return 0, false // no closed-form characteristic function
		}
	}
	if bound(maxN*dw) >= 1e-11 {
		return 0, false
	}
	var phi []complex128
	small := 0
	for j := 0; j < maxN && small < 8; j++ {
		w := (float64(j) + 0.5) * dw
		prod, random := complex(1, 0), 1.0
		for _, pt := range parts {
			var c complex128
			if pt.fixed {
				c = cmplx.Exp(complex(0, w*pt.atom))
			} else {
				c = pt.s.charf(w)
			}
			t := pt.pow(c)
			prod *= t
			if !pt.fixed {
				random *= real(t)*real(t) + imag(t)*imag(t)
			}
		}
		phi = append(phi, prod)
		if random < 1e-22*w*w { // |φ|/ω < 10⁻¹¹
			small++
		} else {
			small = 0
		}
	}
	if small < 8 {
		return 0, false
	}
	cdf := func(x float64) float64 {
		step := cmplx.Exp(complex(0, -dw*x))
		rot := cmplx.Exp(complex(0, -dw*x/2))
		sum := 0.0
		for j, ph := range phi {
			sum += imag(rot*ph) / (float64(j) + 0.5)
			rot *= step
		}
		return 0.5 - sum/math.Pi
	}
	lo, hi := 0.0, T
	for range 100 {
		mid := (lo + hi) / 2
		if cdf(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-12*hi {
			break
		}
	}
	return (lo + hi) / 2, true
}

// charf is the characteristic function E[e^{iωT}]: a fixed delay d gives
// e^{iωd}; an M/M/c sojourn μ/(μ − iω)·((1 − C) + C·θ/(θ − iω)).
func (s *Sojourn) charf(w float64) complex128 {
	var c complex128
	for _, x := range s.terms {
		if x.mu == 0 {
			c += complex(x.w, 0) * cmplx.Exp(complex(0, w*x.delay))
			continue
		}
		iw := complex(0, w)
		t := complex(x.mu, 0) / (complex(x.mu, 0) - iw)
		if x.pw > 0 {
			t *= complex(1-x.pw, 0) + complex(x.pw*x.theta, 0)/(complex(x.theta, 0)-iw)
		}
		c += complex(x.w, 0) * t
	}
	return c
}

// gridQuantile is the p-quantile of the sum of the parts on a grid of L
// points of step h.
func (cm *composer) gridQuantile(parts []part, L int, h, p float64) float64 {
	fft := cm.fft[L]
	if fft == nil {
		fft = fourier.NewFFT(L)
		cm.fft[L] = fft
	}
	if len(cm.mass) < L {
		cm.total, cm.coef, cm.mass = make([]complex128, L/2+1), make([]complex128, L/2+1), make([]float64, L)
	}
	total, coef, mass := cm.total[:L/2+1], cm.coef[:L/2+1], cm.mass[:L]
	for i := range total {
		total[i] = 1
	}
	for _, pt := range parts {
		clear(mass)
		if pt.fixed {
			addAtom(mass, pt.atom/h, 1)
		} else {
			pt.s.grid(mass, h)
		}
		coef = fft.Coefficients(coef, mass)
		for i, c := range coef {
			total[i] *= pt.pow(c)
		}
	}
	seq := fft.Sequence(mass, total) // mass is free again: the sequence overwrites it
	cum := 0.0
	for k, m := range seq {
		m = math.Max(m/float64(L), 0)
		if cum+m >= p {
			return (float64(k) - 0.5 + (p-cum)/m) * h
		}
		cum += m
	}
	return float64(L-1) * h
}

// addAtom adds mass w at grid position k (fractional), split over the two
// grid points around it so that the mean is kept.
func addAtom(mass []float64, k, w float64) {
	lo := math.Floor(k)
	if int(lo) >= len(mass)-1 {
		mass[len(mass)-1] += w
		return
	}
	mass[int(lo)] += w * (1 - (k - lo))
	mass[int(lo)+1] += w * (k - lo)
}

// grid adds the distribution's probabilities to mass: point k gets the
// probability of [(k − ½)h, (k + ½)h) (point 0 of [0, h/2)). The survival
// at the cell edges comes from recurrences of e^{−μh} and e^{−θh}, not one
// exponential per point.
func (s *Sojourn) grid(mass []float64, h float64) {
	L := len(mass)
	for _, x := range s.terms {
		if x.ord != nil {
			prev := 1.0
			for k := range L {
				surv := x.ord.survival((float64(k) + 0.5) * h)
				mass[k] += x.w * (prev - surv)
				prev = surv
			}
			continue
		}
		if x.mu == 0 {
			addAtom(mass, x.delay/h, x.w)
			continue
		}
		// S(t) = e^{−μt} + pw·μ·H(t), H(t) = (e^{−μt} − e^{−θt})/δ, δ = θ − μ,
		// and H(t) = t·e^{−μt}(1 − δt/2 + δ²t²/6) where δt is tiny.
		em, rm := math.Exp(-x.mu*h/2), math.Exp(-x.mu*h)
		et, rt := math.Exp(-x.theta*h/2), math.Exp(-x.theta*h)
		d := x.theta - x.mu
		series := math.Abs(d)*h*float64(L) < 1e-3
		prev := 1.0
		for k := range L {
			t := (float64(k) + 0.5) * h
			surv := em
			if x.pw > 0 {
				var H float64
				if series {
					H = t * em * (1 - d*t/2 + d*d*t*t/6)
				} else {
					H = (em - et) / d
				}
				surv += x.pw * x.mu * H
			}
			mass[k] += x.w * (prev - surv)
			prev = surv
			em *= rm
			et *= rt
		}
	}
}

// moments returns E[T] and E[T²] in seconds and seconds².
func (s *Sojourn) moments() (m1, m2 float64) {
	for _, x := range s.terms {
		if x.ord != nil {
			o1, o2 := x.ord.moments()
			m1 += x.w * o1
			m2 += x.w * o2
			continue
		}
		if x.mu == 0 {
			m1 += x.w * x.delay
			m2 += x.w * x.delay * x.delay
			continue
		}
		// T = S + W: S ~ Exp(μ); W = 0 or, with probability pw, Exp(θ).
		es, es2 := 1/x.mu, 2/(x.mu*x.mu)
		var ew, ew2 float64
		if x.pw > 0 {
			ew, ew2 = x.pw/x.theta, 2*x.pw/(x.theta*x.theta)
		}
		m1 += x.w * (es + ew)
		m2 += x.w * (es2 + 2*es*ew + ew2)
	}
	return m1, m2
}

// cpow is c^n for n ≥ 0, by squaring.
func cpow(c complex128, n int) complex128 {
	r := complex(1, 0)
	for n > 0 {
		if n&1 == 1 {
			r *= c
		}
		c *= c
		n >>= 1
	}
	return r
}
