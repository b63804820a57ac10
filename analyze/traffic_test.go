package analyze

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/archform/archform/lang"
)

// TestTwoExponentialHops: the p99 of two exponential hops of mean 10 ms is
// the Erlang-2 quantile 66.3835 ms, not the sum of p99s 92.10 ms.
func TestTwoExponentialHops(t *testing.T) {
	exp := MMc{Lambda: 0, Mu: 100, C: 1}.sojourn()
	got := newComposer().quantile([]visit{{s: exp, calls: 1}, {s: exp, calls: 1}}, 0.99) * 1000
	// Exact: e^{−x/10}(1 + x/10) = 0.01.
	want := bisect(func(x float64) float64 { return math.Exp(-x/10)*(1+x/10) - 0.01 }, 0, 1000)
	nearAbs(t, "Erlang-2 p99 (ms)", want, 66.38, 0.005)
	nearAbs(t, "composed p99 (ms)", got, want, 0.005)
	// Fixed delays shift exactly; a fixed delay visited with a probability is
	// a mixture.
	d := delaySojourn(0.005)
	got = newComposer().quantile([]visit{{s: exp, calls: 1}, {s: exp, calls: 1}, {s: d, calls: 2}}, 0.99) * 1000
	nearAbs(t, "with 2 × 5 ms fixed", got, want+10, 0.005)
	got = newComposer().quantile([]visit{{s: d, calls: 0.5}}, 0.99) * 1000
	nearAbs(t, "5 ms half the time", got, 5, 0.005)
	// Three exponential hops of different means: hypoexponential.
	e1, e2, e3 := MMc{Mu: 1000, C: 1}.sojourn(), MMc{Mu: 200, C: 1}.sojourn(), MMc{Mu: 50, C: 1}.sojourn()
	got = newComposer().quantile([]visit{{s: e1, calls: 1}, {s: e2, calls: 1}, {s: e3, calls: 1}}, 0.99) * 1000
	l := []float64{1000, 200, 50}
	surv := func(x float64) float64 {
		s := 0.0
		for i, li := range l {
			p := 1.0
			for j, lj := range l {
				if j != i {
					p *= lj / (lj - li)
				}
			}
			s += p * math.Exp(-li*x)
		}
		return s
	}
	want = bisect(func(x float64) float64 { return surv(x/1000) - 0.01 }, 0, 1000)
	nearAbs(t, "hypoexponential p99 (ms)", got, want, 0.01)
}

func bisect(f func(float64) float64, lo, hi float64) float64 {
	for range 200 {
		mid := (lo + hi) / 2
		if f(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// TestCycleSolved: a → b → a with 0.5 calls each way is a loop of gain 0.25:
// a = 100 + 0.5·b, b = 0.5·a, so a = 133.33, b = 66.67.
func TestCycleSolved(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 100 })
	a := b.comp(lang.KindService, "a", nil)
	bb := b.comp(lang.KindService, "b", nil)
	b.call(cl, a, nil)
	b.call(a, bb, func(c *lang.Call) { c.PerRequest = 0.5 })
	b.call(bb, a, func(c *lang.Call) { c.PerRequest = 0.5 })
	r := Compute(b.design())
	near(t, "a", r.Components["service.a"].Load.Total(), 400.0/3, 1e-9)
	near(t, "b", r.Components["service.b"].Load.Total(), 200.0/3, 1e-9)
	if len(r.Cycles) != 1 {
		t.Fatalf("cycles = %d, want 1", len(r.Cycles))
	}
	near(t, "gain", r.Cycles[0].Gain, 0.25, 1e-9)
	if len(r.Cycles[0].Calls) != 2 || r.Cycles[0].Calls[0].From != a {
		t.Errorf("cycle calls = %v", r.Cycles[0].Calls)
	}
}

// TestCycleUnbounded: a loop of gain ≥ 1 is recorded and the loads stay finite.
func TestCycleUnbounded(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 100 })
	a := b.comp(lang.KindService, "a", nil)
	b.call(cl, a, nil)
	b.call(a, a, func(c *lang.Call) { c.PerRequest = 2 })
	r := Compute(b.design())
	if len(r.Cycles) != 1 || r.Cycles[0].Gain < 1 {
		t.Fatalf("cycles = %+v, want one of gain 2", r.Cycles)
	}
	near(t, "gain", r.Cycles[0].Gain, 2, 1e-9)
	if l := r.Components["service.a"].Load.Total(); math.IsInf(l, 0) || math.IsNaN(l) {
		t.Errorf("load = %v, want finite", l)
	}
}

