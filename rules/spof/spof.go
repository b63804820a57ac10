// Package spof is the rule that finds single points of failure: basic events
// (an instance, a zone, a region, a database primary without automatic
// failover) whose loss alone brings a flow down.
package spof

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
	"github.com/hashicorp/hcl/v2"
)

//go:embed doc.md
var doc string

// Analyzer is the spof rule.
var Analyzer = &analyze.Analyzer{
	ID:       "spof",
	Summary:  "an instance, zone, region or database primary whose loss alone brings a flow down",
	Problem:  analyze.Noun{One: "single point of failure", Many: "single points of failure"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// eventKind is the kind of a basic event.
type eventKind int

const (
	instanceEvent eventKind = iota
	zoneEvent
	regionEvent
)

// event is a basic event of the design's fault trees.
type event struct {
	kind     eventKind
	instance *lang.Instance
	zone     *lang.Zone
	region   *lang.Region
}

// group is the instances of one tier a flow needs at least k of.
type group struct {
	component *lang.Component
	role      lang.Role // the role the flow uses ("" for every instance)
	shard     int
	instances []*lang.Instance
	k         int
	why       string // how k follows: " = ⌈10000 rps / 1000 rps⌉", " (write quorum w = 2)"
	node      *Node
}

// label names the group in a message: "service.api", "database.orders
// primary", "database.orders primary (shard 2)"; with anyShard, a group of
// each shard alike: "database.orders primary (any of its 4 shards)".
func (g *group) label(anyShard bool) string {
	label := g.component.Addr
	switch g.role {
	case lang.RolePrimary:
		label += " primary"
	case lang.RoleReplica:
		label += " replicas"
	}
	switch {
	case g.component.Shards > 1 && anyShard:
		label += fmt.Sprintf(" (any of its %d shards)", g.component.Shards)
	case g.component.Shards > 1:
		label += fmt.Sprintf(" (shard %d)", g.shard+1)
	}
	return label
}

// tier is one tier a flow needs: it fails when any of its groups (one per
// shard) fails. A capacity tier is a soft dependency the flow needs only
// because its loss overloads another tier (overloaded, with the formula).
type tier struct {
	hop    *analyze.Hop
	groups []*group
	node   *Node
	// fallback is the component the flow falls back to when the tier is
	// down (the tier then fails only when both do); nil without one.
	fallback *lang.Component

	overloaded *lang.Component
	overload   string  // "database.orders replicas at utilization = ... > 1"
	overUtil   float64 // the overloaded tier's utilization without the soft one
	softCall   *lang.Call
}

// builder turns a design and its results into fault trees, one per flow,
// over one shared set of basic events.
type builder struct {
	d       *lang.Design
	r       *analyze.Results
	regions bool // the design has more than one region: region outages count

	events   []event
	instNode map[*lang.Instance]*Node
	zoneEv   map[string]int
	regionEv map[string]int

	tiers  map[tierKey]*tier            // hard tiers, shared by the flows that need them
	points map[*Node][]int              // SinglePoints memo
	said   map[saidKey]said             // consequence memo: a tier shared by flows fails alike
	down1  map[string]*analyze.Scenario // one component down, by address
}

type saidKey struct {
	t        *tier
	e        int
	anyShard bool
}

type said struct {
	text string
	g    *group
	up   int
	ok   bool
}

// tierKey identifies a tier: the same component, role, traffic class and
// fallback make the same fault tree.
type tierKey struct {
	c        *lang.Component
	role     lang.Role
	op       lang.Op
	fallback *lang.Component
}

func newBuilder(d *lang.Design, r *analyze.Results) *builder {
	instances := 0
	for _, c := range d.Components {
		instances += len(c.Instances)
	}
	return &builder{
		d:        d,
		r:        r,
		regions:  len(d.Regions) > 1,
		instNode: make(map[*lang.Instance]*Node, instances),
		zoneEv:   map[string]int{},
		regionEv: map[string]int{},
		tiers:    map[tierKey]*tier{},
		points:   map[*Node][]int{},
		said:     map[saidKey]said{},
	}
}

// instance returns the node that fails when the instance is down: its own
// loss, its zone's, or (in a multi-region design) its region's.
func (b *builder) instance(in *lang.Instance) *Node {
	if n, ok := b.instNode[in]; ok {
		return n
	}
	causes := []*Node{Event(len(b.events))}
	b.events = append(b.events, event{kind: instanceEvent, instance: in})
	if in.Zone != "" {
		e, ok := b.zoneEv[in.Zone]
		if !ok {
			e = len(b.events)
			b.zoneEv[in.Zone] = e
			z := b.d.Zone(in.Zone)
			if z == nil { // not declared in a region (the decoder reports it)
				z = &lang.Zone{Name: in.Zone}
			}
			b.events = append(b.events, event{kind: zoneEvent, zone: z})
		}
		causes = append(causes, Event(e))
	}
	if b.regions && in.Region != "" {
		e, ok := b.regionEv[in.Region]
		if !ok {
			e = len(b.events)
			b.regionEv[in.Region] = e
			reg := &lang.Region{Name: in.Region}
			for _, r := range b.d.Regions {
				if r.Name == in.Region {
					reg = r
				}
			}
			b.events = append(b.events, event{kind: regionEvent, region: reg})
		}
		causes = append(causes, Event(e))
	}
	n := AnyOf(causes...)
	b.instNode[in] = n
	return n
}

// down reports whether an instance is lost when only event e happens.
func (b *builder) down(in *lang.Instance, e int) bool {
	return b.instance(in).Fails(func(x int) bool { return x == e })
}

// nominalLoad is the load the instances carry with everything up.
func (b *builder) nominalLoad(c *lang.Component, ins []*lang.Instance) float64 {
	l := b.r.Nominal.Load[c.Addr]
	if l == nil {
		return 0
	}
	if len(l.Instances) == len(c.Instances) {
		sum := 0.0
		for _, in := range ins {
			sum += math.Max(0, l.Instances[in.Index])
		}
		return sum
	}
	if len(c.Instances) == 0 {
		return 0
	}
	return l.Total() * float64(len(ins)) / float64(len(c.Instances))
}

// tierGroups splits the instances of c a flow uses into groups, one per
// shard, each with the k it needs. Groups that cannot be up even with every
// instance up (k > n: a capacity error, which the capacity rule reports)
// are left out.
func (b *builder) tierGroups(c *lang.Component, role lang.Role, op lang.Op) []*group {
	var use func(in *lang.Instance) bool
	switch {
	case role == lang.RolePrimary && c.Replication.Failover == "automatic":
		role = "" // any member of the shard can be promoted
		use = func(*lang.Instance) bool { return true }
	case role == lang.RolePrimary || role == lang.RoleReplica:
		use = func(in *lang.Instance) bool { return in.Role == role }
	default:
		use = func(*lang.Instance) bool { return true }
	}
	byShard := map[int]*group{}
	var groups []*group
	for _, in := range c.Instances {
		if !use(in) {
			continue
		}
		g := byShard[in.Shard]
		if g == nil {
			g = &group{component: c, role: role, shard: in.Shard}
			byShard[in.Shard] = g
			groups = append(groups, g)
		}
		g.instances = append(g.instances, in)
	}
	var out []*group
	for _, g := range groups {
		g.k = 1
		if c.CapacityRPS > 0 {
			load := b.nominalLoad(c, g.instances)
			if k := analyze.KStable(load, c.CapacityRPS); k > 1 {
				g.k = k
				g.why = fmt.Sprintf(" = ⌊%s / %s⌋ + 1", formula.Rate(load), formula.Rate(c.CapacityRPS))
			}
		}
		if q := c.Quorum; q != nil {
			size, name := q.W, "write quorum w"
			switch {
			case op == lang.OpRead:
				size, name = q.R, "read quorum r"
			case op == lang.OpReadWrite && q.R > q.W:
				size, name = q.R, "read quorum r"
			}
			if size > g.k {
				g.k = size
				g.why = fmt.Sprintf(" (%s = %d of %d)", name, size, q.N)
			}
		}
		if g.k > len(g.instances) {
			continue
		}
		children := make([]*Node, len(g.instances))
		for i, in := range g.instances {
			children[i] = b.instance(in)
		}
		g.node = KOf(len(g.instances)-g.k+1, children...)
		out = append(out, g)
	}
	return out
}

// newTier builds the tier of hop h for a flow following op, or nil when the
// tier has nothing that can fail.
func (b *builder) newTier(h *analyze.Hop, op lang.Op) *tier {
	key := tierKey{c: h.Component, role: h.Role, op: op}
	if h.Via != nil {
		key.fallback = h.Via.Fallback
	}
	if t, ok := b.tiers[key]; ok {
		return t
	}
	t := &tier{hop: h, groups: b.tierGroups(h.Component, h.Role, op)}
	if len(t.groups) == 0 {
		b.tiers[key] = nil
		return nil
	}
	b.tiers[key] = t
	nodes := make([]*Node, len(t.groups))
	for i, g := range t.groups {
		nodes[i] = g.node
	}
	t.node = AnyOf(nodes...)
	if fb := h.Via; fb != nil && fb.Fallback != nil && b.carries(h.Component, fb.Fallback) {
		// The flow carries on through the fallback while it is up.
		if ft := b.newTier(&analyze.Hop{Component: fb.Fallback}, op); ft != nil {
			t.node = AllOf(t.node, ft.node)
			t.fallback = fb.Fallback
		}
	}
	return t
}

// downScenario returns the failure scenario in which component c is down (a
// cache, or a component that a call names a fallback for), or nil.
func (b *builder) downScenario(c *lang.Component) *analyze.Scenario {
	if b.down1 == nil {
		b.down1 = map[string]*analyze.Scenario{}
		for _, s := range b.r.Failures {
			if s.Kind == "cache" || s.Kind == "component" {
				b.down1[s.Lost] = s
			}
		}
	}
	return b.down1[c.Addr]
}

// carries reports whether fallback carries its load with c down (as far as
// the failure scenarios say: without one, it is taken to).
func (b *builder) carries(c, fallback *lang.Component) bool {
	s := b.downScenario(c)
	return s == nil || fallback.CapacityRPS <= 0 || analyze.Stable(s.LoadOf(fallback.Addr).Utilization)
}

// overload says what the loss of soft hop h does to the tiers it overloads
// (h.Overloads): "database.orders replicas at utilization = 9000 rps / (2 ×
// 2000 rps) = 2.25 ≥ 1". It returns the first overloaded component, nil when
// there is none.
func (b *builder) overload(h *analyze.Hop) (*lang.Component, string, float64) {
	if len(h.Overloads) == 0 {
		return nil, "", 0
	}
	s := b.downScenario(h.Component)
	if s == nil {
		return nil, "", 0
	}
	var first *lang.Component
	var util float64
	var parts []string
	for _, addr := range h.Overloads {
		c := b.d.Component(addr)
		if c == nil {
			continue
		}
		u := formula.Utilization(c, s.LoadOf(addr))
		if first == nil {
			first, util = c, u.Value
		}
		parts = append(parts, fmt.Sprintf("%s at %s", u.Label, u.Against("≥", 1)))
	}
	return first, strings.Join(parts, " and "), util
}

// flowTiers compiles a flow into the tiers it needs.
func (b *builder) flowTiers(fr *analyze.FlowResult) []*tier {
	var tiers []*tier
	for _, h := range fr.Hops {
		c := h.Component
		if c.Kind == lang.KindClient {
			continue
		}
		if h.Required && !h.Soft {
			if t := b.newTier(h, fr.Op); t != nil {
				tiers = append(tiers, t)
			}
			continue
		}
		if !h.Soft {
			continue
		}
		over, text, util := b.overload(h)
		if over == nil {
			continue
		}
		if shared := b.newTier(h, fr.Op); shared != nil {
			t := *shared
			t.overloaded, t.overload, t.overUtil, t.softCall = over, text, util, h.Via
			tiers = append(tiers, &t)
		}
	}
	return tiers
}

// consequence says what event e does to tier t: "service.api 8 of 12
// instances; it needs 11 = ⌊10000 rps / 1000 rps⌋ + 1". ok is false when the
// tier survives.
//
// anyShard writes the consequence for the instances of any shard alike (the
// instance events of one component make one finding).
func (b *builder) consequence(t *tier, e int, anyShard bool) (text string, g *group, up int, ok bool) {
	key := saidKey{t, e, anyShard}
	if r, ok := b.said[key]; ok {
		return r.text, r.g, r.up, r.ok
	}
	text, g, up, ok = b.consequenceOf(t, e, anyShard)
	b.said[key] = said{text, g, up, ok}
	return text, g, up, ok
}

func (b *builder) consequenceOf(t *tier, e int, anyShard bool) (text string, g *group, up int, ok bool) {
	for _, g := range t.groups {
		up := 0
		for _, in := range g.instances {
			if !b.down(in, e) {
				up++
			}
		}
		if up >= g.k {
			continue
		}
		why := g.why
		if t.fallback != nil {
			why += fmt.Sprintf(", and its fallback %s is lost too", t.fallback.Addr)
		}
		if t.overload != "" {
			return fmt.Sprintf("%s %d of %d instances, and without it (required = false) the load puts %s",
				g.label(anyShard), up, len(g.instances), t.overload), g, up, true
		}
		return fmt.Sprintf("%s %d of %d instances; it needs %d%s",
			g.label(anyShard), up, len(g.instances), g.k, why), g, up, true
	}
	return "", nil, 0, false
}

// finding accumulates what one basic event (or one component's instances)
// brings down.
type finding struct {
	events     []int
	flows      []string
	flowSeen   map[string]bool
	texts      []string
	textSeen   map[string]bool
	tiers      []map[string]any
	components []*lang.Component
	softCalls  []*lang.Call // the required = false calls of capacity tiers
	// lone is the tier whose one instance both an instance's finding and
	// a zone's or region's are about (see lone), nil when there is none.
	lone *lang.Component
}

func (f *finding) add(b *builder, e int, flow string, t *tier) {
	if !f.flowSeen[flow] {
		f.flowSeen[flow] = true
		f.flows = append(f.flows, flow)
	}
	found := false
	for _, x := range f.events {
		found = found || x == e
	}
	if !found {
		f.events = append(f.events, e)
	}
	text, g, up, ok := b.consequence(t, e, b.events[e].kind == instanceEvent)
	if !ok || f.textSeen[text] {
		return
	}
	f.textSeen[text] = true
	f.texts = append(f.texts, text)
	f.components = append(f.components, t.hop.Component)
	if g != nil {
		tr := map[string]any{
			"component": g.component.Addr,
			"up":        up,
			"instances": len(g.instances),
			"needs":     g.k,
		}
		if g.role != "" {
			tr["role"] = string(g.role)
		}
		if g.component.Shards > 1 {
			tr["shard"] = g.shard
		}
		if t.overloaded != nil {
			if t.softCall != nil {
				f.softCalls = append(f.softCalls, t.softCall)
			}
			tr["overloads"] = t.overloaded.Addr
			tr["overload_utilization"] = t.overUtil
		}
		f.tiers = append(f.tiers, tr)
	}
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	b := newBuilder(pass.Design, r)

	byEvent := map[int]*finding{}
	byComponent := map[*lang.Component]*finding{}
	newFinding := func() *finding {
		return &finding{flowSeen: map[string]bool{}, textSeen: map[string]bool{}}
	}
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		tiers := b.flowTiers(fr)
		if len(tiers) == 0 {
			continue
		}
		// The flow fails when any of its tiers fails: its single points of
		// failure (minimal cut sets of order 1) are its tiers' together.
		for _, t := range tiers {
			for _, e := range SinglePoints(t.node, b.points) {
				var f *finding
				if ev := b.events[e]; ev.kind == instanceEvent {
					c := ev.instance.Component
					if f = byComponent[c]; f == nil {
						f = newFinding()
						byComponent[c] = f
					}
				} else if f = byEvent[e]; f == nil {
					f = newFinding()
					byEvent[e] = f
				}
				f.add(b, e, name, t)
			}
		}
	}

	// A tier whose flows hang on one instance (its only one, or a primary
	// without automatic failover) fails with that instance and with the
	// zone or region it runs in: one cause, which the instance's finding
	// and the zone's or region's share when the tier is all they name.
	for c, f := range byComponent {
		if !lone(f, c) {
			continue
		}
		for _, z := range byEvent {
			if lone(z, c) {
				f.lone, z.lone = c, c
			}
		}
	}

	// Report: components' instances in source order, then zones, then regions.
	for _, c := range pass.Design.Components {
		if f := byComponent[c]; f != nil {
			b.report(pass, f, instanceEvent, c)
		}
	}
	for _, kind := range []eventKind{zoneEvent, regionEvent} {
		for e, ev := range b.events {
			if f := byEvent[e]; f != nil && ev.kind == kind {
				b.report(pass, f, kind, nil)
			}
		}
	}
	return nil
}

// lone reports whether finding f is about the one instance of c that c's
// flows need and nothing else: every tier it leaves short is c's, with 0
// of 1 instances up.
func lone(f *finding, c *lang.Component) bool {
	if len(f.tiers) == 0 || len(f.components) != len(f.tiers) {
		return false
	}
	for i, tr := range f.tiers {
		if f.components[i] != c || tr["up"] != 0 || tr["instances"] != 1 {
			return false
		}
	}
	return true
}

// report turns an accumulated finding into an analyze.Finding.
func (b *builder) report(pass *analyze.Pass, f *finding, kind eventKind, c *lang.Component) {
	if len(f.components) == 0 {
		return // nothing failed that can be named (not expected)
	}
	var what, subject, key string
	var rng hcl.Range
	// A finding's size does not grow with the design: its data and related
	// locations name the first maxData flows and tiers (flows_total and
	// tiers_total count them all; lint's JSON lists every flow's figures in
	// each scenario).
	data := map[string]any{"flows": f.flows[:min(len(f.flows), maxData)], "tiers": f.tiers[:min(len(f.tiers), maxData)]}
	if len(f.flows) > maxData || len(f.tiers) > maxData {
		data["flows_total"], data["tiers_total"] = len(f.flows), len(f.tiers)
	}
	var related []analyze.Related

	switch kind {
	case instanceEvent:
		subject, key = c.Addr, "instance"
		var primary bool
		what, rng, primary = b.instancePhrase(c, f)
		data["event"] = "instance"
		if primary {
			data["event"], key = "primary", "primary"
		}
		data["lost"] = len(f.events)
	case zoneEvent:
		z := b.events[f.events[0]].zone
		subject, key = f.components[0].Addr, "zone "+z.Name
		what = fmt.Sprintf("zone %q", z.Name)
		rng = f.components[0].Range("zones")
		data["event"] = "zone"
		data["zone"] = z.Name
		if z.Range.Filename != "" {
			related = append(related, analyze.Related{Message: fmt.Sprintf("zone %q is declared here", z.Name), Range: z.Range})
		}
	case regionEvent:
		reg := b.events[f.events[0]].region
		subject, key = f.components[0].Addr, "region "+reg.Name
		what = fmt.Sprintf("region %q", reg.Name)
		rng = f.components[0].Range("zones")
		data["event"] = "region"
		data["region"] = reg.Name
		if reg.NameRange.Filename != "" {
			related = append(related, analyze.Related{Message: fmt.Sprintf("region %q is declared here", reg.Name), Range: reg.NameRange})
		}
	}
	// A tier is placed once, however many of its parts (a database's
	// primary and replicas) the event leaves short.
	for i, comp := range f.components[:min(len(f.components), maxData+1)] {
		if i > 0 && kind != instanceEvent && !slices.Contains(f.components[:i], comp) {
			related = append(related, analyze.Related{Message: comp.Addr + " is placed here", Range: comp.Range("zones")})
		}
	}
	for _, call := range f.softCalls[:min(len(f.softCalls), maxData)] {
		related = append(related, analyze.Related{
			Message: fmt.Sprintf("%s calls %s with required = false", call.From.Addr, call.To.Addr),
			Range:   call.Range("required"),
		})
	}
	for _, name := range f.flows[:min(len(f.flows), maxData)] {
		related = append(related, analyze.Related{Message: "flow " + name + " needs it", Range: b.r.Flows[name].DeclRange()})
	}

	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("losing %s leaves %s (flows: %s)", what, consequences(f.texts), formula.Names(f.flows)),
		Detail:  detail(kind, f, c),
		Subject: subject,
		Key:     key,
		Cause:   cause(kind, subject, f),
		Range:   rng,
		Related: related,
		Data:    data,
	})
}

