package analyze

// The consistency model: what a read through each component can promise (its
// "provided level"), how each store behaves in a network partition, and the
// path a flow's reads and writes take with the consistency they need on the
// way. The consistency, quorum, cap-conflict, durability, cache-invalidation
// and multi-region-conflict rules read it.
//
// Levels are those of the Jepsen consistency map as LANGUAGE.md lists them.
// They are a partial order, not a chain: linearizable implies sequential,
// which implies causal, which implies both read-your-writes and monotonic
// reads; read-your-writes and monotonic reads do not imply each other;
// bounded staleness is implied only by linearizability (staleness 0) and by
// a smaller bound. Everything implies eventual. Implies encodes exactly this.

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Mechanism names what sets a component's provided level. Each mechanism is
// checked by exactly one rule, so one cause gives one finding.
type Mechanism string

// Mechanisms.
const (
	MechPrimary         Mechanism = "primary"           // reads on the single primary
	MechSyncReplica     Mechanism = "sync_replica"      // reads on replicas of sync replication
	MechSemiSyncReplica Mechanism = "semi_sync_replica" // reads on replicas of semi-sync replication
	MechAsyncReplica    Mechanism = "async_replica"     // reads on replicas of async replication
	MechLeaderless      Mechanism = "leaderless"        // a Dynamo-style engine without a quorum block
	MechQuorum          Mechanism = "quorum"            // quorum reads with r + w > n
	MechWeakQuorum      Mechanism = "weak_quorum"       // quorum reads with r + w ≤ n (rule quorum)
	MechCacheTTL        Mechanism = "cache_ttl"         // a cache refreshed only by its ttl
	MechCacheExplicit   Mechanism = "cache_explicit"    // cache-aside with explicit invalidation (rule cache-invalidation)
	MechCacheCoherent   Mechanism = "cache_coherent"    // write-through/write-back, lease or versioned invalidation
	MechCDN             Mechanism = "cdn_ttl"           // a CDN's cached copies
	MechSearchRefresh   Mechanism = "search_refresh"    // near-real-time search indexes
	MechMultiRegionLWW  Mechanism = "multi_region_lww"  // active-active, last writer wins (rule multi-region-conflict)
	MechMultiRegionNone Mechanism = "multi_region_none" // active-active without conflict resolution (rule multi-region-conflict)
	MechMultiRegionCRDT Mechanism = "multi_region_crdt" // active-active with CRDTs
)

// Guarantee is what a read through one component can promise, and why.
type Guarantee struct {
	Component *lang.Component
	Level     lang.Consistency
	// Staleness bounds how old a read can be, whatever the level (a cache's
	// ttl); 0 when nothing bounds it. For BoundedStaleness it is the bound.
	Staleness time.Duration
	Mechanism Mechanism
	// Attr is the attribute that sets the level, for a finding's range
	// ("replication.mode", "ttl", "quorum.r", "multi_region.conflict").
	Attr string
	// Setup names the configuration in a few words: "async replicas",
	// "cache_aside, ttl 60s", "r = 1, w = 1 of n = 3".
	Setup string
	// Reason says in one sentence why the level is what it is.
	Reason string
	// StaleRead is the PBS probability that a read right after a write
	// returns an older value (quorum with r + w ≤ n), nil otherwise.
	StaleRead *big.Rat
	// LostUpdates: concurrent writes can silently overwrite each other.
	LostUpdates bool
}

// Describe names the level the way findings print it: "bounded_staleness
// (60s)" or "eventual".
func (g *Guarantee) Describe() string {
	if g.Level == lang.BoundedStaleness && g.Staleness > 0 {
		return fmt.Sprintf("%s (%s)", g.Level, FormatDuration(g.Staleness))
	}
	return string(g.Level)
}

// Range is where a finding about the guarantee points: its attribute, or the
// component's block when the attribute is not written.
func (g *Guarantee) Range() hcl.Range { return g.Component.Range(g.Attr) }

// Need is the consistency a flow or a call asks of what it reads.
type Need struct {
	Level        lang.Consistency
	MaxStaleness time.Duration // with BoundedStaleness
	// Call is the call that states it, nil when the flow does.
	Call *lang.Call
	// Flow is the flow that states it (or whose path the call is on).
	Flow *lang.Flow
}

// Source says who states the need: `flow "browse"` or `call from service.api
// to cache.sessions`.
func (n Need) Source() string {
	if c := n.Call; c != nil {
		return fmt.Sprintf("call from %s to %s", c.From.Addr, c.To.Addr)
	}
	if n.Flow == nil {
		return "nothing"
	}
	return fmt.Sprintf("flow %q", n.Flow.Name)
}

// Range is the consistency attribute that states the need.
func (n Need) Range() hcl.Range {
	switch {
	case n.Call != nil:
		return n.Call.Range("consistency")
	case n.Flow != nil:
		return n.Flow.Range("consistency")
	}
	return hcl.Range{}
}

// Stated reports whether anything stated a need.
func (n Need) Stated() bool { return n.Level != "" }

