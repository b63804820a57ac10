package analyze

import (
	"math"

	"github.com/archform/archform/lang"
)

// Asynchronous delivery: a flow with `through = queue.Q` follows the queue
// to its consumers, and its figures are a message's delivery (docs/
// analysis.md, "Asynchronous delivery"):
//
//	latency      = the flow's request path (every tier it reaches
//	               synchronously, the queue's writer among them)
//	             + the queue's own sojourn
//	             + the wait for a consumer's worker: the consume block as an
//	               M/M/c station of c = min(workers × live instances,
//	               partitions) workers of rate μ = rate, offered λ messages/s
//	               (Erlang C: W = 0 with probability 1 − C, else Exp(cμ − λ))
//	             + the consumer's path (its own sojourn and what it calls
//	               per message)
//	availability = P(every tier of the request path, the queue, and each
//	               consumer's path up), the consumer needing
//	               k = the fewest live instances whose workers drain λ
//	             − Σ over consume blocks (1 − U)·ρ/(1 − ρ)
//
// The last term is the backlog's drain: while a consumer's path is down
// (probability 1 − U) messages pile up, and after it a backlog that grew at
// λ drains at cμ − λ, so each second down is followed by λ/(cμ − λ) =
// ρ/(1 − ρ) seconds behind. In steady state the share of the time a
// consumer is behind is (1 − U)/(1 − ρ): down, or draining. With ρ ≥ 1 the
// consumers never catch up: the delivery's latency is infinite and its
// availability 0. A consume block without rate is an unbounded station (no
// wait, no drain). With several consume blocks (pub_sub, or competing
// point_to_point consumers) the flow's latency is the slowest block's (by
// p99) and it needs every block's consumer.

// Delivery is a flow's asynchronous delivery through a queue to its consumers.
type Delivery struct {
	// Queue is the queue the flow follows; Via is the call on the flow's
	// path that writes to it (nil if no tier of the path reaches it in
	// this scenario).
	Queue *lang.Component
	Via   *lang.Call
	// QueueHop is the queue as a tier of the delivery.
	QueueHop *Hop
	// RequestLatencyMean and RequestLatencyP99 are the flow's request path
	// alone (ms): what the producer's caller waits for.
	RequestLatencyMean, RequestLatencyP99 float64
	// Consumers are the queue's consume blocks, in source order.
	Consumers []*ConsumerDelivery
	// JointAvailability is the probability that every tier of the request
	// path, the queue and the consumers' paths are up; the flow's
	// availability is JointAvailability − Behind().
	JointAvailability float64
}

// Behind is Σ (1 − U)·ρ/(1 − ρ) over the consume blocks: the share of the
// time the consumers are draining a backlog while everything is up again
// (+Inf when a block never catches up).
func (d *Delivery) Behind() float64 {
	t := 0.0
	for _, c := range d.Consumers {
		t += c.Drain
	}
	return t
}

// ConsumerDelivery is one consume block's part of a delivery.
type ConsumerDelivery struct {
	Consume  *lang.Consume
	Consumer *lang.Component
	// MessagesRPS is λ: the messages this block receives (the queue's
	// load, shared among point_to_point blocks).
	MessagesRPS float64
	// Workers is c = min(workers × live instances, partitions); Rate is μ,
	// one worker's messages per second (0: unbounded).
	Workers int
	Rate    float64
	// Utilization is ρ of the drain: the larger of λ ÷ (c·μ) and the
	// consumer's own utilization.
	Utilization float64
	// PWait is Erlang C (the chance a message waits for a worker) and
	// WaitMean the mean wait (ms); WaitP99 its 99th percentile (ms).
	PWait, WaitMean, WaitP99 float64
	// K is the fewest live instances of the consumer whose workers drain
	// λ (k of the consumer's k-of-n).
	K int
	// Up is U, the probability that the consumer's path is up.
	Up float64
	// Drain is (1 − U)·ρ/(1 − ρ): the share of time spent draining a
	// backlog after the consumer's path was down (+Inf at ρ ≥ 1).
	Drain float64
	// DrainPerOutage is ρ/(1 − ρ): seconds of drain after each second of
	// consumer outage (+Inf at ρ ≥ 1).
	DrainPerOutage float64
	// Hops are the consumer's path: the consumer, then what it calls per
	// message.
	Hops []*Hop
	// LatencyMean and LatencyP99 are the delivery through this block, end
	// to end (ms).
	LatencyMean, LatencyP99 float64
}

