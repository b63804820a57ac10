package analyze

import (
	"fmt"
	"math"
	"strings"

	"github.com/archform/archform/lang"
)

// KOfN is the availability of a tier that is up when at least k of its n
// independent instances, each up with probability a, are up:
//
//	A = Σ_{i=k..n} C(n,i)·a^i·(1−a)^(n−i)
//
// It sums whichever tail is shorter, in log space, so that it stays exact for
// large n and for availabilities close to 1. k ≤ 0 counts as 1; k > n gives 0.
func KOfN(k, n int, a float64) float64 {
	if k < 1 {
		k = 1
	}
	switch {
	case k > n:
		return 0
	case a >= 1:
		return 1
	case a <= 0:
		return 0
	}
	term := func(i int) float64 {
		lc, _ := math.Lgamma(float64(n + 1))
		l1, _ := math.Lgamma(float64(i + 1))
		l2, _ := math.Lgamma(float64(n - i + 1))
		return math.Exp(lc - l1 - l2 + float64(i)*math.Log(a) + float64(n-i)*math.Log1p(-a))
	}
	if k-1 < n-k+1 { // fewer terms below k: A = 1 − P(fewer than k up)
		down := 0.0
		for i := 0; i < k; i++ {
			down += term(i)
		}
		return math.Max(0, 1-down)
	}
	up := 0.0
	for i := k; i <= n; i++ {
		up += term(i)
	}
	return math.Min(1, up)
}

// RetryAmplification is the worst-case load multiplication of nested retries:
// each layer makes up to retries+1 attempts, so the layers multiply:
// Π (retries_i + 1). Three layers with 3 retries each give 64.
func RetryAmplification(retries ...int) float64 {
	f := 1.0
	for _, r := range retries {
		f *= float64(max(r, 0) + 1)
	}
	return f
}

// Stable reports whether a utilization is below 1: the one definition of
// "up" (model v2). An M/M/c queue at utilization 1 or more grows without
// bound, so a tier whose instances would run at 1 is not up. A relative
// slack of 1e-9 keeps exact multiples exact through floating-point sums
// (10000 rps over 10 instances of 1000 rps is 1, not 0.9999999999).
func Stable(u float64) bool { return u < 1-1e-9 }

// KStable is k = ⌊load ÷ capacity⌋ + 1: the fewest instances of capacity
// each that carry load below utilization 1 (1 where no capacity is
// declared). 10000 rps on instances of 1000 rps need 11.
func KStable(load, capacity float64) int {
	if capacity <= 0 || load <= 0 || math.IsNaN(load) {
		return 1
	}
	x := load / capacity
	if math.IsInf(x, 1) || x > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(math.Floor(x+1e-9)) + 1
}

// kNeeded is KStable.
func kNeeded(load, capacity float64) int { return KStable(load, capacity) }

// tier is a set of instances a flow (or the component as a whole) needs,
// with the load they carry.
type tier struct {
	k, n int
	a    float64
}

// tierAvailability is the availability of the instances of c that serve
// traffic of role (RolePrimary: writes; RoleReplica: reads from replicas; ""
// every instance) with their nominal load: per shard, k-of-n with
// k = ⌊load ÷ capacity_rps⌋ + 1, shards multiplied (every shard is needed).
// It returns the availability and the k and n of the hottest shard.
func tierAvailability(c *lang.Component, load *Load, role lang.Role) (a float64, k, n int) {
	if c.Kind == lang.KindClient {
		return 1, 0, 0
	}
	for i, t := range tiersOf(c, load, role) {
		if i == 0 {
			a, k, n = 1, t.k, t.n
		}
		a *= KOfN(t.k, t.n, t.a)
	}
	return a, k, n
}

