package analyze

import (
	"math/bits"

	"github.com/archform/archform/lang"
)

// A flow's availability (model v2) is the probability, over the joint up and
// down states of every instance (each up independently with its component's
// availability), that every tier the flow needs is up with the loads of that
// state: survivors share a tier's load, a cache down sends its reads to its
// origin, a call's fallback takes the traffic of a target that is down, and
// within a database the roles shift load as upProb describes.
//
// The states are not enumerated as a whole. The tiers the flow needs split
// into independent groups: a tier whose load no soft tier's failure changes
// is a group of its own, whose probability upProb sums over the number of its
// live instances (binomial sums); a soft tier that a scenario can take down
// (a cache, a call's target with a fallback) joins the tiers whose loads its
// loss changes into one group, and only the 2^s joint states of the soft
// tiers of a group are enumerated (each down with probability (1 − a)^n, all
// its instances down), the loads of each state propagated and every needed
// tier of the group summed over its own instances with those loads. The
// flow's availability is the product over the groups. A 10,000-component
// design costs what its flows' paths cost.
//
// Two simplifications, both conservative: a needed tier down entirely takes
// the flow down, so the loads it would no longer send downstream do not
// matter; the loss of a soft tier that is neither a cache nor a fallback's
// target (which only takes load away) is not enumerated. Past maxSoft soft
// tiers in one group the rest count as up.

// maxSoft is the most soft tiers a group enumerates the joint states of.
const maxSoft = 10

// need is a component a flow needs, with the classes of traffic it needs there.
type need struct {
	v    int
	r, w bool
	// kMin, when set, is the fewest live instances the tier needs besides
	// those its load needs (a queue consumer's workers: delivery.go).
	kMin int
}

// AvailabilityGroup is one independent factor of a flow's availability.
type AvailabilityGroup struct {
	// Tiers are the components the flow needs in this group, in path order.
	Tiers []string
	// Soft are the soft tiers whose joint states were enumerated: their
	// being down changes the loads of Tiers.
	Soft []string
	// Availability is the probability that every tier of the group is up.
	Availability float64
	// States is how many joint states of the soft tiers were enumerated
	// (2^len(Soft)).
	States int
	// K and N are the k-of-n of a group of one plain tier (0 otherwise).
	K, N int
}

// availCtx evaluates availability in one scenario (nominal when s is the
// nominal scenario).
type availCtx struct {
	cp    *computer
	s     *Scenario
	downs []int // components down in s
}

func (cp *computer) availIn(s *Scenario) *availCtx {
	ac := &availCtx{cp: cp, s: s}
	if s != cp.r.Nominal {
		for addr, l := range s.Load {
			if l.Down {
				ac.downs = append(ac.downs, cp.g.index[cp.d.Component(addr)])
			}
		}
	}
	return ac
}

// lost tells which of component v's instances the scenario loses (nil: none).
func (ac *availCtx) lost(v int) func(int) bool {
	if ac.s == ac.cp.r.Nominal {
		return nil
	}
	l := ac.s.LoadOf(ac.cp.g.comps[v].Addr)
	return func(i int) bool { return i < len(l.Instances) && l.Instances[i] < 0 }
}

// live is how many of component v's instances the scenario leaves.
func (ac *availCtx) live(v int) int {
	c := ac.cp.g.comps[v]
	n := max(len(c.Instances), 1)
	lost := ac.lost(v)
	if lost == nil {
		return n
	}
	alive := 0
	for k := range n {
		if !lost(k) {
			alive++
		}
	}
	return alive
}

func (ac *availCtx) isDown(v int) bool {
	for _, d := range ac.downs {
		if d == v {
			return true
		}
	}
	return false
}

// loads returns each need's read and write rps with the components in extra
// down (on top of what the scenario takes down).
func (ac *availCtx) loads(ns []need, extra []int) [][2]float64 {
	cp := ac.cp
	out := make([][2]float64, len(ns))
	var s *Scenario
	switch {
	case len(extra) == 0:
		s = ac.s
	case len(extra) == 1 && ac.s == cp.r.Nominal:
		s = cp.downScenario[extra[0]]
	}
	if s != nil {
		for i, n := range ns {
			l := s.LoadOf(cp.g.comps[n.v].Addr)
			out[i] = [2]float64{l.Read, l.Write}
		}
		return out
	}
	x := cp.flowsWithDown(append(append([]int(nil), ac.downs...), extra...), ns)
	for i := range ns {
		out[i] = [2]float64{x[i][chR], x[i][chW] + x[i][chM]}
	}
	return out
}

