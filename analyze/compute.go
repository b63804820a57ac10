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
	r := &Results{
		Design:     d,
		Components: map[string]*ComponentResult{},
		Flows:      map[string]*FlowResult{},
	}
	if d == nil {
		r.Nominal = &Scenario{Name: "nominal", Kind: "nominal", Load: map[string]*Load{}}
		return r, nil
	}
	g := newGraph(d)
	n := len(g.comps)
	cp := &computer{d: d, g: g, r: r, downScenario: make([]*Scenario, n), comp: newComposer(),
		mark: make([]bool, n), downs: make([]bool, n), scratch: make([]flowVec, n)}
	cp.propagateNominal()
	cp.failures()
	cp.componentResults()
	cp.flowResults()
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
		m := cp.model(c, load)
		cp.models[v] = m
		cr := &ComponentResult{Component: c, Load: load, Queues: m.queues}
		cr.Availability, cr.K, cr.N = componentAvailability(c, load)
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

// model builds a component's queueing model from its nominal load. With
// capacity_rps and latency it is M/M/c: concurrency per instance
// round(capacity_rps × latency), μ = 1/latency. Behind a load balancer whose
// algorithm splits the traffic blindly (round_robin, random, ip_hash,
// weighted) each instance is its own queue; least_connections, and no load
// balancer, pool the instances into one queue. A database has one queue per
// role and shard: the primary takes the writes, the replicas pool the reads
// (read_from = "any": one pool of all instances; a quorum store: one pool of
// its members). Without capacity_rps it is a pure delay of its latency.
func (cp *computer) model(c *lang.Component, load *Load) *compModel {
	lat := c.Latency.Seconds()
	if c.CapacityRPS <= 0 || lat <= 0 {
		s := delaySojourn(math.Max(lat, 0))
		return &compModel{read: s, write: s, all: s}
	}
	conc := max(1, int(math.Round(c.CapacityRPS*lat)))
	mu := 1 / lat
	m := &compModel{}
	queue := func(model string, role lang.Role, shard, servers, queues int, lambda float64) *Sojourn {
		// The figures of MMc's methods, with Erlang C computed once.
		q := MMc{Lambda: lambda, Mu: mu, C: servers}
		pw, wait := q.PWait(), math.Inf(1)
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
	n := max(len(c.Instances), 1)
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
	rl := dbRoles(c)
	shards := cp.g.shards(cp.g.index[c])
	var reads, writes []*Sojourn
	var shares []float64
	for si, sh := range shards {
		shares = append(shares, sh.share)
		if len(sh.members) > 0 {
			s := queue("M/M/c", "", si, len(sh.members)*conc, 1, sum(sh.members...))
			reads, writes = append(reads, s), append(writes, s)
			continue
		}
		all := append([]int{sh.primary}, sh.replicas...)
		if rl.read == "" { // read_from = "any": one pool
			s := queue("M/M/c", "", si, len(all)*conc, 1, sum(all...))
			reads, writes = append(reads, s), append(writes, s)
			continue
		}
		w := queue("M/M/c", lang.RolePrimary, si, conc, 1, sum(sh.primary))
		writes = append(writes, w)
		if rl.read == lang.RoleReplica && len(sh.replicas) > 0 {
			reads = append(reads, queue("M/M/c", lang.RoleReplica, si, len(sh.replicas)*conc, 1, sum(sh.replicas...)))
		} else {
			reads = append(reads, w)
		}
	}
	m.read, m.write = mix(reads, shares), mix(writes, shares)
	m.all = mix([]*Sojourn{m.read, m.write}, []float64{load.Read, load.Write})
	return m
}

// splitBehindLB reports whether a load balancer in front of c spreads its
// requests without looking at the instances' queues (any algorithm but
// least_connections; the first load balancer calling c decides).
func (cp *computer) splitBehindLB(c *lang.Component) bool {
	for _, call := range cp.d.Incoming(c) {
		if call.From != nil && call.From.Kind == lang.KindLoadBalancer {
			return call.From.Algorithm != "least_connections"
		}
	}
	return false
}
