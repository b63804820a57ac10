// Package nocapacity is the rule that points out tiers on a flow's path that
// declare no capacity_rps, so that no capacity rule can check them.
package nocapacity

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the no-capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "no-capacity",
	Summary:  "a tier on a flow's path declares no capacity_rps, so its load cannot be checked",
	Problem:  analyze.Noun{One: "tier without capacity_rps", Many: "tiers without capacity_rps"},
	Doc:      doc,
	Severity: analyze.Info,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	flows := map[*lang.Component][]string{}
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		for _, h := range fr.Hops {
			c := h.Component
			if c.Kind == lang.KindClient || c.CapacityRPS > 0 {
				continue
			}
			if fs := flows[c]; len(fs) == 0 || fs[len(fs)-1] != name {
				flows[c] = append(fs, name)
			}
		}
	}
	for _, c := range pass.Design.Components {
		names := flows[c]
		if len(names) == 0 {
			continue
		}
		load := 0.0
		if r.Nominal != nil {
			if l := r.Nominal.Load[c.Addr]; l != nil {
				load = l.Total()
			}
		}
		var related []analyze.Related
		for _, name := range names {
			related = append(related, analyze.Related{Message: "flow " + name + " goes through it", Range: r.Flows[name].DeclRange()})
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s carries %s (flows: %s) but declares no capacity_rps: its utilization cannot be checked",
				c.Addr, formula.Rate(load), formula.Names(names)),
			Detail: "Declare capacity_rps, what one instance sustains at 100% utilization (from a load test or the vendor's figures), " +
				"so that the capacity, zone-failure-capacity and spof rules can check this tier; until then it counts as 1 instance needed and never overloaded.",
			Subject: c.Addr,
			Key:     "no capacity_rps",
			Range:   c.DeclRange,
			Related: related,
			Data:    map[string]any{"load_rps": load, "flows": names},
		})
	}
	return nil
}
