package analyze

import (
	"math"
	"testing"
	"time"

	"github.com/archform/archform/lang"
)

// PDQ prints 4 decimals: ORACLES.md asks |Δ| ≤ 5e-5 there.
const pdq = 5e-5

// TestPDQBank: Gunther's bank, M/M/4 with λ = 0.35/min and S = 10 min.
func TestPDQBank(t *testing.T) {
	q := MMc{Lambda: 0.35, Mu: 1.0 / 10, C: 4}
	nearAbs(t, "U", q.Utilization(), 0.875, pdq)
	nearAbs(t, "P(wait)", q.PWait(), 0.737861, 5e-7)
	nearAbs(t, "Wq", q.WaitMean(), 14.7572, pdq)
	nearAbs(t, "R", q.ResponseMean(), 24.7572, pdq)
	nearAbs(t, "p99(R)", q.ResponseQuantile(0.99), 99.8425, pdq)
}

// TestBankDesign: the same bank as a design, in seconds.
func TestBankDesign(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "customers", func(c *lang.Component) { c.RPS = 0.35 / 60 })
	teller := b.comp(lang.KindService, "tellers", func(c *lang.Component) {
		c.Replicas, c.Latency, c.CapacityRPS = 4, 600*time.Second, 1.0/600
	})
	b.call(cl, teller, nil)
	r := Compute(b.design())
	f := r.Flows["client.customers"]
	if f == nil {
		t.Fatalf("no implicit flow: %v", r.FlowOrder)
	}
	// latency_mean is in ms: 1485.4333 s ± 5e-5 s.
	nearAbs(t, "latency_mean (s)", f.LatencyMean/1000, 1485.4333, pdq)
	tc := r.Components["service.tellers"]
	nearAbs(t, "tellers p99 (min)", tc.LatencyP99/60000, 99.8425, pdq)
	if q := tc.Queue; q == nil || q.Servers != 4 || q.Queues != 1 {
		t.Errorf("tellers queue = %+v, want one M/M/4", q)
	}
}

func TestMM1(t *testing.T) {
	q := MMc{Lambda: 0.75, Mu: 1, C: 1}
	near(t, "R", q.ResponseMean(), 4, rel)
	nearAbs(t, "p99", q.ResponseQuantile(0.99), 18.4207, pdq)
	near(t, "p99 exact", q.ResponseQuantile(0.99), 4*math.Log(100), 1e-9)
}

func TestErlangC(t *testing.T) {
	near(t, "C(2, 1.5)", ErlangC(2, 1.5), 9.0/14, 1e-12)
	if ErlangC(3, 3) != 1 || ErlangC(3, 0) != 0 {
		t.Error("Erlang C at the bounds")
	}
	// The recursion stays finite where factorials would overflow.
	if c := ErlangC(2000, 1900); math.IsNaN(c) || c <= 0 || c >= 1 {
		t.Errorf("C(2000, 1900) = %g", c)
	}
}

// TestSplitVsPooled: 4 servers, λ = 0.35, S = 10: round_robin splits into
// 4 × M/M/1 (R = 80), least_connections pools into M/M/4 (R = 24.7572).
func TestSplitVsPooled(t *testing.T) {
	for _, tc := range []struct {
		algorithm string
		want      float64
	}{{"round_robin", 80}, {"random", 80}, {"ip_hash", 80}, {"least_connections", 24.7572}} {
		b := newBuilder()
		cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 0.35 })
		lb := b.comp(lang.KindLoadBalancer, "lb", func(c *lang.Component) { c.Algorithm = tc.algorithm })
		svc := b.comp(lang.KindService, "s", func(c *lang.Component) {
			c.Replicas, c.Latency, c.CapacityRPS = 4, 10*time.Second, 0.1
		})
		b.call(cl, lb, nil)
		b.call(lb, svc, nil)
		r := Compute(b.design())
		nearAbs(t, tc.algorithm+" R (s)", r.Components["service.s"].LatencyMean/1000, tc.want, pdq)
	}
}

// TestForcedFlow: Jain's forced flow law, 4 rps with 2 calls per request to
// a disk of S = 30 ms: the disk sees 8 rps at U = 0.24.
func TestForcedFlow(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 4 })
	svc := b.comp(lang.KindService, "s", nil)
	disk := b.comp(lang.KindStorage, "disk", func(c *lang.Component) { c.Latency, c.CapacityRPS = ms(30), 1/0.030 })
	b.call(cl, svc, nil)
	b.call(svc, disk, func(c *lang.Call) { c.PerRequest = 2 })
	r := Compute(b.design())
	l := r.Components["storage.disk"].Load
	near(t, "disk load", l.Total(), 8, rel)
	near(t, "disk utilization", l.Utilization, 0.24, rel)
	near(t, "disk queue utilization", r.Components["storage.disk"].Queue.Utilization, 0.24, rel)
	near(t, "calls per request", r.Flows["client.c"].Hops[2].CallsPerRequest, 2, rel)
}

