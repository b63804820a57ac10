package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
)

// Event kinds.
const (
	evArrival = iota // a client's next request
	evService        // a service ends
	evDelay          // a pure delay ends
	evTimeout        // a try times out
	evBackoff        // a retry's backoff ends
)

type event struct {
	t    float64
	f    int32  // frame, or client for evArrival
	gen  uint32 // the frame's gen (timeouts and backoffs)
	wait uint32 // the frame's waitGen (timeouts and backoffs)
	kind uint8
}

// eventHeap is a 4-ary min-heap on time. Its operations are
// deterministic, so equal times pop in the same order run to run.
type eventHeap struct {
	es []event
}

func (h *eventHeap) push(e event) {
	h.es = append(h.es, e)
	es := h.es
	i := len(es) - 1
	for i > 0 {
		p := (i - 1) / 4
		if es[p].t <= e.t {
			break
		}
		es[i] = es[p]
		i = p
	}
	es[i] = e
}

func (h *eventHeap) pop() event {
	es := h.es
	top := es[0]
	last := len(es) - 1
	x := es[last]
	es = es[:last]
	h.es = es
	if last == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= last {
			break
		}
		m := c
		end := min(c+4, last)
		for j := c + 1; j < end; j++ {
			if es[j].t < es[m].t {
				m = j
			}
		}
		if es[m].t >= x.t {
			break
		}
		es[i] = es[m]
		i = m
	}
	es[i] = x
	return top
}

// fifo is a first-in first-out queue in a ring buffer.
type fifo[T any] struct {
	buf        []T
	head, size int
}