// cause is the root cause a finding shares with other findings (see
// analyze.CauseKinds): a tier's one instance that it and a zone's or
// region's finding are about; a cache whose loss overloads the tier behind it, as
// cache-failure-capacity reports it, whatever event takes the cache down; a
// tier that a zone or region loss leaves short, as zone-failure-capacity
// reports it; none for the other instance events.
func cause(kind eventKind, subject string, f *finding) string {
	if f.lone != nil {
		return analyze.Cause("lone-instance", f.lone.Addr)
	}
	if c := f.components[0]; c.Kind == lang.KindCache && len(f.softCalls) > 0 && len(f.tiers) == len(f.components) {
		only := true
		for i, comp := range f.components {
			_, over := f.tiers[i]["overloads"]
			only = only && comp == c && over
		}
		if only {
			return analyze.Cause("cache-down", c.Addr)
		}
	}
	if kind == zoneEvent || kind == regionEvent {
		return analyze.Cause("zone-loss", subject)
	}
	return ""
}

// maxListed is how many failing tiers a message names; maxData how many
// flows and tiers its data and related locations name.
const (
	maxListed = 3
	maxData   = 10
)

// consequences joins what an event does to each tier, naming the first few.
func consequences(texts []string) string {
	if len(texts) <= maxListed {
		return strings.Join(texts, "; ")
	}
	return fmt.Sprintf("%s; and %d more tiers", strings.Join(texts[:maxListed], "; "), len(texts)-maxListed)
}

