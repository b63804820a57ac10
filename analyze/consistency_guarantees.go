package analyze

// The provided-guarantee calculus: what a read through a component, reached
// by one hop, can promise. Every level it grants comes from a row of the
// engine table (consistency_table.go) that the design's configuration on
// that path selects: the store's own settings, the per-operation level and
// the session mechanism of the call that reaches it.

import (
	"fmt"
	"strings"
	"time"

	"github.com/archform/archform/lang"
)

// More mechanisms (see consistency.go).
const (
	MechFailover      Mechanism = "primary_failover" // primary reads where a failover loses acknowledged writes
	MechMongoPrimary  Mechanism = "mongodb_primary"  // MongoDB primary reads below readConcern linearizable
	MechSloppyQuorum  Mechanism = "sloppy_quorum"    // a sloppy quorum (rule quorum)
	MechLocalQuorum   Mechanism = "local_quorum"     // datacenter-local quorums across datacenters
	MechFollowerRead  Mechanism = "follower_read"    // follower reads at a past timestamp
	MechCacheBypassed Mechanism = "cache_bypassed"   // a write-through cache that writes go around
)

// ReadHop is how a read reaches a store: the call it comes through, and whether
// that hop pins a session to one instance of the store.
type ReadHop struct {
	// Call is the call that reaches the store; nil for a flow's entry and a
	// cache's origin (the cache reads it).
	Call *lang.Call
	// Sticky: the hop keeps a session on one instance of the store: the
	// call says session = "sticky_replica", or the caller is a load
	// balancer with algorithm = "ip_hash" (which pins its own backends,
	// and nothing further down).
	Sticky bool
}

// Session is the hop's session mechanism ("" when none).
func (h ReadHop) Session() string {
	if h.Call == nil {
		return ""
	}
	return h.Call.Session
}

// ReadLevel is the hop's per-operation read level ("" when none).
func (h ReadHop) ReadLevel() string {
	if h.Call == nil {
		return ""
	}
	return h.Call.ReadLevel
}

// WriteLevel is the hop's per-operation write level ("" when none).
func (h ReadHop) WriteLevel() string {
	if h.Call == nil {
		return ""
	}
	return h.Call.WriteLevel
}

// on names the hop for a fix: "on the call from service.api".
func (h ReadHop) on() string {
	if h.Call == nil || h.Call.From == nil {
		return ""
	}
	return " on the call from " + h.Call.From.Addr
}

// hopOf is the hop of a call into a store.
func hopOf(call *lang.Call) ReadHop {
	if call == nil {
		return ReadHop{}
	}
	sticky := call.Session == "sticky_replica" ||
		(call.From != nil && call.From.Kind == lang.KindLoadBalancer && call.From.Algorithm == "ip_hash")
	return ReadHop{Call: call, Sticky: sticky}
}

// build makes a guarantee from engine-table rows: the union of what they
// provide, their reasons joined, lost updates if any row loses writes.
func build(mech Mechanism, attr, setup string, staleness time.Duration, ids ...RowID) *Guarantee {
	g := &Guarantee{Mechanism: mech, Attr: attr, Setup: setup, Staleness: staleness, Rows: ids}
	var why []string
	seen := map[lang.Consistency]bool{}
	for _, id := range ids {
		r := row(id)
		for _, l := range r.Provides {
			if !seen[l] {
				seen[l] = true
				g.Provides = append(g.Provides, l)
			}
		}
		g.Bounded = g.Bounded || r.Bounded
		g.LostUpdates = g.LostUpdates || r.Loses
		why = append(why, r.Why)
	}
	g.Reason = strings.Join(why, "; ")
	g.Level = lang.Eventual
	for _, l := range g.Provides {
		if l.Strength() > g.Level.Strength() {
			g.Level = l
		}
	}
	if len(g.Provides) == 0 && g.Bounded && staleness > 0 {
		g.Level = lang.BoundedStaleness
	}
	return g
}

