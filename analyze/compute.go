package analyze

import (
	"math"

	"github.com/archform/archform/lang"
)

// Compute builds the shared analysis of a design: the traffic of every
// component in the nominal case and in each failure scenario, each
// component's queueing model, latency and availability, and each flow's path,
// availability and latency. It is deterministic, never fails, and takes time
// linear in the size of an acyclic design (docs/analysis.md).
func Compute(d *lang.Design) *Results {
	r, _ := compute(d)
	return r
}

func compute(d *lang.Design) (*Results, *computer) {
	r := &Results{Design: d}
	if d == nil {
		r.Components, r.Flows = map[string]*ComponentResult{}, map[string]*FlowResult{}
		r.Nominal = &Scenario{Name: "nominal", Kind: "nominal", Load: map[string]*Load{}}
		return r, nil
	}
	r.Components = make(map[string]*ComponentResult, len(d.Components))
	r.Flows = make(map[string]*FlowResult, len(d.Flows))
	g := newGraph(d)
	n := len(g.comps)
	cp := &computer{d: d, g: g, r: r, downScenario: make([]*Scenario, n), comp: newComposer(),
		mark: make([]bool, n), downs: make([]bool, n), scratch: make([]flowVec, n)}
	cp.propagateNominal()
	cp.retryFixedPoint()
	cp.failures()
	cp.componentResults()
	cp.flowResults()
	r.cp = cp
	return r, cp
}

// computer carries one Compute.
type computer struct {
	d       *lang.Design
	g       *graph
	r       *Results
	nominal []flowVec
	// nominalLoad is each component's nominal Load (Results.Nominal.Load
	// by index).
	nominalLoad []*Load
	// downScenario is the scenario in which each component is down (cache
	// and fallback scenarios), nil where there is none.
	downScenario []*Scenario
	models       []*compModel
	comp         *composer
	// Scratch space of one entry per component, all false or zero between
	// uses: scenarios and flows touch only the components they reach.
	mark    []bool
	downs   []bool
	scratch []flowVec
	arena   loadArena
	// Scratch space of the availability's propagations (flowavail.go),
	// apart from the flows' own.
	availMark, availDown []bool
	availX               []flowVec
	// specs are the flows followed (flowResults).
	specs []flowSpec
	// split memoizes splitBehindLB by component: 0 not known yet, 1 no, 2
	// yes (a component's model is built again in each retry iteration and
	// failure scenario).
	split []int8
	// orders are the order statistics built, by their values (orderSojourn).
	orders map[orderKey]*Sojourn
	// retries are Results.Retries by call, once they are known (retry).
	retries map[*lang.Call]*RetryResult
}

func (cp *computer) propagateNominal() {
	g := cp.g
	p := &propagation{g: g, x: make([]flowVec, len(g.comps))}
	p.cycles = func(members []int, rho float64) {
		// ρ is the growth per link; around a loop of L links the traffic
		// grows by ρ^L: for a simple loop, the product of its factors.
		calls, links := g.cycleCalls(members)
		cp.r.Cycles = append(cp.r.Cycles, &Cycle{Calls: calls, Gain: math.Pow(rho, float64(max(links, 1)))})
	}
	p.run(g.topo, func(v int) flowVec { return g.source[v] })
	cp.nominal = p.x
	s := &Scenario{Name: "nominal", Kind: "nominal", Load: make(map[string]*Load, len(g.comps))}
	cp.nominalLoad = make([]*Load, len(g.comps))
	for v, c := range g.comps {
		l := cp.arena.distribute(c, g.shards(v), p.x[v], nil)
		s.Load[c.Addr] = l
		cp.nominalLoad[v] = l
	}
	cp.r.Nominal = s
}

// compModel is a component's sojourn distributions: for reads, for writes,
// and for all its traffic, with the queues behind them.
type compModel struct {
	read, write, all *Sojourn
	queues           []*QueueResult
}

// forClass returns the distribution seen by traffic of class ch (chR:
// reads) to role: a quorum store, whose roles are both "", answers reads
// and writes differently.
func (m *compModel) forClass(c *lang.Component, role lang.Role, ch int) *Sojourn {
	if c.Kind == lang.KindDatabase && role == "" {
		if r := dbRoles(c); r.read == "" && r.write == "" {
			if ch == chR {
				return m.read
			}
			return m.write
		}
	}
	return m.forRole(c, role)
}

