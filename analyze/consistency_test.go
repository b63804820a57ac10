package analyze

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/lang"
	"github.com/google/go-cmp/cmp"
)

func TestStaleReadProbability(t *testing.T) {
	// C(n−w, r)/C(n, r), worked by hand.
	tests := []struct {
		n, r, w int
		want    string
	}{
		{3, 1, 1, "2/3"},  // C(2,1)/C(3,1) = 2/3
		{3, 2, 1, "1/3"},  // C(2,2)/C(3,2) = 1/3
		{3, 1, 2, "1/3"},  // C(1,1)/C(3,1) = 1/3
		{3, 2, 2, "0"},    // quorums intersect
		{3, 3, 1, "0"},    // r + w = 4 > 3
		{5, 1, 1, "4/5"},  // C(4,1)/C(5,1)
		{5, 2, 1, "3/5"},  // C(4,2)/C(5,2) = 6/10
		{5, 2, 2, "3/10"}, // C(3,2)/C(5,2) = 3/10
		{5, 1, 3, "2/5"},  // C(2,1)/C(5,1)
		{5, 3, 3, "0"},
		{7, 2, 3, "2/7"}, // C(4,2)/C(7,2) = 6/21
		{7, 3, 3, "4/35"},
		{1, 1, 1, "0"},
		{100, 1, 1, "99/100"},
	}
	for _, tt := range tests {
		p := StaleReadProbability(tt.n, tt.r, tt.w)
		if p == nil {
			t.Errorf("StaleReadProbability(%d, %d, %d) = nil", tt.n, tt.r, tt.w)
			continue
		}
		if got := p.RatString(); got != tt.want {
			t.Errorf("StaleReadProbability(n=%d, r=%d, w=%d) = %s, want %s", tt.n, tt.r, tt.w, got, tt.want)
		}
		// r + w > n exactly when the probability is 0.
		if (tt.r+tt.w > tt.n) != (p.Sign() == 0) {
			t.Errorf("n=%d r=%d w=%d: P = %s, but r + w > n is %v", tt.n, tt.r, tt.w, p.RatString(), tt.r+tt.w > tt.n)
		}
	}
	for _, bad := range [][3]int{{0, 1, 1}, {3, 0, 1}, {3, 1, 0}, {3, 4, 1}, {3, 1, 4}} {
		if p := StaleReadProbability(bad[0], bad[1], bad[2]); p != nil {
			t.Errorf("StaleReadProbability%v = %s, want nil", bad, p.RatString())
		}
	}
}

// TestStaleReadProbabilityBySampling checks the closed form against an
// enumeration of every read quorum.
func TestStaleReadProbabilityBySampling(t *testing.T) {
	for n := 1; n <= 7; n++ {
		for r := 1; r <= n; r++ {
			for w := 1; w <= n; w++ {
				// The write landed on members 0..w-1; count read quorums
				// (subsets of size r) that avoid all of them.
				stale, total := 0, 0
				for mask := 0; mask < 1<<n; mask++ {
					if popcount(mask) != r {
						continue
					}
					total++
					if mask&(1<<w-1) == 0 {
						stale++
					}
				}
				want := big.NewRat(int64(stale), int64(total))
				if got := StaleReadProbability(n, r, w); got.Cmp(want) != 0 {
					t.Errorf("n=%d r=%d w=%d: %s, enumeration gives %s", n, r, w, got.RatString(), want.RatString())
				}
			}
		}
	}
}

func popcount(x int) int {
	n := 0
	for ; x > 0; x &= x - 1 {
		n++
	}
	return n
}

