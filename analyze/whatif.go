package analyze

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/archform/archform/internal/didyoumean"
	"github.com/archform/archform/lang"
)

// What-if scenarios: a user's own question ("zone a lost during a 2x
// peak"), as failures and load changes applied to a copy of the design.
// The copy is an ordinary design: Compute, the rules and the simulator read
// it as they read any other, so the scenario's figures follow whatever the
// analysis model is (docs/whatif.md).

// WhatIf is a scenario: failures and load changes, in the order given.
type WhatIf struct {
	Fails  []Fail
	Scales []Scale
}

// Fail is one --fail: a zone, a region, a whole component, or the last
// Count instances of a component.
type Fail struct {
	// Kind is "zone", "region" or "component".
	Kind string
	// Name is the zone's or region's name, or the component's address.
	Name string
	// Count is how many of the component's instances fail (its last ones in
	// instance order); 0 means all of them.
	Count int
	// Spec is the flag's value as given.
	Spec string
}

// Scale is one --scale: a client's traffic, or a flow's, multiplied by
// Factor or grown by Add requests per second.
type Scale struct {
	// Target is the client's address or the flow's name; Flow tells which.
	Target string
	Flow   bool
	// Factor multiplies (1 when the change is an addition); Add is added
	// (rps, may be negative).
	Factor float64
	Add    float64
	Spec   string
}

// Empty reports whether the scenario changes nothing.
func (w *WhatIf) Empty() bool { return w == nil || len(w.Fails) == 0 && len(w.Scales) == 0 }

// Name is the scenario in words: "zone a lost, client.web x2".
func (w *WhatIf) Name() string {
	if w.Empty() {
		return "nominal"
	}
	var parts []string
	for _, f := range w.Fails {
		switch {
		case f.Kind != "component":
			parts = append(parts, f.Kind+" "+f.Name+" lost")
		case f.Count > 0:
			parts = append(parts, fmt.Sprintf("%s loses %d", f.Name, f.Count))
		default:
			parts = append(parts, f.Name+" down")
		}
	}
	for _, s := range w.Scales {
		name := s.Target
		if s.Flow {
			name = "flow." + s.Target
		}
		if s.Add != 0 {
			parts = append(parts, fmt.Sprintf("%s %+g rps", name, s.Add))
		} else {
			parts = append(parts, fmt.Sprintf("%s x%g", name, s.Factor))
		}
	}
	return strings.Join(parts, ", ")
}

// ScenarioError is bad scenario input: every problem found, one a line.
type ScenarioError struct{ Problems []string }

func (e *ScenarioError) Error() string { return strings.Join(e.Problems, "\n") }

