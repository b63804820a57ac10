package analyze

// The consistency model: what a read through each component can promise (its
// "provided level"), how each store behaves in a network partition, and the
// path a flow's reads and writes take with the consistency they need on the
// way. The consistency, quorum, cap-conflict, durability, cache-invalidation
// and multi-region-conflict rules read it.
//
// Levels are those of the Jepsen consistency map as docs/language.md lists them.
// They are a partial order, not a chain: linearizable implies sequential,
// which implies causal, which implies both read-your-writes and monotonic
// reads; read-your-writes and monotonic reads do not imply each other;
// bounded staleness is implied only by linearizability (staleness 0) and by
// a smaller bound. Everything implies eventual. Implies encodes exactly this.

import (
	"fmt"
	"math/big"
	"slices"
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
	// Level is the strongest level of Provides (for a set of incomparable
	// session guarantees, the first in the language's order), or
	// bounded_staleness or eventual when Provides is empty.
	Level lang.Consistency
	// Provides is every level the read gets, each justified by a row of
	// the engine table (Rows): session guarantees are incomparable, so a
	// read can have read_your_writes and monotonic_reads without causal.
	Provides []lang.Consistency
	// Bounded: Staleness bounds how old a read can be.
	Bounded bool
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
	// Reason says why the level is what it is: each row's why, joined.
	Reason string
	// Rows are the engine-table rows that justify it (EngineTable).
	Rows []RowID
	// Hop is the hop the read came through (its session mechanism and
	// per-operation level).
	Hop ReadHop
	// StaleRead is the PBS probability that a read right after a write
	// returns an older value (quorum with r + w ≤ n), nil otherwise.
	StaleRead *big.Rat
	// Visibility is the PBS t-visibility curve of a weak quorum, nil when
	// the design gives no latency or replica choice is not uniform.
	Visibility *Visibility
	// LostUpdates: concurrent (or acknowledged) writes can silently be lost.
	LostUpdates bool
}

// Describe names what the guarantee provides the way findings print it:
// "bounded_staleness (60s)", "read_your_writes + monotonic_reads" or
// "eventual".
func (g *Guarantee) Describe() string {
	var parts []string
	for _, l := range g.Provides {
		parts = append(parts, string(l))
	}
	if g.Bounded && g.Staleness > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", lang.BoundedStaleness, lang.FormatDuration(g.Staleness)))
	}
	if len(parts) == 0 {
		return string(g.Level)
	}
	return strings.Join(parts, " + ")
}

// Range is where a finding about the guarantee points: its attribute, or the
// component's block when the attribute is not written. A guarantee set by
// the hop's per-operation level points at the call.
func (g *Guarantee) Range() hcl.Range {
	if g.Attr == "read_level" && g.Hop.Call != nil {
		return g.Hop.Call.Range("read_level")
	}
	return g.Component.Range(g.Attr)
}

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
		return fmt.Sprintf("%s (%s)", n.Level, lang.FormatDuration(n.MaxStaleness))
	}
	return string(n.Level)
}

// Stronger returns the stronger of two needs in the language's order
// (strongest first, as docs/language.md lists the levels); for two bounded
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
// bound nStale, 0 = any bound). It follows the Jepsen consistency map:
// linearizable ⇒ sequential ⇒ causal ⇒ each of the four session guarantees
// (read_your_writes, monotonic_reads, monotonic_writes, writes_follow_reads),
// which do not imply one another.
func Implies(p lang.Consistency, pStale time.Duration, n lang.Consistency, nStale time.Duration) bool {
	if n == "" || n == lang.Eventual || p == lang.Linearizable {
		return true
	}
	switch p {
	case lang.Sequential:
		return n == lang.Sequential || n == lang.Causal || n.Session()
	case lang.Causal:
		return n == lang.Causal || n.Session()
	case lang.BoundedStaleness:
		return n == lang.BoundedStaleness && pStale > 0 && (nStale == 0 || pStale <= nStale)
	}
	return p == n
}