func TestImplies(t *testing.T) {
	const (
		lin = lang.Linearizable
		seq = lang.Sequential
		cau = lang.Causal
		ryw = lang.ReadYourWrites
		mr  = lang.MonotonicReads
		bs  = lang.BoundedStaleness
		ev  = lang.Eventual
	)
	tests := []struct {
		p      lang.Consistency
		pStale time.Duration
		n      lang.Consistency
		nStale time.Duration
		want   bool
	}{
		{lin, 0, lin, 0, true},
		{lin, 0, bs, time.Second, true},
		{seq, 0, lin, 0, false},
		{seq, 0, cau, 0, true},
		{seq, 0, bs, time.Minute, false}, // sequential allows arbitrarily stale reads
		{cau, 0, ryw, 0, true},
		{cau, 0, mr, 0, true},
		{cau, 0, seq, 0, false},
		{ryw, 0, mr, 0, false}, // incomparable on the Jepsen map
		{mr, 0, ryw, 0, false},
		{ryw, 0, ryw, 0, true},
		{bs, time.Minute, ryw, 0, false},
		{bs, time.Minute, bs, 5 * time.Second, false},
		{bs, 5 * time.Second, bs, time.Minute, true},
		{bs, 5 * time.Second, bs, 0, true},
		{bs, 0, bs, time.Minute, false}, // an unknown bound is no bound
		{ev, 0, ev, 0, true},
		{ev, 0, mr, 0, false},
		{ev, 0, "", 0, true},
	}
	for _, tt := range tests {
		if got := Implies(tt.p, tt.pStale, tt.n, tt.nStale); got != tt.want {
			t.Errorf("Implies(%s %v, %s %v) = %v, want %v", tt.p, tt.pStale, tt.n, tt.nStale, got, tt.want)
		}
	}
}

// db builds a database component by hand (the decoder's job in real use).
func db(name string, set func(c *lang.Component)) *lang.Component {
	c := &lang.Component{Kind: lang.KindDatabase, Name: name, Addr: "database." + name,
		Replication: lang.Replication{Mode: "none", ReadFrom: "primary", Failover: "manual"},
		Ranges:      lang.Ranges{}}
	if set != nil {
		set(c)
	}
	return c
}

func levels(gs []*Guarantee) string {
	var parts []string
	for _, g := range gs {
		parts = append(parts, string(g.Mechanism)+":"+g.Describe())
	}
	return strings.Join(parts, " ")
}