// tiersOf lists, shard by shard, the k-of-n tiers of c used by role (the
// figures k and n a component's JSON shows: of a database with a primary,
// the tier with the load of its role, all else up).
func tiersOf(c *lang.Component, load *Load, role lang.Role) []tier {
	a := c.Availability
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		n := max(len(c.Instances), 1)
		return []tier{{k: kNeeded(load.Total(), c.CapacityRPS), n: n, a: a}}
	}
	shards := dbShards(c)
	out := make([]tier, 0, len(shards))
	for _, sh := range shards {
		rs, ws := load.Read*sh.share, load.Write*sh.share
		var t tier
		switch {
		case len(sh.members) > 0: // quorum: r or w members, and enough to carry the load
			q := quorumOf(c, len(sh.members))
			k := max(q.R, q.W, 1)
			for ; k <= len(sh.members); k++ {
				if load, _, _ := memberLoad(c, q, rs, ws, k); c.CapacityRPS <= 0 || Stable(load/c.CapacityRPS) {
					break
				}
			}
			t = tier{k: k, n: len(sh.members)}
		case role == lang.RolePrimary && c.Replication.Failover == "automatic":
			// Any instance of the shard can be promoted to take the writes.
			t = tier{k: kNeeded(ws, c.CapacityRPS), n: 1 + len(sh.replicas)}
		case role == lang.RolePrimary || len(sh.replicas) == 0:
			load := ws
			if role != lang.RolePrimary {
				load = ws + rs
			}
			t = tier{k: kNeeded(load, c.CapacityRPS), n: 1}
		case role == lang.RoleReplica:
			t = tier{k: kNeeded(rs, c.CapacityRPS), n: len(sh.replicas)}
		default: // every instance of the shard
			t = tier{k: kNeeded(rs+ws, c.CapacityRPS), n: 1 + len(sh.replicas)}
		}
		t.a = a
		out = append(out, t)
	}
	return out
}

// quorumOf returns the design's quorum sizes, defaulting to majorities of n.
func quorumOf(c *lang.Component, n int) lang.Quorum {
	q := lang.Quorum{N: n, R: n/2 + 1, W: n/2 + 1}
	if c.Quorum != nil {
		if c.Quorum.R > 0 {
			q.R = c.Quorum.R
		}
		if c.Quorum.W > 0 {
			q.W = c.Quorum.W
		}
	}
	return q
}

// componentAvailability is the availability of c as a whole: the roles its
// nominal traffic uses (a database reading from replicas needs its primary
// for writes and its replicas for reads).
//
// k and n are its k-of-n when one set of instances serves it; when its
// writes and reads need different roles, each role's k-of-n is in roles
// (never summed: 1 primary and 5 replicas are not one 3-of-6), and k and n
// are 0.
func componentAvailability(c *lang.Component, load *Load) (a float64, k, n int, roles []RoleKN) {
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		a, k, n = tierAvailability(c, load, "")
		return a, k, n, nil
	}
	rs := dbRoles(c)
	if rs.read == rs.write {
		a, k, n = tierAvailability(c, load, rs.write)
		return a, k, n, nil
	}
	aw, kw, nw := tierAvailability(c, load, rs.write)
	if load.Read <= 0 {
		return aw, kw, nw, nil
	}
	ar, kr, nr := tierAvailability(c, load, rs.read)
	return aw * ar, 0, 0, []RoleKN{{Role: roleName(rs.write), K: kw, N: nw}, {Role: roleName(rs.read), K: kr, N: nr}}
}

// RoleKN is the k-of-n of one role of a component's instances.
type RoleKN struct {
	Role string `json:"role"` // "primary", "replicas", "members", "instances"
	K    int    `json:"k"`
	N    int    `json:"n"`
}

// roleName names a role's instances as messages and JSON do.
func roleName(r lang.Role) string {
	switch r {
	case lang.RolePrimary:
		return "primary"
	case lang.RoleReplica:
		return "replicas"
	case lang.RoleMember:
		return "members"
	}
	return "instances"
}

// KOfNText is the k-of-n of a component's instances for reading: "11-of-12",
// or per role: "primary 1-of-1, replicas 3-of-5"; "" when there is none.
func (cr *ComponentResult) KOfNText() string {
	if len(cr.Roles) > 0 {
		parts := make([]string, len(cr.Roles))
		for i, r := range cr.Roles {
			parts[i] = fmt.Sprintf("%s %d-of-%d", r.Role, r.K, r.N)
		}
		return strings.Join(parts, ", ")
	}
	if cr.N > 0 {
		return fmt.Sprintf("%d-of-%d", cr.K, cr.N)
	}
	return ""
}

// binomial returns P(i of n up), i = 0..n, each up with probability a.
func binomial(n int, a float64) []float64 {
	out := make([]float64, n+1)
	switch {
	case a >= 1:
		out[n] = 1
		return out
	case a <= 0:
		out[0] = 1
		return out
	}
	lc, _ := math.Lgamma(float64(n + 1))
	la, lb := math.Log(a), math.Log1p(-a)
	for i := range out {
		l1, _ := math.Lgamma(float64(i + 1))
		l2, _ := math.Lgamma(float64(n - i + 1))
		out[i] = math.Exp(lc - l1 - l2 + float64(i)*la + float64(n-i)*lb)
	}
	return out
}

