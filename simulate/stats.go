package simulate

import (
	"math"
)

// histogram counts latencies in buckets of 1/1024 of an octave (the
// exponent and the top 10 bits of the mantissa of the float64), from 2⁻²⁴ s
// (60 ns) to 2¹⁰ s; a quantile is interpolated within its bucket, so that
// it is exact to well under 0.1%.
type histogram struct {
	counts []uint32
	n      uint64
	sum    float64
}

const (
	histBits   = 10
	histMinExp = -24
	histMaxExp = 10
)

func newHistogram() *histogram {
	return &histogram{counts: make([]uint32, (histMaxExp-histMinExp)<<histBits)}
}

func bucketOf(x float64) int {
	if x <= 0 {
		return 0
	}
	frac, exp := math.Frexp(x) // x = frac · 2^exp, frac in [0.5, 1)
	exp--                      // x = (2·frac) · 2^exp, 2·frac in [1, 2)
	if exp < histMinExp {
		return 0
	}
	if exp >= histMaxExp {
		return (histMaxExp-histMinExp)<<histBits - 1
	}
	m := int((2*frac - 1) * (1 << histBits))
	return (exp-histMinExp)<<histBits | m
}

// bucketBounds returns the interval a bucket holds.
func bucketBounds(b int) (lo, hi float64) {
	exp := b>>histBits + histMinExp
	m := b & (1<<histBits - 1)
	base := math.Ldexp(1, exp)
	return base * (1 + float64(m)/(1<<histBits)), base * (1 + float64(m+1)/(1<<histBits))
}

func (h *histogram) add(x float64) {
	h.counts[bucketOf(x)]++
	h.n++
	h.sum += x
}

func (h *histogram) mean() float64 {
	if h.n == 0 {
		return math.NaN()
	}
	return h.sum / float64(h.n)
}

func (h *histogram) quantile(p float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	target := p * float64(h.n)
	cum := 0.0
	for b, c := range h.counts {
		if c == 0 {
			continue
		}
		if cum+float64(c) >= target {
			lo, hi := bucketBounds(b)
			return lo + (hi-lo)*(target-cum)/float64(c)
		}
		cum += float64(c)
	}
	lo, _ := bucketBounds(len(h.counts) - 1)
	return lo
}

// flowStats are one flow's counts in one replication.
type flowStats struct {
	hist      *histogram
	requests  uint64
	timeouts  uint64 // failed: a call ran out of tries
	downFails uint64 // failed: a tier it needs is down
}

// repStats are one replication's measurements (after the warm-up).
type repStats struct {
	window float64
	flows  []flowStats
	// byEntry lists, per component × nClass + class, the flows a request
	// counts in.
	byEntry [][]int
	visits  []uint64 // per component
	// sojourn sums the time from arrival to the end of service of the
	// visits served (served counts them), per component.
	sojourn []float64
	served  []uint64
	calls   []uint64 // per counted call: first tries
	tries   []uint64
	// util holds each component's instances' utilization.
	util [][]float64
}

func newRepStats(m *model) *repStats {
	s := &repStats{flows: make([]flowStats, len(m.flows)), byEntry: make([][]int, len(m.comps)*nClass),
		visits: make([]uint64, len(m.comps)), sojourn: make([]float64, len(m.comps)), served: make([]uint64, len(m.comps)), calls: make([]uint64, len(m.calls)), tries: make([]uint64, len(m.calls))}
	for i, f := range m.flows {
		s.flows[i].hist = newHistogram()
		if f.read {
			s.byEntry[f.entry*nClass+classRead] = append(s.byEntry[f.entry*nClass+classRead], i)
		}
		if f.write {
			s.byEntry[f.entry*nClass+classWrite] = append(s.byEntry[f.entry*nClass+classWrite], i)
		}
	}
	return s
}

func (s *repStats) request(entry, class int, latency float64, failed, timeout bool) {
	for _, fi := range s.byEntry[entry*nClass+class] {
		f := &s.flows[fi]
		f.requests++
		switch {
		case failed && !timeout:
			f.downFails++
			continue
		case failed:
			f.timeouts++
		}
		f.hist.add(latency)
	}
}

// collectStations turns the stations' busy time into each instance's
// utilization (a pooled station's instances share its utilization).
func (s *repStats) collectStations(m *model) {
	s.util = make([][]float64, len(m.comps))
	for ci, c := range m.comps {
		if len(c.stations) == 0 {
			continue
		}
		u := make([]float64, c.nInst)
		for _, st := range c.stations {
			if s.window <= 0 {
				continue
			}
			v := st.areaEnd / (float64(st.servers) * s.window)
			for _, in := range st.insts {
				if in < len(u) {
					u[in] = v
				}
			}
		}
		s.util[ci] = u
	}
}

// CI is a mean over independent replications with the half-width of its
// 95% confidence interval (Student's t with N − 1 degrees of freedom).
type CI struct {
	Mean float64
	Half float64
	SD   float64 // the replications' standard deviation
	N    int
}

// Contains reports whether v lies within the 95% interval widened by
// tol × |v|.
func (c CI) Contains(v, tol float64) bool { return c.ContainsAt(v, tol, false) }

// ContainsAt is Contains at 95%, or at 99.9% with wide: a test that checks
// hundreds of figures at once would see some fall outside their 95%
// intervals by chance alone.
func (c CI) ContainsAt(v, tol float64, wide bool) bool {
	if math.IsNaN(c.Mean) || math.IsNaN(c.Half) {
		return true
	}
	half := c.Half
	if wide && c.N > 1 {
		half = tQuantile9995(c.N-1) * c.SD / math.Sqrt(float64(c.N))
	}
	return math.Abs(v-c.Mean) <= half+tol*math.Abs(v)
}

func ciOf(xs []float64) CI {
	var vals []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			vals = append(vals, x)
		}
	}
	n := len(vals)
	if n == 0 {
		return CI{Mean: math.NaN(), Half: math.NaN(), SD: math.NaN()}
	}
	mean := 0.0
	for _, x := range vals {
		mean += x
	}
	mean /= float64(n)
	if n < 2 {
		return CI{Mean: mean, Half: math.NaN(), SD: math.NaN(), N: n}
	}
	ss := 0.0
	for _, x := range vals {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / float64(n-1))
	return CI{Mean: mean, Half: tQuantile975(n-1) * sd / math.Sqrt(float64(n)), SD: sd, N: n}
}

// tQuantile9995 is the 0.9995 quantile of Student's t (for 99.9%
// two-sided intervals).
func tQuantile9995(df int) float64 {
	table := []float64{0, 636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
		4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850,
		3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674, 3.659, 3.646}
	if df < len(table) {
		return table[df]
	}
	return 3.2905 + 12/float64(df)
}

// tQuantile975 is the 0.975 quantile of Student's t with df degrees of
// freedom (table to 30, then the normal's 1.96 with the first correction).
func tQuantile975(df int) float64 {
	table := []float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}
	if df < len(table) {
		return table[df]
	}
	return 1.959964 + 2.4/float64(df)
}