// Describe prints the need: "read_your_writes" or "bounded_staleness (5s)".
func (n Need) Describe() string {
	if n.Level == lang.BoundedStaleness && n.MaxStaleness > 0 {
		return fmt.Sprintf("%s (%s)", n.Level, FormatDuration(n.MaxStaleness))
	}
	return string(n.Level)
}

// Stronger returns the stronger of two needs in the language's order
// (strongest first, as LANGUAGE.md lists the levels); for two bounded
// staleness needs, the smaller bound. On a tie it keeps n.
func (n Need) Stronger(o Need) Need {
	switch {
	case o.Level.Strength() > n.Level.Strength():
		return o
	case o.Level == n.Level && n.Level == lang.BoundedStaleness &&
		o.MaxStaleness > 0 && (n.MaxStaleness == 0 || o.MaxStaleness < n.MaxStaleness):
		return o
	}
	return n
}

// Implies reports whether a store that provides level p (with staleness bound
// pStale for bounded staleness, 0 = none) satisfies a need of level n (with
// bound nStale, 0 = any bound). It follows the Jepsen consistency map.
func Implies(p lang.Consistency, pStale time.Duration, n lang.Consistency, nStale time.Duration) bool {
	if n == "" || n == lang.Eventual || p == lang.Linearizable {
		return true
	}
	switch p {
	case lang.Sequential:
		return n == lang.Sequential || n == lang.Causal || n == lang.ReadYourWrites || n == lang.MonotonicReads
	case lang.Causal:
		return n == lang.Causal || n == lang.ReadYourWrites || n == lang.MonotonicReads
	case lang.BoundedStaleness:
		return n == lang.BoundedStaleness && pStale > 0 && (nStale == 0 || pStale <= nStale)
	}
	return p == n
}

// Satisfies reports whether the guarantee meets the need: its level implies
// the need's, or the need is a staleness bound that the guarantee's own bound
// (a read-your-writes cache still expires entries by its ttl) keeps.
func (g *Guarantee) Satisfies(n Need) bool {
	if n.Level == lang.BoundedStaleness && g.Staleness > 0 {
		return Implies(lang.BoundedStaleness, g.Staleness, n.Level, n.MaxStaleness)
	}
	return Implies(g.Level, g.Staleness, n.Level, n.MaxStaleness)
}

// StaleReadProbability is the PBS probability (Bailis et al., "Probabilistically
// Bounded Staleness for Practical Partial Quorums", 2012) that a read quorum of
// r members, chosen at random among n, misses all w members that acknowledged
// the latest write, read right after it commits and before anti-entropy:
// C(n−w, r) / C(n, r). It is 0 when r + w > n (the quorums intersect). It
// returns nil unless 1 ≤ r ≤ n and 1 ≤ w ≤ n.
func StaleReadProbability(n, r, w int) *big.Rat {
	if n < 1 || r < 1 || w < 1 || r > n || w > n {
		return nil
	}
	if r > n-w {
		return new(big.Rat)
	}
	num := new(big.Int).Binomial(int64(n-w), int64(r))
	den := new(big.Int).Binomial(int64(n), int64(r))
	return new(big.Rat).SetFrac(num, den)
}

// Consensus engines replicate through Raft or ZAB: their quorum reads are
// linearizable (ZooKeeper's are sequential: a member answers from its own
// state), and they refuse requests on the minority side of a partition.
var consensusEngines = map[string]lang.Consistency{
	"etcd":         lang.Linearizable,
	"consul":       lang.Linearizable,
	"cockroachdb":  lang.Linearizable,
	"spanner":      lang.Linearizable,
	"yugabytedb":   lang.Linearizable,
	"tidb":         lang.Linearizable,
	"foundationdb": lang.Linearizable,
	"zookeeper":    lang.Sequential,
}

const zookeeperReason = "ZooKeeper writes through its leader by majority, but a member answers reads from its own state, which may lag the leader: reads are sequential, not linearizable (unless the client calls sync() first)"

// ReadGuarantees returns what a read through c can promise, one guarantee per
// mechanism that limits it (a database with async replicas in an
// active-active multi-region setup has two). sticky says the reads reach c
// through sticky routing (a load balancer with algorithm = "ip_hash" in front),
// which keeps a session on one replica. Components that set no limit (services,
// load balancers, object storage) give none.
func ReadGuarantees(c *lang.Component, sticky bool) []*Guarantee {
	var out []*Guarantee
	add := func(g *Guarantee) {
		g.Component = c
		out = append(out, g)
	}
	switch c.Kind {
	case lang.KindCache:
		// A cache without an origin is the store itself: its ttl expires
		// data, it does not make it stale.
		if c.Origin != nil {
			add(cacheGuarantee(c))
		}
	case lang.KindCDN:
		if c.TTL > 0 {
			add(&Guarantee{Level: lang.BoundedStaleness, Staleness: c.TTL, Mechanism: MechCDN, Attr: "ttl", Setup: "ttl " + FormatDuration(c.TTL),
				Reason: fmt.Sprintf("a CDN serves its copy until the ttl of %s expires", FormatDuration(c.TTL))})
		} else {
			add(&Guarantee{Level: lang.Eventual, Mechanism: MechCDN, Attr: "ttl", Setup: "no ttl",
				Reason: "a CDN without a ttl serves its copy for as long as the origin's cache headers say, which the design does not bound"})
		}
	case lang.KindSearch:
		switch c.Engine {
		case "elasticsearch", "opensearch":
			add(&Guarantee{Level: lang.BoundedStaleness, Staleness: time.Second, Mechanism: MechSearchRefresh, Attr: "engine", Setup: c.Engine + " refresh",
				Reason: "a near-real-time index shows a write only after its next refresh (refresh_interval, 1s by default)"})
		}
	case lang.KindDatabase:
		if g := databaseGuarantee(c, sticky); g != nil {
			add(g)
		}
		if g := multiRegionGuarantee(c); g != nil {
			add(g)
		}
	}
	return out
}