// TestCacheStrategies: misses reach the origin as reads; writes through a
// write_through cache reach it at the same rate; a CDN passes its misses.
func TestCacheStrategies(t *testing.T) {
	for _, tc := range []struct {
		strategy            string
		wantReads, wantWrts float64
	}{{"cache_aside", 300, 0}, {"write_through", 300, 200}, {"write_back", 300, 200}, {"read_through", 300, 0}} {
		b := newBuilder()
		cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS, c.ReadRatio = 1200, 1000.0/1200 })
		cdn := b.comp(lang.KindCDN, "cdn", func(c *lang.Component) { c.HitRatio = 0.5 })
		db := b.comp(lang.KindDatabase, "db", nil)
		cache := b.comp(lang.KindCache, "k", func(c *lang.Component) { c.Strategy, c.HitRatio, c.Origin = tc.strategy, 0.4, db })
		b.call(cl, cdn, nil)
		b.call(cdn, cache, nil)
		r := Compute(b.design())
		k := r.Components["cache.k"].Load
		near(t, tc.strategy+": cache reads (CDN misses)", k.Read, 500, rel)
		near(t, tc.strategy+": cache writes", k.Write, 200, rel)
		l := r.Components["database.db"].Load
		near(t, tc.strategy+": origin reads", l.Read, tc.wantReads, rel)
		near(t, tc.strategy+": origin writes", l.Write, tc.wantWrts, rel)
	}
}

// TestWeightedBackends: a weighted load balancer splits by call weight.
func TestWeightedBackends(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 1000 })
	lb := b.comp(lang.KindLoadBalancer, "lb", func(c *lang.Component) { c.Algorithm = "weighted" })
	blue := b.comp(lang.KindService, "blue", nil)
	green := b.comp(lang.KindService, "green", nil)
	b.call(cl, lb, nil)
	b.call(lb, blue, func(c *lang.Call) { c.Weight = 3 })
	b.call(lb, green, func(c *lang.Call) { c.Weight = 1 })
	r := Compute(b.design())
	near(t, "blue", r.Components["service.blue"].Load.Total(), 750, rel)
	near(t, "green", r.Components["service.green"].Load.Total(), 250, rel)
}

// TestReadFromAny: reads spread over the primary and the replicas.
func TestReadFromAny(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS, c.ReadRatio = 1000, 0.9 })
	db := b.comp(lang.KindDatabase, "db", func(c *lang.Component) {
		c.CapacityRPS = 1000
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "any", Failover: "manual"}
	})
	b.call(cl, db, nil)
	r := Compute(b.design())
	l := r.Components["database.db"].Load
	near(t, "primary", l.Instances[0], 100+300, rel)
	near(t, "replica", l.Instances[1], 300, rel)
	near(t, "utilization", l.Utilization, 0.4, rel)
}

