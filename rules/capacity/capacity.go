// Package capacity is the rule that checks each component's nominal
// utilization against its max_utilization, names the design's bottleneck and
// the largest entry rate the design can carry.
package capacity

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

// Analyzer is the capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "capacity",
	Summary:  "utilization above max_utilization (warning) or at or above 1 (error); the bottleneck and the largest entry rate",
	Problem:  analyze.Noun{One: "capacity problem", Many: "capacity problems"},
	Doc:      doc,
	Severity: analyze.Warning,
	Params: []analyze.Param{{
		Name:    "max_utilization",
		Doc:     "utilization above which a component is reported, where neither the component nor system.defaults sets max_utilization",
		Default: lang.DefaultMaxUtilization,
		Min:     0,
		Max:     1,
	}},
	Run: run,
}

// limit is the max_utilization that applies to c, and where it is set (a
// zero range for the rule parameter).
func limit(pass *analyze.Pass, c *lang.Component) (float64, hcl.Range, string) {
	if c.Has("max_utilization") {
		return c.MaxUtilization, c.Range("max_utilization"), c.Addr + " sets max_utilization here"
	}
	if s := pass.Design.System; s != nil && s.Ranges.Has("defaults.max_utilization") {
		return s.Defaults.MaxUtilization, s.Ranges["defaults.max_utilization"], "system.defaults sets max_utilization here"
	}
	return pass.Param("max_utilization"), hcl.Range{}, ""
}

// headroom is a bottleneck and how far the rates of the clients behind it
// can be scaled before it saturates: scale = 1 ÷ the bottleneck's
// utilization, assuming load grows in proportion to the clients' rates.
type headroom struct {
	bottleneck *lang.Component
	util       float64
	scale      float64
	clients    []*lang.Component
	// text says what is carried: "the design carries at most 1.2 × 10000
	// rps = 12000 rps from client.web (bottleneck: service.api)" for the
	// whole design; "its flows (browse_0, order_0) carry at most 1.2 ×
	// their clients' rates (client.c0 1200 rps) (bottleneck:
	// service.s0_2)" for the flows through one tier; "" without a
	// bottleneck or a client.
	text string
}

// maxClients is how many clients a message names; maxData how many a
// finding's data lists (the component and flow sections of lint's JSON
// list them all).
const (
	maxClients = 3
	maxData    = 10
)

// findHeadroom is the design's headroom: its bottleneck among every
// component, and every client.
func findHeadroom(d *lang.Design, nominal *analyze.Scenario) headroom {
	var h headroom
	for _, c := range d.Components {
		if c.Kind == lang.KindClient && c.RPS > 0 {
			h.clients = append(h.clients, c)
		}
		if u := utilization(c, nominal); u > h.util {
			h.bottleneck, h.util = c, u
		}
	}
	return h.describe("the design carries at most %s", "the declared rates")
}

// utilization is c's nominal utilization, 0 without a capacity or a load.
func utilization(c *lang.Component, nominal *analyze.Scenario) float64 {
	l := nominal.Load[c.Addr]
	if c.CapacityRPS <= 0 || l == nil {
		return 0
	}
	return l.Utilization
}

// flowHeadroom is the headroom of the flows through one tier: their
// bottleneck among the tiers on their paths, and their entry clients. It
// speaks of those flows only: a tier elsewhere in the design, which their
// traffic never reaches, is not their bottleneck.
func (m *headrooms) flowHeadroom(flows []*analyze.FlowResult) headroom {
	var h headroom
	seen := map[*lang.Component]bool{}
	var names []string
	for _, fr := range flows {
		names = append(names, fr.Name)
		if e := fr.Entry; e != nil && e.Kind == lang.KindClient && e.RPS > 0 && !seen[e] {
			seen[e] = true
			h.clients = append(h.clients, e)
		}
		// The first most utilized tier of the first flow that has it.
		if p := m.peak(fr); p.util > h.util {
			h.bottleneck, h.util = p.bottleneck, p.util
		}
	}
	return h.describe("its flows ("+formula.Names(names)+") carry at most %s", "their clients' rates")
}

// peak is a flow's first most utilized tier, memoized (a flow runs through
// many tiers).
func (m *headrooms) peak(fr *analyze.FlowResult) headroom {
	p, ok := m.peaks[fr]
	if !ok {
		for _, hop := range fr.Hops {
			if u := utilization(hop.Component, m.nominal); u > p.util {
				p.bottleneck, p.util = hop.Component, u
			}
		}
		m.peaks[fr] = p
	}
	return p
}