// instancePhrase names what is lost when the instances of c are the events,
// and where the finding points.
func (b *builder) instancePhrase(c *lang.Component, f *finding) (what string, rng hcl.Range, primary bool) {
	primaries := true
	for _, e := range f.events {
		primaries = primaries && b.events[e].instance.Role == lang.RolePrimary
	}
	switch {
	case primaries && c.Replication.Replicas > 0:
		rng = c.Range("replication")
		if c.Has("replication.failover") {
			rng = c.Range("replication.failover")
		}
		of := "the primary of " + c.Addr
		if c.Shards > 1 {
			of = fmt.Sprintf("the primary of any of the %d shards of %s", c.Shards, c.Addr)
		}
		return fmt.Sprintf("%s (failover = %q)", of, c.Replication.Failover), rng, true
	}
	rng = c.Range("replicas")
	if c.Kind == lang.KindDatabase {
		rng = c.Range("replication")
		if c.Has("replication.replicas") {
			rng = c.Range("replication.replicas")
		}
	}
	switch {
	case len(c.Instances) == 1 && (c.Kind == lang.KindExternal || c.Kind == lang.KindCDN):
		return c.Addr, rng, false // a provider as a whole
	case len(c.Instances) == 1:
		return "the only instance of " + c.Addr, rng, false
	case len(f.events) == 1:
		in := b.events[f.events[0]].instance
		return fmt.Sprintf("instance %d of %s", in.Index+1, c.Addr), rng, false
	}
	return fmt.Sprintf("any one of %d instances of %s", len(f.events), c.Addr), rng, false
}