// TestRegionAndZoneLoss: losing a region takes its zones' instances; a
// component wholly in the lost zone is down and passes nothing on.
func TestRegionAndZoneLoss(t *testing.T) {
	b := newBuilder([]string{"a", "b"}, []string{"c"})
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 900 })
	svc := b.comp(lang.KindService, "s", func(c *lang.Component) {
		c.Replicas, c.Zones, c.CapacityRPS = 3, []string{"a", "b", "c"}, 500
	})
	solo := b.comp(lang.KindService, "solo", func(c *lang.Component) { c.Zones = []string{"a"} })
	db := b.comp(lang.KindDatabase, "db", nil)
	b.call(cl, svc, nil)
	b.call(svc, solo, nil)
	b.call(solo, db, nil)
	r := Compute(b.design())
	names := []string{}
	for _, s := range r.Failures {
		names = append(names, s.Name)
	}
	want := []string{"zone a lost", "zone b lost", "zone c lost", "region r1 lost", "region r2 lost"}
	if len(names) != len(want) {
		t.Fatalf("scenarios = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("scenarios = %v, want %v", names, want)
		}
	}
	za := r.Scenario("zone a lost")
	near(t, "zone a: s utilization", za.LoadOf("service.s").Utilization, 450.0/500, rel)
	if l := za.LoadOf("service.solo"); !l.Down || l.Up != 0 || l.Utilization != 0 {
		t.Errorf("zone a: solo = %+v, want down", l)
	}
	if l := za.LoadOf("database.db"); l.Total() != 0 {
		t.Errorf("zone a: db load = %v, want 0 behind a down component", l.Total())
	}
	r1 := r.Scenario("region r1 lost")
	if l := r1.LoadOf("service.s"); l.Up != 1 {
		t.Errorf("region r1: s up = %d, want 1", l.Up)
	}
	near(t, "region r1: s utilization", r1.LoadOf("service.s").Utilization, 900.0/500, rel)
	near(t, "region r2: s utilization", r.Scenario("region r2 lost").LoadOf("service.s").Utilization, 450.0/500, rel)
}

// TestFallback: with its target down, a call's traffic goes to its fallback.
func TestFallback(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 100 })
	reco := b.comp(lang.KindService, "reco", nil)
	ro := b.comp(lang.KindCache, "reco_ro", func(c *lang.Component) { c.CapacityRPS = 80 })
	b.call(cl, reco, func(c *lang.Call) { c.Required, c.Fallback = false, ro })
	r := Compute(b.design())
	s := r.Scenario("service.reco down")
	if s == nil {
		t.Fatal("no scenario for the fallback's target")
	}
	near(t, "fallback load", s.LoadOf("cache.reco_ro").Total(), 100, rel)
	near(t, "fallback nominal", r.Components["cache.reco_ro"].Load.Total(), 0, rel)
	f := r.Flows["client.c"]
	var hop *Hop
	for _, h := range f.Hops {
		if h.Component == reco {
			hop = h
		}
	}
	if hop == nil || !hop.Soft || hop.Required {
		t.Errorf("reco hop = %+v, want soft and not needed", hop)
	}
}

// Property: doubling every client's rps never lowers any utilization, in
// any scenario.
func TestDoublingRPSNeverLowersUtilization(t *testing.T) {
	for _, d0 := range []func() *lang.Design{handShop, queueDesign} {
		r1 := Compute(d0())
		d2 := d0()
		for _, c := range d2.Components {
			c.RPS *= 2
		}
		r2 := Compute(d2)
		scen := append([]*Scenario{r1.Nominal}, r1.Failures...)
		for i, s1 := range scen {
			s2 := r2.Nominal
			if i > 0 {
				s2 = r2.Failures[i-1]
			}
			for _, c := range d2.Components {
				u1, u2 := s1.LoadOf(c.Addr).Utilization, s2.LoadOf(c.Addr).Utilization
				if u2 < u1 {
					t.Errorf("%s, %s: utilization %g at 2× rps < %g", s1.Name, c.Addr, u2, u1)
				}
			}
		}
	}
}

func queueDesign() *lang.Design {
	b := newBuilder([]string{"a", "b"})
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS, c.ReadRatio = 1000, 0.5 })
	q := b.comp(lang.KindQueue, "q", func(c *lang.Component) { c.Partitions = 4; c.CapacityRPS = 2000 })
	w := b.comp(lang.KindService, "w", func(c *lang.Component) {
		c.Replicas, c.Zones, c.CapacityRPS, c.Latency = 2, []string{"a", "b"}, 400, 10*time.Millisecond
	})
	db := b.comp(lang.KindDatabase, "db", func(c *lang.Component) { c.CapacityRPS = 5000 })
	b.call(cl, q, func(c *lang.Call) { c.Op = lang.OpWrite })
	b.call(cl, db, func(c *lang.Call) { c.Op = lang.OpRead })
	b.consume(w, q, 1, 150)
	b.call(w, db, nil)
	return b.design()
}

