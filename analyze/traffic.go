package analyze

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/archform/archform/lang"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Traffic propagation. Each component carries three flows of requests per
// second: reads, writes, and messages it consumes from queues (channels chR,
// chW, chM). Clients are the sources. Every relation that carries traffic is
// a link: the rate it delivers is coef × (the sum of some channels of its
// source), capped for queue consumers. Everything is linear except the caps,
// so a design is solved in one pass over its components in topological order,
// and a call cycle (a strongly connected set of components) as a linear
// system x = b + A·x when the spectral radius ρ(A) (the growth per link; the
// loop gain is ρ to the power of the loop's length) is below 1.

// Channels of a component's inflow.
const (
	chR = iota // reads
	chW        // writes
	chM        // messages consumed from queues
	nch
)

type flowVec [nch]float64

// Link kinds.
const (
	linkCall     = iota // a call
	linkOrigin          // a cache's misses (or writes through it) to its origin
	linkConsume         // a queue's messages to a consumer
	linkFallback        // a call's traffic to its fallback, when its target is down
)

type link struct {
	from, to int
	mask     [nch]bool // the source channels summed
	toCh     int
	coef     float64
	// tries multiplies coef for a call with a timeout and retries: the
	// expected tries per call (1 + p + … + p^r) of the retry fixed point
	// (retry.go); 1 otherwise.
	tries float64
	// coefDown replaces coef when the source is down (a cache down sends all
	// its reads to its origin); for other links a down source sends nothing.
	coefDown float64
	cap      float64 // +Inf except for queue consumers
	kind     int
	// target is the component whose being down activates a fallback link.
	target int
	call   *lang.Call
	// path: the link carries a flow's requests (synchronous calls and a
	// cache's origin relation; what queue consumers do, async calls and
	// fallbacks are off the path).
	path bool
}

// graph is the design's traffic graph, built once per Compute.
type graph struct {
	d     *lang.Design
	comps []*lang.Component
	index map[*lang.Component]int
	links []link
	in    [][]int // link indices into each component
	out   [][]int // link indices out of each component
	// fallbacks holds the fallback links that each component's being down
	// activates.
	fallbacks map[int][]int
	// topo is a topological order of the components in which each strongly
	// connected set is contiguous; pos is each component's place in it and
	// scc its strongly connected set's number.
	topo []int
	pos  []int
	scc  []int
	// selfLoop marks sets of one component that call themselves.
	selfLoop []bool
	source   []flowVec
	// dbShards memoizes each database's shards (nil until asked).
	dbShards [][]dbShard
}

// shards returns dbShards of component v for a database with instances (nil
// for any other component), computed once: every scenario distributes the
// database's load over them.
func (g *graph) shards(v int) []dbShard {
	c := g.comps[v]
	if c.Kind != lang.KindDatabase || len(c.Instances) == 0 {
		return nil
	}
	if g.dbShards == nil {
		g.dbShards = make([][]dbShard, len(g.comps))
	}
	if g.dbShards[v] == nil {
		g.dbShards[v] = dbShards(c)
	}
	return g.dbShards[v]
}

func newGraph(d *lang.Design) *graph {
	g := &graph{d: d, comps: d.Components, index: make(map[*lang.Component]int, len(d.Components))}
	for i, c := range d.Components {
		g.index[c] = i
	}
	n := len(g.comps)
	g.source = make([]flowVec, n)
	g.links = make([]link, 0, maxLinks(d))
	for i, c := range g.comps {
		if c.Kind == lang.KindClient && c.RPS > 0 {
			rr := clamp01(c.ReadRatio)
			g.source[i] = flowVec{c.RPS * rr, c.RPS * (1 - rr), 0}
		}
		g.addLinks(i, c)
	}
	// Each component's incoming and outgoing links are slices of two shared
	// arrays (counted first), not n separately grown slices.
	nIn, nOut := make([]int, n), make([]int, n)
	g.fallbacks = map[int][]int{}
	for li := range g.links {
		l := &g.links[li]
		l.path = l.kind == linkOrigin || l.kind == linkCall && l.call.Sync()
		if l.kind == linkFallback {
			g.fallbacks[l.target] = append(g.fallbacks[l.target], li)
		}
		nIn[l.to]++
		nOut[l.from]++
	}
	g.in, g.out = carve(nIn, len(g.links)), carve(nOut, len(g.links))
	for li := range g.links {
		l := &g.links[li]
		g.in[l.to] = append(g.in[l.to], li)
		g.out[l.from] = append(g.out[l.from], li)
	}
	g.order()
	return g
}

