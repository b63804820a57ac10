package analyze

import (
	"math"
	"slices"

	"github.com/archform/archform/lang"
)

// dbShard is one shard of a database: its share of the load and its
// instances (indexes into Component.Instances) by role.
type dbShard struct {
	share    float64
	primary  int // -1 when the shard has none
	replicas []int
	members  []int // quorum members
}

// dbShards groups a database's instances by shard. The hottest shard (0)
// gets shard_skew × the mean load, the others share the rest evenly.
func dbShards(c *lang.Component) []dbShard {
	var shards []dbShard
	at := map[int]int{}
	for i, inst := range c.Instances {
		si, ok := at[inst.Shard]
		if !ok {
			si = len(shards)
			at[inst.Shard] = si
			shards = append(shards, dbShard{primary: -1})
		}
		sh := &shards[si]
		switch {
		case inst.Role == lang.RoleMember || (inst.Role == "" && c.Replication.Mode == "quorum"):
			sh.members = append(sh.members, i)
		case inst.Role == lang.RolePrimary || (inst.Role == "" && sh.primary < 0):
			if sh.primary < 0 {
				sh.primary = i
			} else {
				sh.replicas = append(sh.replicas, i)
			}
		default:
			sh.replicas = append(sh.replicas, i)
		}
	}
	s := float64(len(shards))
	skew := math.Min(math.Max(c.ShardSkew, 1), s)
	for i := range shards {
		switch {
		case len(shards) == 1:
			shards[i].share = 1
		case i == 0:
			shards[i].share = skew / s
		default:
			shards[i].share = (1 - skew/s) / (s - 1)
		}
	}
	return shards
}

// roles tells which instances of a database serve each class of traffic.
type roles struct{ read, write lang.Role }

// dbRoles: writes go to the primary; reads to the replicas (read_from =
// "replicas" with replicas), to every instance ("any"), or to the primary.
// A quorum store serves both from its members ("").
func dbRoles(c *lang.Component) roles {
	if c.Replication.Mode == "quorum" || c.Quorum != nil && c.Replication.Replicas == 0 {
		return roles{"", ""}
	}
	r := roles{read: lang.RolePrimary, write: lang.RolePrimary}
	switch c.Replication.ReadFrom {
	case "replicas":
		if c.Replication.Replicas > 0 {
			r.read = lang.RoleReplica
		}
	case "any":
		if c.Replication.Replicas > 0 {
			r.read = ""
		}
	}
	return r
}

// loadArena hands out the Loads of one Compute and their Instances slices
// from chunks: tens of thousands of scenario loads in a large design are a
// few hundred allocations, laid out side by side. Chunks grow from small, so
// a small design does not pay for large ones.
type loadArena struct {
	loads  []Load
	floats []float64
	chunk  int
}

func (a *loadArena) load() *Load {
	if len(a.loads) == 0 {
		a.chunk = min(max(2*a.chunk, 16), 1024)
		a.loads = make([]Load, a.chunk)
	}
	l := &a.loads[0]
	a.loads = a.loads[1:]
	return l
}

// instances returns n zeros, a slice whose capacity is its length.
func (a *loadArena) instances(n int) []float64 {
	if n > len(a.floats) {
		a.floats = make([]float64, max(n, 8*a.chunk))
	}
	s := a.floats[:n:n]
	a.floats = a.floats[n:]
	return s
}

// distribute spreads a component's inflow x over its instances; lost tells
// which instances are lost in the scenario (nil: none).
// shards are dbShards(c) for a database (computed once per component by the
// caller: see graph.shards).
func (a *loadArena) distribute(c *lang.Component, shards []dbShard, x flowVec, lost func(*lang.Instance) bool) *Load {
	l := a.load()
	l.Read, l.Write, l.Messages = x[chR], x[chW]+x[chM], x[chM]
	n := len(c.Instances)
	if n == 0 { // not placed (clients, hand-built designs): one virtual instance
		l.Instances = a.instances(1)
		l.Instances[0] = l.Total()
		l.Up = 1
		l.finish(c)
		return l
	}
	l.Instances = a.instances(n)
	for i := range l.Instances {
		if lost != nil && lost(c.Instances[i]) {
			l.Instances[i] = -1
		} else {
			l.Up++
		}
	}
	if l.Up == 0 {
		l.Down = true
		return l
	}
	if c.Kind == lang.KindDatabase {
		distributeDB(c, shards, l)
	} else {
		each := l.Total() / float64(l.Up)
		for i := range l.Instances {
			if l.Instances[i] >= 0 {
				l.Instances[i] = each
			}
		}
	}
	l.finish(c)
	return l
}