// ParseWhatIf reads --fail and --scale values against the design. Every
// problem is reported (with a did-you-mean where a name is close to a real
// one) in one ScenarioError.
//
//	--fail zone:a | region:eu | cache.sessions | service.api=3
//	--scale client.web=2x | client.web=+5000rps | flow.browse=1.5x | flow.browse=-200rps
func ParseWhatIf(d *lang.Design, fails, scales []string) (*WhatIf, error) {
	w := &WhatIf{}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var zones, regions, addrs, flows []string
	for _, z := range d.Zones {
		zones = append(zones, z.Name)
	}
	for _, r := range d.Regions {
		regions = append(regions, r.Name)
	}
	for _, c := range d.Components {
		addrs = append(addrs, c.Addr)
	}
	for _, f := range d.Flows {
		flows = append(flows, f.Name)
	}
	for _, spec := range fails {
		kind, name, isPlace := strings.Cut(spec, ":")
		if isPlace {
			switch kind {
			case "zone":
				if !slices.Contains(zones, name) {
					bad("--fail %s: no zone %q in the design%s", spec, name, suggest(name, zones, "zones"))
					continue
				}
			case "region":
				if !slices.Contains(regions, name) {
					bad("--fail %s: no region %q in the design%s", spec, name, suggest(name, regions, "regions"))
					continue
				}
			default:
				bad("--fail %s: want zone:NAME, region:NAME, KIND.NAME or KIND.NAME=COUNT%s", spec, suggest(kind, []string{"zone", "region"}, ""))
				continue
			}
			w.Fails = append(w.Fails, Fail{Kind: kind, Name: name, Spec: spec})
			continue
		}
		addr, count, hasCount := strings.Cut(spec, "=")
		c := d.Component(addr)
		if c == nil {
			bad("--fail %s: no component %q in the design%s", spec, addr, suggest(addr, addrs, "components"))
			continue
		}
		f := Fail{Kind: "component", Name: addr, Spec: spec}
		if hasCount {
			n, err := strconv.Atoi(count)
			switch {
			case err != nil || n < 1:
				bad("--fail %s: the count of instances to fail must be a whole number of at least 1, not %q", spec, count)
				continue
			case n > len(c.Instances):
				bad("--fail %s: %s has %d instances, so %d cannot fail", spec, addr, len(c.Instances), n)
				continue
			}
			if n < len(c.Instances) {
				f.Count = n
			}
		}
		w.Fails = append(w.Fails, f)
	}
	for _, spec := range scales {
		target, amount, ok := strings.Cut(spec, "=")
		if !ok || amount == "" {
			bad("--scale %s: want TARGET=FACTORx or TARGET=+RPSrps (client.web=2x, flow.browse=+5000rps)", spec)
			continue
		}
		s := Scale{Factor: 1, Spec: spec}
		switch {
		case strings.HasPrefix(target, "flow."):
			s.Flow, s.Target = true, strings.TrimPrefix(target, "flow.")
			f := d.Flow(s.Target)
			if f == nil {
				bad("--scale %s: no flow %q in the design%s", spec, s.Target, suggest(s.Target, flows, "flows"))
				continue
			}
			if f.Entry == nil || f.Entry.Kind != lang.KindClient {
				bad("--scale %s: flow %s enters at %s, not at a client: scale the client that sends its traffic", spec, f.Name, entryAddr(f))
				continue
			}
		default:
			s.Target = target
			c := d.Component(target)
			var clients []string
			for _, c := range d.Components {
				if c.Kind == lang.KindClient {
					clients = append(clients, c.Addr)
				}
			}
			for _, f := range flows {
				clients = append(clients, "flow."+f)
			}
			if c == nil || c.Kind != lang.KindClient {
				what := "no client"
				if c != nil {
					what = "not a client:"
				}
				bad("--scale %s: %s %q (traffic starts at clients; scale a client or a flow)%s", spec, what, target, suggest(target, clients, "clients and flows"))
				continue
			}
		}
		switch {
		case strings.HasSuffix(amount, "rps") && (amount[0] == '+' || amount[0] == '-'):
			v, err := strconv.ParseFloat(strings.TrimSuffix(amount, "rps"), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				bad("--scale %s: %q is not a number of requests per second (want +5000rps or -200rps)", spec, amount)
				continue
			}
			s.Add = v
		case strings.HasSuffix(amount, "x"):
			v, err := strconv.ParseFloat(strings.TrimSuffix(amount, "x"), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad("--scale %s: %q is not a factor of 0 or more (want 2x, 1.5x or 0.5x)", spec, amount)
				continue
			}
			s.Factor = v
		default:
			bad("--scale %s: %q is neither a factor (2x) nor a change in rate (+5000rps, -200rps)", spec, amount)
			continue
		}
		w.Scales = append(w.Scales, s)
	}
	if len(problems) > 0 {
		return nil, &ScenarioError{Problems: problems}
	}
	return w, nil
}

// ParseScenario reads a scenario written as one comma-separated list of
// --fail and --scale values ("zone:a,client.web=2x", as render's
// --scenario takes it): an item whose amount ends in "x" or "rps" scales,
// any other fails.
func ParseScenario(d *lang.Design, spec string) (*WhatIf, error) {
	var fails, scales []string
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if _, amount, ok := strings.Cut(item, "="); ok && (strings.HasSuffix(amount, "x") || strings.HasSuffix(amount, "rps")) {
			scales = append(scales, item)
		} else {
			fails = append(fails, item)
		}
	}
	return ParseWhatIf(d, fails, scales)
}