// carve returns empty slices with capacities counts, cut from one array of
// total elements.
func carve(counts []int, total int) [][]int {
	all := make([]int, total)
	out := make([][]int, len(counts))
	at := 0
	for v, c := range counts {
		out[v] = all[at : at : at+c]
		at += c
	}
	return out
}

// maxLinks bounds the number of links addLinks makes: per call one per
// class and one for consumed messages, twice with a fallback; two per
// cache origin; one per consume block.
func maxLinks(d *lang.Design) int {
	n := 0
	for _, c := range d.Components {
		for _, call := range c.Calls {
			if call.Fallback != nil {
				n += 6
			} else {
				n += 3
			}
		}
		if c.Kind == lang.KindCache {
			n += 2
		}
		if c.Kind == lang.KindQueue {
			n += len(d.Consumers(c))
		}
	}
	return n
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// passes returns the share of the reads and writes a component receives that
// its calls carry on: a CDN (or a cache with calls) passes on its misses; a
// write is never a hit.
func passes(c *lang.Component) (r, w float64) {
	if c.Kind == lang.KindCDN || c.Kind == lang.KindCache {
		return 1 - clamp01(c.HitRatio), 1
	}
	return 1, 1
}

// writesReachOrigin reports whether writes to a cache reach its origin.
func writesReachOrigin(c *lang.Component) bool {
	return c.Strategy == "write_through" || c.Strategy == "write_back"
}

func (g *graph) addLinks(i int, c *lang.Component) {
	pr, pw := passes(c)
	shares := callShares(c)
	for ci, call := range c.Calls {
		to, ok := g.index[call.To]
		if !ok {
			continue
		}
		fb, hasFB := -1, false
		if call.Fallback != nil {
			fb, hasFB = g.index[call.Fallback]
		}
		add := func(mask [nch]bool, toCh int, coef float64) {
			if coef <= 0 {
				return
			}
			g.links = append(g.links, link{from: i, to: to, mask: mask, toCh: toCh, coef: coef,
				cap: math.Inf(1), kind: linkCall, target: -1, call: call})
			if hasFB {
				g.links = append(g.links, link{from: i, to: fb, mask: mask, toCh: toCh, coef: coef,
					cap: math.Inf(1), kind: linkFallback, target: to, call: call})
			}
		}
		p := call.PerRequest
		if call.Op.Matches(lang.OpRead) {
			add([nch]bool{chR: true}, chR, p*shares[ci][chR]*pr)
		}
		if call.Op.Matches(lang.OpWrite) {
			add([nch]bool{chW: true}, chW, p*shares[ci][chW]*pw)
		}
		// A consumed message is one unit of work: a read call issues reads,
		// a write or read_write call writes.
		if call.Op == lang.OpRead {
			add([nch]bool{chM: true}, chR, p)
		} else {
			add([nch]bool{chM: true}, chW, p)
		}
	}
	if c.Kind == lang.KindCache && c.Origin != nil {
		if o, ok := g.index[c.Origin]; ok {
			g.links = append(g.links, link{from: i, to: o, mask: [nch]bool{chR: true}, toCh: chR,
				coef: 1 - clamp01(c.HitRatio), coefDown: 1, cap: math.Inf(1), kind: linkOrigin, target: -1})
			if writesReachOrigin(c) {
				g.links = append(g.links, link{from: i, to: o, mask: [nch]bool{chW: true, chM: true}, toCh: chW,
					coef: 1, coefDown: 1, cap: math.Inf(1), kind: linkOrigin, target: -1})
			}
		}
	}
	if c.Kind == lang.KindQueue {
		consumers := g.d.Consumers(c)
		share := 1.0
		if c.Pattern == "point_to_point" && len(consumers) > 0 {
			share = 1 / float64(len(consumers))
		}
		for _, cs := range consumers {
			to, ok := g.index[cs.Consumer]
			if !ok {
				continue
			}
			g.links = append(g.links, link{from: i, to: to, mask: [nch]bool{true, true, true}, toCh: chM,
				coef: share, cap: ConsumeCapacity(cs, c), kind: linkConsume, target: -1})
		}
	}
}

// callShares returns, per call of c and per class, the share of c's traffic
// of that class the call carries before per_request: 1 for every call of an
// ordinary component; for a load balancer the traffic of each class is split
// over the backends whose op carries it, by weight for algorithm "weighted"
// and evenly otherwise.
func callShares(c *lang.Component) [][nch]float64 {
	out := make([][nch]float64, len(c.Calls))
	if c.Kind != lang.KindLoadBalancer {
		for i := range out {
			out[i] = flowVec{1, 1, 1}
		}
		return out
	}
	for _, class := range []struct {
		ch int
		op lang.Op
	}{{chR, lang.OpRead}, {chW, lang.OpWrite}} {
		total := 0.0
		weight := func(call *lang.Call) float64 {
			if c.Algorithm == "weighted" {
				return math.Max(call.Weight, 0)
			}
			return 1
		}
		for _, call := range c.Calls {
			if call.Op.Matches(class.op) {
				total += weight(call)
			}
		}
		for i, call := range c.Calls {
			if call.Op.Matches(class.op) && total > 0 {
				out[i][class.ch] = weight(call) / total
			}
		}
	}
	for i := range out {
		out[i][chM] = 1
	}
	return out
}

// ConsumeCapacity is the rate at which one consume block's consumer can
// process a queue's messages: workers per instance × instances, at most
// partitions of them busy at once (when the queue declares partitions), each
// handling rate messages per second. +Inf when rate is not declared.
// 12 workers on 8 partitions at 200 msg/s each process 8 × 200 = 1600 msg/s.
func ConsumeCapacity(cs *lang.Consume, q *lang.Component) float64 {
	if cs.Rate <= 0 {
		return math.Inf(1)
	}
	instances := 1
	if cs.Consumer != nil {
		instances = max(len(cs.Consumer.Instances), cs.Consumer.Replicas, 1)
	}
	workers := max(cs.Workers, 1) * instances
	if q != nil && q.Partitions > 0 {
		workers = min(workers, q.Partitions)
	}
	return float64(workers) * cs.Rate
}

// ConsumerGroups splits the consume blocks of q that declare a rate into
// consumer groups: the blocks of a point_to_point queue compete for its
// messages and form one group (their drains add up); each block of a
// pub_sub queue receives every message and is a group of its own.
func ConsumerGroups(d *lang.Design, q *lang.Component) [][]*lang.Consume {
	var out [][]*lang.Consume
	for _, cs := range d.Consumers(q) {
		if cs.Rate <= 0 || cs.Consumer == nil {
			continue
		}
		if q.Pattern == "point_to_point" && len(out) == 1 {
			out[0] = append(out[0], cs)
			continue
		}
		out = append(out, []*lang.Consume{cs})
	}
	return out
}

// SlowestDrain is the drain of q's slowest consumer group (messages/s, the
// sum of ConsumeCapacity over the group); false when no consume block of q
// declares a rate.
func SlowestDrain(d *lang.Design, q *lang.Component) (float64, bool) {
	gs := ConsumerGroups(d, q)
	if len(gs) == 0 {
		return 0, false
	}
	slowest := math.Inf(1)
	for _, g := range gs {
		t := 0.0
		for _, cs := range g {
			t += ConsumeCapacity(cs, q)
		}
		slowest = math.Min(slowest, t)
	}
	return slowest, true
}

// order computes the strongly connected sets (Tarjan's algorithm, iterative)
// and a topological order of them, stable in source order.
func (g *graph) order() {
	n := len(g.comps)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	g.scc = make([]int, n)
	var stack, sets []int // sets: flattened members, closed by setEnds
	var setEnds []int
	next := 0
	type frame struct{ v, e int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.e < len(g.out[f.v]) {
				w := g.links[g.out[f.v][f.e]].to
				f.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					sets = append(sets, w)
					if w == v {
						break
					}
				}
				setEnds = append(setEnds, len(sets))
			}
		}
	}
	// Tarjan emits sets in reverse topological order.
	g.topo = make([]int, 0, n)
	g.selfLoop = make([]bool, len(setEnds))
	for s := len(setEnds) - 1; s >= 0; s-- {
		start := 0
		if s > 0 {
			start = setEnds[s-1]
		}
		members := append([]int(nil), sets[start:setEnds[s]]...)
		sort.Ints(members)
		id := len(setEnds) - 1 - s
		for _, m := range members {
			g.scc[m] = id
			g.topo = append(g.topo, m)
		}
	}
	g.pos = make([]int, n)
	for p, v := range g.topo {
		g.pos[v] = p
	}
	for _, l := range g.links {
		if l.from == l.to {
			g.selfLoop[g.scc[l.from]] = true
		}
	}
}