func TestHotShard(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS = 40000 })
	db := b.comp(lang.KindDatabase, "kv", func(c *lang.Component) {
		c.Shards, c.ShardSkew, c.CapacityRPS = 8, 1.5, 10000
	})
	b.call(cl, db, nil)
	r := Compute(b.design())
	l := r.Components["database.kv"].Load
	near(t, "hottest shard", l.Shards[0], 7500, rel)
	near(t, "other shards", l.Shards[1], (40000-7500)/7.0, rel)
	near(t, "hottest instance", l.Instances[l.Hottest], 7500, rel)
	near(t, "utilization", l.Utilization, 0.75, rel)
	sum := 0.0
	for _, s := range l.Shards {
		sum += s
	}
	near(t, "shards sum", sum, 40000, rel)
}

// TestQueueConsumers: 12 workers on 8 partitions at 200 msg/s each process
// 1600 msg/s (not 2400), and what the consumer calls follows what it processes.
func TestQueueConsumers(t *testing.T) {
	b := newBuilder()
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS, c.ReadRatio = 3000, 0 })
	api := b.comp(lang.KindService, "api", nil)
	q := b.comp(lang.KindQueue, "events", func(c *lang.Component) { c.Partitions = 8 })
	worker := b.comp(lang.KindService, "worker", nil)
	db := b.comp(lang.KindDatabase, "db", nil)
	b.call(cl, api, nil)
	b.call(api, q, func(c *lang.Call) { c.Op = lang.OpWrite })
	b.consume(worker, q, 12, 200)
	b.call(worker, db, func(c *lang.Call) { c.Op = lang.OpWrite })
	r := Compute(b.design())
	near(t, "queue in", r.Components["queue.events"].Load.Total(), 3000, rel)
	w := r.Components["service.worker"].Load
	near(t, "consumer processes", w.Total(), 1600, rel)
	near(t, "consumer messages", w.Messages, 1600, rel)
	near(t, "db writes from the consumer", r.Components["database.db"].Load.Write, 1600, rel)
	near(t, "ConsumeCapacity", ConsumeCapacity(worker.Consumes[0], q), 1600, rel)
	// The consumer is off the producer's path.
	wantPath(t, r.Flows["client.c"], "client.c", "service.api", "queue.events")
}

func TestBacklog(t *testing.T) {
	m, drain := Backlog(1000, 1500, 600)
	near(t, "backlog", m, 600000, rel)
	near(t, "drain", drain, 1200, rel)
	if _, d := Backlog(1000, 900, 60); !math.IsInf(d, 1) {
		t.Errorf("drain with out < in = %g, want +Inf", d)
	}
}

func TestRetryAmplification(t *testing.T) {
	near(t, "3 layers × 3 retries", RetryAmplification(3, 3, 3), 64, 0)
}

func TestUnstable(t *testing.T) {
	q := MMc{Lambda: 2, Mu: 1, C: 2}
	if q.Stable() || !math.IsInf(q.ResponseMean(), 1) || !math.IsInf(q.ResponseQuantile(0.99), 1) {
		t.Errorf("ρ = 1 must be unstable with infinite latency: %v %v", q.ResponseMean(), q.ResponseQuantile(0.99))
	}
}

// TestErlangBClosedForm: past the recursion's range the closed form agrees
// with the recursion, and very large pools cost no more than small ones.
func TestErlangBClosedForm(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{{2, 1.5}, {240, 200}, {1001, 950}, {5000, 4900}, {90000, 89000}, {90000, 85000}, {99000, 99500}} {
		near(t, "Erlang B closed form", erlangBClosed(tc.c, tc.a), erlangBRecursion(tc.c, tc.a), 1e-9)
	}
	if c := ErlangC(1_000_000_000_000, 0.9e12); math.IsNaN(c) || c < 0 || c > 1 {
		t.Errorf("C(1e12, 0.9e12) = %g", c)
	}
}

// The textbook M/M/c figures the tests check the sojourn distributions
// against.

// WaitMean is Wq = C/(cμ − λ), +Inf when unstable.
func (q MMc) WaitMean() float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.PWait() / (float64(q.C)*q.Mu - q.Lambda)
}

// ResponseMean is R = 1/μ + Wq, +Inf when unstable.
func (q MMc) ResponseMean() float64 { return 1/q.Mu + q.WaitMean() }

// ResponseQuantile is the p-quantile of the sojourn time (bisection on the
// exact distribution), +Inf when unstable.
func (q MMc) ResponseQuantile(p float64) float64 {
	if !q.Stable() {
		return math.Inf(1)
	}
	return q.sojourn().Quantile(p)
}

// sojourn is the queue's response-time distribution.
func (q MMc) sojourn() *Sojourn { return q.sojournWith(q.PWait()) }