// describe completes h's scale and text: format has one %s for the rates,
// which are "the declared rates" (or their name) for several clients.
func (h headroom) describe(format, rates string) headroom {
	if h.bottleneck == nil || math.IsInf(h.util, 0) {
		// An infinite load (rates and fan-outs that overflow) leaves no
		// headroom to describe.
		return headroom{}
	}
	h.scale = 1 / h.util
	switch n := len(h.clients); {
	case n == 0:
		return h
	case n == 1:
		c := h.clients[0]
		want := formula.Rate(h.scale * c.RPS)
		scale := formula.Factor(h.scale, func(x float64) bool { return formula.Rate(x*c.RPS) == want })
		rates = fmt.Sprintf("%s × %s = %s from %s", scale, formula.Rate(c.RPS), want, c.Addr)
	default:
		var parts []string
		for _, c := range h.clients[:min(n, maxClients)] {
			parts = append(parts, fmt.Sprintf("%s %s", c.Addr, formula.Rate(h.scale*c.RPS)))
		}
		if n > maxClients {
			parts = append(parts, fmt.Sprintf("and %d more clients", n-maxClients))
		}
		rates = fmt.Sprintf("%s × %s (%s)", formula.Ratio(h.scale), rates, strings.Join(parts, ", "))
	}
	h.text = fmt.Sprintf(format+" (bottleneck: %s)", rates, h.bottleneck.Addr)
	return h
}

// data is what a finding's data says of the headroom: the bottleneck, the
// scale, and the largest rate of the first maxData clients (max_entry_rps;
// clients counts them all).
func (h headroom) data() map[string]any {
	if h.bottleneck == nil {
		return map[string]any{}
	}
	entry := make(map[string]float64, min(len(h.clients), maxData))
	for _, c := range h.clients[:min(len(h.clients), maxData)] {
		entry[c.Addr] = h.scale * c.RPS
	}
	return map[string]any{"bottleneck": h.bottleneck.Addr, "scale": h.scale, "max_entry_rps": entry, "clients": len(h.clients)}
}

// local is the headroom a finding about c states: the design's when c is
// the design's bottleneck, or when c's flows start at every client and end
// up at the same bottleneck (one design-wide figure); else that of the
// flows through c (none when no flow reaches c).
func local(c *lang.Component, global headroom, through []*analyze.FlowResult, memo *headrooms) headroom {
	if c == global.bottleneck {
		return global
	}
	h := memo.of(through)
	if h.bottleneck == global.bottleneck && len(h.clients) == len(global.clients) {
		return global
	}
	return h
}

// headrooms memoizes flowHeadroom by its list of flows: the tiers of a group
// of components are on the same flows, and describing their headroom was
// most of the rule's time.
type headrooms struct {
	nominal *analyze.Scenario
	// byFirst holds the lists computed, by their first flow.
	byFirst map[*analyze.FlowResult][]flowsHeadroom
	peaks   map[*analyze.FlowResult]headroom
}

type flowsHeadroom struct {
	flows []*analyze.FlowResult
	h     headroom
}

func (m *headrooms) of(flows []*analyze.FlowResult) headroom {
	if len(flows) == 0 {
		return m.flowHeadroom(flows)
	}
	for _, e := range m.byFirst[flows[0]] {
		if slices.Equal(e.flows, flows) {
			return e.h
		}
	}
	h := m.flowHeadroom(flows)
	m.byFirst[flows[0]] = append(m.byFirst[flows[0]], flowsHeadroom{flows, h})
	return h
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	global := findHeadroom(pass.Design, r.Nominal)
	for _, c := range pass.Design.Components {
		queueShape(pass, c)
	}
	// The flows through each tier, in flow order.
	through := map[*lang.Component][]*analyze.FlowResult{}
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		for _, hop := range fr.Hops {
			if fs := through[hop.Component]; len(fs) == 0 || fs[len(fs)-1] != fr {
				through[hop.Component] = append(fs, fr)
			}
		}
	}
	memo := &headrooms{nominal: r.Nominal, byFirst: map[*analyze.FlowResult][]flowsHeadroom{},
		peaks: map[*analyze.FlowResult]headroom{}}
	for _, c := range pass.Design.Components {
		l := r.Nominal.Load[c.Addr]
		if c.CapacityRPS <= 0 || l == nil || l.Total() <= 0 {
			continue
		}
		most, mostRange, mostWhere := limit(pass, c)
		u := formula.Utilization(c, l)
		var sev analyze.Severity
		var cmp string
		switch {
		case !analyze.Stable(u.Value):
			sev, cmp = analyze.Error, u.Against("≥", 1)
		case u.Value > most:
			sev, cmp = analyze.Warning, u.Against(">", most)
		default:
			continue
		}
		msg := cmp
		h := local(c, global, through[c], memo)
		if h.text != "" {
			msg += "; " + h.text
		}
		var related []analyze.Related
		if mostWhere != "" {
			related = append(related, analyze.Related{Message: mostWhere, Range: mostRange})
		}
		if h.bottleneck != nil && h.bottleneck != c {
			related = append(related, analyze.Related{Message: "the bottleneck, " + h.bottleneck.Addr, Range: h.bottleneck.Range("capacity_rps")})
		}
		data := h.data()
		data["load_rps"] = l.Total()
		data["capacity_rps"] = c.CapacityRPS
		data["instances"] = u.Up
		data["utilization"] = u.Value
		data["max_utilization"] = most
		pass.Report(analyze.Finding{
			Severity: sev,
			Message:  msg,
			Detail:   detail(c, u, most),
			Subject:  c.Addr,
			Key:      "utilization",
			Range:    c.Range("capacity_rps"),
			Related:  related,
			Data:     data,
		})
	}
	return nil
}