// propagation is one evaluation of the graph: the nominal traffic, a
// failure scenario, or one flow's requests.
type propagation struct {
	g    *graph
	x    []flowVec
	down []bool // components with no instance up (nil: none)
	// base holds the values of components outside the evaluated set (nil: zero).
	base []flowVec
	// in marks the evaluated set (nil: every component).
	in []bool
	// keep filters links (nil: every link).
	keep func(*link) bool
	// once counts each call once, without its retries (a flow's calls per
	// request: a retried try's latency is in the call's sojourn).
	once bool
	// cycles receives each strongly connected set solved (nil: not recorded).
	cycles func(members []int, gain float64)
}

func (p *propagation) value(v int) *flowVec {
	if p.in == nil || p.in[v] || p.base == nil {
		return &p.x[v]
	}
	return &p.base[v]
}

func (p *propagation) isDown(v int) bool { return p.down != nil && p.down[v] }

// coef returns the link's coefficient in this evaluation (0: inactive).
func (p *propagation) coef(l *link) float64 {
	if p.keep != nil && !p.keep(l) {
		return 0
	}
	if l.kind == linkFallback && !p.isDown(l.target) {
		return 0
	}
	if p.isDown(l.from) {
		return l.coefDown
	}
	if l.tries > 1 && !p.once {
		return l.coef * l.tries
	}
	return l.coef
}