// forRole returns the distribution seen by traffic to role (a database's
// primary: writes; replicas: reads; "": all).
func (m *compModel) forRole(c *lang.Component, role lang.Role) *Sojourn {
	if c.Kind != lang.KindDatabase {
		return m.all
	}
	r := dbRoles(c)
	switch role {
	case r.write:
		return m.write
	case r.read:
		return m.read
	}
	return m.all
}

func (cp *computer) componentResults() {
	g := cp.g
	cp.models = make([]*compModel, len(g.comps))
	for v, c := range g.comps {
		load := cp.r.Nominal.Load[c.Addr]
		m := cp.model(c, load, true)
		cp.models[v] = m
		cr := &ComponentResult{Component: c, Load: load, Queues: m.queues}
		cr.Availability, cr.K, cr.N, cr.Roles = componentAvailability(c, load)
		for _, q := range m.queues {
			if cr.Queue == nil || q.Utilization > cr.Queue.Utilization {
				cr.Queue = q
			}
		}
		cr.LatencyMean = m.all.Mean() * 1000
		cr.LatencyP99 = m.all.Quantile(0.99) * 1000
		cr.InFlight = LittleInFlight(load.Total(), m.all.Mean())
		cp.r.Components[c.Addr] = cr
	}
}

// QueueShape is the M/M/c queue of one instance of c (with capacity_rps and
// latency): c = max(1, round(capacity_rps × latency)) servers, each of
// service time c ÷ capacity_rps, so that the queue serves exactly
// capacity_rps (c·μ = capacity_rps) and its utilization is load ÷
// capacity_rps. The service time is the declared latency when capacity_rps
// × latency is a whole number; otherwise both cannot hold, and ok is false
// when they differ by more than 1% (capacity_rps = 1000, latency = "1.4ms":
// 1 server of 1 ms, not of 1.4 ms, which would serve 714 rps).
func QueueShape(c *lang.Component) (servers int, service float64, ok bool) {
	lat := c.Latency.Seconds()
	if c.CapacityRPS <= 0 || lat <= 0 {
		return 0, math.Max(lat, 0), true
	}
	servers = max(1, int(math.Round(c.CapacityRPS*lat)))
	service = float64(servers) / c.CapacityRPS
	return servers, service, math.Abs(service-lat) <= 0.01*lat
}

