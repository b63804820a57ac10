// Package capacity is the rule that checks each component's nominal
// utilization against its max_utilization, names the design's bottleneck and
// the largest entry rate the design can carry.
package capacity

import (
	_ "embed"
	"fmt"
	"math"
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

// headroom is the bottleneck and how far every client's rate can be scaled
// before it saturates: scale = 1 ÷ the highest utilization, assuming load
// grows in proportion to the clients' rates.
type headroom struct {
	bottleneck *lang.Component
	util       float64
	scale      float64
	clients    []*lang.Component
	// text says what the design carries: "the design carries at most 1.2 ×
	// 10000 rps = 12000 rps from client.web (bottleneck: service.api)"; ""
	// without a bottleneck or a client.
	text string
	// entry is each client's largest rate (rps); read-only, shared by the
	// findings' data.
	entry map[string]float64
}

// maxClients is how many clients a message names; data lists them all.
const maxClients = 3

func findHeadroom(d *lang.Design, nominal *analyze.Scenario) headroom {
	var h headroom
	for _, c := range d.Components {
		if c.Kind == lang.KindClient && c.RPS > 0 {
			h.clients = append(h.clients, c)
		}
		l := nominal.Load[c.Addr]
		if c.CapacityRPS <= 0 || l == nil || l.Utilization <= h.util {
			continue
		}
		h.bottleneck, h.util = c, l.Utilization
	}
	if h.bottleneck == nil || math.IsInf(h.util, 0) {
		// An infinite load (rates and fan-outs that overflow) leaves no
		// headroom to describe.
		return headroom{}
	}
	h.scale = 1 / h.util
	h.entry = make(map[string]float64, len(h.clients))
	for _, c := range h.clients {
		h.entry[c.Addr] = h.scale * c.RPS
	}
	var rates string
	switch n := len(h.clients); {
	case n == 0:
		return h
	case n == 1:
		c := h.clients[0]
		rates = fmt.Sprintf("%s × %s = %s from %s", formula.Ratio(h.scale), formula.Rate(c.RPS), formula.Rate(h.scale*c.RPS), c.Addr)
	default:
		var parts []string
		for _, c := range h.clients[:min(n, maxClients)] {
			parts = append(parts, fmt.Sprintf("%s %s", c.Addr, formula.Rate(h.scale*c.RPS)))
		}
		if n > maxClients {
			parts = append(parts, fmt.Sprintf("and %d more clients", n-maxClients))
		}
		rates = fmt.Sprintf("%s × the declared rates (%s)", formula.Ratio(h.scale), strings.Join(parts, ", "))
	}
	h.text = fmt.Sprintf("the design carries at most %s (bottleneck: %s)", rates, h.bottleneck.Addr)
	return h
}

func (h headroom) data() map[string]any {
	if h.bottleneck == nil {
		return map[string]any{}
	}
	return map[string]any{"bottleneck": h.bottleneck.Addr, "scale": h.scale, "max_entry_rps": h.entry}
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	h := findHeadroom(pass.Design, r.Nominal)
	for _, c := range pass.Design.Components {
		queueShape(pass, c)
	}
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
			sev, cmp = analyze.Error, "≥ 1"
		case u.Value > most:
			sev, cmp = analyze.Warning, "> "+formula.Num(most)
		default:
			continue
		}
		msg := u.Text + " " + cmp
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

// maxInstances is the most instances lang places for one component.
const maxInstances = 100000

// detail says how many instances would bring the component under its limit,
// when its instances share the load evenly.
func detail(c *lang.Component, u formula.Util, most float64) string {
	base := fmt.Sprintf("%s takes %s on each of %d instances of %s capacity.", u.Label, formula.Rate(u.Each), u.Up, formula.Rate(c.CapacityRPS))
	if c.Kind == lang.KindDatabase || u.Up == 0 || most <= 0 {
		return base + " Add capacity (replicas, shards or a larger capacity_rps) or shed load."
	}
	needed := math.Ceil(u.Each*float64(u.Up)/(c.CapacityRPS*most) - 1e-9)
	if !(needed <= maxInstances) { // NaN and +Inf too: a load that overflowed
		return base + fmt.Sprintf(" No number of instances archform models (at most %d) keeps utilization at or under %s: raise capacity_rps, or check the rates and per_request fan-outs that lead here.", maxInstances, formula.Num(most))
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