func entryAddr(f *lang.Flow) string {
	if f.Entry == nil {
		return "nothing"
	}
	return f.Entry.Addr
}

// suggest is " (did you mean "x"?)", or the list of what there is when it
// is short, or "".
func suggest(given string, candidates []string, what string) string {
	best := didyoumean.Nearest(given, candidates)
	switch {
	case best != "":
		return fmt.Sprintf("; did you mean %q?", best)
	case what != "" && len(candidates) == 0:
		return "; it has no " + what
	case what != "" && len(candidates) <= 12:
		return fmt.Sprintf("; its %s: %s", what, strings.Join(candidates, ", "))
	}
	return ""
}

// Applied is a design under a scenario.
type Applied struct {
	// Design is a copy of the design with the scenario applied: lost
	// instances removed, scaled clients' rates changed, calls to a cache
	// that is down sent to its origin, calls to a component that is down
	// sent to their fallback. It shares nothing mutable with the original.
	Design *lang.Design
	// Down lists, by address, the components with no instance left whose
	// traffic nothing takes over: they keep their place in Design with no
	// calls (they pass nothing on) and every flow that needs them fails.
	Down map[string]bool
	// Rerouted lists the components down whose callers were sent elsewhere
	// (a cache's origin, a call's fallback), with where.
	Rerouted map[string]string
	// Lost counts each component's lost instances.
	Lost map[string]int
	// NoWriter lists databases that lost a shard's primary with no
	// automatic failover: their writes fail.
	NoWriter map[string]bool
	// Quorum lists quorum stores left with too few members, by operation:
	// "read", "write" or "read_write" (neither quorum is reachable).
	Quorum map[string]lang.Op
}

// Apply returns a copy of d under the scenario.
func (w *WhatIf) Apply(d *lang.Design) *Applied {
	cd := cloneDesign(d)
	a := &Applied{Design: cd, Down: map[string]bool{}, Rerouted: map[string]string{}, Lost: map[string]int{},
		NoWriter: map[string]bool{}, Quorum: map[string]lang.Op{}}
	if w == nil {
		return a
	}
	zoneRegion := map[string]string{}
	for _, z := range d.Zones {
		if z.Region != nil {
			zoneRegion[z.Name] = z.Region.Name
		}
	}
	lost := map[*lang.Instance]bool{}
	for _, f := range w.Fails {
		for _, c := range cd.Components {
			switch f.Kind {
			case "zone":
				for _, in := range c.Instances {
					if in.Zone == f.Name {
						lost[in] = true
					}
				}
			case "region":
				for _, in := range c.Instances {
					if in.Region == f.Name || in.Region == "" && zoneRegion[in.Zone] == f.Name {
						lost[in] = true
					}
				}
			case "component":
				if c.Addr != f.Name {
					continue
				}
				n := len(c.Instances)
				if f.Count > 0 {
					n = f.Count
				}
				for _, in := range c.Instances[len(c.Instances)-n:] {
					lost[in] = true
				}
				if len(c.Instances) == 0 { // an unplaced component taken down as a whole
					a.Down[c.Addr] = true
				}
			}
		}
	}
	for _, c := range cd.Components {
		if len(c.Instances) == 0 {
			continue
		}
		live := c.Instances[:0:0]
		for _, in := range c.Instances {
			if !lost[in] {
				live = append(live, in)
			}
		}
		if n := len(c.Instances) - len(live); n > 0 {
			a.Lost[c.Addr] = n
		}
		if len(live) == 0 {
			a.Down[c.Addr] = true
			c.Instances = nil
			continue
		}
		for i, in := range live {
			in.Index = i // the rules index Instances by it
		}
		c.Instances = live
		if c.Kind != lang.KindDatabase {
			c.Replicas = len(live)
		}
		if c.Kind == lang.KindDatabase {
			a.databaseLosses(c)
		}
	}
	a.reroute(cd)
	for _, s := range w.Scales {
		scaleTraffic(cd, s)
	}
	cd.Index()
	return a
}