// flowsWithDown propagates the traffic with the components in downs down and
// returns the inflow of each need.
func (cp *computer) flowsWithDown(downs []int, ns []need) []flowVec {
	g := cp.g
	n := len(g.comps)
	if cp.availMark == nil {
		cp.availMark, cp.availDown, cp.availX = make([]bool, n), make([]bool, n), make([]flowVec, n)
	}
	seeds := append([]int(nil), downs...)
	for _, v := range downs {
		cp.availDown[v] = true
		for _, li := range g.fallbacks[v] {
			seeds = append(seeds, g.links[li].to)
		}
	}
	cone := g.cone(seeds, cp.availMark)
	p := &propagation{g: g, x: cp.availX, down: cp.availDown, base: cp.nominal, in: cp.availMark}
	p.run(cone, func(v int) flowVec { return g.source[v] })
	out := make([]flowVec, len(ns))
	for i, nd := range ns {
		if cp.availMark[nd.v] {
			out[i] = cp.availX[nd.v]
		} else {
			out[i] = cp.nominal[nd.v]
		}
	}
	for _, v := range cone {
		cp.availMark[v], cp.availX[v] = false, flowVec{}
	}
	for _, v := range downs {
		cp.availDown[v] = false
	}
	return out
}

// up is the probability that every need is up with the given loads.
func (ac *availCtx) up(ns []need, loads [][2]float64) float64 {
	cp := ac.cp
	p := 1.0
	for i, n := range ns {
		c := cp.g.comps[n.v]
		if n.kMin > 1 && (c.Kind != lang.KindDatabase || len(c.Instances) == 0) {
			p *= KOfN(max(KStable(loads[i][0]+loads[i][1], c.CapacityRPS), n.kMin), ac.live(n.v), c.Availability)
		} else {
			p *= upProb(c, cp.g.shards(n.v), loads[i][0], loads[i][1], n.r, n.w, ac.lost(n.v))
		}
		if p == 0 {
			break
		}
	}
	return p
}

// flow returns the availability of a flow that needs ns (in path order),
// with soft tiers soft, and its groups.
func (ac *availCtx) flow(ns []need, soft []int) (float64, []AvailabilityGroup) {
	cp := ac.cp
	// Union-find over needs (0..len(ns)-1) and soft tiers (len(ns)+j).
	parent := make([]int, len(ns)+len(soft))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	at := make(map[int]int, len(ns))
	for i, n := range ns {
		at[n.v] = i
	}
	active := make([]bool, len(soft))
	for j, v := range soft {
		ds := cp.downScenario[v]
		if ds == nil || ac.isDown(v) {
			continue
		}
		for addr, l := range ds.Load {
			u := cp.g.index[cp.d.Component(addr)]
			if i, ok := at[u]; ok && l != cp.nominalLoad[u] {
				active[j] = true
				parent[find(len(ns)+j)] = find(i)
			}
		}
	}
	total := 1.0
	var groups []AvailabilityGroup
	done := map[int]bool{}
	for i := range ns {
		root := find(i)
		if done[root] {
			continue
		}
		done[root] = true
		var gn []need
		var gs []int
		for k := range ns {
			if find(k) == root {
				gn = append(gn, ns[k])
			}
		}
		for j, v := range soft {
			if active[j] && find(len(ns)+j) == root && len(gs) < maxSoft {
				gs = append(gs, v)
			}
		}
		g := AvailabilityGroup{States: 1 << len(gs)}
		for _, n := range gn {
			g.Tiers = append(g.Tiers, cp.g.comps[n.v].Addr)
		}
		for _, v := range gs {
			g.Soft = append(g.Soft, cp.g.comps[v].Addr)
		}
		if len(gs) == 0 {
			g.Availability = ac.up(gn, ac.loads(gn, nil))
			if len(gn) == 1 {
				c := cp.g.comps[gn[0].v]
				if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
					l := ac.loads(gn, nil)[0]
					g.K = max(KStable(l[0]+l[1], c.CapacityRPS), gn[0].kMin)
					g.N = ac.live(gn[0].v)
				}
			}
		} else {
			pdown := make([]float64, len(gs))
			for j, v := range gs {
				c := cp.g.comps[v]
				alive := max(len(c.Instances), 1)
				if lost := ac.lost(v); lost != nil {
					alive = 0
					for k := range max(len(c.Instances), 1) {
						if !lost(k) {
							alive++
						}
					}
				}
				pdown[j] = KOfN(alive, alive, 1-c.Availability)
			}
			for mask := 0; mask < 1<<len(gs); mask++ {
				w := 1.0
				extra := make([]int, 0, bits.OnesCount(uint(mask)))
				for j := range gs {
					if mask&(1<<j) != 0 {
						w *= pdown[j]
						extra = append(extra, gs[j])
					} else {
						w *= 1 - pdown[j]
					}
				}
				if w == 0 {
					continue
				}
				g.Availability += w * ac.up(gn, ac.loads(gn, extra))
			}
		}
		total *= g.Availability
		groups = append(groups, g)
	}
	return total, groups
}
