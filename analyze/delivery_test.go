package analyze

import (
	"math"
	"testing"
)

// Asynchronous delivery, computed by hand (testdata/modelv2/delivery.arch.hcl):
// the api (5 ms) writes 800 msg/s to a queue (2 ms) consumed by 2 instances
// of 2 workers at 250 msg/s (1 ms each).
func TestDeliveryOracle(t *testing.T) {
	r := Compute(loadModel(t, "delivery.arch.hcl"))
	fr := r.Flows["deliver"]
	if fr == nil || fr.Delivery == nil || len(fr.Delivery.Consumers) != 1 {
		t.Fatalf("deliver: %+v, want a delivery with one consume block", fr)
	}
	d := fr.Delivery
	c := d.Consumers[0]
	if c.Workers != 4 || c.K != 2 {
		t.Errorf("workers = %d, k = %d; want 4 workers (2 × 2 instances), k = 2 (one instance drains 500 < 800 msg/s)", c.Workers, c.K)
	}
	// The workers: M/M/4, λ = 800, μ = 250, a = 3.2, ρ = 0.8. Erlang B by
	// hand: B1 = 3.2/4.2 = 0.76190476, B2 = 0.54935622, B3 = 0.36947501,
	// B4 = 0.22814493; C = B4 / (1 − 0.8 × (1 − B4)) = 0.59643247.
	const (
		erlangC = 0.59643247
		theta   = 1000.0 - 800 // cμ − λ
	)
	near(t, "utilization", c.Utilization, 0.8, 1e-12)
	near(t, "P(wait)", c.PWait, erlangC, 1e-6)
	near(t, "wait mean (ms)", c.WaitMean, erlangC/theta*1000, 1e-6) // 2.98216 ms
	// P(W > t) = C·e^{−θt}: the wait's p99 is ln(C/0.01)/θ = 20.4419 ms.
	near(t, "wait p99 (ms)", c.WaitP99, math.Log(erlangC/0.01)/theta*1000, 1e-6)
	// Latency: 5 ms (api) + 2 ms (queue) + the wait + 1 ms (worker); the
	// fixed delays shift the wait's quantile.
	near(t, "latency_mean (ms)", fr.LatencyMean, 5+2+erlangC/theta*1000+1, 1e-6)          // 10.98216
	near(t, "latency_p99 (ms)", fr.LatencyP99, 8+math.Log(erlangC/0.01)/theta*1000, 1e-4) // 28.44190
	near(t, "request latency (ms)", d.RequestLatencyMean, 5, 1e-9)
	// Availability: the api 1-of-2, the queue 1-of-1, the worker 2-of-2
	// (its workers need both instances), less the drain: each second the
	// worker is down is followed by ρ/(1 − ρ) = 4 s of draining.
	api, queue, worker := 1-0.001*0.001, 0.999, 0.999*0.999
	near(t, "consumer up", c.Up, worker, 1e-12)
	near(t, "drain per outage second", c.DrainPerOutage, 4, 1e-9)
	near(t, "drain", c.Drain, (1-worker)*4, 1e-9)
	nearAbs(t, "joint availability", d.JointAvailability, api*queue*worker, 1e-12)
	nearAbs(t, "availability", fr.Availability, api*queue*worker-(1-worker)*4, 1e-12) // 0.989006
	// A zone lost leaves one worker instance: 2 workers × 250 = 500 < 800
	// msg/s, the backlog grows without bound: no delivery to speak of.
	za := r.FlowScenarios()["deliver"]["zone a lost"]
	if za.Availability != 0 || !math.IsNaN(za.LatencyP99) {
		t.Errorf("zone a lost: %+v, want availability 0 and no latency", za)
	}
}