// ReadGuarantees returns what a read through c, reached by hop h, can
// promise, one guarantee per mechanism that limits it (a database with
// async replicas in an active-active multi-region setup has two).
// Components that set no limit (services, load balancers, object storage)
// give none. Without the design, writes that bypass a write-through cache
// are not seen; DesignReadGuarantees sees them.
func ReadGuarantees(c *lang.Component, h ReadHop) []*Guarantee {
	return DesignReadGuarantees(nil, c, h)
}

// DesignReadGuarantees is ReadGuarantees with the design's graph, which
// tells whether writes go around a write-through cache.
func DesignReadGuarantees(d *lang.Design, c *lang.Component, h ReadHop) []*Guarantee {
	var out []*Guarantee
	add := func(g *Guarantee) {
		if g == nil {
			return
		}
		g.Component, g.Hop = c, h
		out = append(out, g)
	}
	switch c.Kind {
	case lang.KindCache:
		// A cache without an origin is the store itself: its ttl expires
		// data, it does not make it stale.
		if c.Origin != nil {
			add(cacheGuarantee(d, c))
		}
	case lang.KindCDN:
		g := build(MechCDN, "ttl", "ttl "+lang.FormatDuration(c.TTL), c.TTL, RowCDN)
		if c.TTL == 0 {
			g.Setup = "no ttl"
			g.Reason = "a CDN without a ttl serves its copy for as long as the origin's cache headers say, which the design does not bound"
		}
		add(g)
	case lang.KindSearch:
		switch c.Engine {
		case "elasticsearch", "opensearch":
			add(build(MechSearchRefresh, "engine", c.Engine+" refresh", time.Second, RowSearchRefresh))
		}
	case lang.KindDatabase:
		add(databaseGuarantee(c, h))
		add(multiRegionGuarantee(c))
	}
	return out
}

func cacheGuarantee(d *lang.Design, c *lang.Component) *Guarantee {
	ttl := "no ttl"
	if c.TTL > 0 {
		ttl = "ttl " + lang.FormatDuration(c.TTL)
	}
	switch {
	case c.Strategy == "write_through" || c.Strategy == "write_back":
		if by := bypassingWriters(d, c); len(by) > 0 {
			g := build(MechCacheBypassed, "strategy", c.Strategy+" bypassed by "+strings.Join(by, ", "), c.TTL, RowCacheBypassed)
			g.Reason = fmt.Sprintf("%s writes %s directly, not through the cache: %s", strings.Join(by, " and "), c.Origin.Addr, g.Reason)
			if c.TTL == 0 {
				g.Reason += ", and no ttl bounds how long a stale value stays"
			}
			return g
		}
		return build(MechCacheCoherent, "strategy", c.Strategy, c.TTL, RowCacheWriteThrough)
	case c.Invalidation == "lease" || c.Invalidation == "versioned":
		return build(MechCacheCoherent, "invalidation", c.Invalidation+" invalidation", c.TTL, RowCacheCoherent)
	}
	setup := c.Strategy
	if setup == "" {
		setup = "cache"
	}
	if c.Invalidation == "explicit" {
		g := build(MechCacheExplicit, "invalidation", setup+", explicit invalidation, "+ttl, c.TTL, RowCacheExplicit)
		if c.TTL == 0 {
			g.Reason = strings.Replace(g.Reason, "it stays until the ttl expires", "and no ttl bounds how long it stays", 1)
		}
		return g
	}
	g := build(MechCacheTTL, "ttl", setup+", "+ttl, c.TTL, RowCacheTTL)
	if c.TTL > 0 {
		g.Reason = fmt.Sprintf("the cache is refreshed only when its ttl expires: a read can return a value up to %s old", lang.FormatDuration(c.TTL))
	} else {
		g.Reason = "the cache is refreshed only when its ttl expires, and no ttl bounds how long a stale value stays"
	}
	return g
}