// TestOddDesigns: no panic, finite or infinite but never NaN figures.
func TestOddDesigns(t *testing.T) {
	r := Compute(nil)
	if r.Nominal == nil {
		t.Fatal("nil design: no nominal scenario")
	}
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 100 })
	hot := b.comp(lang.KindService, "hot", func(c *lang.Component) { c.CapacityRPS, c.Latency = 50, ms(10) })
	ext := b.comp(lang.KindExternal, "pay", func(c *lang.Component) { c.Availability = 0.99 })
	b.call(cl, hot, nil)
	b.call(hot, ext, nil)
	b.call(hot, nil, nil) // an unresolved reference
	r = Compute(b.design())
	f := r.Flows["client.c"]
	if !math.IsInf(f.LatencyMean, 1) || !math.IsInf(f.LatencyP99, 1) {
		t.Errorf("overloaded tier: latency %v / %v, want +Inf", f.LatencyMean, f.LatencyP99)
	}
	if q := r.Components["service.hot"].Queue; q == nil || !q.Unstable {
		t.Errorf("queue = %+v, want unstable", q)
	}
	// k = ⌈100/50⌉ = 2 > n = 1: the tier cannot carry its load.
	if f.Availability != 0 {
		t.Errorf("availability = %v, want 0", f.Availability)
	}
	near(t, "external availability", r.Components["external.pay"].Availability, 0.99, 1e-12)
}

// TestBrowseP99: the shop's browse flow, 1 ms + api + 1 ms + (one request
// in five) a replica read, against the same sum by direct quadrature.
func TestBrowseP99(t *testing.T) {
	r := Compute(loadShop(t))
	api := MMc{Lambda: 10000, Mu: 50, C: 240}.sojourn()
	rep := MMc{Lambda: 1800, Mu: 200, C: 20}.sojourn()
	// P(api + rep > t) = S_api(t) + ∫_0^t f_api(s)·S_rep(t − s) ds.
	both := func(x float64) float64 {
		const n = 5000
		h := x / n
		sum := 0.0
		for i := range n {
			s0, s1 := float64(i)*h, float64(i+1)*h
			sum += (api.CDF(s1) - api.CDF(s0)) * rep.Survival(x-(s0+s1)/2)
		}
		return api.Survival(x) + sum
	}
	surv := func(x float64) float64 { return 0.8*api.Survival(x) + 0.2*both(x) }
	want := 2 + bisect(func(x float64) float64 { return surv(x/1000) - 0.01 }, 0, 1000)
	nearAbs(t, "browse p99 (ms)", r.Flows["browse"].LatencyP99, want, 0.005)
}

// erlangSurvival is P(Erlang(n, 1) > x).
func erlangSurvival(n int, x float64) float64 {
	s := 0.0
	for i := range n {
		lg, _ := math.Lgamma(float64(i) + 1)
		s += math.Exp(float64(i)*math.Log(x) - x - lg)
	}
	return s
}

// TestManyHops: n exponential hops of mean 10 ms (Fourier inversion past 8
// random visits) against the Erlang-n quantile.
func TestManyHops(t *testing.T) {
	exp := MMc{Mu: 100, C: 1}.sojourn()
	for _, n := range []int{3, 9, 40, 130, 1000} {
		var vs []visit
		for range n {
			vs = append(vs, visit{s: exp, calls: 1})
		}
		got := newComposer().quantile(vs, 0.99) * 1000
		want := bisect(func(x float64) float64 { return erlangSurvival(n, x/10) - 0.01 }, 0, 100000)
		nearAbs(t, fmt.Sprintf("Erlang-%d p99 (ms)", n), got, want, 1e-4)
	}
}

