// Package regionplacement is the rule that finds, in a multi-region design,
// a tier that a flow needs running in fewer regions than the flow is served
// from.
package regionplacement

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the region-placement rule.
var Analyzer = &analyze.Analyzer{
	ID:       "region-placement",
	Summary:  "a tier a flow needs runs in fewer regions than the flow is served from",
	Problem:  analyze.Noun{One: "tier in too few regions", Many: "tiers in too few regions"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// regions lists the regions a component's instances are placed in, sorted.
func regions(c *lang.Component) []string {
	set := map[string]bool{}
	for _, in := range c.Instances {
		if in.Region != "" {
			set[in.Region] = true
		}
	}
	out := make([]string, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func missing(served, have []string) []string {
	var out []string
	for _, r := range served {
		found := false
		for _, h := range have {
			found = found || h == r
		}
		if !found {
			out = append(out, r)
		}
	}
	return out
}

type shortfall struct {
	c       *lang.Component
	flows   []string
	served  []string
	absent  []string
	through string // "" or the queue whose consumer c is
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	if len(d.Regions) < 2 {
		return nil
	}
	res := pass.Results()
	found := map[*lang.Component]*shortfall{}
	var order []*lang.Component
	note := func(c *lang.Component, flow string, served, have []string, through string) {
		abs := missing(served, have)
		if len(have) == 0 || len(abs) == 0 {
			return
		}
		s := found[c]
		if s == nil {
			s = &shortfall{c: c, served: served, absent: abs, through: through}
			found[c] = s
			order = append(order, c)
		}
		s.flows = append(s.flows, flow)
	}
	for _, name := range res.FlowOrder {
		fr := res.Flows[name]
		// The flow is served from the regions of its first placed tier.
		var served []string
		for _, h := range fr.Hops {
			if h.Component == nil || h.Component.Kind == lang.KindClient {
				continue
			}
			if r := regions(h.Component); len(r) > 0 {
				served = r
				break
			}
		}
		if len(served) < 2 {
			continue
		}
		for _, h := range fr.Hops {
			if h.Component == nil || !h.Required {
				continue
			}
			note(h.Component, name, served, regions(h.Component), "")
			// Messages the tier publishes (async calls are off the path)
			// are delivered by the queue's consumers.
			for _, call := range h.Component.Calls {
				q := call.To
				if q == nil || q.Kind != lang.KindQueue {
					continue
				}
				note(q, name, served, regions(q), "")
				for _, cs := range d.Consumers(q) {
					note(cs.Consumer, name, served, regions(cs.Consumer), q.Addr)
				}
			}
		}
	}
	for _, c := range order {
		s := found[c]
		have := regions(c)
		role := "runs"
		if s.through != "" {
			role = "consumes " + s.through + " and runs"
		}
		flows := "flow " + s.flows[0] + " is"
		if len(s.flows) > 1 {
			flows = "flows " + formula.List(s.flows) + " are"
		}
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   c.Range("zones"),
			Message: fmt.Sprintf("%s served from regions %s, but %s %s only in %s: requests served in %s cross regions for it, and the loss of %s stops it for every region",
				flows, formula.List(s.served), c.Addr, role, formula.List(have),
				formula.List(s.absent), formula.List(have)),
			Detail: "Place the component in every region its flows are served from (zones in each region), or serve the flows from fewer regions.",
			Key:    "regions " + strings.Join(s.absent, ","),
			Data:   map[string]any{"flows": s.flows, "served_from": s.served, "placed_in": have},
		})
	}
	return nil
}