func (q *fifo[T]) push(x T) {
	if q.size == len(q.buf) {
		nb := make([]T, max(16, 2*len(q.buf)))
		for i := range q.size {
			nb[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = x
	q.size++
}

func (q *fifo[T]) pop() T {
	x := q.buf[q.head]
	q.head++
	if q.head == len(q.buf) {
		q.head = 0
	}
	q.size--
	return x
}

// delayLine holds the visits in one component's pure delay: they end in
// the order they began (one delay for all), so a FIFO keeps them sorted
// and only its head competes with the heap.
type delayLine = fifo[event]

// frame is one visit of a request to a component, from its arrival to the
// end of its calls.
type frame struct {
	t0      float64
	st      *station
	comp    int32
	parent  int32 // -1: none (a request's root, an async call, an abandoned try)
	child   int32
	gen     uint32 // bumped when the frame is freed: stale references see it
	pgen    uint32 // the parent's gen when this frame was started
	pwait   uint32 // the parent's waitGen then
	waitGen uint32 // bumped whenever what the frame waits for changes
	cgen    uint32 // the child's gen
	class   int8
	call    int16 // current outcall (-1: none yet)
	pickLB  int16 // a load balancer's chosen call
	left    int32 // visits of the current call still to make
	tries   int32
	need    int32 // a quorum visit: member answers needed
	got     int32
	leaf    bool // a quorum member's job: its service only
	fanout  bool
	root    bool
	failed  bool
	timeout bool // failed because a call ran out of tries
}

// engine runs one replication.
type engine struct {
	m    *model
	rng  *rand.Rand
	now  float64
	heap eventHeap
	// lines are the components' delay lines (by component; nil where the
	// component is not a pure delay); active lists those in use.
	lines  []*delayLine
	active []*delayLine
	frames []frame
	free   []int32
	// stations of every component (for utilization).
	stations []*station
	warm     float64 // measurement starts
	end      float64
	drain    float64 // how long past end the measured requests may take
	// outstanding counts the measured requests not yet done.
	outstanding int
	stats       *repStats
	// requests counts arrivals (for progress; read by another goroutine).
	requests *atomic.Int64
	stopped  string // why the run stopped early ("" when it did not)
}

// maxFrames bounds the requests in flight, and maxQueue the requests
// waiting at one component: past either a queue is growing without bound
// (utilization ≥ 1; a stable queue practically never gets there) and the
// run stops.
const (
	maxFrames = 4_000_000
	maxQueue  = 50_000
)

func (e *engine) unbounded() string {
	for _, c := range e.m.comps {
		q := 0
		for _, st := range c.stations {
			q += st.fifo.size
		}
		if q > maxQueue {
			return fmt.Sprintf("stopped at %.1fs: the queue at %s grows without bound (utilization ≥ 1)", e.now, c.addr)
		}
	}
	if len(e.frames)-len(e.free) > maxFrames {
		return fmt.Sprintf("stopped at %.1fs: %d requests in flight, a queue grows without bound", e.now, maxFrames)
	}
	return ""
}

func newEngine(m *model, seed uint64, rep int, warm, end, drain float64, requests *atomic.Int64) *engine {
	e := &engine{m: m, rng: rand.New(rand.NewPCG(seed, uint64(rep)+0x9e3779b97f4a7c15)),
		warm: warm, end: end, drain: drain, requests: requests}
	e.lines = make([]*delayLine, len(e.m.comps))
	for i, c := range e.m.comps {
		e.stations = append(e.stations, c.stations...)
		if c.delay > 0 {
			e.lines[i] = &delayLine{}
			e.active = append(e.active, e.lines[i])
		}
	}
	e.stats = newRepStats(e.m)
	return e
}

func (e *engine) alloc() int32 {
	if n := len(e.free); n > 0 {
		i := e.free[n-1]
		e.free = e.free[:n-1]
		return i
	}
	e.frames = append(e.frames, frame{})
	return int32(len(e.frames) - 1)
}

func (e *engine) release(i int32) {
	f := &e.frames[i]
	g := f.gen + 1
	*f = frame{gen: g}
	e.free = append(e.free, i)
}

func (e *engine) schedule(dt float64, kind uint8, f int32, wait uint32) {
	gen := uint32(0)
	if kind == evTimeout || kind == evBackoff {
		gen = e.frames[f].gen
	}
	e.heap.push(event{t: e.now + dt, f: f, gen: gen, wait: wait, kind: kind})
}

// run simulates until end, and on until the requests that arrived before
// end are done (at most drain longer), or until stop says so (checked now
// and then). Measurements cover the requests and visits that begin in
// [warm, end] and the stations' busy time in that window.
func (e *engine) run(stop func() bool) {
	for ci := range e.m.clients {
		e.schedule(e.rng.ExpFloat64()/e.m.rps[ci], evArrival, int32(ci), 0)
	}
	warmed, ended := false, false
	for n := 0; ; n++ {
		var line *delayLine
		next := math.Inf(1)
		if len(e.heap.es) > 0 {
			next = e.heap.es[0].t
		}
		for _, l := range e.active {
			if l.size > 0 && l.buf[l.head].t < next {
				line, next = l, l.buf[l.head].t
			}
		}
		if !warmed && next >= e.warm {
			e.startMeasuring()
			warmed = true
		}
		if !ended && next > e.end {
			e.snapshot(e.end)
			ended = true
		}
		if math.IsInf(next, 1) || ended && (e.outstanding == 0 || next > e.end+e.drain) {
			break
		}
		var ev event
		if line != nil {
			ev = line.pop()
		} else {
			ev = e.heap.pop()
		}
		e.now = ev.t
		switch ev.kind {
		case evArrival:
			e.arrival(int(ev.f))
		case evService:
			e.serviceDone(ev.f)
		case evDelay:
			e.afterService(ev.f)
		case evTimeout:
			e.timedOut(ev.f, ev.gen, ev.wait)
		case evBackoff:
			if f := &e.frames[ev.f]; f.gen == ev.gen && f.waitGen == ev.wait {
				e.try(ev.f)
			}
		}
		if n&0xffff == 0 {
			if why := e.unbounded(); why != "" {
				e.stopped = why
				break
			}
			if stop != nil && stop() {
				e.stopped = "interrupted"
				break
			}
		}
	}
	if !warmed {
		e.startMeasuring()
	}
	if !ended {
		e.snapshot(math.Max(e.now, e.warm))
	}
	e.stats.collectStations(e.m)
}

// inWindow reports whether now is in the measured window.
func (e *engine) inWindow() bool { return e.now >= e.warm && e.now <= e.end }

func (e *engine) startMeasuring() {
	t := e.warm
	for _, st := range e.stations {
		st.area, st.last = 0, t
	}
}

// snapshot closes the stations' busy time at t, the window's end.
func (e *engine) snapshot(t float64) {
	for _, st := range e.stations {
		st.area += float64(st.busy) * (t - st.last)
		st.last = t
		st.areaEnd = st.area
	}
	e.stats.window = t - e.warm
}

func (e *engine) arrival(ci int) {
	if e.now > e.end {
		return // past the window only the measured requests finish
	}
	e.requests.Add(1)
	e.schedule(e.rng.ExpFloat64()/e.m.rps[ci], evArrival, int32(ci), 0)
	class := int8(classWrite)
	if e.rng.Float64() < e.m.readFrac[ci] {
		class = classRead
	}
	i := e.alloc()
	f := &e.frames[i]
	f.comp, f.class, f.parent, f.root, f.t0 = int32(e.m.clients[ci]), class, -1, true, e.now
	if e.inWindow() {
		e.outstanding++
	}
	e.start(i)
}

// spawn starts a visit of component to by class on behalf of parent (-1:
// nobody waits for it).
func (e *engine) spawn(to int, class int, parent int32) int32 {
	i := e.alloc()
	f := &e.frames[i]
	f.comp, f.class, f.parent, f.t0 = int32(to), int8(class), parent, e.now
	if parent >= 0 {
		p := &e.frames[parent]
		f.pgen, f.pwait = p.gen, p.waitGen
		p.child, p.cgen = i, f.gen
	}
	if e.inWindow() {
		e.stats.visits[to]++
	}
	return i
}

func (e *engine) start(i int32) {
	f := &e.frames[i]
	c := e.m.comps[f.comp]
	if c.down {
		e.fail(i, false)
		return
	}
	if c.db != nil {
		e.startDB(i, c)
		return
	}
	if c.queued {
		e.enqueue(e.pick(c), i)
		return
	}
	if c.delay > 0 {
		e.lines[f.comp].push(event{t: e.now + c.delay, f: i, kind: evDelay})
		return
	}
	e.afterService(i)
}

func (e *engine) pick(c *comp) *station {
	ss := c.stations
	switch c.pick {
	case pickRR:
		s := ss[c.rr]
		c.rr++
		if c.rr == len(ss) {
			c.rr = 0
		}
		return s
	case pickRandom:
		return ss[e.rng.IntN(len(ss))]
	case pickJSQ:
		best, bestN := 0, -1
		n := len(ss)
		for k := range n {
			j := c.rr + k
			if j >= n {
				j -= n
			}
			if q := ss[j].busy + ss[j].fifo.size; bestN < 0 || q < bestN {
				best, bestN = j, q
			}
		}
		c.rr++
		if c.rr == n {
			c.rr = 0
		}
		return ss[best]
	}
	return ss[0]
}

func (e *engine) startDB(i int32, c *comp) {
	f := &e.frames[i]
	db := c.db
	s := 0
	if len(db.shards) > 1 {
		u := e.rng.Float64() * db.shares[len(db.shares)-1]
		for s < len(db.shares)-1 && u >= db.shares[s] {
			s++
		}
	}
	sh := &db.shards[s]
	if db.quorum {
		live := len(sh.members)
		need, send := db.w, db.w // a leader-based store's write: w members, done at the last
		if db.leaderless {
			send = live // a leaderless write goes to every live member, done at the w-th answer
		}
		if f.class == classRead {
			need, send = db.r, db.r // a read goes to r members, done at the slowest
		}
		if live < need || need <= 0 {
			e.fail(i, false)
			return
		}
		f.fanout, f.need, f.got = true, int32(need), 0
		f.waitGen++
		for k := range send {
			st := sh.members[(sh.rotation+k)%live]
			j := e.alloc()
			g := &e.frames[j]
			f = &e.frames[i] // alloc may move the frames
			g.comp, g.class, g.parent, g.leaf, g.t0 = f.comp, f.class, i, true, e.now
			g.pgen, g.pwait = f.gen, f.waitGen
			if c.queued {
				e.enqueue(st, j)
			} else {
				g.st = st
				e.schedule(c.delay, evDelay, j, 0)
			}
		}
		sh.rotation = (sh.rotation + send) % live
		return
	}
	st := sh.primary
	if f.class == classRead {
		st = sh.reads
	}
	if st == nil {
		e.fail(i, false)
		return
	}
	if !c.queued {
		e.schedule(c.delay, evDelay, i, 0)
		return
	}
	e.enqueue(st, i)
}

func (e *engine) enqueue(st *station, i int32) {
	e.frames[i].st = st
	if st.busy < st.servers {
		st.area += float64(st.busy) * (e.now - st.last)
		st.last = e.now
		st.busy++
		e.schedule(e.rng.ExpFloat64()/st.mu, evService, i, 0)
		return
	}
	st.fifo.push(i)
}

func (e *engine) serviceDone(i int32) {
	f := &e.frames[i]
	st := f.st
	if f.t0 >= e.warm && f.t0 <= e.end {
		e.stats.sojourn[f.comp] += e.now - f.t0
		e.stats.served[f.comp]++
	}
	if st.fifo.size > 0 {
		e.schedule(e.rng.ExpFloat64()/st.mu, evService, st.fifo.pop(), 0)
	} else {
		st.area += float64(st.busy) * (e.now - st.last)
		st.last = e.now
		st.busy--
	}
	e.afterService(i)
}

// afterService: the visit's own work is done; now its calls.
func (e *engine) afterService(i int32) {
	f := &e.frames[i]
	if f.leaf {
		e.finish(i)
		return
	}
	c := e.m.comps[f.comp]
	if f.class == classRead && c.hit > 0 && e.rng.Float64() < c.hit {
		e.finish(i)
		return
	}
	if len(c.consumers) > 0 {
		if c.p2p {
			to := c.consumers[c.rr%len(c.consumers)]
			c.rr++
			e.start(e.spawn(to, classMessage, -1))
		} else {
			for _, to := range c.consumers {
				e.start(e.spawn(to, classMessage, -1))
			}
		}
		f = &e.frames[i]
	}
	f.call, f.left, f.pickLB = -1, 0, -1
	if c.lb {
		f.pickLB = int16(e.chooseBackend(c, int(f.class)))
	}
	e.next(i)
}

// chooseBackend is a load balancer's choice among its calls of the class:
// by weight for "weighted", in turn for "round_robin", at random otherwise.
func (e *engine) chooseBackend(c *comp, class int) int {
	out := c.out[class]
	switch {
	case len(out) <= 1:
		return 0
	case c.lbAlgo == "weighted":
		total := 0.0
		for _, o := range out {
			total += o.weight
		}
		u := e.rng.Float64() * total
		for k, o := range out {
			if u < o.weight {
				return k
			}
			u -= o.weight
		}
		return len(out) - 1
	case c.lbAlgo == "round_robin":
		k := c.rr % len(out)
		c.rr++
		return k
	}
	return e.rng.IntN(len(out))
}

// next makes the frame's next call (or finishes it).
func (e *engine) next(i int32) {
	for {
		f := &e.frames[i]
		c := e.m.comps[f.comp]
		out := c.out[f.class]
		if f.left > 0 {
			f.left--
			f.tries = 0
			e.try(i)
			return
		}
		f.call++
		if f.pickLB >= 0 && f.call <= f.pickLB {
			f.call = f.pickLB
		} else if f.pickLB >= 0 {
			f.call = int16(len(out))
		}
		if int(f.call) >= len(out) {
			e.finish(i)
			return
		}
		oc := &out[f.call]
		n := oc.whole
		if oc.frac > 0 && e.rng.Float64() < oc.frac {
			n++
		}
		if !oc.sync {
			for range n {
				e.start(e.spawn(oc.to, oc.class, -1))
			}
			continue
		}
		f = &e.frames[i]
		f.left = int32(n)
	}
}

// try sends one try of the current call.
func (e *engine) try(i int32) {
	f := &e.frames[i]
	oc := &e.m.comps[f.comp].out[f.class][f.call]
	f.tries++
	if oc.stat >= 0 && e.inWindow() {
		if f.tries == 1 {
			e.stats.calls[oc.stat]++
		}
		e.stats.tries[oc.stat]++
	}
	f.waitGen++
	if oc.timeout > 0 {
		e.schedule(oc.timeout, evTimeout, i, f.waitGen)
	}
	e.start(e.spawn(oc.to, oc.class, i))
}

func (e *engine) timedOut(i int32, gen, wait uint32) {
	f := &e.frames[i]
	if f.gen != gen || f.waitGen != wait {
		return
	}
	// Abandon the try: it runs on (its load stays), nobody waits for it.
	if ch := &e.frames[f.child]; ch.gen == f.cgen {
		ch.parent = -1
	}
	f.waitGen++
	oc := &e.m.comps[f.comp].out[f.class][f.call]
	if int(f.tries) <= oc.retries {
		if oc.backoff > 0 {
			e.schedule(oc.backoff, evBackoff, i, f.waitGen)
		} else {
			e.try(i)
		}
		return
	}
	if oc.required {
		e.fail(i, true)
		return
	}
	e.next(i)
}

func (e *engine) fail(i int32, timeout bool) {
	f := &e.frames[i]
	f.failed, f.timeout = true, timeout
	e.finish(i)
}

// finish ends a visit: it tells whoever waits for it, or records the
// request.
func (e *engine) finish(i int32) {
	f := &e.frames[i]
	if f.root {
		if f.t0 >= e.warm && f.t0 <= e.end {
			e.stats.request(int(f.comp), int(f.class), e.now-f.t0, f.failed, f.timeout)
			e.outstanding--
		}
		e.release(i)
		return
	}
	p := f.parent
	if p < 0 {
		e.release(i)
		return
	}
	pf := &e.frames[p]
	if pf.gen != f.pgen || pf.waitGen != f.pwait {
		e.release(i)
		return
	}
	failed, timeout := f.failed, f.timeout
	e.release(i)
	pf = &e.frames[p]
	if pf.fanout {
		pf.got++
		if pf.got >= pf.need {
			pf.fanout = false
			pf.waitGen++
			e.afterDB(p)
		}
		return
	}
	pf.waitGen++
	if failed {
		oc := &e.m.comps[pf.comp].out[pf.class][pf.call]
		if oc.required {
			e.fail(p, timeout)
			return
		}
	}
	e.next(p)
}

// afterDB continues a quorum visit once enough members answered.
func (e *engine) afterDB(i int32) {
	f := &e.frames[i]
	f.call, f.left, f.pickLB = -1, 0, -1
	e.next(i)
}