// upProb is the probability, over the up/down states of c's instances (each
// up independently with c's availability; the instances lost says are never
// up), that the instances serving the classes needed (needR: reads, needW:
// writes) are up and below utilization 1 with c's inflow of read and write
// rps in that state (model v2, "up means stable"):
//
//   - a plain tier: survivors share the load: k-of-n, k = ⌊load ÷ capacity⌋ + 1;
//   - a primary with replicas: with every replica gone (or none declared)
//     reads fall back to the primary; failover = "automatic" promotes a
//     live replica when the primary is down; manual failover leaves the
//     writes without a primary;
//   - a leaderless (quorum) store with i live members accepts reads when
//     i ≥ r and writes when i ≥ w; each member takes reads × r ÷ i of the
//     accepted reads and every accepted write; refused writes add no load.
//
// Shards are independent and every one is needed. The sums run over the
// number of live instances of each role, not over the 2^n states.
func upProb(c *lang.Component, shards []dbShard, read, write float64, needR, needW bool, lost func(i int) bool) float64 {
	if c.Kind == lang.KindClient {
		return 1
	}
	alive := func(i int) bool { return lost == nil || !lost(i) }
	a := c.Availability
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		n := 0
		for i := range c.Instances {
			if alive(i) {
				n++
			}
		}
		if len(c.Instances) == 0 {
			n = 1
		}
		return KOfN(KStable(read+write, c.CapacityRPS), n, a)
	}
	under := func(load float64) bool { return c.CapacityRPS <= 0 || Stable(load/c.CapacityRPS) }
	p := 1.0
	for _, sh := range shards {
		rs, ws := read*sh.share, write*sh.share
		if len(sh.members) > 0 {
			q := quorumOf(c, len(sh.members))
			m := 0
			for _, i := range sh.members {
				if alive(i) {
					m++
				}
			}
			ps := 0.0
			for i, w := range binomial(m, a) {
				load, readsOK, writesOK := memberLoad(c, q, rs, ws, i)
				if (!needR || readsOK) && (!needW || writesOK) && under(load) {
					ps += w
				}
			}
			p *= ps
			continue
		}
		primaryAlive := sh.primary >= 0 && alive(sh.primary)
		nr := 0
		for _, i := range sh.replicas {
			if alive(i) {
				nr++
			}
		}
		readFrom := c.Replication.ReadFrom
		if dbRoles(c).read == lang.RolePrimary {
			readFrom = "primary"
		}
		pp := 0.0
		if primaryAlive {
			pp = a
		}
		ps := 0.0
		for j, wj := range binomial(nr, a) {
			for _, primaryUp := range []bool{true, false} {
				w := wj * pp
				if !primaryUp {
					w = wj * (1 - pp)
				}
				if w == 0 {
					continue
				}
				writer, replicas := primaryUp, j
				if !writer && c.Replication.Failover == "automatic" && j > 0 {
					writer, replicas = true, j-1
				}
				writerLoad := ws
				var readsOK bool
				switch {
				case readFrom == "replicas" && replicas > 0:
					readsOK = under(rs / float64(replicas))
				case readFrom == "any" && replicas+btoi(writer) > 0:
					each := rs / float64(replicas+btoi(writer))
					if writer {
						writerLoad += each
					}
					readsOK = under(each) && (!writer || under(writerLoad))
				default: // reads on the primary (or what was promoted)
					writerLoad += rs
					readsOK = writer && under(writerLoad)
				}
				writesOK := writer && under(writerLoad)
				if (!needR || readsOK) && (!needW || writesOK) {
					ps += w
				}
			}
		}
		p *= ps
	}
	return p
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Leaderless reports whether a quorum store is leaderless (Dynamo style: a
// write goes to every member and completes at the w-th ack; engines listed
// in the consistency model's leaderless set). Other quorum stores (etcd,
// Consul, ZooKeeper, CockroachDB, an unnamed engine) are leader-based.
func Leaderless(c *lang.Component) bool { return leaderless[c.Engine] }

// memberLoad is the load of each of i live members of a quorum store
// carrying rs reads and ws writes per second: reads need r live members and
// writes w (refused ones add no load). In a leaderless store a read goes to
// r members spread evenly over the live ones and a write to every live
// member: reads × r ÷ i + writes. In a leader-based one reads and writes go
// to r and w members: (reads × r + writes × w) ÷ i.
func memberLoad(c *lang.Component, q lang.Quorum, rs, ws float64, i int) (load float64, readsOK, writesOK bool) {
	readsOK, writesOK = i > 0 && i >= q.R, i > 0 && i >= q.W
	if readsOK {
		load += rs * float64(q.R) / float64(i)
	}
	if writesOK {
		if Leaderless(c) {
			load += ws
		} else {
			load += ws * float64(q.W) / float64(i)
		}
	}
	return load, readsOK, writesOK
}
