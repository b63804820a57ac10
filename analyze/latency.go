package analyze

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// A flow's latency is the sum of the sojourns of its hops, each hop visited
// as many times as calls per request reach it. A hop with calls m per request
// is visited ⌊m⌋ times, plus once more with probability m − ⌊m⌋ (0.2 calls
// per request: one visit for one request in five); the visits and the hops
// are independent. The mean is exact: Σ m × mean sojourn.
//
// The p99 composes the distributions, it does not add p99s (two exponential
// hops of mean 10 ms have p99 66.38 ms, not 2 × 46.05 = 92.10). The method,
// deterministic and exact in the cases that allow it:
//
//  1. Fixed delays visited a whole number of times shift the sum exactly.
//  2. With one random hop visited once and nothing else random, the p99 is
//     that hop's exact quantile (bisection on its CDF) plus the shift.
//  3. Otherwise the random parts are discretized on one grid of gridPoints
//     points of step h = T/(gridPoints − 1), where T is the sum of each
//     part's (1 − 10⁻⁷)-quantile times its visits (so the sum lies on the
//     grid but for a mass of at most 10⁻⁷ per part): point k holds the
//     probability of [(k − ½)h, (k + ½)h) under the part's exact CDF (a
//     fixed delay visited with a probability splits its mass over the two
//     grid points around it, keeping its mean). The distribution of the
//     sum is the product of the parts' discrete Fourier transforms (a hop
//     visited n times raises its transform to the power n; a visit with
//     probability q is (1 − q) + q × its transform), transformed back once.
//     The p99 is read off the cumulative sum, each grid point's mass spread
//     evenly over its cell. The error is a small fraction of h: for the two
//     exponential hops, h ≈ 0.08 ms and the p99 comes out within 0.001 ms of
//     the exact 66.3835 ms.
const gridPoints = 4096

// visit is one hop of a flow: its sojourn and the visits per request.
type visit struct {
	s     *Sojourn
	calls float64
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

// composer holds the FFT of the grid, reused across flows.
type composer struct {
	fft *fourier.FFT
}

func newComposer() *composer { return &composer{} }

// quantile returns the p-quantile (seconds) of the sum of the visits.
func (cm *composer) quantile(vs []visit, p float64) float64 {
	type part struct {
		s     *Sojourn
		whole int
		frac  float64
		atom  float64 // a fixed delay visited with probability frac
		fixed bool
	}
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
		if d, ok := v.s.deterministic(); ok {
			shift += whole * d
			if frac > 0 && d > 0 {
				parts = append(parts, part{atom: d, frac: frac, fixed: true})
			}
			continue
		}
		parts = append(parts, part{s: v.s, whole: int(whole), frac: frac})
	}
	switch {
	case len(parts) == 0:
		return shift
	case len(parts) == 1 && !parts[0].fixed && parts[0].whole == 1 && parts[0].frac == 0:
		return shift + parts[0].s.Quantile(p)
	}
	T := 0.0
	for _, pt := range parts {
		if pt.fixed {
			T += pt.atom
			continue
		}
		visits := float64(pt.whole)
		if pt.frac > 0 {
			visits++
		}
		T += visits * pt.s.Quantile(1-1e-7)
	}
	if T <= 0 || math.IsInf(T, 0) || math.IsNaN(T) {
		return shift
	}
	L := gridPoints
	h := T / float64(L-1)
	if cm.fft == nil {
		cm.fft = fourier.NewFFT(L)
	}
	total := make([]complex128, L/2+1)
	for i := range total {
		total[i] = 1
	}
	mass := make([]float64, L)
	var coef []complex128
	for _, pt := range parts {
		clear(mass)
		if pt.fixed {
			k := pt.atom / h
			lo := math.Floor(k)
			if int(lo) >= L-1 {
				mass[L-1] = 1
			} else {
				mass[int(lo)] = 1 - (k - lo)
				mass[int(lo)+1] = k - lo
			}
		} else {
			prev := 0.0
			for k := range L {
				f := pt.s.CDF((float64(k) + 0.5) * h)
				mass[k] = f - prev
				prev = f
			}
		}
		coef = cm.fft.Coefficients(coef, mass)
		for i, c := range coef {
			t := cpow(c, pt.whole)
			if pt.frac > 0 {
				t *= complex(1-pt.frac, 0) + complex(pt.frac, 0)*c
			}
			total[i] *= t
		}
	}
	seq := cm.fft.Sequence(mass, total)
	cum := 0.0
	for k, m := range seq {
		m = math.Max(m/float64(L), 0)
		if cum+m >= p {
			t := (float64(k) - 0.5 + (p-cum)/m) * h
			return shift + math.Max(t, 0)
		}
		cum += m
	}
	return shift + T
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