func cacheGuarantee(c *lang.Component) *Guarantee {
	switch {
	case c.Strategy == "write_through" || c.Strategy == "write_back":
		return &Guarantee{Level: lang.ReadYourWrites, Staleness: c.TTL, Mechanism: MechCacheCoherent, Attr: "strategy", Setup: c.Strategy,
			Reason: fmt.Sprintf("a %s cache is updated by the writes that go through it", c.Strategy)}
	case c.Invalidation == "lease" || c.Invalidation == "versioned":
		return &Guarantee{Level: lang.ReadYourWrites, Staleness: c.TTL, Mechanism: MechCacheCoherent, Attr: "invalidation", Setup: c.Invalidation + " invalidation",
			Reason: fmt.Sprintf("%s invalidation drops the cached value on write and refuses stale fills", c.Invalidation)}
	}
	attr, mech := "ttl", MechCacheTTL
	reason := "the cache is refreshed only when its ttl expires"
	if c.Invalidation == "explicit" {
		attr, mech = "invalidation", MechCacheExplicit
		reason = "explicit invalidation deletes the key on write, but a read that missed before the write can put the old value back afterwards (the cache-aside fill race); it stays until the ttl expires"
	}
	setup := c.Strategy
	if setup == "" {
		setup = "cache"
	}
	if c.Invalidation == "explicit" {
		setup += ", explicit invalidation"
	}
	if c.TTL > 0 {
		return &Guarantee{Level: lang.BoundedStaleness, Staleness: c.TTL, Mechanism: mech, Attr: attr,
			Setup:  setup + ", ttl " + FormatDuration(c.TTL),
			Reason: fmt.Sprintf("%s: a read can return a value up to %s old", reason, FormatDuration(c.TTL))}
	}
	return &Guarantee{Level: lang.Eventual, Mechanism: mech, Attr: attr, Setup: setup + ", no ttl",
		Reason: reason + ", and no ttl bounds how long a stale value stays"}
}

func databaseGuarantee(c *lang.Component, sticky bool) *Guarantee {
	if q := c.Quorum; q != nil {
		if p := StaleReadProbability(q.N, q.R, q.W); p != nil && p.Sign() > 0 {
			f, _ := p.Float64()
			return &Guarantee{Level: lang.Eventual, Mechanism: MechWeakQuorum, Attr: quorumAttr(c), StaleRead: p, Setup: quorumSetup(q),
				Reason: fmt.Sprintf("r + w = %d + %d = %d ≤ n = %d: a read quorum can miss every member that has the latest write; P(stale) = C(n−w, r)/C(n, r) = C(%d, %d)/C(%d, %d) = %s ≈ %.3f",
					q.R, q.W, q.R+q.W, q.N, q.N-q.W, q.R, q.N, q.R, p.RatString(), f)}
		}
		g := &Guarantee{Level: lang.Linearizable, Mechanism: MechQuorum, Attr: quorumAttr(c), Setup: quorumSetup(q),
			Reason: fmt.Sprintf("r + w = %d + %d = %d > n = %d: every read quorum overlaps the latest write's quorum", q.R, q.W, q.R+q.W, q.N)}
		if l, ok := consensusEngines[c.Engine]; ok {
			g.Level, g.Attr, g.Setup = l, "engine", c.Engine+", "+g.Setup
			if l == lang.Sequential {
				g.Reason = zookeeperReason
			}
		}
		return g
	}
	if level, ok := consensusEngines[c.Engine]; ok {
		g := &Guarantee{Level: level, Mechanism: MechQuorum, Attr: "engine", Setup: c.Engine + " consensus",
			Reason: fmt.Sprintf("%s replicates by consensus and answers reads from a majority", c.Engine)}
		if level == lang.Sequential {
			g.Reason = zookeeperReason
		}
		return g
	}
	if leaderless[c.Engine] {
		return &Guarantee{Level: lang.Eventual, Mechanism: MechLeaderless, Attr: "engine", Setup: c.Engine + " without a quorum block",
			Reason: fmt.Sprintf("%s reads and writes one replica at its default consistency level, and replicas converge later; a quorum block with r + w > n says otherwise", c.Engine)}
	}
	rep := c.Replication
	if rep.Mode == "quorum" {
		return nil // the decoder gives every quorum database its Quorum
	}
	primary := &Guarantee{Level: lang.Linearizable, Mechanism: MechPrimary, Attr: "replication.read_from", Setup: "the primary",
		Reason: "every read and write goes to the one primary"}
	if rep.Replicas == 0 || rep.Mode == "none" || rep.Mode == "" || rep.ReadFrom == "primary" || rep.ReadFrom == "" {
		return primary
	}
	var g *Guarantee
	switch rep.Mode {
	case "sync":
		g = &Guarantee{Level: lang.ReadYourWrites, Mechanism: MechSyncReplica, Attr: "replication.mode", Setup: "sync replicas",
			Reason: "sync replication acknowledges a write once every replica has it, so a later read on a replica sees it; a read concurrent with a write may not (not linearizable)"}
	case "semi_sync":
		g = &Guarantee{Level: lang.Eventual, Mechanism: MechSemiSyncReplica, Attr: "replication.mode", Setup: "semi-sync replicas",
			Reason: "semi-sync replication acknowledges a write once one replica has received it, before any replica applies it: a replica read can miss it"}
	default: // async
		g = &Guarantee{Level: lang.Eventual, Mechanism: MechAsyncReplica, Attr: "replication.mode", Setup: "async replicas",
			Reason: "async replicas apply the primary's writes after an unbounded lag: a read can miss any recent write"}
		switch {
		case sticky:
			g.Level, g.Setup = lang.MonotonicReads, "async replicas, sticky sessions"
			g.Reason += "; sticky sessions keep each session on one replica, which applies writes in order, so its reads are monotonic"
		case rep.ReadFrom == "replicas" && rep.Replicas == 1:
			g.Level = lang.MonotonicReads
			g.Reason += "; with one replica every read sees its state, which only moves forward, so reads are monotonic"
		}
	}
	if rep.ReadFrom == "any" {
		g.Setup = "primary or " + g.Setup
		g.Reason = "reads go to the primary or a replica: " + g.Reason
		if g.Level == lang.MonotonicReads && !sticky {
			g.Level = lang.Eventual
		}
	}
	return g
}