// databaseLosses promotes a surviving replica where a shard lost its primary
// and failover is automatic, and records the operations that have no
// instances left to serve them.
func (a *Applied) databaseLosses(c *lang.Component) {
	type shard struct {
		primary  bool
		replicas []*lang.Instance
		members  int
	}
	shards := map[int]*shard{}
	var order []int
	for _, in := range c.Instances {
		sh := shards[in.Shard]
		if sh == nil {
			sh = &shard{}
			shards[in.Shard] = sh
			order = append(order, in.Shard)
		}
		switch in.Role {
		case lang.RolePrimary:
			sh.primary = true
		case lang.RoleReplica:
			sh.replicas = append(sh.replicas, in)
		case lang.RoleMember:
			sh.members++
		}
	}
	// Shards with no instance left at all.
	declared := max(c.Shards, 1)
	if len(order) < declared {
		a.NoWriter[c.Addr] = true
		a.Quorum[c.Addr] = lang.OpReadWrite
	}
	for _, s := range order {
		sh := shards[s]
		if c.Replication.Mode == "quorum" && c.Quorum != nil {
			q := quorumOf(c, c.Quorum.N)
			readOK, writeOK := sh.members >= q.R, sh.members >= q.W
			switch {
			case !readOK && !writeOK:
				a.Quorum[c.Addr] = lang.OpReadWrite
			case !readOK:
				a.Quorum[c.Addr] = mergeOp(a.Quorum[c.Addr], lang.OpRead)
			case !writeOK:
				a.Quorum[c.Addr] = mergeOp(a.Quorum[c.Addr], lang.OpWrite)
			}
			continue
		}
		if sh.primary || len(sh.replicas) == 0 {
			continue
		}
		if c.Replication.Failover == "automatic" {
			sh.replicas[0].Role = lang.RolePrimary
			continue
		}
		a.NoWriter[c.Addr] = true
	}
}

func mergeOp(have, add lang.Op) lang.Op {
	if have == "" || have == add {
		return add
	}
	return lang.OpReadWrite
}

// reroute sends the calls to a component that is down where the analysis
// sends them: a cache's reads (and, written through, its writes) to its
// origin; a call with a fallback to the fallback. What nothing takes over
// stays down: it keeps its place with no calls, so that it passes nothing on.
func (a *Applied) reroute(d *lang.Design) {
	for _, c := range d.Components {
		if !a.Down[c.Addr] {
			continue
		}
		c.Calls, c.Consumes = nil, nil
	}
	for _, c := range d.Components {
		var calls []*lang.Call
		for _, call := range c.Calls {
			to := call.To
			switch {
			case to == nil || !a.Down[to.Addr]:
			case call.Fallback != nil && !a.Down[call.Fallback.Addr]:
				a.Rerouted[to.Addr] = call.Fallback.Addr
				call.To, call.Fallback = call.Fallback, nil
			case to.Kind == lang.KindCache && to.Origin != nil && !a.Down[to.Origin.Addr]:
				op := call.Op
				if !writesReachOrigin(to) {
					if op == lang.OpWrite {
						continue // a write to a cache aside of its origin goes nowhere
					}
					op = lang.OpRead
				}
				a.Rerouted[to.Addr] = to.Origin.Addr
				// Every read goes to the origin now: a soft call to the
				// cache is a required call to its origin (as in the
				// analysis's cache-down scenario).
				call.To, call.Op, call.Required = to.Origin, op, true
			}
			call.Index = len(calls)
			calls = append(calls, call)
		}
		c.Calls = calls
	}
	for addr := range a.Rerouted {
		delete(a.Down, addr)
		a.Rerouted[addr] = "→ " + a.Rerouted[addr]
	}
}