// bypassingWriters lists the components other than the cache that write to
// a write-through cache's origin directly, in the design's order.
func bypassingWriters(d *lang.Design, c *lang.Component) []string {
	if d == nil || c.Origin == nil {
		return nil
	}
	var out []string
	seen := map[*lang.Component]bool{}
	for _, call := range d.Incoming(c.Origin) {
		if call.From == c || seen[call.From] || !call.Op.Matches(lang.OpWrite) {
			continue
		}
		seen[call.From] = true
		out = append(out, call.From.Addr)
	}
	return out
}

// consensusRows are the engines that replicate by consensus, with their row.
var consensusRows = map[string]RowID{
	"etcd": RowEtcd, "consul": RowConsul, "cockroachdb": RowCockroach, "spanner": RowSpanner,
	"yugabytedb": RowYugabyte, "tidb": RowTiDB, "foundationdb": RowFoundationDB, "zookeeper": RowZooKeeper,
}

// cassandraFamily engines take Cassandra's consistency levels.
var cassandraFamily = map[string]bool{"cassandra": true, "scylladb": true}

// followerStaleness is how far in the past a follower read reads, where the
// engine documents it.
var followerStaleness = map[string]time.Duration{"cockroachdb": 4800 * time.Millisecond}

func databaseGuarantee(c *lang.Component, h ReadHop) *Guarantee {
	rl := h.ReadLevel()
	switch {
	case c.Engine == "mongodb":
		return mongoGuarantee(c, h)
	case c.Engine == "dynamodb" && c.Quorum == nil:
		if rl == "strong" {
			return build(MechQuorum, "read_level", "ConsistentRead", 0, RowDynamoStrong)
		}
		return build(MechLeaderless, "engine", "dynamodb, eventually consistent reads", 0, RowLeaderlessDefault)
	case rl == "follower":
		g := build(MechFollowerRead, "read_level", c.Engine+" follower reads", followerStaleness[c.Engine], RowFollowerRead)
		return g
	case cassandraFamily[c.Engine] && (rl == "serial" || rl == "local_serial"):
		return build(MechQuorum, "read_level", c.Engine+" "+rl+" reads", 0, RowCassandraSerial)
	}
	if c.Quorum != nil {
		return quorumGuarantee(c, h)
	}
	if id, ok := consensusRows[c.Engine]; ok {
		return build(MechQuorum, "engine", c.Engine+" consensus", 0, id)
	}
	if leaderless[c.Engine] {
		return build(MechLeaderless, "engine", c.Engine+" without a quorum block", 0, RowLeaderlessDefault)
	}
	rep := c.Replication
	if rep.Mode == "quorum" {
		return nil // the decoder gives every quorum database its Quorum
	}
	replicated := rep.Replicas > 0 && rep.Mode != "none" && rep.Mode != ""
	if !replicated || rep.ReadFrom == "primary" || rep.ReadFrom == "" {
		return primaryGuarantee(c, replicated)
	}
	return replicaGuarantee(c, h)
}

// primaryGuarantee is a read on the single primary: linearizable unless a
// failover can lose acknowledged writes.
func primaryGuarantee(c *lang.Component, replicated bool) *Guarantee {
	rep := c.Replication
	if replicated && rep.Failover == "automatic" {
		switch {
		case c.Engine == "redis":
			return build(MechFailover, "replication.failover", "redis primary, automatic failover", 0, RowRedisFailover)
		case rep.Mode == "async":
			return build(MechFailover, "replication.failover", "async replication, automatic failover", 0, RowPrimaryFailover)
		case rep.Mode == "semi_sync" && Fallback(c) == "async":
			g := build(MechFailover, "replication.failover", "semi-sync replication falling back to async, automatic failover", 0, RowSemiSyncFallback, RowPrimaryFailover)
			return g
		}
	}
	return build(MechPrimary, "replication.read_from", "the primary", 0, RowPrimary)
}

// Ack is where a database's sync or semi-sync replicas acknowledge: as
// written, or "flush" (PostgreSQL's synchronous_commit = on, MySQL's
// semi-sync relay-log flush).
func Ack(c *lang.Component) string {
	if c.Replication.Ack != "" {
		return c.Replication.Ack
	}
	return "flush"
}

