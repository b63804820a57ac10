package analyze

import "math"

// How many times a request visits each tier of its flow.
//
// A call made m times per visit of its caller, each reaching the callee with
// probability q (a cache miss, a load balancer's share, a fraction of
// per_request), reaches it Binomial(m, q) times; visits from a caller
// visited N times add up, N draws of that (a compound distribution); visits
// over independent calls add up, a convolution. A tier's latency then
// composes over the whole distribution of its visits (latency.go), not over
// ⌊mean⌋ visits plus one more with a probability: two calls per request,
// each a miss with probability 0.25, reach the origin 0, 1 or 2 times with
// probability 0.5625, 0.375 and 0.0625, where ⌊0.5⌋ + Bernoulli(0.5) would
// give 0 or 1 with 0.5 each.
//
// A read_write flow's request is a read or a write: the distributions are
// computed for each class of the entry and mixed by the flow's read ratio,
// so that a tier every request visits once is visited exactly once. Calls of
// one request are taken as independent of one another (a load balancer's
// targets each get their share, independently). Flows that go round a
// cycle keep the mean-based approximation.

// countDist is a distribution of a number of visits: P(N = lo + i) = p[i].
type countDist struct {
	lo int
	p  []float64
}

// maxCounts bounds a distribution's support: beyond it a tier keeps the
// mean-based approximation.
const maxCounts = 4096

func delta(n int) countDist { return countDist{lo: n, p: []float64{1}} }

func (d countDist) ok() bool { return d.p != nil }

// point reports whether d is a single value.
func (d countDist) point() (int, bool) {
	if len(d.p) == 1 {
		return d.lo, true
	}
	return 0, false
}

// mean is E[N].
func (d countDist) mean() float64 {
	m := 0.0
	for i, x := range d.p {
		m += float64(d.lo+i) * x
	}
	return m
}

// moments returns E[N] and Var(N).
func (d countDist) moments() (mean, variance float64) {
	m := d.mean()
	v := 0.0
	for i, x := range d.p {
		k := float64(d.lo+i) - m
		v += k * k * x
	}
	return m, v
}

// max is the largest count with positive probability.
func (d countDist) max() int { return d.lo + len(d.p) - 1 }

// trim drops negligible tails (below 10⁻¹⁵ together each side).
func (d countDist) trim() countDist {
	lo, hi := 0, len(d.p)
	for s := 0.0; lo < hi-1 && s+d.p[lo] < 1e-15; lo++ {
		s += d.p[lo]
	}
	for s := 0.0; hi-1 > lo && s+d.p[hi-1] < 1e-15; hi-- {
		s += d.p[hi-1]
	}
	return countDist{lo: d.lo + lo, p: d.p[lo:hi]}
}

// conv is the distribution of the sum of independent a and b.
func conv(a, b countDist) countDist {
	if !a.ok() || !b.ok() || len(a.p)+len(b.p)-1 > maxCounts {
		return countDist{}
	}
	if n, ok := a.point(); ok {
		return countDist{lo: n + b.lo, p: b.p}
	}
	if n, ok := b.point(); ok {
		return countDist{lo: n + a.lo, p: a.p}
	}
	out := make([]float64, len(a.p)+len(b.p)-1)
	for i, x := range a.p {
		if x == 0 {
			continue
		}
		for j, y := range b.p {
			out[i+j] += x * y
		}
	}
	return countDist{lo: a.lo + b.lo, p: out}.trim()
}

// mixDist is Σ w_i d_i (weights summing to 1).
func mixDist(ds []countDist, ws []float64) countDist {
	lo, hi := math.MaxInt, math.MinInt
	for i, d := range ds {
		if ws[i] == 0 {
			continue
		}
		if !d.ok() {
			return countDist{}
		}
		lo, hi = min(lo, d.lo), max(hi, d.max())
	}
	if lo > hi {
		return delta(0)
	}
	out := make([]float64, hi-lo+1)
	for i, d := range ds {
		for j, x := range d.p {
			out[d.lo-lo+j] += ws[i] * x
		}
	}
	return countDist{lo: lo, p: out}.trim()
}

// binomialDist is Binomial(m, q).
func binomialDist(m int, q float64) countDist {
	switch {
	case q >= 1:
		return delta(m)
	case q <= 0 || m == 0:
		return delta(0)
	}
	p := make([]float64, m+1)
	// P(k) by the ratio P(k)/P(k−1) = (m − k + 1)/k · q/(1 − q), from P(0) in
	// logs (no underflow for large m).
	logP := float64(m) * math.Log1p(-q)
	r := math.Log(q) - math.Log1p(-q)
	for k := 0; k <= m; k++ {
		if k > 0 {
			logP += math.Log(float64(m-k+1)/float64(k)) + r
		}
		p[k] = math.Exp(logP)
	}
	return countDist{p: p}.trim()
}