func TestReadGuarantees(t *testing.T) {
	origin := db("origin", nil)
	replicas := func(mode, from string, n int) func(*lang.Component) {
		return func(c *lang.Component) {
			c.Replication = lang.Replication{Mode: mode, Replicas: n, ReadFrom: from, Failover: "manual"}
		}
	}
	sticky := ReadHop{Sticky: true}
	tests := []struct {
		name string
		c    *lang.Component
		hop  ReadHop
		want string
	}{
		{"single primary", db("a", nil), ReadHop{}, "primary:linearizable"},
		{"async, reads on primary", db("a", replicas("async", "primary", 2)), ReadHop{}, "primary:linearizable"},
		{"async replicas", db("a", replicas("async", "replicas", 2)), ReadHop{}, "async_replica:eventual"},
		{"async replicas, sticky", db("a", replicas("async", "replicas", 2)), sticky, "async_replica:monotonic_reads"},
		{"one async replica", db("a", replicas("async", "replicas", 1)), ReadHop{}, "async_replica:monotonic_reads"},
		{"async any", db("a", replicas("async", "any", 1)), ReadHop{}, "async_replica:eventual"},
		{"sync replicas (ack flush)", db("a", replicas("sync", "replicas", 2)), ReadHop{}, "sync_replica:eventual"},
		{"sync replicas, ack apply", db("a", func(c *lang.Component) {
			c.Replication = lang.Replication{Mode: "sync", Replicas: 2, ReadFrom: "replicas", Ack: "apply"}
		}), ReadHop{}, "sync_replica:read_your_writes"},
		// Issue 23 case 7: one sync replica is at least as strong as one async replica.
		{"one sync replica", db("a", replicas("sync", "replicas", 1)), ReadHop{}, "sync_replica:monotonic_reads"},
		{"one sync replica, ack apply", db("a", func(c *lang.Component) {
			c.Replication = lang.Replication{Mode: "sync", Replicas: 1, ReadFrom: "replicas", Ack: "apply"}
		}), ReadHop{}, "sync_replica:read_your_writes + monotonic_reads"},
		{"async, automatic failover, primary reads", db("a", func(c *lang.Component) {
			c.Replication = lang.Replication{Mode: "async", Replicas: 1, ReadFrom: "primary", Failover: "automatic"}
		}), ReadHop{}, "primary_failover:eventual"},
		{"semi-sync replicas", db("a", replicas("semi_sync", "replicas", 2)), ReadHop{}, "semi_sync_replica:eventual"},
		{"quorum 3/2/2 (last-write-wins)", db("a", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2} }), ReadHop{}, "quorum:read_your_writes"},
		{"quorum 3/2/2, consensus", db("a", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2, Conflict: "consensus"} }), ReadHop{}, "quorum:linearizable"},
		{"quorum 3/1/1", db("a", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 1, W: 1} }), ReadHop{}, "weak_quorum:eventual"},
		{"zookeeper", db("a", func(c *lang.Component) {
			c.Engine = "zookeeper"
			c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2}
		}), ReadHop{}, "quorum:sequential"},
		{"etcd", db("a", func(c *lang.Component) { c.Engine = "etcd" }), ReadHop{}, "quorum:linearizable"},
		{"cassandra without a quorum block", db("a", func(c *lang.Component) { c.Engine = "cassandra" }), ReadHop{}, "leaderless:eventual"},
		{"cassandra with a quorum", db("a", func(c *lang.Component) {
			c.Engine = "cassandra"
			c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2}
		}), ReadHop{}, "quorum:read_your_writes + monotonic_reads"},
		{"riak 3/2/2 (sloppy by default)", db("a", func(c *lang.Component) {
			c.Engine = "riak"
			c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2}
		}), ReadHop{}, "sloppy_quorum:eventual"},
		{"active-active lww", db("a", func(c *lang.Component) {
			c.MultiRegion = &lang.MultiRegion{Mode: "active_active", Regions: []string{"us", "eu"}, Conflict: "lww"}
		}), ReadHop{}, "primary:linearizable multi_region_lww:eventual"},
		{"active-active crdt", db("a", func(c *lang.Component) {
			c.MultiRegion = &lang.MultiRegion{Mode: "active_active", Conflict: "crdt"}
		}), ReadHop{}, "primary:linearizable multi_region_crdt:read_your_writes"},
		{"active-passive", db("a", func(c *lang.Component) {
			c.MultiRegion = &lang.MultiRegion{Mode: "active_passive"}
		}), ReadHop{}, "primary:linearizable"},
		{"ttl cache", &lang.Component{Kind: lang.KindCache, Strategy: "cache_aside", TTL: time.Minute, Origin: origin}, ReadHop{}, "cache_ttl:bounded_staleness (60s)"},
		{"ttl cache without ttl", &lang.Component{Kind: lang.KindCache, Strategy: "cache_aside", Origin: origin}, ReadHop{}, "cache_ttl:eventual"},
		{"explicit invalidation", &lang.Component{Kind: lang.KindCache, Strategy: "cache_aside", Invalidation: "explicit", TTL: 30 * time.Second, Origin: origin}, ReadHop{}, "cache_explicit:bounded_staleness (30s)"},
		{"lease invalidation", &lang.Component{Kind: lang.KindCache, Strategy: "cache_aside", Invalidation: "lease", TTL: time.Minute, Origin: origin}, ReadHop{}, "cache_coherent:read_your_writes"},
		{"write-through", &lang.Component{Kind: lang.KindCache, Strategy: "write_through", Origin: origin}, ReadHop{}, "cache_coherent:read_your_writes"},
		{"cache without origin (the store itself)", &lang.Component{Kind: lang.KindCache, TTL: time.Minute}, ReadHop{}, ""},
		{"cdn", &lang.Component{Kind: lang.KindCDN, TTL: 5 * time.Minute}, ReadHop{}, "cdn_ttl:bounded_staleness (5m)"},
		{"elasticsearch", &lang.Component{Kind: lang.KindSearch, Engine: "elasticsearch"}, ReadHop{}, "search_refresh:bounded_staleness (1s)"},
		{"service", &lang.Component{Kind: lang.KindService}, ReadHop{}, ""},
	}
	for _, tt := range tests {
		gs := ReadGuarantees(tt.c, tt.hop)
		if got := levels(gs); got != tt.want {
			t.Errorf("%s: ReadGuarantees = %q, want %q", tt.name, got, tt.want)
		}
		for _, g := range gs {
			if g.Setup == "" || g.Reason == "" || g.Attr == "" || g.Component != tt.c {
				t.Errorf("%s: %s guarantee lacks setup, reason, attribute or component: %+v", tt.name, g.Mechanism, g)
			}
		}
	}
}