func quorumSetup(q *lang.Quorum) string {
	return fmt.Sprintf("r = %d, w = %d of n = %d", q.R, q.W, q.N)
}

func quorumAttr(c *lang.Component) string {
	for _, a := range []string{"quorum.r", "quorum.w", "quorum"} {
		if c.Has(a) {
			return a
		}
	}
	return "replication.mode"
}

func multiRegionGuarantee(c *lang.Component) *Guarantee {
	mr := c.MultiRegion
	if mr == nil || mr.Mode != "active_active" {
		return nil
	}
	attr := "multi_region.conflict"
	if !c.Has(attr) {
		attr = "multi_region.mode"
	}
	regions := "its regions"
	if len(mr.Regions) > 0 {
		regions = strings.Join(mr.Regions, ", ")
	}
	switch mr.Conflict {
	case "crdt":
		return &Guarantee{Level: lang.ReadYourWrites, Mechanism: MechMultiRegionCRDT, Attr: attr, Setup: "active_active, crdt",
			Reason: fmt.Sprintf("active-active over %s with CRDTs: replicas converge without losing updates, and a client that stays in one region reads its own writes; across regions, eventual", regions)}
	case "lww":
		return &Guarantee{Level: lang.Eventual, Mechanism: MechMultiRegionLWW, Attr: attr, LostUpdates: true, Setup: "active_active, lww",
			Reason: fmt.Sprintf("active-active over %s with last-writer-wins: concurrent writes in two regions are ordered by timestamp and the older one is silently lost", regions)}
	default:
		return &Guarantee{Level: lang.Eventual, Mechanism: MechMultiRegionNone, Attr: attr, LostUpdates: true, Setup: "active_active, no conflict resolution",
			Reason: fmt.Sprintf("active-active over %s with no conflict resolution: concurrent writes in two regions leave the regions diverged", regions)}
	}
}

// Partition behaviours.
const (
	PartitionConsistent = "consistent" // the side that cannot reach a quorum or the primary refuses
	PartitionAvailable  = "available"  // every side answers, possibly stale or conflicting
)

// Partition is what a component does with one class of traffic when a
// network partition cuts its members apart.
type Partition struct {
	Mode   string // PartitionConsistent, PartitionAvailable, or "" when unknown
	Reason string
	// Attr is the attribute that decides it, for a finding's range.
	Attr string
}