func (p *propagation) deliver(l *link) float64 {
	c := p.coef(l)
	if c == 0 {
		return 0
	}
	src := p.value(l.from)
	s := 0.0
	for ch := range nch {
		if l.mask[ch] {
			s += src[ch]
		}
	}
	return math.Min(c*s, l.cap)
}

// run evaluates the components in nodes (a subset closed under strongly
// connected sets, in topological order) with sources src.
func (p *propagation) run(nodes []int, src func(v int) flowVec) {
	g := p.g
	for i := 0; i < len(nodes); {
		v := nodes[i]
		j := i + 1
		for j < len(nodes) && g.scc[nodes[j]] == g.scc[v] {
			j++
		}
		if j-i == 1 && !g.selfLoop[g.scc[v]] {
			x := src(v)
			for _, li := range g.in[v] {
				l := &g.links[li]
				x[l.toCh] += p.deliver(l)
			}
			p.x[v] = x
		} else {
			p.solve(nodes[i:j], src)
		}
		i = j
	}
}

// solve evaluates one strongly connected set: x = b + F(x), where b is what
// comes from outside the set and F the links inside it (linear but for the
// caps of queue consumers). Starting from zero, Gauss–Seidel sweeps over the
// set rise monotonically to the least solution, which exists when the loop
// gain is below 1 or the caps bound the loop; without caps it is the linear
// system's solution (I − A)⁻¹·b. When the sweeps do not settle (gain ≥ 1 and
// nothing bounds the loop) the traffic grows without bound: the set keeps
// one sweep from zero, so that the figures stay finite while the cycle is
// reported.
func (p *propagation) solve(members []int, src func(v int) flowVec) {
	g := p.g
	inside := 0
	for _, v := range members {
		inside += len(g.in[v])
	}
	sweep := func() (change float64) {
		for _, v := range members {
			x := src(v)
			for _, li := range g.in[v] {
				l := &g.links[li]
				x[l.toCh] += p.deliver(l)
			}
			for ch := range nch {
				d := math.Abs(x[ch] - p.x[v][ch])
				change = math.Max(change, d/math.Max(1, math.Abs(x[ch])))
			}
			p.x[v] = x
		}
		return change
	}
	for _, v := range members {
		p.x[v] = flowVec{}
	}
	maxSweeps := min(10000, max(100, 5_000_000/max(inside, 1)))
	settled := false
	for range maxSweeps {
		c := sweep()
		if c <= 1e-14 {
			settled = true
			break
		}
		if math.IsInf(c, 0) || math.IsNaN(c) {
			break
		}
	}
	if settled && p.cycles == nil {
		return
	}
	gain := p.spectralRadius(members)
	if !settled && gain >= 1 {
		for _, v := range members {
			p.x[v] = flowVec{}
		}
		sweep()
	}
	if p.cycles != nil {
		p.cycles(members, gain)
	}
}