// A read-your-writes cache still expires entries by its ttl: it meets a
// staleness bound no shorter than the ttl.
func TestCoherentCacheKeepsItsTTLBound(t *testing.T) {
	c := &lang.Component{Kind: lang.KindCache, Strategy: "read_through", Invalidation: "versioned", TTL: 10 * time.Minute,
		Origin: db("index", nil)}
	g := ReadGuarantees(c, ReadHop{})[0]
	for _, tt := range []struct {
		max  time.Duration
		want bool
	}{{15 * time.Minute, true}, {10 * time.Minute, true}, {5 * time.Minute, false}} {
		if got := g.Satisfies(Need{Level: lang.BoundedStaleness, MaxStaleness: tt.max}); got != tt.want {
			t.Errorf("versioned cache, ttl 10m, need bounded_staleness %v: Satisfies = %v, want %v", tt.max, got, tt.want)
		}
	}
	if g.Satisfies(Need{Level: lang.MonotonicReads}) {
		t.Error("a read-your-writes cache meets monotonic_reads")
	}
}

func TestWeakQuorumGuaranteeCarriesProbability(t *testing.T) {
	c := db("kv", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 1, W: 1} })
	gs := ReadGuarantees(c, ReadHop{})
	if len(gs) != 1 || gs[0].StaleRead == nil || gs[0].StaleRead.RatString() != "2/3" {
		t.Fatalf("ReadGuarantees(3/1/1) = %+v, want one weak quorum guarantee with P(stale) 2/3", gs)
	}
	if !strings.Contains(gs[0].Reason, "C(2, 1)/C(3, 1) = 2/3") {
		t.Errorf("reason %q does not show the formula with the numbers put in", gs[0].Reason)
	}
}

func TestPartitionBehaviour(t *testing.T) {
	tests := []struct {
		name string
		c    *lang.Component
		op   lang.Op
		want string
	}{
		{"primary write", db("a", nil), lang.OpWrite, PartitionConsistent},
		{"primary read", db("a", nil), lang.OpRead, PartitionConsistent},
		{"replica read", db("a", func(c *lang.Component) {
			c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas"}
		}), lang.OpRead, PartitionAvailable},
		{"majority quorum read", db("a", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 2, W: 2} }), lang.OpRead, PartitionConsistent},
		{"quorum of one", db("a", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: 3, R: 1, W: 1} }), lang.OpWrite, PartitionAvailable},
		{"etcd", db("a", func(c *lang.Component) { c.Engine = "etcd" }), lang.OpRead, PartitionConsistent},
		{"cassandra", db("a", func(c *lang.Component) { c.Engine = "cassandra" }), lang.OpWrite, PartitionAvailable},
		{"active-active", db("a", func(c *lang.Component) { c.MultiRegion = &lang.MultiRegion{Mode: "active_active"} }), lang.OpWrite, PartitionAvailable},
		{"written", db("a", func(c *lang.Component) {
			c.Engine = "etcd"
			c.PartitionMode = PartitionAvailable
			c.Ranges["partition_mode"] = c.DeclRange
		}), lang.OpRead, PartitionAvailable},
	}
	for _, tt := range tests {
		if got := PartitionBehaviour(tt.c, tt.op); got.Mode != tt.want || got.Reason == "" {
			t.Errorf("%s: PartitionBehaviour(%s) = %+v, want %q with a reason", tt.name, tt.op, got, tt.want)
		}
	}
}

