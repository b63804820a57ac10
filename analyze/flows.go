package analyze

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/archform/archform/lang"
)

// flowSpec is a flow to compute: a flow block, or a client standing for one.
type flowSpec struct {
	name  string
	flow  *lang.Flow
	entry *lang.Component
	op    lang.Op
	rps   float64
}

func (cp *computer) flowResults() {
	var specs []flowSpec
	if len(cp.d.Flows) > 0 {
		for _, f := range cp.d.Flows {
			specs = append(specs, flowSpec{name: f.Name, flow: f, entry: f.Entry, op: f.Op, rps: f.RPS})
		}
	} else {
		for _, c := range cp.g.comps {
			if c.Kind == lang.KindClient {
				specs = append(specs, flowSpec{name: c.Addr, entry: c, op: lang.OpReadWrite, rps: c.RPS})
			}
		}
	}
	cp.specs = specs
	fw := cp.newFlowWalker(cp.r.Nominal, cp.models, nil)
	for _, s := range specs {
		fr := fw.flow(s)
		cp.r.Flows[s.name] = fr
		cp.r.FlowOrder = append(cp.r.FlowOrder, s.name)
	}
}

func (cp *computer) newFlowWalker(s *Scenario, models []*compModel, down []bool) *flowWalker {
	n := len(cp.g.comps)
	fw := &flowWalker{cp: cp, s: s, models: models, down: down, x: make([]flowVec, n), reached: make([]int, nch*n), required: make([]bool, nch*n),
		tiers: map[tierKey]float64{}, latency: map[*Sojourn][2]float64{},
		hops: map[tierKey]*Hop{}, dists: map[tierKey][]visit{}}
	for i := range fw.reached {
		fw.reached[i] = unseen
	}
	fw.ac = cp.availIn(s)
	return fw
}

// retried is s as a call with a timeout sees it (retrySojourn), memoized.
func (fw *flowWalker) retried(s *Sojourn, c *lang.Call) *Sojourn {
	k := retryKey{s, c}
	if fw.retries == nil {
		fw.retries = map[retryKey]*Sojourn{}
	}
	r, ok := fw.retries[k]
	if !ok {
		r = retrySojourn(s, c)
		fw.retries[k] = r
	}
	return r
}

type retryKey struct {
	s *Sojourn
	c *lang.Call
}

// flowWalker follows flows; its buffers are reused between them.
type flowWalker struct {
	cp *computer
	// s is the scenario the flows are followed in (the nominal one, or a
	// failure: then models are its components' and down marks what is
	// down).
	s       *Scenario
	models  []*compModel
	down    []bool
	ac      *availCtx
	retries map[retryKey]*Sojourn
	x       []flowVec
	// reached holds, per state v·nch + class, the link that reached it first
	// (-1: the entry; unseen), required whether required calls reach it.
	reached  []int
	required []bool
	tiers    map[tierKey]float64
	latency  map[*Sojourn][2]float64 // mean and p99 of one visit, by distribution
	// Scratch space of one flow, emptied between flows.
	order, queue  []state
	nodes, sorted []int
	hops          map[tierKey]*Hop
	dists         map[tierKey][]visit
	visits        []visit
	// Scratch maps of visitCounts, one of each per class a flow starts in.
	vcStates []map[state]countDist
	vcHops   []map[tierKey]countDist
}

// tierKey is a component's tier for a role.
type tierKey struct {
	v    int
	role lang.Role
}

const unseen = -2

// state is a component reached by a class of requests.
type state struct{ v, ch int }