// TestManyOccasionalHops: n hops each visited by a fraction q of the
// requests: the sum is Erlang-K with K ~ Binomial(n, q). With q = 0.1 the
// characteristic function does not fall to 0 (the sum has an atom at 0) and
// the grid takes over.
func TestManyOccasionalHops(t *testing.T) {
	exp := MMc{Mu: 100, C: 1}.sojourn()
	for _, tc := range []struct {
		n int
		q float64
	}{{20, 0.5}, {40, 0.5}, {130, 0.5}, {40, 0.1}, {50, 0.1}, {130, 0.1}} {
		n, q := tc.n, tc.q
		var vs []visit
		for range n {
			vs = append(vs, visit{s: exp, calls: q})
		}
		got := newComposer().quantile(vs, 0.99) * 1000
		surv := func(x float64) float64 {
			s := 0.0
			for k := 1; k <= n; k++ {
				lc, _ := math.Lgamma(float64(n) + 1)
				l1, _ := math.Lgamma(float64(k) + 1)
				l2, _ := math.Lgamma(float64(n-k) + 1)
				s += math.Exp(lc-l1-l2+float64(k)*math.Log(q)+float64(n-k)*math.Log1p(-q)) * erlangSurvival(k, x)
			}
			return s
		}
		want := bisect(func(x float64) float64 { return surv(x/10) - 0.01 }, 0, 100000)
		nearAbs(t, fmt.Sprintf("Binomial(%d, %g)-Erlang p99 (ms)", n, q), got, want, 1e-5*want)
	}
}

// TestComposerMemo: the composer answers visits it composed before from its
// memo, by their values (not their pointers), to the bit; visits that differ
// in any value (a rate, the calls, the count distribution, an order
// statistic's identity) are composed anew.
func TestComposerMemo(t *testing.T) {
	e1, e2, d := MMc{Lambda: 50, Mu: 100, C: 1}.sojourn(), MMc{Mu: 200, C: 2}.sojourn(), delaySojourn(0.005)
	vs := func(e1, e2 *Sojourn, calls float64, counts countDist) []visit {
		return []visit{{s: e1, calls: 1}, {s: e2, calls: calls, counts: counts}, {s: d, calls: 0.5}}
	}
	fresh := func(v []visit) float64 { return newComposer().compose(v, 0.99) }
	cm := newComposer()
	q := cm.quantile(vs(e1, e2, 2, countDist{}), 0.99)
	if want := fresh(vs(e1, e2, 2, countDist{})); q != want {
		t.Fatalf("first composition %v, a fresh composer's %v", q, want)
	}
	// Equal values behind other pointers: a hit, the same bits.
	e1b, e2b := MMc{Lambda: 50, Mu: 100, C: 1}.sojourn(), MMc{Mu: 200, C: 2}.sojourn()
	if got := cm.quantile(vs(e1b, e2b, 2, countDist{}), 0.99); got != q || cm.stats.memo != 1 {
		t.Errorf("equal visits: %v (memo hits %d), want %v from the memo", got, cm.stats.memo, q)
	}
	// Each difference is composed anew, and agrees with a fresh composer.
	o1, o2 := orderSojourn(e1, 2, 3), orderSojourn(e1, 2, 3)
	for name, v := range map[string][]visit{
		"rate":           vs(MMc{Lambda: 51, Mu: 100, C: 1}.sojourn(), e2, 2, countDist{}),
		"calls":          vs(e1, e2, 3, countDist{}),
		"counts":         vs(e1, e2, 2, countDist{lo: 1, p: []float64{0.5, 0, 0.5}}),
		"counts' values": vs(e1, e2, 2, countDist{lo: 1, p: []float64{0.25, 0.5, 0.25}}),
		"p":              nil,
		"order stat":     vs(o1, e2, 2, countDist{}),
		"other order":    vs(o2, e2, 2, countDist{}),
	} {
		hits := cm.stats.memo
		p, want := 0.99, 0.0
		if v == nil { // the same visits, another quantile
			v, p = vs(e1, e2, 2, countDist{}), 0.9
			want = newComposer().compose(v, p)
		} else {
			want = fresh(v)
		}
		if got := cm.quantile(v, p); got != want || cm.stats.memo != hits {
			t.Errorf("%s: %v (memo hits %d → %d), want %v composed anew", name, got, hits, cm.stats.memo, want)
		}
	}
}