// spectralRadius is ρ(A) for the links inside the set (caps left out): the
// growth per link of traffic going round. Small sets take the eigenvalues of
// A; large ones the power iteration on (I + A)/2, which converges for any
// nonnegative A (the shift removes periodicity), ρ(A) = 2ρ((I + A)/2) − 1.
func (p *propagation) spectralRadius(members []int) float64 {
	g := p.g
	at := make(map[int]int, len(members))
	for i, v := range members {
		at[v] = i
	}
	type entry struct {
		row, col int
		c        float64
	}
	var es []entry
	for i, v := range members {
		for _, li := range g.in[v] {
			l := &g.links[li]
			j, ok := at[l.from]
			if c := p.coef(l); ok && c != 0 {
				for ch := range nch {
					if l.mask[ch] {
						es = append(es, entry{i*nch + l.toCh, j*nch + ch, c})
					}
				}
			}
		}
	}
	dim := len(members) * nch
	if dim <= 96 {
		A := blas64.General{Rows: dim, Cols: dim, Stride: dim, Data: make([]float64, dim*dim)}
		for _, e := range es {
			A.Data[e.row*dim+e.col] += e.c
		}
		return denseSpectralRadius(A)
	}
	v := make([]float64, dim)
	w := make([]float64, dim)
	for i := range v {
		v[i] = 1
	}
	rho := 0.0
	for range 2000 {
		for i := range w {
			w[i] = 0.5 * v[i]
		}
		for _, e := range es {
			w[e.row] += 0.5 * e.c * v[e.col]
		}
		norm := 0.0
		for _, x := range w {
			norm = math.Max(norm, x)
		}
		if norm == 0 || math.IsInf(norm, 0) {
			break
		}
		for i := range w {
			w[i] /= norm
		}
		v, w = w, v
		next := 2*norm - 1 // v had max 1
		if math.Abs(next-rho) <= 1e-12*math.Max(1, next) {
			rho = next
			break
		}
		rho = next
	}
	return math.Max(rho, 0)
}

// denseSpectralRadius is the largest modulus of the eigenvalues of the
// square matrix A (overwritten). It calls LAPACK's Geev as gonum's
// mat.Eigen.Factorize does, without importing package mat, whose start-up
// (pools for every matrix size) every archform command would pay.
func denseSpectralRadius(A blas64.General) float64 {
	n := A.Rows
	wr, wi := make([]float64, n), make([]float64, n)
	work := []float64{0}
	lapack64.Geev(lapack.LeftEVNone, lapack.RightEVNone, A, wr, wi, blas64.General{}, blas64.General{}, work, -1)
	work = make([]float64, int(work[0]))
	if lapack64.Geev(lapack.LeftEVNone, lapack.RightEVNone, A, wr, wi, blas64.General{}, blas64.General{}, work, len(work)) != 0 {
		return math.Inf(1)
	}
	r := 0.0
	for i := range wr {
		r = math.Max(r, math.Hypot(wr[i], wi[i]))
	}
	return r
}

// cone returns the components whose traffic can change when the components
// in from change (from included), in topological order, marking them in in
// (a scratch slice of len(g.comps) that the caller clears after use).
func (g *graph) cone(from []int, in []bool) []int {
	var nodes []int
	for _, v := range from {
		if !in[v] {
			in[v] = true
			nodes = append(nodes, v)
		}
	}
	for i := 0; i < len(nodes); i++ {
		for _, li := range g.out[nodes[i]] {
			if w := g.links[li].to; !in[w] {
				in[w] = true
				nodes = append(nodes, w)
			}
		}
	}
	slices.SortFunc(nodes, func(a, b int) int { return cmp.Compare(g.pos[a], g.pos[b]) })
	return nodes
}

// cycleCalls returns one elementary cycle of calls through the strongly
// connected set members, starting at its first component in source order,
// and its length in links (a cache's origin relation and a queue's consumers
// are links without a call).
func (g *graph) cycleCalls(members []int) ([]*lang.Call, int) {
	inSet := make(map[int]bool, len(members))
	for _, v := range members {
		inSet[v] = true
	}
	start := members[0]
	// Breadth-first search back to start over call links inside the set.
	prev := map[int]int{} // component -> link index that reached it
	queue := []int{start}
	seen := map[int]bool{start: true}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, li := range g.out[v] {
			l := g.links[li]
			if !inSet[l.to] || l.kind == linkFallback {
				continue
			}
			if l.to == start {
				var calls []*lang.Call
				n := 0
				for cur, cl := v, li; ; {
					n++
					if c := g.links[cl].call; c != nil {
						calls = append(calls, c)
					}
					if cur == start {
						break
					}
					cl = prev[cur]
					cur = g.links[cl].from
				}
				for i, j := 0, len(calls)-1; i < j; i, j = i+1, j-1 {
					calls[i], calls[j] = calls[j], calls[i]
				}
				return calls, n
			}
			if !seen[l.to] {
				seen[l.to] = true
				prev[l.to] = li
				queue = append(queue, l.to)
			}
		}
	}
	return nil, 0
}