// Fallback is what a database's primary does when its sync or semi-sync
// replicas stop acknowledging: as written, or "async" for semi_sync (MySQL
// reverts after rpl_semi_sync_source_timeout) and "none" for sync
// (PostgreSQL waits).
func Fallback(c *lang.Component) string {
	if c.Replication.Fallback != "" {
		return c.Replication.Fallback
	}
	if c.Replication.Mode == "semi_sync" {
		return "async"
	}
	return "none"
}

// FallbackTimeout is how long the primary waits before it falls back:
// as written, or MySQL's default of 10 s.
func FallbackTimeout(c *lang.Component) time.Duration {
	if c.Replication.FallbackTimeout > 0 {
		return c.Replication.FallbackTimeout
	}
	return 10 * time.Second
}

func replicaGuarantee(c *lang.Component, h ReadHop) *Guarantee {
	rep := c.Replication
	mech, attr, setup := MechAsyncReplica, "replication.mode", "async replicas"
	ids := []RowID{RowAsyncReplicas}
	switch rep.Mode {
	case "semi_sync":
		mech, setup, ids = MechSemiSyncReplica, "semi-sync replicas", []RowID{RowSemiSyncReplicas}
	case "sync":
		mech = MechSyncReplica
		if c.Has("replication.ack") {
			attr = "replication.ack"
		}
		if Ack(c) == "apply" {
			setup, ids = "sync replicas, ack = apply", []RowID{RowSyncApplyReplicas}
		} else {
			setup, ids = fmt.Sprintf("sync replicas, ack = %s", Ack(c)), []RowID{RowSyncFlushReplicas}
		}
	}
	if rep.ReadFrom == "replicas" && rep.Replicas == 1 {
		ids = append(ids, RowOneReplica)
	}
	var notes []string
	if h.Sticky {
		ids = append(ids, RowStickyReplica)
		setup += ", sticky"
	}
	switch h.Session() {
	case "causal_token":
		ids = append(ids, RowCausalToken)
		setup += ", causal token"
	case "primary_after_write":
		w := h.Call.SessionWindow
		if rep.MaxLag > 0 && w >= rep.MaxLag {
			ids = append(ids, RowPrimaryAfterWrite)
			setup += ", primary after write"
		} else if rep.MaxLag > 0 {
			notes = append(notes, fmt.Sprintf("reading the primary for session_window = %s after a write does not cover replicas that may lag up to max_lag = %s", lang.FormatDuration(w), lang.FormatDuration(rep.MaxLag)))
		} else {
			notes = append(notes, fmt.Sprintf("reading the primary for session_window = %s after a write gives read-your-writes only if no replica lags more, and no replication.max_lag bounds the lag", lang.FormatDuration(w)))
		}
	}
	var stale time.Duration
	if rep.MaxLag > 0 {
		ids = append(ids, RowMaxLag)
		stale = rep.MaxLag
	}
	if rep.ReadFrom == "any" {
		setup = "primary or " + setup
	}
	g := build(mech, attr, setup, stale, ids...)
	if rep.ReadFrom == "any" {
		g.Reason = "reads go to the primary or a replica: " + g.Reason
	}
	if len(notes) > 0 {
		g.Reason += "; " + strings.Join(notes, "; ")
	}
	return g
}