// detail explains the fix.
func detail(kind eventKind, f *finding, c *lang.Component) string {
	switch kind {
	case zoneEvent:
		return "Each tier a flow needs must keep the instances it needs after losing any one zone: " +
			"add replicas so that the survivors carry the load, or spread the tier over more zones."
	case regionEvent:
		return "Each tier a flow needs must keep the instances it needs after losing any one region: " +
			"place it in more than one region, with enough replicas in each."
	}
	if c != nil && (c.Kind == lang.KindExternal || c.Kind == lang.KindCDN) {
		return "A provider the design depends on without an alternative: name a fallback on the call " +
			"(call { fallback = ... }) to a second provider, or make the call required = false if the flow can do without it."
	}
	for _, tr := range f.tiers {
		if _, ok := tr["overloads"]; ok {
			return "A soft dependency (required = false) the design cannot do without is still a single point of failure: " +
				"give it replicas in different zones, or give the tier it protects the capacity to carry the load without it."
		}
		if tr["role"] == string(lang.RolePrimary) && c != nil && c.Replication.Replicas == 0 {
			return "Writes need the primary, and " + c.Addr + " has no replica to take over: add replicas in other zones " +
				"(replication.replicas) with replication.failover = \"automatic\", or use a quorum (replication.mode = \"quorum\")."
		}
		if tr["role"] == string(lang.RolePrimary) {
			return "Writes need the primary; without automatic failover no replica takes over: set " +
				"replication.failover = \"automatic\", or use a quorum (replication.mode = \"quorum\")."
		}
	}
	return "Add replicas (in different zones) so that the tier keeps the instances it needs after losing one."
}
