package analyze

import (
	"math"

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

// kNeeded is k = ⌈load ÷ capacity⌉: the instances needed to carry the load
// (1 where no capacity is declared, and at least 1). A relative slack of 1e-9
// keeps exact multiples exact through floating-point sums.
func kNeeded(load, capacity float64) int {
	if capacity <= 0 || load <= 0 || math.IsNaN(load) {
		return 1
	}
	if math.IsInf(load, 1) {
		return math.MaxInt32
	}
	k := int(math.Ceil(load/capacity*(1-1e-9) - 1e-9))
	return max(k, 1)
}

// tier is a set of instances a flow (or the component as a whole) needs,
// with the load they carry.
type tier struct {
	k, n int
	a    float64
}

// tierAvailability is the availability of the instances of c that serve
// traffic of role (RolePrimary: writes; RoleReplica: reads from replicas; ""
// every instance), computed from the nominal load: per shard, k-of-n with
// k = ⌈load ÷ capacity_rps⌉, shards multiplied (every shard is needed). It
// returns the availability and the k and n of the hottest shard.
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

// tiersOf lists, shard by shard, the k-of-n tiers of c used by role.
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
			total := rs*float64(q.R) + ws*float64(q.W)
			t = tier{k: max(q.R, q.W, kNeeded(total, c.CapacityRPS)), n: len(sh.members)}
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
func componentAvailability(c *lang.Component, load *Load) (a float64, k, n int) {
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		return tierAvailability(c, load, "")
	}
	roles := dbRoles(c)
	if roles.read == roles.write {
		return tierAvailability(c, load, roles.write)
	}
	aw, kw, nw := tierAvailability(c, load, roles.write)
	if load.Read <= 0 {
		return aw, kw, nw
	}
	ar, kr, nr := tierAvailability(c, load, roles.read)
	return aw * ar, kw + kr, nw + nr
}