// perVisit is the distribution of the visits one visit of a caller makes
// through a call of per_request m whose calls each arrive with probability
// q: ⌊m⌋ calls and one more with probability m − ⌊m⌋, each thinned by q.
func perVisit(m, q float64) countDist {
	whole := math.Floor(m + 1e-9)
	frac := m - whole
	if frac < 1e-9 {
		frac = 0
	}
	if whole+1 > maxCounts {
		return countDist{}
	}
	b := binomialDist(int(whole), q)
	if frac == 0 {
		return b
	}
	return mixDist([]countDist{b, binomialDist(int(whole)+1, q)}, []float64{1 - frac, frac})
}

// compound is the distribution of the sum of N independent draws of b.
func compound(n, b countDist) countDist {
	if !n.ok() || !b.ok() {
		return countDist{}
	}
	if k, ok := b.point(); ok { // every draw is k: N·k
		if k == 0 {
			return delta(0)
		}
		if n.max()*k+1 > maxCounts {
			return countDist{}
		}
		out := make([]float64, (len(n.p)-1)*k+1)
		for i, x := range n.p {
			out[i*k] = x
		}
		return countDist{lo: n.lo * k, p: out}
	}
	ds := make([]countDist, 0, len(n.p))
	ws := make([]float64, 0, len(n.p))
	pow := delta(0)
	for i := 0; i <= n.max(); i++ {
		if i >= n.lo {
			ds, ws = append(ds, pow), append(ws, n.p[i-n.lo])
		}
		if i < n.max() {
			if pow = conv(pow, b); !pow.ok() {
				return countDist{}
			}
		}
	}
	return mixDist(ds, ws)
}

// visitCounts returns the distribution of the visits of each hop of the flow
// (by tier key), or nil when the flow goes round a cycle. sorted is the
// flow's components in topological order, e its entry, weights the share of
// its requests of each class, keyOf a state's hop.
func (fw *flowWalker) visitCounts(p *propagation, sorted []int, e int, weights flowVec, keyOf func(state) tierKey) map[tierKey]countDist {
	g := fw.cp.g
	for i, v := range sorted {
		if g.selfLoop[g.scc[v]] || (i > 0 && g.scc[sorted[i-1]] == g.scc[v]) {
			return nil
		}
	}
	var cases []int
	for ch := range nch {
		if weights[ch] > 0 {
			cases = append(cases, ch)
		}
	}
	// The maps are the walker's, emptied here: the result is read before
	// the next flow's.
	perCase := make([]map[tierKey]countDist, len(cases))
	for ci, start := range cases {
		if len(fw.vcStates) <= ci {
			fw.vcStates = append(fw.vcStates, map[state]countDist{})
			fw.vcHops = append(fw.vcHops, map[tierKey]countDist{})
		}
		states, hops := fw.vcStates[ci], fw.vcHops[ci]
		clear(states)
		clear(hops)
		for _, v := range sorted {
			var x [nch]countDist
			for ch := range nch {
				x[ch] = delta(0)
			}
			if v == e {
				x[start] = delta(1)
			}
			for _, li := range g.in[v] {
				l := &g.links[li]
				if !l.path || l.toCh == chM || !p.in[l.from] {
					continue
				}
				c := p.coef(l)
				if c <= 0 {
					continue
				}
				src := delta(0)
				for ch := range nch {
					if l.mask[ch] {
						if d, ok := states[state{l.from, ch}]; ok {
							src = conv(src, d)
						}
					}
				}
				m := 1.0
				if l.kind == linkCall && l.call != nil && !p.isDown(l.from) {
					m = l.call.PerRequest
				}
				q := c / m
				if q > 1+1e-9 { // more than m per visit: m = c calls that all arrive
					m, q = c, 1
				}
				x[l.toCh] = conv(x[l.toCh], compound(src, perVisit(m, math.Min(q, 1))))
			}
			for ch := range nch {
				if ch == chM && v != e { // messages start a consumer's walk only
					continue
				}
				if !x[ch].ok() {
					return nil
				}
				if n, ok := x[ch].point(); ok && n == 0 {
					continue
				}
				st := state{v, ch}
				states[st] = x[ch]
				k := keyOf(st)
				if d, ok := hops[k]; ok {
					hops[k] = conv(d, x[ch])
				} else {
					hops[k] = x[ch]
				}
			}
		}
		perCase[ci] = hops
	}
	if len(cases) == 1 {
		return perCase[0]
	}
	out := map[tierKey]countDist{}
	ws := make([]float64, len(cases))
	total := 0.0
	for i, ch := range cases {
		ws[i] = weights[ch]
		total += ws[i]
	}
	for i := range ws {
		ws[i] /= total
	}
	for _, hops := range perCase {
		for k := range hops {
			if _, done := out[k]; done {
				continue
			}
			ds := make([]countDist, len(cases))
			for i, h := range perCase {
				if d, ok := h[k]; ok {
					ds[i] = d
				} else {
					ds[i] = delta(0)
				}
			}
			out[k] = mixDist(ds, ws)
		}
	}
	return out
}
