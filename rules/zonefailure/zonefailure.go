// Package zonefailure is the rule that checks static stability: after losing
// any one zone or region, the surviving instances of every tier must still
// carry its load.
package zonefailure

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the zone-failure-capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "zone-failure-capacity",
	Summary:  "after losing any one zone or region, the surviving instances cannot carry the load",
	Problem:  analyze.Noun{One: "tier short after a zone loss", Many: "tiers short after a zone loss"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// loss is one scenario that overloads a component.
type loss struct {
	scenario *analyze.Scenario
	util     formula.Util
}

// what names a scenario's loss: `zone "a"`, `region "us-east"`.
func what(s *analyze.Scenario) string { return fmt.Sprintf("%s %q", s.Kind, s.Lost) }

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	var lost []*analyze.Scenario // each zone, each region lost
	for _, s := range r.Failures {
		if s.Kind == "zone" || s.Kind == "region" {
			lost = append(lost, s)
		}
	}
	// A zone or region scenario holds every component's load: walk each
	// one's loads once, keeping the overloaded ones (few), rather than look
	// every component up in every scenario.
	losses := map[*lang.Component][]loss{}
	for _, s := range lost {
		for addr, l := range s.Load {
			// Up == 0: nothing survives to carry anything; the spof rule
			// reports a tier that a zone takes down entirely.
			if l.Up == 0 || l.Down || analyze.Stable(l.Utilization) {
				continue
			}
			c := pass.Design.Component(addr)
			if c == nil || c.CapacityRPS <= 0 {
				continue
			}
			if n := r.Nominal.Load[addr]; n == nil || !analyze.Stable(n.Utilization) {
				continue // no load, or overloaded already: the capacity rule's finding
			}
			losses[c] = append(losses[c], loss{scenario: s, util: formula.Utilization(c, l)})
		}
	}
	for _, c := range pass.Design.Components {
		if ls := losses[c]; len(ls) > 0 {
			report(pass, c, ls)
		}
	}
	return nil
}

func report(pass *analyze.Pass, c *lang.Component, losses []loss) {
	worst := losses[0]
	for _, l := range losses[1:] {
		if l.util.Value > worst.util.Value {
			worst = l
		}
	}
	u := worst.util
	msg := fmt.Sprintf("losing %s leaves %s %d of %d instances %s: %s",
		what(worst.scenario), u.Label, u.Up, u.Of, u.EachText(), u.Against("≥", 1))
	var also []string
	scenarios := make([]map[string]any, 0, len(losses))
	for _, l := range losses {
		scenarios = append(scenarios, map[string]any{
			"kind": l.scenario.Kind, "lost": l.scenario.Lost,
			"utilization": l.util.Value, "up": l.util.Up, "instances": l.util.Of,
		})
		if l != worst {
			also = append(also, fmt.Sprintf("%s: %s", what(l.scenario), formula.Ratio(l.util.Value)))
		}
	}
	if len(also) > 0 {
		msg += " (also " + strings.Join(also, ", ") + ")"
	}
	var related []analyze.Related
	if c.Has("zones") {
		related = append(related, analyze.Related{Message: c.Addr + " is placed here", Range: c.Range("zones")})
	}
	related = append(related, analyze.Related{Message: "capacity of one instance", Range: c.Range("capacity_rps")})
	rng := c.Range("replicas")
	if c.Kind == lang.KindDatabase {
		rng = c.Range("replication.replicas")
	}
	pass.Report(analyze.Finding{
		Message: msg,
		Detail:  detail(c, worst),
		Subject: c.Addr,
		Key:     "zone or region lost",
		Cause:   analyze.Cause("zone-loss", c.Addr),
		Range:   rng,
		Related: related,
		Data: map[string]any{
			"load_rps":     u.Each * float64(u.Up),
			"capacity_rps": c.CapacityRPS,
			"utilization":  u.Value,
			"scenarios":    scenarios,
		},
	})
}

// detail says how many replicas keep the tier standing after a zone loss,
// for a plain tier whose instances spread evenly over its zones.
func detail(c *lang.Component, worst loss) string {
	base := "A statically stable design carries its load with any one zone (or region) lost, without scaling up first: " +
		"add replicas, spread them over more zones, or raise capacity_rps."
	z := len(c.Zones)
	if c.Kind == lang.KindDatabase || worst.scenario.Kind != "zone" || z < 2 {
		return base
	}
	load := worst.util.Each * float64(worst.util.Up)
	k := analyze.KStable(load, c.CapacityRPS)
	if k > lang.MaxInstances {
		return base
	}
	// The smallest n with n - ⌈n/z⌉ ≥ k survivors after losing the zone that
	// holds ⌈n/z⌉: n - ⌈n/z⌉ = ⌊n(z-1)/z⌋, so n = ⌈kz/(z-1)⌉ (in closed form:
	// a search from the current count would take k steps, and k is as large
	// as the load divided by a tiny capacity_rps).
	n := max((k*z+z-2)/(z-1), len(c.Instances)+1)
	if n > lang.MaxInstances || n-(n+z-1)/z < k {
		return base
	}
	return fmt.Sprintf("%s With replicas = %d, losing any one of its %d zones leaves %d, the ⌊%s / %s⌋ + 1 = %d the load needs below utilization 1.",
		base, n, z, n-(n+z-1)/z, formula.Rate(load), formula.Rate(c.CapacityRPS), k)
}