// deliveryVisits are the visits of one consume block's part of a delivery:
// the queue, the wait, the consumer's path.
type deliveryVisits []visit

// workerWait is the wait for one of c workers of rate mu offered lambda
// (M/M/c): none with probability 1 − C, else Exp(cμ − λ). Unstable
// (infinite) when λ ≥ cμ.
func workerWait(lambda, mu float64, c int) (s *Sojourn, pw float64) {
	q := MMc{Lambda: lambda, Mu: mu, C: c}
	if !q.Stable() {
		return &Sojourn{terms: []term{{w: 1, inf: true}}}, 1
	}
	pw = q.PWait()
	theta := float64(c)*mu - lambda
	return &Sojourn{terms: []term{{w: 1 - pw}, {w: pw, mu: theta, theta: theta}}}, pw
}

// consumerWorkers is min(workers × live, partitions).
func consumerWorkers(cs *lang.Consume, q *lang.Component, live int) int {
	w := max(cs.Workers, 1) * live
	if q.Partitions > 0 {
		w = min(w, q.Partitions)
	}
	return w
}

// deliver follows queue q to its consumers: the queue's hop and visit, and
// each consume block's wait and path. It returns the delivery, each block's
// visits, and the needs and soft tiers of the whole delivery (the request
// path's, given, with the queue's and the consumers' added).
func (fw *flowWalker) deliver(q int, via *lang.Call, needs []need, soft []int) (*Delivery, []deliveryVisits, []need, []int) {
	cp, g := fw.cp, fw.cp.g
	qc := g.comps[q]
	d := &Delivery{Queue: qc, Via: via}
	merge := func(ns []need, n need) []need {
		for i := range ns {
			if ns[i].v == n.v {
				ns[i].r, ns[i].w = ns[i].r || n.r, ns[i].w || n.w
				ns[i].kMin = max(ns[i].kMin, n.kMin)
				return ns
			}
		}
		return append(ns, n)
	}
	needs = append([]need(nil), needs...)
	soft = append([]int(nil), soft...)
	ql := fw.s.LoadOf(qc.Addr)
	qs := fw.models[q].forClass(qc, "", chW)
	d.QueueHop = &Hop{Component: qc, Via: via, From: viaFrom(via), CallsPerRequest: 1, Required: true,
		Availability: upProb(qc, g.shards(q), ql.Read, ql.Write, false, true, fw.ac.lost(q)),
		LatencyMean:  qs.Mean() * 1000, LatencyP99: qs.Quantile(0.99) * 1000}
	needs = merge(needs, need{v: q, w: true})
	if via == nil {
		// No tier of the path writes to the queue (lang checks that one
		// does with the design's ops): nothing is delivered.
		d.QueueHop.Availability = 0
		return d, nil, needs, soft
	}
	consumers := cp.d.Consumers(qc)
	share := 1.0
	if qc.Pattern == "point_to_point" && len(consumers) > 0 {
		share = 1 / float64(len(consumers))
	}
	var all []deliveryVisits
	for _, cs := range consumers {
		v, ok := g.index[cs.Consumer]
		if !ok {
			continue
		}
		c := cs.Consumer
		l := fw.s.LoadOf(c.Addr)
		live := l.Up
		if l.Down {
			live = 0
		}
		cd := &ConsumerDelivery{Consume: cs, Consumer: c, MessagesRPS: share * ql.Total(), Rate: cs.Rate,
			Workers: consumerWorkers(cs, qc, live)}
		lambda := cd.MessagesRPS
		vs := deliveryVisits{{s: qs, calls: 1}}
		rho := 0.0
		if c.CapacityRPS > 0 {
			rho = l.Utilization
		}
		if cs.Rate > 0 {
			wait, pw := workerWait(lambda, cs.Rate, cd.Workers)
			cd.PWait = pw
			cd.WaitMean, cd.WaitP99 = wait.Mean()*1000, wait.Quantile(0.99)*1000
			vs = append(vs, visit{s: wait, calls: 1})
			if cd.Workers > 0 {
				rho = math.Max(rho, lambda/(float64(cd.Workers)*cs.Rate))
			} else {
				rho = math.Inf(1)
			}
			// k: the fewest instances whose workers drain λ.
			n := max(len(c.Instances), 1)
			cd.K = n + 1
			for i := 1; i <= n; i++ {
				if Stable(lambda / (float64(consumerWorkers(cs, qc, i)) * cs.Rate)) {
					cd.K = i
					break
				}
			}
		}
		cd.Utilization = rho
		seg := fw.segment(&cd.Hops, v, []int{chM}, flowVec{chM: 1}, lang.OpReadWrite, -1, nil)
		vs = append(vs, seg.visits...)
		cneeds := seg.needs
		for i := range cneeds {
			if cneeds[i].v == v {
				cneeds[i].kMin = max(cneeds[i].kMin, cd.K)
			}
		}
		cd.Up, _ = fw.ac.flow(cneeds, seg.soft)
		if Stable(rho) {
			cd.DrainPerOutage = rho / (1 - rho)
			cd.Drain = (1 - cd.Up) * cd.DrainPerOutage
		} else {
			cd.DrainPerOutage, cd.Drain = math.Inf(1), math.Inf(1)
		}
		for _, n := range cneeds {
			needs = merge(needs, n)
		}
		for _, s := range seg.soft {
			if !containsInt(soft, s) {
				soft = append(soft, s)
			}
		}
		d.Consumers = append(d.Consumers, cd)
		all = append(all, vs)
	}
	return d, all, needs, soft
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// deliveryLatency sets the flow's latency to its delivery's: the request
// path's visits, then each consume block's (the queue, the wait, the
// consumer's path), the slowest block by p99. fr's figures on entry are
// the request path's.
func (fw *flowWalker) deliveryLatency(fr *FlowResult, request []visit, blocks []deliveryVisits) {
	d := fr.Delivery
	d.RequestLatencyMean, d.RequestLatencyP99 = fr.LatencyMean, fr.LatencyP99
	if len(blocks) == 0 {
		fr.LatencyMean, fr.LatencyP99 = math.Inf(1), math.Inf(1)
		return
	}
	first := true
	for i, b := range blocks {
		vs := append(append(make([]visit, 0, len(request)+len(b)), request...), b...)
		cd := d.Consumers[i]
		cd.LatencyMean = composeMean(vs) * 1000
		cd.LatencyP99 = fw.cp.comp.quantile(vs, 0.99) * 1000
		if first || cd.LatencyP99 > fr.LatencyP99 || cd.LatencyP99 == fr.LatencyP99 && cd.LatencyMean > fr.LatencyMean {
			fr.LatencyMean, fr.LatencyP99 = cd.LatencyMean, cd.LatencyP99
			first = false
		}
	}
}

// AllHops is the flow's hops and, for a delivery, the queue's and the
// consumers' paths' hops.
func (f *FlowResult) AllHops() []*Hop {
	d := f.Delivery
	if d == nil {
		return f.Hops
	}
	out := append(append([]*Hop(nil), f.Hops...), d.QueueHop)
	for _, c := range d.Consumers {
		out = append(out, c.Hops...)
	}
	return out
}

// viaFrom is the component that makes call c (nil for none).
func viaFrom(c *lang.Call) *lang.Component {
	if c == nil {
		return nil
	}
	return c.From
}