// PartitionBehaviour returns what c does with traffic of class op (OpRead or
// OpWrite) in a partition. A partition_mode the user wrote wins; otherwise it
// is derived per class: a single primary refuses writes (and primary reads)
// on the side without it, while replicas keep answering reads; a quorum op
// whose quorum is a majority (2q > n) can be met on one side only; consensus
// engines refuse on the minority side; leaderless engines without a quorum
// block and active-active multi-region answer everywhere. Other components
// fall back to the decoder's derived Component.PartitionMode.
func PartitionBehaviour(c *lang.Component, op lang.Op) Partition {
	if c.Has("partition_mode") {
		return Partition{c.PartitionMode, fmt.Sprintf("partition_mode = %q", c.PartitionMode), "partition_mode"}
	}
	if c.Kind != lang.KindDatabase {
		if c.PartitionMode == "" {
			return Partition{}
		}
		return Partition{c.PartitionMode, fmt.Sprintf("partition_mode %q, derived from its engine and settings", c.PartitionMode), "engine"}
	}
	if mr := c.MultiRegion; mr != nil && mr.Mode == "active_active" {
		return Partition{PartitionAvailable, "active-active: every region accepts reads and writes on its own", "multi_region.mode"}
	}
	if q := c.Quorum; q != nil {
		size, name := q.R, "r"
		if op == lang.OpWrite {
			size, name = q.W, "w"
		}
		if 2*size > q.N {
			return Partition{PartitionConsistent, fmt.Sprintf("%s = %d of n = %d is a majority: only one side of a partition can gather it", name, size, q.N), quorumAttr(c)}
		}
		return Partition{PartitionAvailable, fmt.Sprintf("%s = %d of n = %d is not a majority: both sides of a partition can gather it", name, size, q.N), quorumAttr(c)}
	}
	if _, ok := consensusEngines[c.Engine]; ok {
		return Partition{PartitionConsistent, fmt.Sprintf("%s refuses requests on the side of a partition without a majority", c.Engine), "engine"}
	}
	if leaderless[c.Engine] {
		return Partition{PartitionAvailable, fmt.Sprintf("%s answers from any replica at its default consistency level", c.Engine), "engine"}
	}
	rep := c.Replication
	if op == lang.OpRead && rep.Replicas > 0 && (rep.ReadFrom == "replicas" || rep.ReadFrom == "any") && rep.Mode != "none" && rep.Mode != "" {
		return Partition{PartitionAvailable, "replicas keep answering reads, possibly stale, on a side without the primary", "replication.read_from"}
	}
	if op == lang.OpRead {
		return Partition{PartitionConsistent, "every read needs the single primary: the side of a partition without it refuses", "replication.read_from"}
	}
	// Nothing short of another engine changes where writes go: point at the block.
	return Partition{PartitionConsistent, "every write needs the single primary: the side of a partition without it refuses", ""}
}

// leaderless engines replicate without a primary (Dynamo style); without a
// quorum block their default reads and writes go to one replica.
var leaderless = map[string]bool{"cassandra": true, "scylladb": true, "dynamodb": true, "couchdb": true}

// FormatDuration prints a duration the way designs write it: "60s", "250ms",
// "5m", "2h" (seconds up to two minutes).
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d > 2*time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	case d%time.Millisecond == 0:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return d.String()
}

// Step is one tier a flow's traffic of one class reaches, with what that
// traffic needs there.
type Step struct {
	Component *lang.Component
	// Class is lang.OpRead or lang.OpWrite: the traffic reaching the tier.
	Class lang.Op
	// Via is the first call that reaches the tier (nil for the entry and for
	// a cache's origin).
	Via *lang.Call
	// Origin: the tier is a cache's origin, reached by the cache's misses
	// (reads) or write-through/write-back (writes).
	Origin bool
	// Required: the flow needs this tier (every call on some route to it is
	// required; a cache's origin is needed whenever its cache is reached).
	Required bool
	// Sticky: some route to it passes a load balancer with algorithm =
	// "ip_hash", which keeps a client's session on one backend.
	Sticky bool
	// Need is the strongest consistency asked on the way: the flow's own,
	// strengthened by the consistency of each call crossed.
	Need Need
}

// Trace returns the tiers a flow's traffic reaches, by class (reads first,
// then writes), each in breadth-first order from the entry. It follows the
// path of LANGUAGE.md: sync calls whose op matches the class, and a cache's
// origin (for reads, and for writes through a write_through or write_back
// cache). Async calls and queue consumers are off the path. Where several
// routes reach a tier, its Need is the strongest, Required and Sticky hold if
// they hold on some route.
//
// analyze.Compute's Results.Flows[..].Hops list the same tiers; Trace adds
// what the consistency rules need on top: the class of each visit, the needs
// carried along the calls, and sticky routing.
func Trace(f *lang.Flow) []*Step { return new(tracer).flow(f) }

// tracer traces flows, reusing its scratch space from one to the next.
type tracer struct {
	steps map[*lang.Component]*Step
	queue []arrival
}

func (tr *tracer) flow(f *lang.Flow) []*Step {
	var classes []lang.Op
	switch f.Op {
	case lang.OpRead:
		classes = []lang.Op{lang.OpRead}
	case lang.OpWrite:
		classes = []lang.Op{lang.OpWrite}
	default:
		classes = []lang.Op{lang.OpRead, lang.OpWrite}
	}
	need := Need{Level: f.Consistency, MaxStaleness: f.MaxStaleness, Flow: f}
	var out []*Step
	for _, class := range classes {
		out = append(out, tr.trace(f.Entry, class, need)...)
	}
	return out
}

// arrival is one way of reaching a tier, queued for trace.
type arrival struct {
	to               *lang.Component
	via              *lang.Call
	origin, required bool
	sticky           bool
	need             Need
}