// detail says how many instances would bring the component under its limit,
// when its instances share the load evenly.
func detail(c *lang.Component, u formula.Util, most float64) string {
	base := fmt.Sprintf("%s takes %s on each of %d instances of %s capacity.", u.Label, formula.Rate(u.Each), u.Up, formula.Rate(c.CapacityRPS))
	if c.Kind == lang.KindDatabase || u.Up == 0 || most <= 0 {
		return base + " Add capacity (replicas, shards or a larger capacity_rps) or shed load."
	}
	needed := math.Ceil(u.Each*float64(u.Up)/(c.CapacityRPS*most) - 1e-9)
	if !(needed <= lang.MaxInstances) { // NaN and +Inf too: a load that overflowed
		return base + fmt.Sprintf(" No number of instances archform models (at most %d) keeps utilization at or under %s: raise capacity_rps, or check the rates and per_request fan-outs that lead here.", lang.MaxInstances, formula.Num(most))
	}
	need := int(needed)
	return base + fmt.Sprintf(" %d instances keep utilization at or under %s (replicas = %d), or raise capacity_rps.", need, formula.Num(most), need)
}

// queueShape reports a component whose latency and capacity_rps cannot
// both hold for an M/M/c queue: capacity_rps × latency is the number of
// servers, and it is not whole. The model keeps capacity_rps (c·μ =
// capacity_rps) and says which service time that takes.
func queueShape(pass *analyze.Pass, c *lang.Component) {
	servers, service, ok := analyze.QueueShape(c)
	if ok {
		return
	}
	lat := c.Latency.Seconds()
	conc := c.CapacityRPS * lat
	msg := fmt.Sprintf("latency = %s and capacity_rps = %s cannot both hold: capacity_rps × latency = %s × %s s = %s servers is not a whole number; "+
		"modelled as %d %s of %s (c·μ = %d ÷ %s = %s), not %d × %s (%s)",
		formula.Millis(lat*1000), formula.Rate(c.CapacityRPS), formula.Num(c.CapacityRPS), formula.Num(lat), formula.Num(conc),
		servers, plural(servers, "server"), formula.Millis(service*1000), servers, formula.Millis(service*1000), formula.Rate(c.CapacityRPS),
		servers, formula.Millis(lat*1000), formula.Rate(float64(servers)/lat))
	pass.Report(analyze.Finding{
		Severity: analyze.Warning,
		Message:  msg,
		Detail: "archform models each instance as an M/M/c queue that serves exactly capacity_rps, with c = round(capacity_rps × latency) servers. " +
			"Declare a latency and capacity_rps whose product is the instance's concurrency (a whole number of requests in service at once), or accept the service time above.",
		Subject: c.Addr,
		Key:     "queue model",
		Range:   c.Range("latency"),
		Related: []analyze.Related{{Message: "capacity of one instance", Range: c.Range("capacity_rps")}},
		Data: map[string]any{
			"capacity_rps": c.CapacityRPS, "latency": lat * 1000, "servers": servers,
			"service_time": service * 1000, "concurrency": conc,
		},
	})
}

func plural(n int, what string) string {
	if n == 1 {
		return what
	}
	return what + "s"
}