// shop builds the canonical example's graph by hand.
func shop() *lang.Design {
	web := &lang.Component{Kind: lang.KindClient, Name: "web", Addr: "client.web", RPS: 10000, ReadRatio: 0.9}
	edge := &lang.Component{Kind: lang.KindLoadBalancer, Name: "edge", Addr: "load_balancer.edge", Algorithm: "least_connections"}
	api := &lang.Component{Kind: lang.KindService, Name: "api", Addr: "service.api"}
	orders := db("orders", func(c *lang.Component) {
		c.Engine = "postgres"
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas", Failover: "manual"}
	})
	sessions := &lang.Component{Kind: lang.KindCache, Name: "sessions", Addr: "cache.sessions",
		Strategy: "cache_aside", TTL: time.Minute, Origin: orders}
	call := func(from, to *lang.Component, op lang.Op, required bool) {
		from.Calls = append(from.Calls, &lang.Call{From: from, To: to, Index: len(from.Calls), Op: op,
			PerRequest: 1, Mode: "sync", Required: required})
	}
	call(web, edge, lang.OpReadWrite, true)
	call(edge, api, lang.OpReadWrite, true)
	call(api, sessions, lang.OpRead, false)
	call(api, orders, lang.OpWrite, true)
	d := &lang.Design{
		Components: []*lang.Component{web, edge, api, sessions, orders},
		Flows: []*lang.Flow{
			{Name: "browse", Entry: web, Op: lang.OpRead, Consistency: lang.ReadYourWrites},
			{Name: "order", Entry: web, Op: lang.OpWrite},
		},
	}
	d.Index()
	return d
}

func TestTraceShop(t *testing.T) {
	d := shop()
	type hop struct {
		Addr     string
		Class    lang.Op
		Origin   bool
		Required bool
		Need     lang.Consistency
	}
	trace := func(name string) []hop {
		var out []hop
		for _, s := range Trace(d.Flow(name)) {
			out = append(out, hop{s.Component.Addr, s.Class, s.Origin, s.Required, s.Need.Level})
		}
		return out
	}
	ryw := lang.ReadYourWrites
	wantBrowse := []hop{
		{"client.web", lang.OpRead, false, true, ryw},
		{"load_balancer.edge", lang.OpRead, false, true, ryw},
		{"service.api", lang.OpRead, false, true, ryw},
		{"cache.sessions", lang.OpRead, false, false, ryw},
		{"database.orders", lang.OpRead, true, true, ryw}, // the origin is needed even though the cache is soft
	}
	if diff := cmp.Diff(wantBrowse, trace("browse")); diff != "" {
		t.Errorf("Trace(browse) (-want +got):\n%s", diff)
	}
	wantOrder := []hop{
		{"client.web", lang.OpWrite, false, true, ""},
		{"load_balancer.edge", lang.OpWrite, false, true, ""},
		{"service.api", lang.OpWrite, false, true, ""},
		{"database.orders", lang.OpWrite, false, true, ""},
	}
	if diff := cmp.Diff(wantOrder, trace("order")); diff != "" {
		t.Errorf("Trace(order) (-want +got):\n%s", diff)
	}
}

func TestShortfallsShop(t *testing.T) {
	d := shop()
	all := []Mechanism{MechAsyncReplica, MechCacheTTL, MechSyncReplica}
	var got []string
	for _, s := range TraceAll(d).Shortfalls(all...) {
		got = append(got, s.Flow.Name+" "+s.Step.Component.Addr+" "+string(s.Guarantee.Mechanism)+" "+s.Guarantee.Describe())
	}
	want := []string{
		"browse cache.sessions cache_ttl bounded_staleness (60s)",
		"browse database.orders async_replica eventual",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Shortfalls(shop) (-want +got):\n%s", diff)
	}
	// With sync replication that acknowledges on apply (remote_apply) the
	// replica reads give read-your-writes.
	d.Component("database.orders").Replication.Mode = "sync"
	d.Component("database.orders").Replication.Ack = "apply"
	got = nil
	for _, s := range TraceAll(d).Shortfalls(all...) {
		got = append(got, s.Step.Component.Addr)
	}
	if diff := cmp.Diff([]string{"cache.sessions"}, got); diff != "" {
		t.Errorf("Shortfalls with sync replication (-want +got):\n%s", diff)
	}
}

func TestCallNeedStrengthensDownstream(t *testing.T) {
	d := shop()
	api := d.Component("service.api")
	api.Calls[0].Consistency = lang.Linearizable // the call to the cache
	for _, s := range Trace(d.Flow("browse")) {
		want := lang.ReadYourWrites
		if s.Component.Addr == "cache.sessions" || s.Component.Addr == "database.orders" {
			want = lang.Linearizable
		}
		if s.Need.Level != want {
			t.Errorf("%s: need %s, want %s", s.Component.Addr, s.Need.Level, want)
		}
		if want == lang.Linearizable && !strings.HasPrefix(s.Need.Source(), "call from service.api") {
			t.Errorf("%s: need source %q, want the call", s.Component.Addr, s.Need.Source())
		}
	}
}