// Satisfies reports whether the guarantee meets the need: one of the levels
// it provides implies the need's, or the need is a staleness bound that the
// guarantee's own bound (a read-your-writes cache still expires entries by
// its ttl) keeps.
func (g *Guarantee) Satisfies(n Need) bool {
	if n.Level == "" || n.Level == lang.Eventual {
		return true
	}
	if n.Level == lang.BoundedStaleness && g.Staleness > 0 {
		return Implies(lang.BoundedStaleness, g.Staleness, n.Level, n.MaxStaleness)
	}
	for _, p := range g.Provides {
		if Implies(p, g.Staleness, n.Level, n.MaxStaleness) {
			return true
		}
	}
	return false
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
	if q := c.Quorum; q != nil && sloppyOf(c) {
		return Partition{PartitionAvailable, "a sloppy quorum accepts writes on stand-in members on either side of a partition (hinted handoff)", quorumAttr(c)}
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
	if _, ok := consensusRows[c.Engine]; ok {
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
	// Hops are the distinct ways the traffic reaches the tier (the calls
	// into it, with their session mechanisms and per-operation levels), in
	// the order the walk found them; a cache's origin and the entry are
	// reached by the empty hop. Each can serve a read, so each is checked.
	Hops []ReadHop
	// Need is the strongest consistency asked on the way: the flow's own,
	// strengthened by the consistency of each call crossed.
	Need Need
}

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
		if h := hopOf(in.via); !slices.Contains(s.Hops, h) {
			s.Hops, changed = append(s.Hops, h), true
		}
		if n := s.Need.Stronger(in.need); n != s.Need {
			s.Need, changed = n, true
		}
		if !changed {
			continue
		}
		c := s.Component
		for _, call := range c.Calls {
			if call.To == nil || !call.Sync() || !call.Op.Matches(class) {
				continue
			}
			n := s.Need
			if call.Consistency != "" {
				n = n.Stronger(Need{Level: call.Consistency, MaxStaleness: call.MaxStaleness, Call: call, Flow: n.Flow})
			}
			queue = append(queue, arrival{to: call.To, via: call, required: s.Required && call.Required, need: n})
		}
		if o := c.Origin; c.Kind == lang.KindCache && o != nil &&
			(class == lang.OpRead || c.Strategy == "write_through" || c.Strategy == "write_back") {
			// Misses need the origin whether or not the cache itself is a
			// soft dependency: with the cache down, every read goes there.
			req := s.Required || callerRequired(s, steps)
			queue = append(queue, arrival{to: o, origin: true, required: req, need: s.Need})
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
	case MechCacheTTL, MechCacheExplicit, MechCacheCoherent, MechCacheBypassed:
		return "cache"
	case MechCDN, MechSearchRefresh:
		return string(m)
	}
	return "replication"
}

// fixCandidate is one change to try, smallest first: to the component, or
// to the hop's call.
type fixCandidate struct {
	text  string
	apply func(c *lang.Component, call *lang.Call)
}

// Fixes returns the changes, smallest first, that make a read through the
// component (by the guarantee's hop) meet the need, each as the user would
// write it (`replication.ack = "apply"`, `quorum { r = 2 }`, `session =
// "sticky_replica" on the call from service.api`). Each candidate is checked
// against the calculus itself: it is listed only if the changed component
// and hop's guarantee of the same family satisfies the need. When no
// setting can meet the need, the list holds the structural change instead
// (read this flow from elsewhere).
func (g *Guarantee) Fixes(n Need) []string {
	c, h := g.Component, g.Hop
	var cands []fixCandidate
	hopFix := func(text string, apply func(call *lang.Call)) {
		if h.Call != nil {
			cands = append(cands, fixCandidate{text: text + h.on(), apply: func(_ *lang.Component, call *lang.Call) { apply(call) }})
		}
	}
	compFix := func(text string, apply func(c *lang.Component)) {
		cands = append(cands, fixCandidate{text: text, apply: func(c *lang.Component, _ *lang.Call) { apply(c) }})
	}
	switch g.Mechanism.family() {
	case "replication":
		switch {
		case c.Engine == "mongodb":
			hopFix(`read_level = "linearizable", write_level = "majority"`, func(call *lang.Call) { call.ReadLevel, call.WriteLevel = "linearizable", "majority" })
			hopFix(`session = "causal_token", read_level = "majority", write_level = "majority"`, func(call *lang.Call) {
				call.Session, call.ReadLevel, call.WriteLevel = "causal_token", "majority", "majority"
			})
			compFix(`replication.read_from = "primary"`, func(c *lang.Component) { c.Replication.ReadFrom = "primary" })
		case g.Mechanism == MechFollowerRead:
			hopFix(`no read_level = "follower"`, func(call *lang.Call) { call.ReadLevel = "" })
		case c.Quorum != nil:
			if cassandraFamily[c.Engine] {
				if g.Mechanism == MechLocalQuorum {
					hopFix(`write_level = "each_quorum"`, func(call *lang.Call) { call.WriteLevel = "each_quorum"; call.ReadLevel = "local_quorum" })
				}
				hopFix(`read_level = "serial" (with lightweight transactions for writes)`, func(call *lang.Call) { call.ReadLevel = "serial" })
			}
			if g.Mechanism != MechLocalQuorum {
				strong := n.Level == lang.Linearizable || n.Level == lang.Sequential
				consensus := strong && conflictOf(c) != "consensus" && !cassandraFamily[c.Engine]
				cands = append(cands, quorumFixes(c.Quorum, consensus)...)
			}
			if sloppyOf(c) {
				compFix("quorum { sloppy = false }", func(c *lang.Component) { f := false; c.Quorum.Sloppy = &f })
			}
			if readRepairOf(c) != "blocking" {
				compFix(`quorum { read_repair = "blocking" }`, func(c *lang.Component) { c.Quorum.ReadRepair = "blocking" })
			}
		case g.Mechanism == MechFailover:
			if c.Engine != "redis" {
				compFix(`replication { mode = "sync", fallback = "none" }`, func(c *lang.Component) { c.Replication.Mode, c.Replication.Fallback = "sync", "none" })
			}
			compFix(`replication.failover = "manual"`, func(c *lang.Component) { c.Replication.Failover = "manual" })
		default:
			if !h.Sticky {
				hopFix(`session = "sticky_replica"`, func(call *lang.Call) { call.Session = "sticky_replica" })
			}
			hopFix(`session = "causal_token"`, func(call *lang.Call) { call.Session = "causal_token" })
			compFix(`replication { mode = "sync", ack = "apply" }`, func(c *lang.Component) { c.Replication.Mode, c.Replication.Ack = "sync", "apply" })
			compFix(`replication.read_from = "primary"`, func(c *lang.Component) { c.Replication.ReadFrom = "primary" })
		}
	case "cache":
		if n.Level == lang.BoundedStaleness && n.MaxStaleness > 0 {
			compFix(fmt.Sprintf("ttl = %q", lang.FormatDuration(n.MaxStaleness)), func(c *lang.Component) { c.TTL = n.MaxStaleness })
		}
		compFix(`invalidation = "versioned"`, func(c *lang.Component) { c.Invalidation = "versioned"; c.Strategy = "cache_aside" })
		compFix(`invalidation = "lease"`, func(c *lang.Component) { c.Invalidation = "lease"; c.Strategy = "cache_aside" })
	case string(MechCDN):
		if n.Level == lang.BoundedStaleness && n.MaxStaleness > 0 {
			compFix(fmt.Sprintf("ttl = %q", lang.FormatDuration(n.MaxStaleness)), func(c *lang.Component) { c.TTL = n.MaxStaleness })
		}
	case "multi_region":
		if c.MultiRegion.CRDT != "lww_register" {
			compFix(`multi_region { conflict = "crdt" }`, func(c *lang.Component) { c.MultiRegion.Conflict = "crdt" })
		} else {
			compFix(`multi_region { crdt = "mv_register" }`, func(c *lang.Component) { c.MultiRegion.CRDT = "mv_register" })
		}
		compFix(`multi_region { mode = "active_passive" }`, func(c *lang.Component) { c.MultiRegion.Mode = "active_passive" })
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
		hop := h
		if h.Call != nil {
			call := *h.Call
			hop.Call = &call
		}
		cand.apply(&cp, hop.Call)
		hop.Sticky = hop.Sticky || (hop.Call != nil && hop.Call.Session == "sticky_replica")
		if fixed(DesignReadGuarantees(nil, &cp, hop), g.Mechanism.family(), n) {
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
//
// With consensus, each change also sets conflict = "consensus": overlapping
// quorums alone order concurrent writes by timestamp, which is not
// linearizable.
func quorumFixes(q *lang.Quorum, consensus bool) []fixCandidate {
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
		if len(parts) == 0 && !consensus {
			continue
		}
		if consensus {
			parts = append(parts, `conflict = "consensus"`)
		}
		out = append(out, fixCandidate{text: "quorum { " + strings.Join(parts, ", ") + " }",
			apply: func(c *lang.Component, _ *lang.Call) {
				c.Quorum.R, c.Quorum.W = o.r, o.w
				if consensus {
					c.Quorum.Conflict = "consensus"
				}
			}})
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
	// Design is the traced design.
	Design *lang.Design
	// Flows are the flows of Flows(d), in that order.
	Flows []*lang.Flow
	// Steps[i] is Trace(Flows[i]).
	Steps [][]*Step

	// guarantees memoizes the read guarantees per flow and step (nil where
	// the step states no need), shared by the rules' Shortfalls calls.
	guarantees struct {
		once sync.Once
		of   [][][]*Guarantee
	}
}

// reading is a component read through one hop: what its read guarantees
// depend on.
type reading struct {
	c   *lang.Component
	hop ReadHop
}

// stepGuarantees returns the read guarantees of each step whose need is
// stated, for every hop that reaches it, computed once per component and hop.
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
				for _, h := range s.Hops {
					r := reading{s.Component, h}
					g, ok := memo[r]
					if !ok {
						g = DesignReadGuarantees(t.Design, s.Component, h)
						memo[r] = g
					}
					gs[j] = append(gs[j], g...)
				}
			}
			t.guarantees.of[i] = gs
		}
	})
	return t.guarantees.of
}