func mongoGuarantee(c *lang.Component, h ReadHop) *Guarantee {
	rep := c.Replication
	replicated := rep.Replicas > 0 && rep.Mode != "none" && rep.Mode != ""
	if !replicated {
		return build(MechPrimary, "replication.read_from", "a standalone mongod", 0, RowPrimary)
	}
	if rep.ReadFrom == "replicas" || rep.ReadFrom == "any" {
		return build(MechAsyncReplica, "replication.read_from", "secondaries", 0, RowMongoSecondary)
	}
	rl, wl := h.ReadLevel(), h.WriteLevel()
	if rl == "" {
		rl = "local"
	}
	if wl == "" {
		wl = "one"
	}
	attr := "engine"
	if h.Call != nil && h.Call.Ranges.Has("read_level") {
		attr = "read_level"
	}
	setup := fmt.Sprintf("primary, readConcern %s, w: %s", rl, strings.Replace(wl, "one", "1", 1))
	switch {
	case rl == "linearizable" && wl == "majority":
		return build(MechPrimary, attr, setup, 0, RowMongoLinearizable)
	case h.Session() == "causal_token" && rl == "majority" && wl == "majority":
		return build(MechPrimary, attr, setup+", causal session", 0, RowMongoCausal)
	}
	g := build(MechMongoPrimary, attr, setup, 0, RowMongoPrimary)
	if h.Call == nil || !h.Call.Ranges.Has("write_level") {
		g.Reason += " (write_level not written: assumed w: 1, the weaker setting)"
	}
	return g
}

// hopQuorum is the quorum a hop uses: the quorum block's, with r and w
// replaced by the hop's Cassandra levels, and whether either is
// datacenter-local.
func hopQuorum(c *lang.Component, h ReadHop) (q lang.Quorum, local bool, eachWrite bool) {
	q = *c.Quorum
	if !cassandraFamily[c.Engine] {
		return q, false, false
	}
	size := func(level string, cur int) (int, bool) {
		switch level {
		case "one", "any":
			return 1, false
		case "two":
			return 2, false
		case "three":
			return 3, false
		case "quorum":
			return q.N/2 + 1, false
		case "all":
			return q.N, false
		case "local_one":
			return 1, true
		case "local_quorum":
			return localRF(c)/2 + 1, true
		case "each_quorum":
			return localRF(c)/2 + 1, false
		}
		return cur, false
	}
	var lr, lw bool
	q.R, lr = size(h.ReadLevel(), q.R)
	q.W, lw = size(h.WriteLevel(), q.W)
	eachWrite = h.WriteLevel() == "each_quorum"
	return q, lr || lw, eachWrite
}

// localRF is the replication factor of one datacenter (the smallest, where
// they differ), or n when the quorum names no datacenters.
func localRF(c *lang.Component) int {
	rf := c.Quorum.N
	for i, d := range c.Quorum.Datacenters {
		if i == 0 || d.RF < rf {
			rf = d.RF
		}
	}
	return rf
}

// conflictOf is how the store orders concurrent writes: as written, or
// consensus for consensus engines, siblings for riak, lww otherwise.
func conflictOf(c *lang.Component) string {
	if c.Quorum.Conflict != "" {
		return c.Quorum.Conflict
	}
	if _, ok := consensusRows[c.Engine]; ok {
		return "consensus"
	}
	if c.Engine == "riak" {
		return "siblings"
	}
	return "lww"
}

// sloppyOf: as written, or true for riak (hinted handoff counts toward w).
func sloppyOf(c *lang.Component) bool {
	if s := c.Quorum.Sloppy; s != nil {
		return *s
	}
	return c.Engine == "riak"
}

// readRepairOf: as written, or blocking for Cassandra and ScyllaDB.
func readRepairOf(c *lang.Component) string {
	if c.Quorum.ReadRepair != "" {
		return c.Quorum.ReadRepair
	}
	if cassandraFamily[c.Engine] {
		return "blocking"
	}
	return "none"
}

