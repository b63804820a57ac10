// Package flowcoverage is the rule that says what lint did not analyse: a
// design with no client or no flow, components that no flow reaches, whose
// failures no other rule checks, and components that nothing reaches at all
// (no client, call, consumer, origin or dead letter): unused parts.
package flowcoverage

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the flow-coverage rule.
var Analyzer = &analyze.Analyzer{
	ID:       "flow-coverage",
	Summary:  "the design has no client or no flow, components no flow reaches (their failures are not checked), or components nothing reaches at all (unused)",
	Problem:  analyze.Noun{One: "gap in flow coverage", Many: "gaps in flow coverage"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// maxData is how many unreached components a finding's data lists (its
// message names five, as formula.Names does).
const maxData = 20

func run(pass *analyze.Pass) error {
	d := pass.Design
	if d.System == nil {
		return nil
	}
	var clients, counted []*lang.Component
	offFlow := 0
	for _, c := range d.Components {
		switch {
		case c.Kind == lang.KindClient:
			clients = append(clients, c)
		case c.Role.OffFlow():
			offFlow++
		default:
			counted = append(counted, c)
		}
	}
	if len(counted) == 0 {
		return nil
	}
	switch {
	case len(clients) == 0:
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("the design has no client: no flow starts anywhere, so the failures, load and latency of its %s are not checked", lang.Count(len(counted), "component", "components")),
			Detail:  "Add a client block for where traffic comes from, calling the component users reach, and a flow from it.",
			Subject: "system." + d.System.Name,
			Key:     "no client",
			Range:   d.System.DeclRange,
			Data:    map[string]any{"components": len(counted)},
		})
		return nil
	case len(d.Flows) == 0:
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("the design declares no flow: each client's traffic is analysed as a flow of its own (%s), but with no SLO its %s availability and latency are not checked against any objective",
				formula.Names(addrs(clients)), lang.Count(len(counted), "component's", "components'")),
			Detail: "Without flow blocks, the rules follow every call from each client as one implicit flow named after it: single points of failure and capacity are checked, " +
				"but not against what users need. Add a flow block for each thing users do (flow \"checkout\" { entry = client.web }), with its rps and SLO.",
			Subject: "system." + d.System.Name,
			Key:     "no flow",
			Range:   d.System.DeclRange,
			Data:    map[string]any{"components": len(counted)},
		})
		return nil
	}
	r := pass.Results()
	if r == nil {
		return nil
	}
	on := map[*lang.Component]bool{}
	for _, name := range r.FlowOrder {
		if fr := r.Flows[name]; fr != nil {
			for _, h := range fr.AllHops() {
				on[h.Component] = true
			}
		}
	}
	used := reached(d)
	var off []string
	for _, c := range counted {
		switch {
		case !used[c]:
			pass.Report(unused(c))
		case !on[c]:
			off = append(off, c.Addr)
		}
	}
	if len(off) == 0 {
		return nil
	}
	roles := ""
	switch {
	case offFlow == 1:
		roles = "; 1 more is off flows by its role"
	case offFlow > 1:
		roles = fmt.Sprintf("; %d more are off flows by their role", offFlow)
	}
	// The data names the first maxData (off_flow_total counts them all: the
	// flows' paths in lint's JSON say which components are on a flow), so
	// that the finding does not grow with the design.
	data := map[string]any{"off_flow": off[:min(len(off), maxData)], "components": len(counted)}
	if len(off) > maxData {
		data["off_flow_total"] = len(off)
	}
	are := "components are on no flow: their failures are"
	if len(off) == 1 {
		are = "components is on no flow: its failures are"
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%d of %d %s not checked (%s)%s",
			len(off), len(counted), are, formula.Names(off), roles),
		Detail: "A component no flow reaches is invisible to spof, capacity and the SLO rules. Add the calls that reach it, " +
			"a flow that starts where its users enter, or a role (telemetry, discovery, config, admin) if it serves no user.",
		Subject: "system." + d.System.Name,
		Key:     "components on no flow",
		Range:   d.System.DeclRange,
		Data:    data,
	})
	return nil
}

// addrs lists the components' addresses.
func addrs(cs []*lang.Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Addr
	}
	return out
}

// reached returns the components something reaches: from every client and
// every component whose role keeps it off user flows (it has users of its
// own), along calls of any mode and their fallbacks, from a queue to its
// consumers and its dead-letter queue, and from a cache to its origin.
func reached(d *lang.Design) map[*lang.Component]bool {
	seen := map[*lang.Component]bool{}
	var queue []*lang.Component
	visit := func(c *lang.Component) {
		if c != nil && !seen[c] {
			seen[c] = true
			queue = append(queue, c)
		}
	}
	for _, c := range d.Components {
		if c.Kind == lang.KindClient || c.Role.OffFlow() {
			visit(c)
		}
	}
	for i := 0; i < len(queue); i++ {
		c := queue[i]
		for _, call := range c.Calls {
			visit(call.To)
			visit(call.Fallback)
		}
		visit(c.Origin)
		if c.Kind == lang.KindQueue {
			visit(c.DeadLetter)
			for _, cs := range d.Consumers(c) {
				visit(cs.Consumer)
			}
		}
	}
	return seen
}

// unused is the finding of a component nothing reaches.
func unused(c *lang.Component) analyze.Finding {
	if len(c.Calls) > 0 && len(c.Consumes) == 0 {
		// It sends traffic that nothing asked for: a worker that polls
		// a store, a scheduled job, a load generator. It is not unused,
		// and removing it is not the fix.
		var callees []string
		for _, call := range c.Calls {
			if !slices.Contains(callees, call.To.Addr) {
				callees = append(callees, call.To.Addr)
			}
		}
		return analyze.Finding{
			Message: fmt.Sprintf("%s calls %s, but nothing reaches it (no client, call, consumer, origin or dead letter): no flow covers the traffic it sends", c.Addr, formula.List(callees)),
			Detail: "A component that starts work on its own (a worker that polls a store, a scheduled job, a load generator) sends traffic the design does not model: " +
				"give it a client that stands for what starts it (client \"" + c.Name + "\" { rps = ..., call { to = " + c.Addr + " } }) and a flow from that client, so that the rules check what it reaches; " +
				"or, if it does not run in production (a seed or load-test job), leave it out of the design.",
			Subject: c.Addr,
			Key:     "unused",
			Range:   c.DeclRange,
		}
	}
	what := "nothing calls it"
	if len(c.Consumes) > 0 {
		what = "nothing calls it, and nothing reached writes to the queues it consumes"
	}
	return analyze.Finding{
		Message: fmt.Sprintf("%s is unused: no client, call, consumer, origin or dead letter reaches it (%s)", c.Addr, what),
		Detail: "A part of the design that no request and no message can reach is deployed, paid for and attacked, and does nothing for a user; or the calls that reach it are missing from the design. " +
			"Add the call (or the consume block, or the client) that reaches it, give it a role (telemetry, discovery, config, admin) if it serves operators, or remove it.",
		Subject: c.Addr,
		Key:     "unused",
		Range:   c.DeclRange,
	}
}