func distributeDB(c *lang.Component, shards []dbShard, l *Load) {
	up := func(i int) bool { return i >= 0 && l.Instances[i] >= 0 }
	if len(shards) > 1 {
		l.Shards = make([]float64, len(shards))
	}
	readFrom := c.Replication.ReadFrom
	if dbRoles(c).read == lang.RolePrimary {
		readFrom = "primary"
	}
	for si, sh := range shards {
		rs, ws := l.Read*sh.share, l.Write*sh.share
		if l.Shards != nil {
			l.Shards[si] = rs + ws
		}
		if len(sh.members) > 0 {
			q := quorumOf(c, len(sh.members))
			var ups []int
			for _, m := range sh.members {
				if up(m) {
					ups = append(ups, m)
				}
			}
			each, _, _ := memberLoad(c, q, rs, ws, len(ups))
			for _, m := range ups {
				l.Instances[m] += each
			}
			continue
		}
		writer := -1
		switch {
		case up(sh.primary):
			writer = sh.primary
		case c.Replication.Failover == "automatic":
			for _, r := range sh.replicas {
				if up(r) {
					writer = r
					break
				}
			}
		}
		var readers []int
		switch readFrom {
		case "replicas":
			for _, r := range sh.replicas {
				if up(r) && r != writer {
					readers = append(readers, r)
				}
			}
		case "any":
			if writer >= 0 {
				readers = append(readers, writer)
			}
			for _, r := range sh.replicas {
				if up(r) && r != writer {
					readers = append(readers, r)
				}
			}
		}
		if len(readers) == 0 && writer >= 0 {
			readers = []int{writer}
		}
		if writer >= 0 {
			l.Instances[writer] += ws
		}
		for _, r := range readers {
			l.Instances[r] += rs / float64(len(readers))
		}
	}
}

// sameFlow reports whether two inflows are the same bit for bit (so that
// distribute gives the same Load from them).
func sameFlow(a, b flowVec) bool {
	for ch := range nch {
		if math.Float64bits(a[ch]) != math.Float64bits(b[ch]) {
			return false
		}
	}
	return true
}

// anyLost reports whether lost takes any of c's instances.
func anyLost(c *lang.Component, lost func(*lang.Instance) bool) bool {
	for _, inst := range c.Instances {
		if lost(inst) {
			return true
		}
	}
	return false
}

// finish sets the utilization: the highest instance load ÷ capacity_rps.
func (l *Load) finish(c *lang.Component) {
	if c.CapacityRPS <= 0 {
		return
	}
	for i, v := range l.Instances {
		if u := v / c.CapacityRPS; v >= 0 && u > l.Utilization {
			l.Utilization, l.Hottest = u, i
		}
	}
}

// failures builds the failure scenarios: each zone lost, each region lost,
// each cache down, each component down that a call names a fallback for.
func (cp *computer) failures() {
	d := cp.d
	zoneOf := map[string]*lang.Zone{}
	for _, z := range d.Zones {
		zoneOf[z.Name] = z
	}
	regionOf := func(inst *lang.Instance) string {
		if inst.Region != "" {
			return inst.Region
		}
		if z := zoneOf[inst.Zone]; z != nil && z.Region != nil {
			return z.Region.Name
		}
		return ""
	}
	// Which components have instances in each zone and region.
	inZone := map[string][]int{}
	inRegion := map[string][]int{}
	for v, c := range cp.g.comps {
		var lastZ, lastR string
		for _, inst := range c.Instances {
			if inst.Zone != "" && inst.Zone != lastZ {
				if zs := inZone[inst.Zone]; len(zs) == 0 || zs[len(zs)-1] != v {
					inZone[inst.Zone] = append(zs, v)
				}
				lastZ = inst.Zone
			}
			if r := regionOf(inst); r != "" && r != lastR {
				if rs := inRegion[r]; len(rs) == 0 || rs[len(rs)-1] != v {
					inRegion[r] = append(rs, v)
				}
				lastR = r
			}
		}
	}
	for _, z := range d.Zones {
		name := z.Name
		cp.addScenario("zone "+name+" lost", "zone", name, inZone[name], true,
			func(inst *lang.Instance) bool { return inst.Zone == name })
	}
	for _, r := range d.Regions {
		name := r.Name
		cp.addScenario("region "+name+" lost", "region", name, inRegion[name], true,
			func(inst *lang.Instance) bool { return regionOf(inst) == name })
	}
	for v, c := range cp.g.comps {
		kind := ""
		switch {
		case c.Kind == lang.KindCache:
			kind = "cache"
		case len(cp.g.fallbacks[v]) > 0:
			kind = "component"
		default:
			continue
		}
		s := cp.addScenario(c.Addr+" down", kind, c.Addr, []int{v}, false,
			func(inst *lang.Instance) bool { return inst.Component == c })
		cp.downScenario[v] = s
	}
}