func (fw *flowWalker) flow(s flowSpec) *FlowResult {
	cp, g := fw.cp, fw.cp.g
	fr := &FlowResult{Flow: s.flow, Name: s.name, Entry: s.entry, Op: s.op, RPS: s.rps, Availability: 1}
	e, ok := g.index[s.entry]
	if !ok {
		return fr
	}
	var start []int
	weights := flowVec{}
	switch s.op {
	case lang.OpRead:
		start, weights[chR] = []int{chR}, 1
	case lang.OpWrite:
		start, weights[chW] = []int{chW}, 1
	default:
		start = []int{chR, chW}
		rr := 1.0
		if s.entry.Kind == lang.KindClient {
			rr = clamp01(s.entry.ReadRatio)
		} else if l := cp.r.Nominal.Load[s.entry.Addr]; l.Total() > 0 {
			rr = l.Read / l.Total()
		}
		weights[chR], weights[chW] = rr, 1-rr
	}
	if s.flow != nil {
		fr.ReadRPS, fr.WriteRPS = s.flow.OpRPS()
	} else {
		fr.ReadRPS, fr.WriteRPS = s.rps*weights[chR], s.rps*weights[chW]
	}
	through := -1
	if s.flow != nil && s.flow.Through != nil {
		if q, ok := g.index[s.flow.Through]; ok {
			through = q
		}
	}
	seg := fw.segment(&fr.Hops, e, start, weights, fr.Op, through, fw.visits[:0])
	visits := seg.visits
	defer func() { fw.visits = visits[:0] }()
	if s.entry.Kind == lang.KindClient && len(fr.Hops) > 0 {
		fr.Hops[0].CallsPerRequest = 1
	}
	needs, soft := seg.needs, seg.soft
	var deliveries []deliveryVisits
	if through >= 0 {
		fr.Delivery, deliveries, needs, soft = fw.deliver(through, seg.via, needs, soft)
	}
	fr.needs, fr.soft = needs, soft
	fr.Availability, fr.Groups = fw.ac.flow(needs, soft)
	if d := fr.Delivery; d != nil {
		d.JointAvailability = fr.Availability
		fr.Availability = math.Max(0, fr.Availability-d.Behind())
	}
	answered := 1.0
	for _, h := range fr.Hops {
		if h.TimeoutLoss > 0 {
			answered *= math.Pow(1-h.TimeoutLoss, h.CallsPerRequest)
		}
	}
	fr.TimeoutLoss = 1 - answered
	if fr.Availability == 0 && fw.s != cp.r.Nominal {
		// In a failure scenario where nothing answers there is no latency
		// to speak of (FlowScenarios writes none): composing the p99 of
		// tiers that are down would be most of the cost of the scenarios
		// that take a design down (a lost region of a design in one).
		fr.LatencyMean, fr.LatencyP99 = math.NaN(), math.NaN()
		return fr
	}
	fr.LatencyMean = composeMean(visits) * 1000
	fr.LatencyP99 = cp.comp.quantile(visits, 0.99) * 1000
	if fr.Delivery != nil {
		fw.deliveryLatency(fr, visits, deliveries)
	}
	return fr
}

// segmentResult is what segment finds of one walk: the visits of its hops,
// the tiers it needs, its soft tiers, and the call that writes to the
// queue asked for (nil when no tier of the walk does).
type segmentResult struct {
	visits []visit
	needs  []need
	soft   []int
	via    *lang.Call
}