// scaleTraffic applies one --scale to the copy: a client's rate (and the
// flows it enters that follow it), or one flow's traffic added at its
// entry client in the flow's class.
func scaleTraffic(d *lang.Design, s Scale) {
	var client *lang.Component
	addRead, addWrite := 0.0, 0.0
	if s.Flow {
		f := flowNamed(d, s.Target)
		client = f.Entry
		// The flow's traffic: its rps as written, or else its class's
		// share of its entry client's.
		r, w := f.OpRPS()
		traffic := r + w
		extra := s.Add
		if s.Add == 0 {
			extra = (s.Factor - 1) * traffic
		}
		switch f.Op {
		case lang.OpRead:
			addRead = extra
		case lang.OpWrite:
			addWrite = extra
		default:
			rr := clamp01(client.ReadRatio)
			addRead, addWrite = extra*rr, extra*(1-rr)
		}
		if f.Ranges.Has("rps") {
			f.RPS = math.Max(0, f.RPS+extra)
		}
	} else {
		client = d.Component(s.Target)
		reads := client.RPS * clamp01(client.ReadRatio)
		if s.Add != 0 {
			addRead, addWrite = s.Add*clamp01(client.ReadRatio), s.Add*(1-clamp01(client.ReadRatio))
		} else {
			addRead, addWrite = (s.Factor-1)*reads, (s.Factor-1)*(client.RPS-reads)
		}
	}
	old := client.RPS
	reads := math.Max(0, client.RPS*clamp01(client.ReadRatio)+addRead)
	writes := math.Max(0, client.RPS*(1-clamp01(client.ReadRatio))+addWrite)
	client.RPS = reads + writes
	if client.RPS > 0 {
		client.ReadRatio = reads / client.RPS
	}
	// The flows it enters: those whose rps is the client's follow it; a
	// written rps grows with the client's (not again for the flow scaled).
	for _, f := range d.Flows {
		switch {
		case f.Entry != client:
		case !f.Ranges.Has("rps"):
			f.RPS = client.RPS
		case !s.Flow && old > 0:
			f.RPS *= client.RPS / old
		}
	}
}

func flowNamed(d *lang.Design, name string) *lang.Flow {
	for _, f := range d.Flows {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// cloneDesign copies d deeply enough that a scenario may change its
// components, calls, instances and flows: everything it points at is
// copied and re-pointed. Files, regions and zones are shared (read-only).
func cloneDesign(d *lang.Design) *lang.Design {
	cd := *d
	m := make(map[*lang.Component]*lang.Component, len(d.Components))
	cd.Components = make([]*lang.Component, len(d.Components))
	for i, c := range d.Components {
		cc := *c
		cd.Components[i] = &cc
		m[c] = &cc
	}
	re := func(c *lang.Component) *lang.Component {
		if c == nil {
			return nil
		}
		if cc, ok := m[c]; ok {
			return cc
		}
		return c
	}
	for _, cc := range cd.Components {
		cc.Origin, cc.DeadLetter = re(cc.Origin), re(cc.DeadLetter)
		calls := make([]*lang.Call, len(cc.Calls))
		for i, call := range cc.Calls {
			k := *call
			k.From, k.To, k.Fallback = re(k.From), re(k.To), re(k.Fallback)
			calls[i] = &k
		}
		cc.Calls = calls
		consumes := make([]*lang.Consume, len(cc.Consumes))
		for i, cs := range cc.Consumes {
			k := *cs
			k.Consumer, k.Queue = re(k.Consumer), re(k.Queue)
			consumes[i] = &k
		}
		cc.Consumes = consumes
		insts := make([]*lang.Instance, len(cc.Instances))
		buf := make([]lang.Instance, len(cc.Instances))
		for i, in := range cc.Instances {
			buf[i] = *in
			buf[i].Component = cc
			insts[i] = &buf[i]
		}
		cc.Instances = insts
		if cc.Quorum != nil {
			q := *cc.Quorum
			cc.Quorum = &q
		}
	}
	cd.Flows = make([]*lang.Flow, len(d.Flows))
	for i, f := range d.Flows {
		ff := *f
		ff.Entry, ff.Through = re(ff.Entry), re(ff.Through)
		cd.Flows[i] = &ff
	}
	cd.Index()
	return &cd
}
