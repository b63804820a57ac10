// Package simulate is a discrete-event simulation of a design: Poisson
// arrivals at the clients' rates, each instance a queue of c servers, calls
// with their probabilities, caches hitting at their ratio, retries and
// timeouts as declared, load balancers by their algorithm. It is written
// from the language's semantics (docs/whatif.md, "The simulation"), not from
// the analysis's formulas, so that it can check them: `archform simulate`
// prints both side by side, and a test asserts that they agree on every
// example design.
package simulate

import (
	"math"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// Traffic classes.
const (
	classRead = iota
	classWrite
	classMessage // a message consumed from a queue
	nClass
)

// station is a queue served by servers: one instance, or a pool of
// instances sharing one queue.
type station struct {
	servers int
	busy    int
	mu      float64 // service rate of one server
	fifo    fifo[int32]
	// busy-server time, for utilization: area up to last; areaEnd at the
	// window's end.
	area, last, areaEnd float64
	// insts are the instances (indexes into Component.Instances) this
	// station stands for.
	insts []int
	// util is the component's index and the station's place in its
	// report (for pooled stations: every instance in insts).
	comp int
}

// outcall is one call a component makes for a class of traffic.
type outcall struct {
	to       int
	class    int // the class the callee receives
	whole    int // calls per visit: whole, plus one with probability frac
	frac     float64
	sync     bool
	timeout  float64 // seconds; 0: none
	retries  int
	backoff  float64
	required bool
	weight   float64 // a load balancer's choice weight
	stat     int     // index into the per-call statistics (-1: not counted)
}

// Instance choice: how a visit picks the instance (station) that serves it.
const (
	pickPool   = iota // one queue for all instances (no load balancer in front)
	pickRR            // cyclic round robin over the instances
	pickRandom        // uniformly at random (random, ip_hash, weighted)
	pickJSQ           // the instance with the fewest requests (least_connections)
)

type comp struct {
	addr string
	kind lang.Kind
	down bool
	// queued: the component has capacity_rps and latency, so its
	// instances are queues; otherwise a visit is a pure delay.
	queued bool
	delay  float64 // the pure delay, seconds
	// stations: pooled, or one per instance; nil for a pure delay.
	stations []*station
	pick     int
	rr       int
	// cache or CDN: reads hit with this probability and go no further.
	hit float64
	// lb: each visit chooses one of its calls of the class.
	lb     bool
	lbAlgo string
	out    [nClass][]outcall
	// queue: messages go to consumers (one in turn for point_to_point).
	consumers []int
	p2p       bool
	db        *dbModel
	// nInst is the number of live instances (for reports).
	nInst int
}

type dbModel struct {
	shares []float64 // cumulative
	shards []dbShard
	quorum bool
	// leaderless: a write goes to every live member (Dynamo style);
	// otherwise (a leader-based quorum store) to w of them.
	leaderless bool
	r, w       int
}

type dbShard struct {
	primary  *station   // nil: writes fail (no primary, no automatic failover)
	reads    *station   // where reads go (replicas, all, or the primary)
	members  []*station // quorum members (live)
	rotation int
}

// model is a design compiled for the engine.
type model struct {
	comps    []*comp
	clients  []int
	rps      []float64 // per client
	readFrac []float64
	flows    []flowDef
	calls    []callDef
}

type flowDef struct {
	name  string
	entry int
	read  bool // counts read requests
	write bool // counts write requests
}

type callDef struct {
	from, to string
	index    int
}

// serversOf is the queue of one instance: c servers at rate μ each with
// c·μ = capacity_rps (the declared capacity is what the instance serves),
// c = round(capacity_rps × latency) (at least 1), so that a request's
// service time averages c / capacity_rps ≈ latency.
func serversOf(c *lang.Component) (servers int, mu float64) {
	lat := c.Latency.Seconds()
	servers = max(1, int(math.Round(c.CapacityRPS*lat)))
	return servers, c.CapacityRPS / float64(servers)
}

// compile builds the engine's model of the design under a scenario.
func compile(a *analyze.Applied) *model {
	d := a.Design
	m := &model{}
	index := map[*lang.Component]int{}
	for i, c := range d.Components {
		index[c] = i
	}
	for i, c := range d.Components {
		k := &comp{addr: c.Addr, kind: c.Kind, down: a.Down[c.Addr], nInst: max(len(c.Instances), 1)}
		m.comps = append(m.comps, k)
		if c.Kind == lang.KindClient {
			if c.RPS > 0 {
				m.clients = append(m.clients, i)
				m.rps = append(m.rps, c.RPS)
				m.readFrac = append(m.readFrac, math.Min(1, math.Max(0, c.ReadRatio)))
			}
			continue
		}
		if c.Kind == lang.KindCache || c.Kind == lang.KindCDN {
			k.hit = math.Min(1, math.Max(0, c.HitRatio))
		}
		if c.Kind == lang.KindLoadBalancer {
			k.lb, k.lbAlgo = true, c.Algorithm
		}
		queued := c.CapacityRPS > 0 && c.Latency > 0
		k.queued = queued
		if !queued {
			k.delay = math.Max(0, c.Latency.Seconds())
		}
		switch {
		case c.Kind == lang.KindDatabase && len(c.Instances) > 0:
			k.db = compileDB(c, k, i, a)
		case queued:
			k.pick = pickOf(d, c)
			servers, mu := serversOf(c)
			n := max(len(c.Instances), 1)
			if k.pick == pickPool {
				st := &station{servers: n * servers, mu: mu, comp: i}
				for j := range n {
					st.insts = append(st.insts, j)
				}
				k.stations = []*station{st}
			} else {
				for j := range n {
					k.stations = append(k.stations, &station{servers: servers, mu: mu, insts: []int{j}, comp: i})
				}
			}
		}
	}
	for i, c := range d.Components {
		k := m.comps[i]
		for _, call := range c.Calls {
			to, ok := index[call.To]
			if !ok {
				continue
			}
			oc := outcall{to: to, whole: int(math.Floor(call.PerRequest + 1e-12)), sync: call.Sync(),
				timeout: call.Timeout.Seconds(), retries: max(call.Retries, 0), backoff: call.Backoff.Seconds(),
				required: call.Required, weight: 1, stat: -1}
			oc.frac = call.PerRequest - float64(oc.whole)
			if oc.frac < 1e-12 {
				oc.frac = 0
			}
			if k.lb && c.Algorithm == "weighted" {
				oc.weight = math.Max(call.Weight, 0)
			}
			if oc.sync && (oc.timeout > 0 || oc.retries > 0) {
				oc.stat = len(m.calls)
				m.calls = append(m.calls, callDef{from: c.Addr, to: call.To.Addr, index: call.Index})
			}
			if call.Op.Matches(lang.OpRead) {
				o := oc
				o.class = classRead
				k.out[classRead] = append(k.out[classRead], o)
			}
			if call.Op.Matches(lang.OpWrite) {
				o := oc
				o.class = classWrite
				k.out[classWrite] = append(k.out[classWrite], o)
			}
			// A consumed message is one unit of work: a read call reads,
			// any other call writes.
			o := oc
			o.class = classWrite
			if call.Op == lang.OpRead {
				o.class = classRead
			}
			k.out[classMessage] = append(k.out[classMessage], o)
		}
		if c.Kind == lang.KindCache && c.Origin != nil {
			if o, ok := index[c.Origin]; ok {
				k.out[classRead] = append(k.out[classRead], outcall{to: o, class: classRead, whole: 1, sync: true, required: true, weight: 1, stat: -1})
				if c.Strategy == "write_through" || c.Strategy == "write_back" {
					for _, cl := range []int{classWrite, classMessage} {
						k.out[cl] = append(k.out[cl], outcall{to: o, class: classWrite, whole: 1, sync: true, required: true, weight: 1, stat: -1})
					}
				}
			}
		}
		if c.Kind == lang.KindQueue {
			for _, cs := range d.Consumers(c) {
				if t, ok := index[cs.Consumer]; ok {
					k.consumers = append(k.consumers, t)
				}
			}
			k.p2p = c.Pattern == "point_to_point"
		}
	}
	flows := d.Flows
	if len(flows) == 0 {
		for _, c := range d.Components {
			if c.Kind == lang.KindClient {
				m.flows = append(m.flows, flowDef{name: c.Addr, entry: index[c], read: true, write: true})
			}
		}
	}
	for _, f := range flows {
		e, ok := index[f.Entry]
		if !ok {
			continue
		}
		m.flows = append(m.flows, flowDef{name: f.Name, entry: e,
			read: f.Op.Matches(lang.OpRead), write: f.Op.Matches(lang.OpWrite)})
	}
	return m
}

// pickOf is how a component's instances are chosen: by the first load
// balancer that calls it, else from one shared queue.
func pickOf(d *lang.Design, c *lang.Component) int {
	for _, call := range d.Incoming(c) {
		if call.From == nil || call.From.Kind != lang.KindLoadBalancer {
			continue
		}
		switch call.From.Algorithm {
		case "least_connections":
			return pickJSQ
		case "round_robin":
			return pickRR
		default:
			return pickRandom
		}
	}
	return pickPool
}

// compileDB builds a database's shards: the primary takes the writes; reads
// go to a pool of the replicas (read_from = "replicas"), of every instance
// ("any") or to the primary; a quorum store's members are each a queue.
func compileDB(c *lang.Component, k *comp, ci int, a *analyze.Applied) *dbModel {
	// Without capacity the stations only say which instances are live: a
	// visit is the pure delay (k.queued is false).
	servers, mu := 1, 1.0
	if c.CapacityRPS > 0 && c.Latency > 0 {
		servers, mu = serversOf(c)
	}
	db := &dbModel{}
	type group struct{ primary, replicas, members []int }
	var order []int
	groups := map[int]*group{}
	for i, in := range c.Instances {
		g := groups[in.Shard]
		if g == nil {
			g = &group{}
			groups[in.Shard] = g
			order = append(order, in.Shard)
		}
		switch in.Role {
		case lang.RolePrimary:
			g.primary = append(g.primary, i)
		case lang.RoleReplica:
			g.replicas = append(g.replicas, i)
		default:
			g.members = append(g.members, i)
		}
	}
	pool := func(insts []int) *station {
		if len(insts) == 0 {
			return nil
		}
		return &station{servers: servers * len(insts), mu: mu, insts: insts, comp: ci}
	}
	db.quorum = c.Replication.Mode == "quorum"
	db.leaderless = analyze.Leaderless(c) // which engines are which: one list, the analysis's
	if db.quorum && c.Quorum != nil {
		n := c.Quorum.N
		db.r, db.w = n/2+1, n/2+1
		if c.Quorum.R > 0 {
			db.r = c.Quorum.R
		}
		if c.Quorum.W > 0 {
			db.w = c.Quorum.W
		}
	}
	// Shards: the hottest (0) gets shard_skew × the mean, the rest share the
	// remainder evenly.
	S := float64(max(c.Shards, 1))
	skew := math.Min(math.Max(c.ShardSkew, 1), S)
	cum := 0.0
	for _, s := range order {
		g := groups[s]
		share := 1.0
		if S > 1 {
			share = (1 - skew/S) / (S - 1)
			if s == 0 {
				share = skew / S
			}
		}
		cum += share
		db.shares = append(db.shares, cum)
		sh := dbShard{}
		if db.quorum {
			for _, i := range g.members {
				sh.members = append(sh.members, &station{servers: servers, mu: mu, insts: []int{i}, comp: ci})
			}
		} else {
			sh.primary = pool(g.primary)
			all := append(append([]int{}, g.primary...), g.replicas...)
			switch c.Replication.ReadFrom {
			case "replicas":
				sh.reads = pool(g.replicas)
			case "any":
				sh.reads = pool(all)
				if sh.primary != nil && len(g.replicas) > 0 {
					// one pool: the primary's writes queue with the reads
					sh.primary = sh.reads
				}
			}
			if sh.reads == nil {
				sh.reads = sh.primary
			}
		}
		db.shards = append(db.shards, sh)
		for _, st := range append([]*station{sh.primary, sh.reads}, sh.members...) {
			if st != nil && !containsStation(k.stations, st) {
				k.stations = append(k.stations, st)
			}
		}
	}
	return db
}

func containsStation(ss []*station, s *station) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