func TestFixes(t *testing.T) {
	ryw := Need{Level: lang.ReadYourWrites}
	lin := Need{Level: lang.Linearizable}
	mr := Need{Level: lang.MonotonicReads}
	async := db("a", func(c *lang.Component) {
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas"}
	})
	q := func(n, r, w int) *lang.Component {
		return db("q", func(c *lang.Component) { c.Quorum = &lang.Quorum{N: n, R: r, W: w} })
	}
	cache := &lang.Component{Kind: lang.KindCache, Strategy: "cache_aside", TTL: time.Minute, Origin: async}
	lww := db("g", func(c *lang.Component) {
		c.MultiRegion = &lang.MultiRegion{Mode: "active_active", Conflict: "lww"}
	})
	first := func(c *lang.Component, m Mechanism) *Guarantee {
		for _, g := range ReadGuarantees(c, ReadHop{}) {
			if g.Mechanism == m {
				return g
			}
		}
		t.Fatalf("%s: no %s guarantee", c.Addr, m)
		return nil
	}
	tests := []struct {
		name string
		g    *Guarantee
		need Need
		want []string
	}{
		{"async, ryw", first(async, MechAsyncReplica), ryw, []string{`replication { mode = "sync", ack = "apply" }`, `replication.read_from = "primary"`}},
		{"async, ryw, through a call", viaCall(first(async, MechAsyncReplica)), ryw, []string{`session = "causal_token" on the call from service.api`, `replication { mode = "sync", ack = "apply" }`, `replication.read_from = "primary"`}},
		{"async, linearizable", first(async, MechAsyncReplica), lin, []string{`replication.read_from = "primary"`}},
		{"async, monotonic", viaCall(first(async, MechAsyncReplica)), mr, []string{`session = "sticky_replica" on the call from service.api`, `session = "causal_token" on the call from service.api`, `replication.read_from = "primary"`}},
		{"quorum 3/1/2, ryw", first(q(3, 1, 2), MechWeakQuorum), ryw, []string{"quorum { r = 2 }", "quorum { w = 3 }"}},
		{"quorum 3/1/2", first(q(3, 1, 2), MechWeakQuorum), lin, []string{`quorum { r = 2, conflict = "consensus" }`, `quorum { w = 3, conflict = "consensus" }`}},
		{"quorum 3/1/1", first(q(3, 1, 1), MechWeakQuorum), lin, []string{`quorum { r = 2, w = 2, conflict = "consensus" }`, `quorum { r = 3, conflict = "consensus" }`, `quorum { w = 3, conflict = "consensus" }`}},
		{"quorum 5/1/1, ryw", first(q(5, 1, 1), MechWeakQuorum), ryw, []string{"quorum { r = 3, w = 3 }", "quorum { r = 5 }", "quorum { w = 5 }"}},
		{"cache, ryw", first(cache, MechCacheTTL), ryw, []string{`invalidation = "versioned"`, `invalidation = "lease"`}},
		{"cache, bounded 5s", first(cache, MechCacheTTL), Need{Level: lang.BoundedStaleness, MaxStaleness: 5 * time.Second}, []string{`ttl = "5s"`}},
		{"cache, linearizable", first(cache, MechCacheTTL), lin, []string{"read this flow's data from a store that gives linearizable instead of through "}},
		{"lww, ryw", first(lww, MechMultiRegionLWW), ryw, []string{`multi_region { conflict = "crdt" }`, `multi_region { mode = "active_passive" }`}},
		{"lww, linearizable", first(lww, MechMultiRegionLWW), lin, []string{`multi_region { mode = "active_passive" }`}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.g.Fixes(tt.need)); diff != "" {
			t.Errorf("%s: Fixes (-want +got):\n%s", tt.name, diff)
		}
	}
	// Fixes never changes the component it is asked about.
	if async.Replication.Mode != "async" || async.Replication.ReadFrom != "replicas" {
		t.Errorf("Fixes changed the component: %+v", async.Replication)
	}
}