// segment walks the path from component e, entered by start's classes in
// the shares of weights (a client's reads and writes; a consumer's
// messages, chM), appends its hops to hops and their visits to visits, and
// finds the tiers it needs. through is a queue whose writer on the path is
// asked for (-1: none). A client entry is no tier: it takes no time and is
// needed by nothing.
func (fw *flowWalker) segment(hops *[]*Hop, e int, start []int, weights flowVec, op lang.Op, through int, visits []visit) segmentResult {
	cp, g := fw.cp, fw.cp.g
	client := g.comps[e].Kind == lang.KindClient
	// Which (component, class) states the flow reaches, breadth first, and
	// which of them it reaches through required calls only (a soft call to
	// a cache still leads, required, to the cache's origin: every read goes
	// there when the cache is down). States are v·nch + class.
	reached, required := fw.reached, fw.required
	order := fw.order[:0]
	for _, ch := range start {
		st := state{e, ch}
		reached[e*nch+ch] = -1
		required[e*nch+ch] = true
		order = append(order, st)
	}
	defer func() {
		for _, st := range order {
			reached[st.v*nch+st.ch], required[st.v*nch+st.ch] = unseen, false
		}
		fw.order = order[:0]
	}()
	for i := 0; i < len(order); i++ {
		st := order[i]
		for _, li := range g.out[st.v] {
			l := &g.links[li]
			if !l.path || !l.mask[st.ch] || l.toCh == chM {
				continue
			}
			if next := l.to*nch + l.toCh; reached[next] == unseen {
				reached[next] = li
				order = append(order, state{l.to, l.toCh})
			}
		}
	}
	var via *lang.Call
	if through >= 0 {
		for _, st := range order {
			for _, li := range g.out[st.v] {
				if l := &g.links[li]; l.to == through && l.kind == linkCall && l.mask[st.ch] && via == nil {
					via = l.call
				}
			}
		}
	}
	queue := append(fw.queue[:0], order[:len(start)]...)
	defer func() { fw.queue = queue[:0] }()
	for i := 0; i < len(queue); i++ {
		st := queue[i]
		for _, li := range g.out[st.v] {
			l := &g.links[li]
			if !l.path || !l.mask[st.ch] || l.toCh == chM {
				continue
			}
			mark := func(t state) {
				if k := t.v*nch + t.ch; reached[k] != unseen && !required[k] {
					required[k] = true
					queue = append(queue, t)
				}
			}
			if l.kind == linkOrigin || l.call.Required {
				mark(state{l.to, l.toCh})
			} else if g.comps[l.to].Kind == lang.KindCache {
				for _, oi := range g.out[l.to] {
					if o := &g.links[oi]; o.kind == linkOrigin && o.mask[l.toCh] {
						mark(state{o.to, o.toCh})
					}
				}
			}
		}
	}

	// Calls per request: propagate one request of the flow over the path.
	nodes := fw.nodes[:0]
	in := cp.mark
	for _, st := range order {
		if !in[st.v] {
			in[st.v] = true
			nodes = append(nodes, st.v)
		}
	}
	sorted := append(fw.sorted[:0], nodes...)
	slices.SortFunc(sorted, func(a, b int) int { return cmp.Compare(g.pos[a], g.pos[b]) })
	fw.sorted = sorted[:0]
	p := &propagation{g: g, x: fw.x, in: in, down: fw.down, once: true, keep: func(l *link) bool { return l.path }}
	p.run(sorted, func(v int) flowVec {
		if v == e {
			return weights
		}
		return flowVec{}
	})
	defer func() {
		for _, v := range nodes {
			fw.x[v], in[v] = flowVec{}, false
		}
		fw.nodes = nodes[:0]
	}()

	// Hops: one per component, or per role of a database.
	keyOf := func(st state) tierKey {
		c := g.comps[st.v]
		role := lang.Role("")
		if c.Kind == lang.KindDatabase && len(c.Instances) > 0 {
			if r := dbRoles(c); st.ch != chR {
				role = r.write
			} else {
				role = r.read
			}
		}
		return tierKey{st.v, role}
	}
	counts := fw.visitCounts(p, sorted, e, weights, keyOf)
	byKey, dists := fw.hops, fw.dists
	defer func() { clear(byKey); clear(dists) }()
	first := len(*hops)
	for _, st := range order {
		c := g.comps[st.v]
		k := keyOf(st)
		role := k.role
		h := byKey[k]
		if h == nil {
			h = &Hop{Component: c, Role: role, Availability: 1}
			if li := reached[st.v*nch+st.ch]; li >= 0 {
				l := &g.links[li]
				h.Via, h.Origin, h.From = l.call, l.kind == linkOrigin, g.comps[l.from]
			}
			byKey[k] = h
			*hops = append(*hops, h)
		}
		calls := fw.x[st.v][st.ch]
		if st.v == e && client {
			calls = 0
		}
		h.CallsPerRequest += calls
		if required[st.v*nch+st.ch] {
			h.Required = true
		}
		sj := fw.models[st.v].forClass(c, role, st.ch)
		if li := reached[st.v*nch+st.ch]; li >= 0 && g.links[li].call != nil && retrying(g.links[li].call) {
			sj = fw.retried(sj, g.links[li].call)
			if rr := cp.retry(g.links[li].call); rr != nil && fw.s == cp.r.Nominal {
				h.Tries, h.TimeoutLoss = rr.Tries, rr.TimeoutLoss
			}
		}
		dists[k] = append(dists[k], visit{s: sj, calls: calls})
	}
	// Availability, latency, and soft tiers whose loss overloads the path.
	for _, h := range (*hops)[first:] {
		v := g.index[h.Component]
		k := tierKey{v, h.Role}
		if v == e && client {
			h.Required = false
			continue
		}
		a, ok := fw.tiers[k]
		if !ok {
			a, _, _ = tierAvailability(h.Component, fw.s.LoadOf(h.Component.Addr), h.Role)
			fw.tiers[k] = a
		}
		h.Availability = a
		if h.Required {
			// The hop's own figure: up, with its nominal load, for the
			// classes the flow sends it.
			l := fw.s.LoadOf(h.Component.Addr)
			r, w := hopClasses(h, op)
			h.Availability = upProb(h.Component, g.shards(v), l.Read, l.Write, r, w, fw.ac.lost(v))
		}
		ds := dists[k]
		var sj *Sojourn
		if len(ds) == 1 {
			sj = ds[0].s
		} else {
			ss := make([]*Sojourn, len(ds))
			ws := make([]float64, len(ds))
			for j, d := range ds {
				ss[j], ws[j] = d.s, d.calls
			}
			sj = mix(ss, ws)
		}
		if len(ds) == 1 { // the tier's own distribution: the same in every flow
			lat, ok := fw.latency[sj]
			if !ok {
				lat = [2]float64{sj.Mean() * 1000, sj.Quantile(0.99) * 1000}
				fw.latency[sj] = lat
			}
			h.LatencyMean, h.LatencyP99 = lat[0], lat[1]
		} else {
			h.LatencyMean, h.LatencyP99 = sj.Mean()*1000, sj.Quantile(0.99)*1000
		}
		visits = append(visits, visit{s: sj, calls: h.CallsPerRequest, counts: counts[k]})
		if !h.Required {
			h.Soft = true
			if fw.s != cp.r.Nominal {
				continue
			}
			h.Overloads = fw.overloads(h, in)
			h.Required = len(h.Overloads) > 0
		}
	}
	// Availability: the tiers the flow needs (through required calls) and
	// the soft tiers whose loss changes their loads (flowavail.go).
	var needs []need
	var soft []int
	at := map[int]int{}
	for _, st := range order {
		if st.v == e && client {
			continue
		}
		if !required[st.v*nch+st.ch] {
			if cp.downScenario[st.v] != nil && !slices.Contains(soft, st.v) {
				soft = append(soft, st.v)
			}
			continue
		}
		i, ok := at[st.v]
		if !ok {
			i = len(needs)
			at[st.v] = i
			needs = append(needs, need{v: st.v})
		}
		if st.ch == chR {
			needs[i].r = true
		} else {
			needs[i].w = true
		}
	}
	return segmentResult{visits: visits, needs: needs, soft: soft, via: via}
}

// overloads returns the other tiers of the path that the loss of soft hop h
// pushes to utilization 1 or more (from below 1 before), by address. Only the
// components whose traffic the loss changes (the scenario's own loads) can
// be pushed; onPath marks the path's components.
func (fw *flowWalker) overloads(h *Hop, onPath []bool) []string {
	cp := fw.cp
	s := cp.downScenario[cp.g.index[h.Component]]
	if s == nil {
		return nil
	}
	var out []string
	for addr, l := range s.Load {
		c := cp.d.Component(addr)
		if c == nil || c == h.Component || !onPath[cp.g.index[c]] {
			continue
		}
		if !Stable(l.Utilization) && Stable(cp.r.Nominal.Load[addr].Utilization) {
			out = append(out, addr)
		}
	}
	sort.Strings(out)
	return out
}

// hopClasses tells which classes of traffic a flow of op sends a hop: a
// database's primary hop takes writes and its replicas hop reads; other
// hops take what the flow carries.
func hopClasses(h *Hop, op lang.Op) (r, w bool) {
	switch h.Role {
	case lang.RolePrimary:
		return false, true
	case lang.RoleReplica:
		return true, false
	}
	return op.Matches(lang.OpRead), op.Matches(lang.OpWrite)
}