func (tr *tracer) trace(entry *lang.Component, class lang.Op, need Need) []*Step {
	if entry == nil {
		return nil
	}
	if tr.steps == nil {
		tr.steps = map[*lang.Component]*Step{}
	}
	steps := tr.steps
	defer clear(steps)
	var order []*Step
	queue := append(tr.queue[:0], arrival{to: entry, required: true, need: need})
	defer func() { clear(queue); tr.queue = queue[:0] }()
	for next := 0; next < len(queue); next++ {
		in := queue[next]
		s, seen := steps[in.to]
		if !seen {
			s = &Step{Component: in.to, Class: class, Via: in.via, Origin: in.origin, Need: in.need}
			steps[in.to] = s
			order = append(order, s)
		}
		// Merge: the state only grows, so the walk ends on cycles.
		changed := !seen
		if in.required && !s.Required {
			s.Required, changed = true, true
		}
		if in.sticky && !s.Sticky {
			s.Sticky, changed = true, true
		}
		if n := s.Need.Stronger(in.need); n != s.Need {
			s.Need, changed = n, true
		}
		if !changed {
			continue
		}
		c := s.Component
		sticky := s.Sticky || (c.Kind == lang.KindLoadBalancer && c.Algorithm == "ip_hash")
		for _, call := range c.Calls {
			if call.To == nil || !call.Sync() || !call.Op.Matches(class) {
				continue
			}
			n := s.Need
			if call.Consistency != "" {
				n = n.Stronger(Need{Level: call.Consistency, MaxStaleness: call.MaxStaleness, Call: call, Flow: n.Flow})
			}
			queue = append(queue, arrival{to: call.To, via: call, required: s.Required && call.Required, sticky: sticky, need: n})
		}
		if o := c.Origin; c.Kind == lang.KindCache && o != nil &&
			(class == lang.OpRead || c.Strategy == "write_through" || c.Strategy == "write_back") {
			// Misses need the origin whether or not the cache itself is a
			// soft dependency: with the cache down, every read goes there.
			req := s.Required || callerRequired(s, steps)
			queue = append(queue, arrival{to: o, origin: true, required: req, sticky: sticky, need: s.Need})
		}
	}
	return order
}

// callerRequired reports whether the tier that reached s through its first
// call is itself required.
func callerRequired(s *Step, steps map[*lang.Component]*Step) bool {
	if s.Via == nil {
		return false
	}
	caller, ok := steps[s.Via.From]
	return ok && caller.Required
}

// Flows returns the flows the consistency rules check: the design's flow
// blocks, or, in a design without any, one implicit read_write flow per
// client named after the client's address (as Results does), which carries
// no need of its own but the needs of the calls it crosses, and the system's
// objectives.
func Flows(d *lang.Design) []*lang.Flow {
	if len(d.Flows) > 0 {
		return d.Flows
	}
	var out []*lang.Flow
	for _, c := range d.Components {
		if c.Kind == lang.KindClient {
			f := &lang.Flow{Name: c.Addr, Entry: c, Op: lang.OpReadWrite, DeclRange: c.DeclRange, NameRange: c.NameRange}
			if d.System != nil {
				f.SLO = d.System.SLO
			}
			out = append(out, f)
		}
	}
	return out
}

// family groups the mechanisms one setting can move between: a fix is a
// change that turns a guarantee into another of its family that meets the need.
func (m Mechanism) family() string {
	switch m {
	case MechMultiRegionLWW, MechMultiRegionNone, MechMultiRegionCRDT:
		return "multi_region"
	case MechCacheTTL, MechCacheExplicit, MechCacheCoherent:
		return "cache"
	case MechCDN, MechSearchRefresh:
		return string(m)
	}
	return "replication"
}

// fixCandidate is one change to try, smallest first.
type fixCandidate struct {
	text   string
	sticky bool
	apply  func(c *lang.Component)
}