// viaCall is the guarantee as read through a call from service.api.
func viaCall(g *Guarantee) *Guarantee {
	api := &lang.Component{Kind: lang.KindService, Name: "api", Addr: "service.api"}
	h := ReadHop{Call: &lang.Call{From: api, To: g.Component, Op: lang.OpRead, Mode: "sync", Required: true, Ranges: lang.Ranges{}}}
	gs := ReadGuarantees(g.Component, h)
	for _, x := range gs {
		if x.Mechanism == g.Mechanism {
			return x
		}
	}
	return g
}

// TestTraceAgreesWithCompute keeps one definition of a flow's path: on every
// example design and every consistency rule's testdata, Trace reaches the
// same tiers, with the same first call and the same need-the-tier verdict
// for tiers reached through required calls, as Compute's Results.Flows.
func TestTraceAgreesWithCompute(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/*")
	more, _ := filepath.Glob("../rules/*/testdata/*")
	dirs = append(dirs, more...)
	checked := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		d, diags := lang.Load(dir, lang.Options{})
		if diags.HasErrors() {
			continue // other rules' testdata may be invalid on purpose
		}
		res := Compute(d)
		for _, f := range Flows(d) {
			fr := res.Flows[f.Name]
			if fr == nil {
				t.Errorf("%s: Compute has no flow %q", dir, f.Name)
				continue
			}
			want := map[string]bool{}
			for _, h := range fr.Hops {
				want[h.Component.Addr] = true
			}
			got := map[string]bool{}
			for _, s := range Trace(f) {
				got[s.Component.Addr] = true
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: flow %q: Trace's tiers differ from Compute's hops (-compute +trace):\n%s", dir, f.Name, diff)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d flows; the example designs did not load", checked)
	}
}

// TestTraceEndsOnCycles: a call cycle is walked once, and a need that
// strengthens around the loop still reaches every tier of it.
func TestTraceEndsOnCycles(t *testing.T) {
	web := &lang.Component{Kind: lang.KindClient, Name: "web", Addr: "client.web"}
	a := &lang.Component{Kind: lang.KindService, Name: "a", Addr: "service.a"}
	b := &lang.Component{Kind: lang.KindService, Name: "b", Addr: "service.b"}
	store := db("store", func(c *lang.Component) {
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas"}
	})
	call := func(from, to *lang.Component, need lang.Consistency) {
		from.Calls = append(from.Calls, &lang.Call{From: from, To: to, Op: lang.OpReadWrite, Mode: "sync",
			Required: true, Consistency: need, Ranges: lang.Ranges{}})
	}
	call(web, a, "")
	call(a, b, "")
	call(b, a, lang.Causal) // the loop asks more on its way back
	call(b, store, "")
	d := &lang.Design{Components: []*lang.Component{web, a, b, store},
		Flows: []*lang.Flow{{Name: "f", Entry: web, Op: lang.OpRead, Consistency: lang.MonotonicReads}}}
	d.Index()
	got := map[string]lang.Consistency{}
	for _, s := range Trace(d.Flows[0]) {
		if _, dup := got[s.Component.Addr]; dup {
			t.Errorf("%s reached twice", s.Component.Addr)
		}
		got[s.Component.Addr] = s.Need.Level
	}
	want := map[string]lang.Consistency{
		"client.web": lang.MonotonicReads, "service.a": lang.Causal, "service.b": lang.Causal, "database.store": lang.Causal,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("needs around a cycle (-want +got):\n%s", diff)
	}
}

// Trace returns the tiers a flow's traffic reaches, by class (reads first,
// then writes), each in breadth-first order from the entry. It follows the
// path of LANGUAGE.md: sync calls whose op matches the class, and a cache's
// origin (for reads, and for writes through a write_through or write_back
// cache). Async calls and queue consumers are off the path. Where several
// routes reach a tier, its Need is the strongest, Required holds if it
// holds on some route, and Hops lists every route's last hop.
//
// analyze.Compute's Results.Flows[..].Hops list the same tiers; Trace adds
// what the consistency rules need on top: the class of each visit, the needs
// carried along the calls, and the hops (session mechanisms, stickiness,
// per-operation levels) that reach each tier.
func Trace(f *lang.Flow) []*Step { return new(tracer).flow(f) }
