package analyze

import (
	"sync"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Results is the shared analysis of a design that rules, render and emit
// read: traffic in the nominal case and in each failure scenario, queueing,
// availability and latency per component and per flow. Compute builds it.
//
// All rates are requests (or messages) per second; all latencies are in
// milliseconds; availabilities and utilizations are plain ratios.
type Results struct {
	Design *lang.Design

	// Nominal is the design with everything up.
	Nominal *Scenario
	// Failures are the failure scenarios, in a stable order: each zone lost
	// (zones in declaration order), each region lost, each cache down, each
	// component down that a call names a fallback for (components in source
	// order).
	Failures []*Scenario

	// Components holds the nominal figures of each component by address.
	Components map[string]*ComponentResult
	// Flows holds each flow's figures by name. A design with no flow blocks
	// gets one implicit flow per client, named after the client's address
	// ("client.web").
	Flows map[string]*FlowResult
	// FlowOrder lists the flow names in source order (clients' order for
	// implicit flows).
	FlowOrder []string

	// Cycles are call cycles found while propagating traffic.
	Cycles []*Cycle

	// Retries are the calls with a timeout, their tries per call at the
	// retry fixed point (retry.go), in source order.
	Retries []*RetryResult

	// flowScenarios memoizes FlowScenarios (flowscenario.go).
	flowScenarios struct {
		once sync.Once
		m    map[string]map[string]ScenarioFigures
	}
	cp *computer

	// traces memoizes Traces (consistency.go) for the rules that share it.
	traces struct {
		once sync.Once
		t    *Traces
	}
}

// Scenario is the traffic in one state of the world.
type Scenario struct {
	// Name is "nominal", "zone a lost", "region r1 lost", "cache.sessions down"
	// or "service.reco down".
	Name string
	// Kind is "nominal", "zone", "region", "cache" (a cache down), or
	// "component" (a component down that a call names a fallback for).
	Kind string
	// Lost names what is lost: a zone, region or component address ("" for nominal).
	Lost string
	// Load holds each component's load by address. In the nominal scenario
	// it holds every component (components with no traffic have a zero
	// Load); in the failure scenarios only the components the failure
	// reaches (those that lose instances, and those downstream of what is
	// down): read it through LoadOf, which gives the nominal load for the
	// others. Loads are shared between scenarios: read-only.
	Load map[string]*Load

	base *Scenario
}

// LoadOf returns the component's load in this scenario (the nominal load
// where the scenario does not change it), never nil.
func (s *Scenario) LoadOf(addr string) *Load {
	if l, ok := s.Load[addr]; ok {
		return l
	}
	if s.base != nil {
		return s.base.LoadOf(addr)
	}
	return &Load{}
}

// Scenario returns the failure scenario with that name, or nil.
func (r *Results) Scenario(name string) *Scenario {
	for _, s := range r.Failures {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Load is one component's traffic in one scenario.
type Load struct {
	Read  float64 // rps of the read class arriving at the component
	Write float64 // rps of the write class
	// Instances holds each surviving instance's load (rps), indexed like
	// Component.Instances; a lost instance has -1.
	Instances []float64
	// Up is the number of surviving instances.
	Up int
	// Utilization is the highest instance load ÷ capacity_rps; 0 where no
	// capacity is declared.
	Utilization float64
	// Hottest is the index of the instance with the highest utilization.
	Hottest int
	// Messages is the part of Write that is messages consumed from queues.
	Messages float64
	// Shards holds each shard's load (rps) of a sharded database, shard 0
	// the hottest (shard_skew × the mean); nil otherwise.
	Shards []float64
	// Down is set when no instance of the component is up in the scenario:
	// it then passes no traffic on (a cache's reads all go to its origin,
	// calls with a fallback go to it) and its Utilization is 0.
	Down bool
}

// Total is Read + Write.
func (l *Load) Total() float64 { return l.Read + l.Write }

// ComponentResult holds a component's nominal figures.
type ComponentResult struct {
	Component *lang.Component
	Load      *Load
	// Availability of the tier: k-of-n over its instances, k = ⌈load ÷ capacity⌉.
	Availability float64
	// K and N of that k-of-n; both 0 when its roles have their own (Roles).
	K, N int
	// Roles are the k-of-n of each role, for a database whose writes and
	// reads need different roles (its primary and its replicas).
	Roles []RoleKN
	// Queueing: the model and its figures (nil for a pure delay or no latency).
	// Queue is the most utilized of Queues, which lists every queue the
	// component is modelled as (a database has one per role and shard).
	Queue  *QueueResult
	Queues []*QueueResult
	// LatencyMean and LatencyP99 are the sojourn time in the component (ms).
	LatencyMean float64
	LatencyP99  float64
	// InFlight is Little's law: arrival rate × mean sojourn.
	InFlight float64
}

// QueueResult is the M/M/c model of one component (or of each of its
// independent queues, where the load balancer in front splits the traffic).
type QueueResult struct {
	// Model is "M/M/c" pooled (least_connections) or "split" (one M/M/c per
	// instance: round_robin, random, ip_hash, weighted).
	Model       string
	Servers     int     // c of one queue
	Queues      int     // how many independent queues
	Lambda      float64 // arrivals per second per queue
	ServiceTime float64 // seconds
	Utilization float64
	PWait       float64 // Erlang C
	WaitMean    float64 // ms
	// Role and Shard say which instances of a database the queue is: the
	// primary (writes), the replicas (reads) or "" (all of them, or not a
	// database).
	Role  lang.Role
	Shard int
	// Unstable is set when ρ ≥ 1: the queue grows without bound and the
	// latencies are +Inf (which JSON cannot hold: writers print null).
	Unstable bool
	// ResponseMean and ResponseP99 are the sojourn time in this queue (ms).
	ResponseMean float64
	ResponseP99  float64
}

// FlowResult holds a flow's figures.
type FlowResult struct {
	Flow *lang.Flow // nil for an implicit per-client flow
	Name string
	// Entry is the flow's entry component.
	Entry *lang.Component
	// Op is the traffic class followed (read, write, or read_write).
	Op lang.Op
	// RPS entering the flow: the flow's rps as written, or its entry's.
	RPS float64
	// ReadRPS and WriteRPS are the flow's traffic by operation
	// (lang.Flow.OpRPS): a read flow without rps of its own carries its
	// client's reads, not its client's total.
	ReadRPS, WriteRPS float64
	// Hops are the tiers the flow's requests reach through sync calls with a
	// matching op, in breadth-first order from the entry.
	Hops []*Hop
	// Availability is the probability that every tier the flow needs is up
	// with the loads of the state it is in (model v2): the product over
	// Groups.
	Availability float64
	// Groups are the independent factors of Availability, in path order.
	Groups []AvailabilityGroup
	// LatencyMean and LatencyP99 in milliseconds.
	LatencyMean float64
	LatencyP99  float64
	// TimeoutLoss is the share of requests that fail because every try of
	// a call on the path timed out (apart from Availability, which is
	// time-based): 1 − Π (1 − p^(r+1))^(calls per request).
	TimeoutLoss float64
	// Delivery is the flow's asynchronous delivery, for a flow that follows
	// a queue to its consumers (through): then Availability and the
	// latencies are the delivery's (delivery.go), and Hops the request path
	// up to the queue's writer. nil otherwise.
	Delivery *Delivery

	// What the availability is over, kept for the scenarios' figures.
	needs []need
	soft  []int
}

// Subject is the address a finding about the flow names: "flow.NAME", or
// the entry's address for an implicit per-client flow.
func (f *FlowResult) Subject() string {
	if f.Flow == nil && f.Entry != nil {
		return f.Entry.Addr
	}
	return "flow." + f.Name
}

// DeclRange is where the flow is declared: its flow block, or its entry's
// block for an implicit per-client flow.
func (f *FlowResult) DeclRange() hcl.Range {
	switch {
	case f.Flow != nil:
		return f.Flow.DeclRange
	case f.Entry != nil:
		return f.Entry.DeclRange
	}
	return hcl.Range{}
}

// Hop is one tier on a flow's path.
type Hop struct {
	Component *lang.Component
	// Via is the call that reaches this tier first (nil for the entry), or,
	// for a cache's origin, the cache's origin relation (Via = nil, Origin = true).
	Via    *lang.Call
	Origin bool
	// From is the component whose call (or, for an origin, the cache)
	// reaches this tier first: its parent in the flow's call tree, which
	// Hops lists breadth first; nil for the entry.
	From *lang.Component
	// CallsPerRequest is how many calls one request of the flow makes to this
	// tier (fan-out and hit ratios included).
	CallsPerRequest float64
	// Required: the flow needs this tier to be up (a required sync path from
	// the entry), or it is a soft dependency whose loss overloads another tier.
	Required bool
	// Soft is true for a tier reached only through required = false calls.
	Soft bool
	// Overloads lists, for a soft tier, the other tiers of the path its loss
	// pushes above utilization 1 (by address): then the flow needs it
	// (Required) and it is a capacity single point of failure.
	Overloads []string
	// Role restricts a database hop to the instances the flow uses:
	// "primary" for writes, "replica" for reads from replicas, "" for all.
	Role lang.Role
	// Availability of this tier as the flow sees it (k-of-n over the
	// instances it uses).
	Availability float64
	// Tries and TimeoutLoss are the call's expected tries and the chance
	// that all time out, for a hop reached through a call with a timeout
	// (0 otherwise).
	Tries, TimeoutLoss float64
	// LatencyMean, LatencyP99 of one visit (ms).
	LatencyMean float64
	LatencyP99  float64
}

// Cycle is a call cycle found in traffic propagation.
type Cycle struct {
	Calls []*lang.Call
	// Gain is how much traffic grows per trip around the loop: for a simple
	// loop the product of its factors (per_request, load-balancer shares,
	// miss ratios); for a tangle of loops ρ(A)^len(Calls), with ρ(A) the
	// spectral radius of the set's transfer matrix. Below 1 the loop is
	// solved exactly; at 1 or more the traffic grows without bound (an
	// error), and the loads of the loop's components are one round of
	// propagation, finite but not meaningful.
	Gain float64
}