// Fixes returns the changes, smallest first, that make a read through the
// component meet the need, each as the user would write it
// (`replication.mode = "sync"`, `quorum { r = 2 }`). Each candidate is checked
// against the model itself: it is listed only if the changed component's
// guarantee of the same family satisfies the need. sticky says the reads are
// already sticky. When no setting of the component can meet the need, the
// list holds the structural change instead (read this flow from elsewhere).
func (g *Guarantee) Fixes(n Need, sticky bool) []string {
	c := g.Component
	var cands []fixCandidate
	switch g.Mechanism.family() {
	case "replication":
		if q := c.Quorum; q != nil {
			cands = quorumFixes(q)
			break
		}
		if !sticky {
			cands = append(cands, fixCandidate{text: `sticky sessions (algorithm = "ip_hash" on the load balancer in front)`, sticky: true})
		}
		cands = append(cands,
			fixCandidate{text: `replication.mode = "sync"`, apply: func(c *lang.Component) { c.Replication.Mode = "sync" }},
			fixCandidate{text: `replication.read_from = "primary"`, apply: func(c *lang.Component) { c.Replication.ReadFrom = "primary" }})
	case "cache":
		if n.Level == lang.BoundedStaleness && n.MaxStaleness > 0 {
			cands = append(cands, fixCandidate{text: fmt.Sprintf("ttl = %q", FormatDuration(n.MaxStaleness)),
				apply: func(c *lang.Component) { c.TTL = n.MaxStaleness }})
		}
		cands = append(cands,
			fixCandidate{text: `invalidation = "versioned"`, apply: func(c *lang.Component) { c.Invalidation = "versioned" }},
			fixCandidate{text: `invalidation = "lease"`, apply: func(c *lang.Component) { c.Invalidation = "lease" }})
	case string(MechCDN):
		if n.Level == lang.BoundedStaleness && n.MaxStaleness > 0 {
			cands = append(cands, fixCandidate{text: fmt.Sprintf("ttl = %q", FormatDuration(n.MaxStaleness)),
				apply: func(c *lang.Component) { c.TTL = n.MaxStaleness }})
		}
	case "multi_region":
		cands = append(cands,
			fixCandidate{text: `multi_region { conflict = "crdt" }`, apply: func(c *lang.Component) { c.MultiRegion.Conflict = "crdt" }},
			fixCandidate{text: `multi_region { mode = "active_passive" }`, apply: func(c *lang.Component) { c.MultiRegion.Mode = "active_passive" }})
	}
	var out []string
	for _, cand := range cands {
		cp := *c
		if cp.Quorum != nil {
			q := *cp.Quorum
			cp.Quorum = &q
		}
		if cp.MultiRegion != nil {
			mr := *cp.MultiRegion
			cp.MultiRegion = &mr
		}
		if cand.apply != nil {
			cand.apply(&cp)
		}
		if fixed(ReadGuarantees(&cp, sticky || cand.sticky), g.Mechanism.family(), n) {
			out = append(out, cand.text)
		}
	}
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("read this flow's data from a store that gives %s instead of through %s", n.Describe(), c.Addr))
	}
	return out
}

// quorumFixes lists the (r, w) changes that make r + w > n: raising r alone,
// raising w alone, and majorities for both, ordered by the larger quorum they
// leave (smaller keeps more members' failures tolerable), then by how many
// attributes change.
func quorumFixes(q *lang.Quorum) []fixCandidate {
	type rw struct{ r, w int }
	maj := q.N/2 + 1
	opts := []rw{{q.N - q.W + 1, q.W}, {q.R, q.N - q.R + 1}, {max(q.R, maj), max(q.W, maj)}}
	changes := func(o rw) int {
		n := 0
		if o.r != q.R {
			n++
		}
		if o.w != q.W {
			n++
		}
		return n
	}
	sort.SliceStable(opts, func(i, j int) bool {
		a, b := opts[i], opts[j]
		if ma, mb := max(a.r, a.w), max(b.r, b.w); ma != mb {
			return ma < mb
		}
		return changes(a) < changes(b)
	})
	var out []fixCandidate
	seen := map[rw]bool{}
	for _, o := range opts {
		if seen[o] || o.r > q.N || o.w > q.N {
			continue
		}
		seen[o] = true
		var parts []string
		if o.r != q.R {
			parts = append(parts, fmt.Sprintf("r = %d", o.r))
		}
		if o.w != q.W {
			parts = append(parts, fmt.Sprintf("w = %d", o.w))
		}
		if len(parts) == 0 {
			continue
		}
		out = append(out, fixCandidate{text: "quorum { " + strings.Join(parts, ", ") + " }",
			apply: func(c *lang.Component) { c.Quorum.R, c.Quorum.W = o.r, o.w }})
	}
	return out
}

// fixed reports whether the guarantees of one family all meet the need.
func fixed(gs []*Guarantee, family string, n Need) bool {
	for _, g := range gs {
		if g.Mechanism.family() == family && !g.Satisfies(n) {
			return false
		}
	}
	return true
}

// Shortfall is a read (or, for lost updates, a write) through a component
// whose guarantee does not meet what the flow needs there.
type Shortfall struct {
	Flow      *lang.Flow
	Step      *Step
	Guarantee *Guarantee
	// Fixes are Guarantee.Fixes for the step's need, smallest first.
	Fixes []string
}

// Traces is every flow's Trace in one design.
type Traces struct {
	// Flows are the flows of Flows(d), in that order.
	Flows []*lang.Flow
	// Steps[i] is Trace(Flows[i]).
	Steps [][]*Step

	// guarantees memoizes ReadGuarantees per flow and step (nil where the
	// step states no need), shared by the rules' Shortfalls calls.
	guarantees struct {
		once sync.Once
		of   [][][]*Guarantee
	}
}

// reading is a component read, with or without sticky sessions: what its
// read guarantees depend on.
type reading struct {
	c      *lang.Component
	sticky bool
}