// TraceAll traces every flow of the design (see Flows).
func TraceAll(d *lang.Design) *Traces {
	t := &Traces{Design: d, Flows: Flows(d)}
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
		g     *Guarantee
		level lang.Consistency
		max   time.Duration
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
				fk := fixKey{g, s.Need.Level, s.Need.MaxStaleness}
				fx, ok := fixes[fk]
				if !ok {
					fx = g.Fixes(s.Need)
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
		fixes = g.Fixes(st.Need)
	}
	source, need, gives := st.Need.Source(), st.Need.Describe(), g.Describe()
	detail := fmt.Sprintf("%s needs %s; %s %s give %s, because %s.",
		source, need, verb, g.Component.Addr, gives, g.Reason)
	if st.Need.Call != nil {
		detail += fmt.Sprintf(" (The call is on flow %q's path.)", s.Flow.Name)
	}
	detail += "\nSmallest fix: " + fixes[0]
	if len(fixes) > 1 {
		detail += "; or " + strings.Join(fixes[1:], "; or ")
	}
	detail += "."
	// Sized for every entry it may get, those the rules add included (up to
	// 18): a literal of the seven it always has would grow once more are
	// added.
	data := make(map[string]any, 18)
	data["flow"] = s.Flow.Name
	data["component"] = g.Component.Addr
	data["needed"] = string(st.Need.Level)
	data["provided"] = string(g.Level)
	data["mechanism"] = string(g.Mechanism)
	data["setup"] = g.Setup
	data["fixes"] = fixes
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
	if v := g.Visibility; v != nil {
		data["stale_read_probability_at_10_mean"] = v.Stale(10 * v.Mean)
		data["t_visibility_999_ms"] = float64(v.Within(0.001)) / float64(time.Millisecond)
	}
	if len(g.Provides) > 0 {
		var ps []string
		for _, l := range g.Provides {
			ps = append(ps, string(l))
		}
		data["provides"] = ps
	}
	var rows []string
	for _, id := range g.Rows {
		rows = append(rows, string(id))
	}
	data["engine_table_rows"] = rows
	related := []Related{{Message: source + " needs " + need + " here", Range: st.Need.Range()}}
	if call := g.Hop.Call; call != nil && g.Attr != "read_level" {
		related = append(related, Related{Message: fmt.Sprintf("%s reaches %s here", call.From.Addr, g.Component.Addr), Range: call.DeclRange})
	}
	return Finding{
		Message: fmt.Sprintf("flow %q needs %s, but %s %s (%s) give only %s", s.Flow.Name, need, verb, g.Component.Addr, g.Setup, gives),
		Detail:  detail,
		Subject: g.Component.Addr,
		Key:     fmt.Sprintf("flow %s: %s", s.Flow.Name, g.Mechanism),
		Range:   g.Range(),
		Related: related,
		Data:    data,
	}
}