// model builds a component's queueing model from its nominal load. With
// capacity_rps and latency it is M/M/c: concurrency per instance and
// service time from QueueShape (c·μ = capacity_rps). Behind a load balancer whose
// algorithm splits the traffic blindly (round_robin, random, ip_hash,
// weighted) each instance is its own queue; least_connections, and no load
// balancer, pool the instances into one queue. A database has one queue per
// role and shard: the primary takes the writes, the replicas pool the reads
// (read_from = "any": one pool of all instances; a quorum store: one pool of
// its members). Without capacity_rps it is a pure delay of its latency.
// With figures, the model lists its queues' figures (a component's results);
// the retry fixed point and the failure scenarios need only the
// distributions.
func (cp *computer) model(c *lang.Component, load *Load, figures bool) *compModel {
	lat := c.Latency.Seconds()
	if c.CapacityRPS <= 0 || lat <= 0 {
		s := delaySojourn(math.Max(lat, 0))
		return &compModel{read: s, write: s, all: s}
	}
	conc, service, _ := QueueShape(c)
	lat = service
	mu := 1 / service
	m := &compModel{}
	queue := func(model string, role lang.Role, shard, servers, queues int, lambda float64) *Sojourn {
		// The figures of MMc's methods, with Erlang C computed once.
		q := MMc{Lambda: lambda, Mu: mu, C: servers}
		pw, wait := q.PWait(), math.Inf(1)
		if !figures {
			return q.sojournWith(pw)
		}
		if q.Stable() {
			wait = pw / (float64(q.C)*q.Mu - q.Lambda)
		}
		s := q.sojournWith(pw)
		qr := &QueueResult{Model: model, Servers: servers, Queues: queues, Lambda: lambda,
			ServiceTime: lat, Utilization: q.Utilization(), PWait: pw,
			WaitMean: wait * 1000, Role: role, Shard: shard, Unstable: !q.Stable(),
			ResponseMean: (1/q.Mu + wait) * 1000, ResponseP99: s.Quantile(0.99) * 1000}
		m.queues = append(m.queues, qr)
		return s
	}
	n := max(load.Up, 1) // the instances that survive (all, nominally)
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		var s *Sojourn
		if cp.splitBehindLB(c) {
			s = queue("split", "", 0, conc, n, load.Total()/float64(n))
		} else {
			s = queue("M/M/c", "", 0, n*conc, 1, load.Total())
		}
		m.read, m.write, m.all = s, s, s
		return m
	}
	sum := func(idx ...int) float64 {
		t := 0.0
		for _, i := range idx {
			if i >= 0 && i < len(load.Instances) && load.Instances[i] > 0 {
				t += load.Instances[i]
			}
		}
		return t
	}
	// live keeps the instances that survive.
	live := func(idx []int) []int {
		var out []int
		for _, i := range idx {
			if i >= 0 && (i >= len(load.Instances) || load.Instances[i] >= 0) {
				out = append(out, i)
			}
		}
		return out
	}
	rl := dbRoles(c)
	shards := cp.g.shards(cp.g.index[c])
	var reads, writes []*Sojourn
	var shares []float64
	for si, sh := range shards {
		shares = append(shares, sh.share)
		if len(sh.members) > 0 && Leaderless(c) {
			// Each member is its own queue, and a request waits for several:
			// a write, sent to every live member, completes at the w-th
			// fastest ack; a read at the slowest of the r members it asked.
			q := quorumOf(c, len(sh.members))
			members := live(sh.members)
			n := max(len(members), 1)
			s := queue("split", "", si, conc, n, sum(members...)/float64(n))
			reads = append(reads, cp.orderSojourn(s, q.R, q.R))
			writes = append(writes, cp.orderSojourn(s, q.W, n))
			continue
		}
		if len(sh.members) > 0 {
			members := live(sh.members)
			s := queue("M/M/c", "", si, max(len(members), 1)*conc, 1, sum(members...))
			reads, writes = append(reads, s), append(writes, s)
			continue
		}
		all := live(append([]int{sh.primary}, sh.replicas...))
		if rl.read == "" { // read_from = "any": one pool
			s := queue("M/M/c", "", si, max(len(all), 1)*conc, 1, sum(all...))
			reads, writes = append(reads, s), append(writes, s)
			continue
		}
		w := queue("M/M/c", lang.RolePrimary, si, conc, 1, sum(sh.primary))
		writes = append(writes, w)
		if rep := live(sh.replicas); rl.read == lang.RoleReplica && len(rep) > 0 {
			reads = append(reads, queue("M/M/c", lang.RoleReplica, si, len(rep)*conc, 1, sum(rep...)))
		} else {
			reads = append(reads, w)
		}
	}
	m.read, m.write = mix(reads, shares), mix(writes, shares)
	m.all = mix([]*Sojourn{m.read, m.write}, []float64{load.Read, load.Write})
	return m
}

// orderSojourn is orderSojourn, the same distribution for the same values:
// the members of leaderless stores declared alike, at the same load, wait
// alike, and an order statistic's moments and quantiles are computed
// numerically (hundreds of evaluations of its survival).
func (cp *computer) orderSojourn(base *Sojourn, k, n int) *Sojourn {
	if len(base.terms) != 1 || base.terms[0].ord != nil {
		return orderSojourn(base, k, n)
	}
	key := orderKey{base.terms[0], k, n}
	s, ok := cp.orders[key]
	if !ok {
		s = orderSojourn(base, k, n)
		if cp.orders == nil {
			cp.orders = map[orderKey]*Sojourn{}
		}
		cp.orders[key] = s
	}
	return s
}

// orderKey is what an order statistic of a one-term distribution depends on.
type orderKey struct {
	t    term
	k, n int
}

// splitBehindLB reports whether a load balancer in front of c spreads its
// requests without looking at the instances' queues (any algorithm but
// least_connections; the first load balancer calling c decides).
func (cp *computer) splitBehindLB(c *lang.Component) bool {
	v := cp.g.index[c]
	if cp.split == nil {
		cp.split = make([]int8, len(cp.g.comps))
	}
	if cp.split[v] == 0 { // not looked at yet; then 1: no, 2: yes
		cp.split[v] = 1
		for _, call := range cp.d.Incoming(c) {
			if call.From != nil && call.From.Kind == lang.KindLoadBalancer {
				if call.From.Algorithm != "least_connections" {
					cp.split[v] = 2
				}
				break
			}
		}
	}
	return cp.split[v] == 2
}