func quorumGuarantee(c *lang.Component, h ReadHop) *Guarantee {
	q, local, eachWrite := hopQuorum(c, h)
	attr := quorumAttr(c)
	if c.Has("quorum.datacenters") && local {
		attr = "quorum.datacenters"
	}
	setup := quorumSetup(&q)
	_, consensusEngine := consensusRows[c.Engine]
	if conflictOf(c) == "consensus" && (consensusEngine || q.R+q.W > q.N) {
		id, ok := consensusRows[c.Engine]
		if !ok {
			id = RowCassandraSerial
			if !cassandraFamily[c.Engine] {
				id = RowEtcd
			}
		}
		g := build(MechQuorum, attr, setup, 0, id)
		if ok {
			g.Attr, g.Setup = "engine", c.Engine+", "+setup
		}
		if id != RowZooKeeper {
			g.Reason = fmt.Sprintf("r + w = %d + %d = %d > n = %d and writes are ordered by consensus: %s", q.R, q.W, q.R+q.W, q.N, g.Reason)
		}
		return g
	}
	multiDC := len(c.Quorum.Datacenters) > 1
	if local && multiDC && !(eachWrite && h.ReadLevel() == "local_quorum") {
		g := build(MechLocalQuorum, attr, fmt.Sprintf("%s/%s, replication factor %d per datacenter", levelName(h.ReadLevel()), levelName(h.WriteLevel()), localRF(c)), 0, RowQuorumLocal)
		g.LostUpdates = true
		g.Reason += ". Worst case, before cross-datacenter replication delivers the write: a read in another datacenter misses it (P(stale) = 1, not the n-wide C(n−w, r)/C(n, r))"
		return g
	}
	if q.R+q.W <= q.N {
		g := build(MechWeakQuorum, attr, setup, 0, RowQuorumWeak)
		if multiDC {
			g.Reason = fmt.Sprintf("r + w = %d + %d = %d ≤ n = %d: %s. Replicas are chosen per datacenter, not uniformly, so no PBS probability applies: worst case, before anti-entropy, a read misses the write", q.R, q.W, q.R+q.W, q.N, g.Reason)
			return g
		}
		p := StaleReadProbability(q.N, q.R, q.W)
		f, _ := p.Float64()
		g.StaleRead = p
		g.Reason = fmt.Sprintf("r + w = %d + %d = %d ≤ n = %d: %s; right after a write commits, P(stale) = C(n−w, r)/C(n, r) = C(%d, %d)/C(%d, %d) = %s ≈ %.3f (worst case, before the write reaches the other replicas and before anti-entropy)",
			q.R, q.W, q.R+q.W, q.N, g.Reason, q.N-q.W, q.R, q.N, q.R, p.RatString(), f)
		if c.Latency > 0 {
			g.Visibility = NewVisibility(q.N, q.R, q.W, c.Latency)
			g.Reason += "; " + g.Visibility.Describe()
		}
		return g
	}
	if sloppyOf(c) {
		g := build(MechSloppyQuorum, attr, setup+", sloppy", 0, RowQuorumSloppy)
		if c.Has("quorum.sloppy") {
			g.Attr = "quorum.sloppy"
		}
		return g
	}
	overlap := fmt.Sprintf("r + w = %d + %d = %d > n = %d", q.R, q.W, q.R+q.W, q.N)
	var g *Guarantee
	switch {
	case conflictOf(c) == "siblings":
		g = build(MechQuorum, attr, setup+", siblings", 0, RowQuorumSiblings)
	case readRepairOf(c) == "blocking":
		g = build(MechQuorum, attr, setup+", last-write-wins", 0, RowQuorumLWWRepair)
	default:
		g = build(MechQuorum, attr, setup+", last-write-wins", 0, RowQuorumLWW)
	}
	g.Reason = overlap + ": " + g.Reason
	return g
}

func levelName(l string) string {
	if l == "" {
		return "default"
	}
	return l
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
	var g *Guarantee
	switch {
	case mr.Conflict == "crdt" && mr.CRDT == "lww_register":
		g = build(MechMultiRegionLWW, "multi_region.crdt", "active_active, crdt lww_register", 0, RowMultiRegionRegister)
	case mr.Conflict == "crdt":
		g = build(MechMultiRegionCRDT, attr, "active_active, crdt", 0, RowMultiRegionCRDT)
	case mr.Conflict == "lww":
		g = build(MechMultiRegionLWW, attr, "active_active, lww", 0, RowMultiRegionLWW)
	default:
		g = build(MechMultiRegionNone, attr, "active_active, no conflict resolution", 0, RowMultiRegionNone)
	}
	g.Reason = fmt.Sprintf("active-active over %s: %s", regions, g.Reason)
	return g
}