// stepGuarantees returns ReadGuarantees of each step whose need is stated,
// computed once per component and stickiness.
func (t *Traces) stepGuarantees() [][][]*Guarantee {
	t.guarantees.once.Do(func() {
		memo := map[reading][]*Guarantee{}
		t.guarantees.of = make([][][]*Guarantee, len(t.Steps))
		for i, steps := range t.Steps {
			gs := make([][]*Guarantee, len(steps))
			for j, s := range steps {
				if !s.Need.Stated() {
					continue
				}
				r := reading{s.Component, s.Sticky}
				g, ok := memo[r]
				if !ok {
					g = ReadGuarantees(s.Component, s.Sticky)
					memo[r] = g
				}
				gs[j] = g
			}
			t.guarantees.of[i] = gs
		}
	})
	return t.guarantees.of
}

// TraceAll traces every flow of the design (see Flows).
func TraceAll(d *lang.Design) *Traces {
	t := &Traces{Flows: Flows(d)}
	t.Steps = make([][]*Step, len(t.Flows))
	var tr tracer
	for i, f := range t.Flows {
		t.Steps[i] = tr.flow(f)
	}
	return t
}

// Traces returns TraceAll of the results' design, computed on first use and
// shared by every rule of the run.
func (r *Results) Traces() *Traces {
	r.traces.once.Do(func() { r.traces.t = TraceAll(r.Design) })
	return r.traces.t
}

// Shortfalls returns, flow by flow in source order and along each flow's
// trace, every guarantee of the given mechanisms that does not meet the need
// at its step: reads are held to every guarantee, writes to those that lose
// updates. One flow gives at most one shortfall per component and mechanism.
func (t *Traces) Shortfalls(mechs ...Mechanism) []Shortfall {
	want := map[Mechanism]bool{}
	for _, m := range mechs {
		want[m] = true
	}
	guarantees := t.stepGuarantees()
	type fixKey struct {
		g      *Guarantee
		level  lang.Consistency
		max    time.Duration
		sticky bool
	}
	fixes := map[fixKey][]string{}
	var out []Shortfall
	type key struct {
		c *lang.Component
		m Mechanism
	}
	seen := map[key]bool{} // per flow
	for i, f := range t.Flows {
		clear(seen)
		for j, s := range t.Steps[i] {
			if !s.Need.Stated() {
				continue
			}
			for _, g := range guarantees[i][j] {
				k := key{s.Component, g.Mechanism}
				if !want[g.Mechanism] || seen[k] || g.Satisfies(s.Need) || (s.Class == lang.OpWrite && !g.LostUpdates) {
					continue
				}
				seen[k] = true
				fk := fixKey{g, s.Need.Level, s.Need.MaxStaleness, s.Sticky}
				fx, ok := fixes[fk]
				if !ok {
					fx = g.Fixes(s.Need, s.Sticky)
					fixes[fk] = fx
				}
				out = append(out, Shortfall{Flow: f, Step: s, Guarantee: g, Fixes: fx})
			}
		}
	}
	return out
}

// Finding is the shortfall as a finding: the flow's need, the component's
// level, the reason, and the fixes, pointing at the attribute that sets the
// level, with the need's statement as a related location. Rules adjust the
// message where they have more to say.
func (s Shortfall) Finding() Finding {
	g, st := s.Guarantee, s.Step
	verb := "reads through"
	if st.Class == lang.OpWrite {
		verb = "writes through"
	}
	fixes := s.Fixes
	if fixes == nil {
		fixes = g.Fixes(st.Need, st.Sticky)
	}
	detail := fmt.Sprintf("%s needs %s; %s %s give %s, because %s.",
		st.Need.Source(), st.Need.Describe(), verb, g.Component.Addr, g.Describe(), g.Reason)
	if st.Need.Call != nil {
		detail += fmt.Sprintf(" (The call is on flow %q's path.)", s.Flow.Name)
	}
	detail += "\nSmallest fix: " + fixes[0]
	if len(fixes) > 1 {
		detail += "; or " + strings.Join(fixes[1:], "; or ")
	}
	detail += "."
	data := map[string]any{
		"flow":      s.Flow.Name,
		"component": g.Component.Addr,
		"needed":    string(st.Need.Level),
		"provided":  string(g.Level),
		"mechanism": string(g.Mechanism),
		"setup":     g.Setup,
		"fixes":     fixes,
	}
	if st.Need.MaxStaleness > 0 {
		data["max_staleness_s"] = st.Need.MaxStaleness.Seconds()
	}
	if g.Staleness > 0 {
		data["staleness_s"] = g.Staleness.Seconds()
	}
	if p := g.StaleRead; p != nil {
		f, _ := p.Float64()
		data["stale_read_probability"] = p.RatString()
		data["stale_read_probability_float"] = f
	}
	return Finding{
		Message: fmt.Sprintf("flow %q needs %s, but %s %s (%s) give only %s", s.Flow.Name, st.Need.Describe(), verb, g.Component.Addr, g.Setup, g.Describe()),
		Detail:  detail,
		Subject: g.Component.Addr,
		Key:     fmt.Sprintf("flow %s: %s", s.Flow.Name, g.Mechanism),
		Range:   g.Range(),
		Related: []Related{{Message: fmt.Sprintf("%s needs %s here", st.Need.Source(), st.Need.Describe()), Range: st.Need.Range()}},
		Data:    data,
	}
}