// addScenario computes one failure scenario: the instances for which lost
// is true are lost (affected lists the components that have such
// instances); a component with none of its instances left is down. With
// full, the scenario's Load holds every component.
func (cp *computer) addScenario(name, kind, what string, affected []int, full bool, lost func(*lang.Instance) bool) *Scenario {
	g := cp.g
	s := &Scenario{Name: name, Kind: kind, Lost: what, base: cp.r.Nominal}
	var down, seeds []int // down: marked in cp.downs until the scenario is built
	for _, v := range affected {
		c := g.comps[v]
		all := len(c.Instances) > 0
		for _, inst := range c.Instances {
			if !lost(inst) {
				all = false
				break
			}
		}
		if len(c.Instances) == 0 && kind != "zone" && kind != "region" {
			all = true // an unplaced component taken down as a whole
		}
		if all {
			down = append(down, v)
			seeds = append(seeds, v)
		}
	}
	for _, v := range down {
		cp.downs[v] = true
	}
	defer func() {
		for _, v := range down {
			cp.downs[v] = false
		}
	}()
	// The traffic changes downstream of what is down, and at the fallbacks
	// of calls to it.
	for _, v := range down {
		for _, li := range g.fallbacks[v] {
			seeds = append(seeds, g.links[li].to)
		}
	}
	slices.Sort(seeds)
	x := cp.nominal
	var coneNodes []int
	inCone := cp.mark
	if len(seeds) > 0 {
		coneNodes = g.cone(seeds, inCone)
		p := &propagation{g: g, x: cp.scratch, down: cp.downs, base: cp.nominal, in: inCone}
		p.run(coneNodes, func(v int) flowVec { return g.source[v] })
		x = p.x
		defer func() {
			for _, v := range coneNodes {
				inCone[v], cp.scratch[v] = false, flowVec{}
			}
		}()
	}
	// Only the components the scenario reaches: those that lose instances
	// and those downstream of what is down. The others keep their nominal
	// load, which LoadOf returns through base: a zone or region scenario
	// costs what it touches, not a copy of every component's load (a design
	// with more zones would otherwise cost zones × components).
	s.Load = make(map[string]*Load, len(coneNodes)+len(affected))
	for _, v := range coneNodes {
		c := g.comps[v]
		if !cp.downs[v] && sameFlow(x[v], cp.nominal[v]) && !anyLost(c, lost) {
			// Downstream of the loss, but its traffic did not change (no
			// traffic reaches it, or none through what is down): its load is
			// the nominal one, value for value. Share it (Loads are
			// read-only) rather than build an equal one.
			s.Load[c.Addr] = cp.nominalLoad[v]
			continue
		}
		l := cp.arena.distribute(c, g.shards(v), x[v], lost)
		if cp.downs[v] && !l.Down { // an unplaced component taken down
			l.Instances, l.Up, l.Utilization, l.Down = []float64{-1}, 0, 0, true
		}
		s.Load[c.Addr] = l
	}
	for _, v := range affected {
		if !inCone[v] {
			s.Load[g.comps[v].Addr] = cp.arena.distribute(g.comps[v], g.shards(v), cp.nominal[v], lost)
		}
	}
	cp.r.Failures = append(cp.r.Failures, s)
	return s
}
